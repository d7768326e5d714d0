package ecs

import (
	"math"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/cmdline"
	"github.com/ecsbox/ecsbox/runtime/iam"
)

// recorder is a Metrics that keeps what ECS publishes.
type recorder struct{ points []point }

type point struct {
	at                  time.Time
	name, service, unit string
	value               float64
}

func (r *recorder) Publish(namespace, name string, dims []cloudwatch.Dim, value float64, unit string, at time.Time) {
	p := point{at: at, name: name, unit: unit, value: value}
	for _, d := range dims {
		if d.Name == "ServiceName" {
			p.service = d.Value
		}
	}
	r.points = append(r.points, p)
}

func (r *recorder) last(name, service string) (float64, bool) {
	for i := len(r.points) - 1; i >= 0; i-- {
		if p := r.points[i]; p.name == name && p.service == service {
			return p.value, true
		}
	}
	return 0, false
}

func TestShareCPU(t *testing.T) {
	a := &task{seq: 1, reservedCPU: 1024, lastStatus: taskRunning, use: usage{cpu: 4000}}
	b := &task{seq: 2, reservedCPU: 512, lastStatus: taskRunning, use: usage{cpu: 100}}
	c := &task{seq: 3, reservedCPU: 512, lastStatus: taskRunning, use: usage{cpu: 4000}}
	shareCPU([]*task{a, b, c}, 2048)
	// b takes its 100; a and c share the other 1948 in the ratio 1024:512.
	if math.Abs(b.use.cpu-100) > 1e-9 || math.Abs(a.use.cpu-1948*2/3.0) > 1e-9 || math.Abs(c.use.cpu-1948/3.0) > 1e-9 {
		t.Errorf("shares a %.1f b %.1f c %.1f", a.use.cpu, b.use.cpu, c.use.cpu)
	}
}

func TestParseStress(t *testing.T) {
	cases := []struct {
		args    string
		workers int
		mem     float64
		timeout time.Duration
		ok      bool
	}{
		{"--cpu 1 --timeout 60", 1, 0, time.Minute, true},
		{"-c 2 -t 5m", 2, 0, 5 * time.Minute, true},
		{"--vm 2 --vm-bytes 128M --timeout=30s", 0, 256, 30 * time.Second, true},
		{"--cpu 1 --vm 1", 1, 256, 0, true},
		{"--cpu 1 --io 2 -v", 1, 0, 0, true},
		{"--cpu one", 0, 0, 0, false},
		{"--frobnicate", 0, 0, 0, false},
	}
	for _, c := range cases {
		p, timeout, ok := parseStress(cmdline.Words(c.args))
		if ok != c.ok || (ok && (p.cpuWorkers != c.workers || p.memoryMiB != c.mem || timeout != c.timeout)) {
			t.Errorf("parseStress(%q) = %+v %s %v", c.args, p, timeout, ok)
		}
	}
}

// execWorld is a Fargate service of 2 tasks (0.5 vCPU, 1 GB) whose task role
// allows ECS Exec, with metrics recorded.
func execWorld(t *testing.T, policy string) (*world, *recorder, []*task) {
	w := newWorld(t)
	rec := &recorder{}
	w.ecs.metrics = rec
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")}))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	w.ok(w.iam.CreateRole(&iam.CreateRoleRequest{RoleName: aws.String("app"), AssumeRolePolicyDocument: aws.String(trust)}))
	if policy != "" {
		w.ok(w.iam.PutRolePolicy(&iam.PutRolePolicyRequest{RoleName: aws.String("app"), PolicyName: aws.String("exec"), PolicyDocument: aws.String(policy)}))
	}
	td := fargateRequest("web", "512", "1024")
	td.TaskRoleArn = aws.String("arn:aws:iam::123456789012:role/app")
	w.register(td)
	var subnets []string
	for _, s := range w.ec2.DefaultSubnets() {
		subnets = append(subnets, s.ID)
	}
	s := w.createService(CreateServiceRequest{ServiceName: aws.String("web"), TaskDefinition: aws.String("web"), DesiredCount: aws.Int(2),
		LaunchType: aws.String("FARGATE"), EnableExecuteCommand: aws.Bool(true),
		NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: subnets}}})
	w.advance(2 * time.Minute)
	return w, rec, s.tasks()
}

const execPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ssmmessages:CreateControlChannel","ssmmessages:CreateDataChannel","ssmmessages:OpenControlChannel","ssmmessages:OpenDataChannel"],"Resource":"*"}]}`

func TestLoadDrivesServiceMetrics(t *testing.T) {
	w, rec, _ := execWorld(t, execPolicy)
	if v, ok := rec.last("CPUUtilization", "web"); !ok || math.Abs(v-2) > 0.01 {
		t.Fatalf("idle CPUUtilization %.2f (published %v), want the 2%% baseline", v, ok)
	}
	if v, _ := rec.last("MemoryUtilization", "web"); math.Abs(v-25) > 0.01 {
		t.Errorf("idle MemoryUtilization %.2f, want 25", v)
	}
	// 768 units over 2 tasks of 512: 384 each + 2 % baseline → 77 %.
	if err := w.ecs.SetServiceLoad("demo", "web", 768, 0); err != nil {
		t.Fatal(err)
	}
	w.advance(2 * time.Minute)
	if v, _ := rec.last("CPUUtilization", "web"); math.Abs(v-77) > 0.01 {
		t.Errorf("CPUUtilization under load %.2f, want 77", v)
	}
	// Fargate caps a task at its cpu: 4096 units of demand reads 100 %.
	w.ecs.SetServiceLoad("demo", "web", 4096, 0)
	w.advance(2 * time.Minute)
	if v, _ := rec.last("CPUUtilization", "web"); math.Abs(v-100) > 0.01 {
		t.Errorf("CPUUtilization far over the limit %.2f, want 100 (Fargate's hard limit)", v)
	}
	// The datapoints are stamped with the start of their minute.
	last := rec.points[len(rec.points)-1]
	if !last.at.Equal(w.sim.Now().Truncate(time.Minute).Add(-time.Minute)) || last.unit != "Percent" {
		t.Errorf("last datapoint %+v published at %s", last, w.sim.Now().Format("15:04:05"))
	}
}

func TestExecuteCommandStress(t *testing.T) {
	w, rec, tasks := execWorld(t, execPolicy)
	out, err := w.ecs.ExecuteCommand(&ExecuteCommandRequest{Cluster: aws.String("demo"), Task: aws.String(tasks[0].arn), Command: aws.String("stress --cpu 1 --timeout 180"), Interactive: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.ContainerName) != "app" || out.Session == nil || aws.ToString(out.Session.StreamUrl) == "" {
		t.Errorf("response %+v", out)
	}
	w.advance(2 * time.Minute)
	// One task at its 512 limit, the other idle: (512 + 10.24) / 1024.
	if v, _ := rec.last("CPUUtilization", "web"); math.Abs(v-51) > 0.01 {
		t.Errorf("CPUUtilization with one task stressed %.2f, want 51", v)
	}
	w.advance(2 * time.Minute)
	if v, _ := rec.last("CPUUtilization", "web"); math.Abs(v-2) > 0.01 {
		t.Errorf("CPUUtilization after the stress timeout %.2f, want 2", v)
	}
	// Memory beyond the task's 1024 MiB: the container is OOM-killed.
	w.ok(w.ecs.ExecuteCommand(&ExecuteCommandRequest{Cluster: aws.String("demo"), Task: aws.String(tasks[1].arn), Command: aws.String("stress --vm 1 --vm-bytes 900M"), Interactive: aws.Bool(true)}))
	w.advance(time.Minute)
	task := w.describeTask("demo", tasks[1].arn)
	c := task.Containers[0]
	if aws.ToString(task.StopCode) != "EssentialContainerExited" || aws.ToInt(c.ExitCode) != 137 || aws.ToString(c.Reason) != "OutOfMemoryError: Container killed due to memory usage" {
		t.Errorf("OOM: stop code %s, exit %v, reason %q", aws.ToString(task.StopCode), c.ExitCode, aws.ToString(c.Reason))
	}
}

func TestExecuteCommandRefusals(t *testing.T) {
	w, _, tasks := execWorld(t, "")
	exec := func(in ExecuteCommandRequest) error {
		in.Cluster = aws.String("demo")
		if in.Task == nil {
			in.Task = aws.String(tasks[0].arn)
		}
		_, err := w.ecs.ExecuteCommand(&in)
		return err
	}
	wantAWSError(t, exec(ExecuteCommandRequest{Command: aws.String("ls"), Interactive: aws.Bool(false)}), "InvalidParameterException", "Interactive is the only mode supported currently.")
	wantAWSError(t, exec(ExecuteCommandRequest{Command: aws.String("ls"), Interactive: aws.Bool(true)}), "TargetNotConnectedException", "The execute command failed due to an internal error. Try again later.")
	w.register(ec2Request("plain"))
	w.clusterWith("other", 1, "t3.medium")
	run := w.runTask(&RunTaskRequest{Cluster: aws.String("other"), TaskDefinition: aws.String("plain")})
	w.advance(time.Minute)
	_, err := w.ecs.ExecuteCommand(&ExecuteCommandRequest{Cluster: aws.String("other"), Task: run.Tasks[0].TaskArn, Command: aws.String("ls"), Interactive: aws.Bool(true)})
	wantAWSError(t, err, "InvalidParameterException", "The execute command failed because execute command was not enabled when the task was run or the execute command agent isn’t running. Wait and try again or run a new task with execute command enabled and try again.")
}

func TestKillOneStopsTheTask(t *testing.T) {
	w, _, tasks := execWorld(t, execPolicy)
	w.ok(w.ecs.ExecuteCommand(&ExecuteCommandRequest{Cluster: aws.String("demo"), Task: aws.String(tasks[0].arn), Command: aws.String("kill 1"), Interactive: aws.Bool(true)}))
	w.advance(time.Minute)
	task := w.describeTask("demo", tasks[0].arn)
	if aws.ToString(task.LastStatus) != "STOPPED" || aws.ToInt(task.Containers[0].ExitCode) != 143 {
		t.Errorf("after kill 1: %s exit %v", aws.ToString(task.LastStatus), task.Containers[0].ExitCode)
	}
	if d := w.describeService("web"); aws.ToInt(d.RunningCount)+aws.ToInt(d.PendingCount) != 2 {
		t.Errorf("the service did not replace the killed task")
	}
}
