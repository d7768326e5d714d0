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
