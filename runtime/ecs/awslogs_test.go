package ecs

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/iam"
	"github.com/ecsbox/ecsbox/runtime/logs"
)

const taskTrust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

// logsWorld is a Fargate-ready account with CloudWatch Logs and an
// execution role carrying AmazonECSTaskExecutionRolePolicy.
func logsWorld(t *testing.T) *world {
	w := newWorld(t)
	w.ecs.logs = logs.New(logs.Config{Sim: w.sim, Identity: aws.DefaultIdentity()})
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")}))
	w.ok(w.iam.CreateRole(&iam.CreateRoleRequest{RoleName: aws.String("ecsTaskExecutionRole"), AssumeRolePolicyDocument: aws.String(taskTrust)}))
	w.ok(w.iam.AttachRolePolicy(&iam.AttachRolePolicyRequest{RoleName: aws.String("ecsTaskExecutionRole"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")}))
	return w
}

func (w *world) runLogged(createGroup bool) Task {
	w.t.Helper()
	td := fargateRequest("logged", "256", "512")
	td.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
	opts := map[string]string{"awslogs-group": "/ecs/logged", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}
	if createGroup {
		opts["awslogs-create-group"] = "true"
	}
	td.ContainerDefinitions[0].LogConfiguration = &LogConfiguration{LogDriver: aws.String("awslogs"), Options: opts}
	td.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: aws.Int(8080)}}
	w.register(td)
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("logged"), LaunchType: aws.String("FARGATE"),
		NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{w.ec2.DefaultSubnets()[0].ID}}}})
	w.advance(time.Minute)
	return w.describeTask("demo", aws.ToString(out.Tasks[0].TaskArn))
}

func TestAwslogsWritesToTheStream(t *testing.T) {
	w := logsWorld(t)
	w.ok(w.ecs.logs.CreateLogGroup(&logs.CreateLogGroupRequest{LogGroupName: aws.String("/ecs/logged")}))
	task := w.runLogged(false)
	if aws.ToString(task.LastStatus) != "RUNNING" {
		t.Fatalf("task %s: %s", aws.ToString(task.LastStatus), aws.ToString(task.StoppedReason))
	}
	id := aws.ToString(task.TaskArn)[strings.LastIndex(aws.ToString(task.TaskArn), "/")+1:]
	events := w.ecs.logs.Events("/ecs/logged", "ecs/app/"+id)
	if len(events) != 1 || events[0].Message != "ecsbox workload: serving HTTP on port 8080" {
		t.Errorf("events in ecs/app/%s: %+v", id, events)
	}
}

func TestAwslogsWithoutItsGroup(t *testing.T) {
	w := logsWorld(t)
	task := w.runLogged(false)
	if aws.ToString(task.LastStatus) != "STOPPED" || aws.ToString(task.StopCode) != "TaskFailedToStart" ||
		!strings.Contains(aws.ToString(task.StoppedReason), "ResourceNotFoundException: The specified log group does not exist.") {
		t.Errorf("missing group: %s %s %q", aws.ToString(task.LastStatus), aws.ToString(task.StopCode), aws.ToString(task.StoppedReason))
	}
	// awslogs-create-group needs logs:CreateLogGroup, which the managed
	// execution policy lacks.
	task = w.runLogged(true)
	// The execution role's session is named after the task.
	taskID := aws.ToString(task.TaskArn)[strings.LastIndexByte(aws.ToString(task.TaskArn), '/')+1:]
	if aws.ToString(task.StopCode) != "TaskFailedToStart" || !strings.Contains(aws.ToString(task.StoppedReason), "/"+taskID+" is not authorized to perform: logs:CreateLogGroup") {
		t.Errorf("create-group without permission: %s %q", aws.ToString(task.StopCode), aws.ToString(task.StoppedReason))
	}
	w.ok(w.iam.PutRolePolicy(&iam.PutRolePolicyRequest{RoleName: aws.String("ecsTaskExecutionRole"), PolicyName: aws.String("groups"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:CreateLogGroup","Resource":"*"}]}`)}))
	task = w.runLogged(true)
	if aws.ToString(task.LastStatus) != "RUNNING" || !w.ecs.logs.GroupExists("/ecs/logged") {
		t.Errorf("create-group with permission: %s %q", aws.ToString(task.LastStatus), aws.ToString(task.StoppedReason))
	}
}

// TestExitLines is the workload's last line for each way a process ends.
func TestExitLines(t *testing.T) {
	tests := []struct {
		x    exit
		want string
	}{
		{exit{code: 0}, "ecsbox workload: exited with code 0"},
		{exit{code: 3}, "ecsbox workload: exited with code 3"},
		{exitedOnSIGTERM, "ecsbox workload: received SIGTERM (the task is stopping), exited with code 0"},
		{killedAfterStopTimeout(30 * time.Second), "ecsbox workload: killed by SIGKILL after the 30s stop timeout, exit code 137"},
		{killedAfterStopTimeout(2 * time.Minute), "ecsbox workload: killed by SIGKILL after the 120s stop timeout, exit code 137"},
		{exit{code: 137, signal: "SIGKILL", why: "(out of memory)"}, "ecsbox workload: killed by SIGKILL (out of memory), exit code 137"},
		{exit{code: 143, signal: "SIGTERM", why: "(kill 1)"}, "ecsbox workload: terminated by SIGTERM (kill 1), exit code 143"},
	}
	for _, tt := range tests {
		if got := tt.x.line(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.x, got, tt.want)
		}
	}
}

// TestAwslogsExitLine runs logged Fargate tasks to their end and reads the
// last line of their streams: a process that exits by itself, a server
// stopped with SIGTERM, and a sleep (which ignores SIGTERM as PID 1) killed
// after its stop timeout.
func TestAwslogsExitLine(t *testing.T) {
	tests := []struct {
		name        string
		command     []string
		stopTimeout int
		stop        bool
		want        []string
	}{
		{"exit 3", []string{"exit", "3"}, 0, false,
			[]string{`ecsbox workload: running "exit 3"`, "ecsbox workload: exited with code 3"}},
		{"server stopped", nil, 0, true,
			[]string{"ecsbox workload: started", "ecsbox workload: received SIGTERM (the task is stopping), exited with code 0"}},
		{"sleep killed", []string{"sleep", "3600"}, 10, true,
			[]string{`ecsbox workload: running "sleep 3600"`, "ecsbox workload: killed by SIGKILL after the 10s stop timeout, exit code 137"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := logsWorld(t)
			w.ok(w.ecs.logs.CreateLogGroup(&logs.CreateLogGroupRequest{LogGroupName: aws.String("/ecs/logged")}))
			td := fargateRequest("logged", "256", "512")
			td.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole")
			c := &td.ContainerDefinitions[0]
			c.Command = tt.command
			if tt.stopTimeout > 0 {
				c.StopTimeout = aws.Int(tt.stopTimeout)
			}
			c.LogConfiguration = &LogConfiguration{LogDriver: aws.String("awslogs"),
				Options: map[string]string{"awslogs-group": "/ecs/logged", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}
			w.register(td)
			out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("logged"), LaunchType: aws.String("FARGATE"),
				NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{w.ec2.DefaultSubnets()[0].ID}}}})
			arn := aws.ToString(out.Tasks[0].TaskArn)
			w.advance(time.Minute)
			if tt.stop {
				w.ok(w.ecs.StopTask(&StopTaskRequest{Cluster: aws.String("demo"), Task: aws.String(arn)}))
				w.advance(time.Minute)
			}
			if s := aws.ToString(w.describeTask("demo", arn).LastStatus); s != "STOPPED" {
				t.Fatalf("task is %s", s)
			}
			var got []string
			for _, ev := range w.ecs.logs.Events("/ecs/logged", "ecs/app/"+arn[strings.LastIndexByte(arn, '/')+1:]) {
				got = append(got, ev.Message)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("stream:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
