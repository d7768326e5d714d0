package ecs

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

func webTask(memory int, ports ...PortMapping) *RegisterTaskDefinitionRequest {
	return &RegisterTaskDefinitionRequest{
		Family: aws.String("web"),
		ContainerDefinitions: []ContainerDefinition{{
			Name: aws.String("web"), Image: aws.String("nginx"), Memory: aws.Int(memory), PortMappings: ports,
		}},
	}
}

func statusOf(w *world, arn string) string {
	return aws.ToString(w.describeTask("demo", arn).LastStatus)
}

func TestRunTaskLifecycleOnEC2(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "t3.medium")
	w.register(webTask(256))
	start := w.sim.Now()
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	if len(out.Tasks) != 1 || len(out.Failures) != 0 {
		t.Fatalf("RunTask = %+v", out)
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	if !strings.HasPrefix(arn, "arn:aws:ecs:us-east-1:123456789012:task/demo/") || len(arn[strings.LastIndex(arn, "/")+1:]) != 32 {
		t.Errorf("task ARN %s", arn)
	}
	task := out.Tasks[0]
	if aws.ToString(task.LastStatus) != "PENDING" || aws.ToString(task.DesiredStatus) != "RUNNING" || aws.ToString(task.Group) != "family:web" || aws.ToString(task.LaunchType) != "EC2" {
		t.Errorf("new task: %s/%s group %s launch %s", aws.ToString(task.LastStatus), aws.ToString(task.DesiredStatus), aws.ToString(task.Group), aws.ToString(task.LaunchType))
	}
	// The first pull on the instance takes imagePullTime, then the start.
	w.advance(imagePullTime + containerStartTime - time.Millisecond)
	if got := statusOf(w, arn); got != "PENDING" {
		t.Fatalf("status %s before the containers started", got)
	}
	w.advance(time.Millisecond)
	task = w.describeTask("demo", arn)
	if aws.ToString(task.LastStatus) != "RUNNING" || !task.StartedAt.Equal(start.Add(imagePullTime+containerStartTime)) {
		t.Fatalf("status %s, startedAt %v", aws.ToString(task.LastStatus), task.StartedAt)
	}
	if task.PullStartedAt == nil || task.PullStoppedAt == nil || task.Containers[0].RuntimeId == nil || aws.ToString(task.Containers[0].LastStatus) != "RUNNING" {
		t.Errorf("running task lacks pull times or container runtime: %+v", task)
	}
	// A second task of the same image starts from the instance's cache.
	second := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web")})
	w.advance(cachedPullTime + containerStartTime)
	if got := statusOf(w, aws.ToString(second.Tasks[0].TaskArn)); got != "RUNNING" {
		t.Errorf("second task with a cached image is %s", got)
	}
	counts := w.ecs.clusters["demo"].counts()
	if counts.running[launchEC2] != 2 {
		t.Errorf("cluster counts %d running EC2 tasks, want 2", counts.running[launchEC2])
	}
}

func TestRunTaskRefusals(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")}))
	w.register(webTask(256))
	w.register(fargateRequest("fg", "256", "512"))
	const IPE = "InvalidParameterException"
	cases := []struct {
		name string
		in   RunTaskRequest
		code string
		msg  string
	}{
		{"empty cluster", RunTaskRequest{TaskDefinition: aws.String("web")}, IPE, "No Container Instances were found in your cluster."},
		{"count", RunTaskRequest{TaskDefinition: aws.String("web"), Count: aws.Int(11)}, IPE, "count must be between 1 and 10."},
		{"no cluster", RunTaskRequest{Cluster: aws.String("nope"), TaskDefinition: aws.String("web")}, "ClusterNotFoundException", "Cluster not found."},
		{"launch type and strategy", RunTaskRequest{TaskDefinition: aws.String("web"), LaunchType: aws.String("EC2"),
			CapacityProviderStrategy: []CapacityProviderStrategyItem{{CapacityProvider: aws.String("FARGATE")}}},
			IPE, "Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again."},
		{"fargate on an EC2 definition", RunTaskRequest{TaskDefinition: aws.String("web"), LaunchType: aws.String("FARGATE")}, IPE, "Task definition does not support launch_type FARGATE."},
		{"awsvpc without network configuration", RunTaskRequest{TaskDefinition: aws.String("fg"), LaunchType: aws.String("FARGATE")}, IPE,
			"Network Configuration must be provided when networkMode 'awsvpc' is specified."},
		{"network configuration in bridge mode", RunTaskRequest{TaskDefinition: aws.String("web"),
			NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{"subnet-1"}}}}, IPE,
			"Network Configuration is not valid for the given networkMode of this task definition."},
		{"unknown subnet", RunTaskRequest{TaskDefinition: aws.String("fg"), LaunchType: aws.String("FARGATE"),
			NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{"subnet-0000000000000000a"}}}}, IPE,
			"Error retrieving subnet information for [subnet-0000000000000000a]: The subnet ID 'subnet-0000000000000000a' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)"},
		{"maxPods", RunTaskRequest{TaskDefinition: aws.String("web"), PlacementConstraints: []PlacementConstraint{{Type: aws.String("maxPods"), Expression: aws.String("3")}}}, IPE,
			"1 validation error detected: Value 'maxPods' at 'placementConstraints.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [distinctInstance, memberOf]"},
		{"unknown task definition", RunTaskRequest{TaskDefinition: aws.String("nope")}, "ClientException", "TaskDefinition not found."},
	}
	for _, c := range cases {
		in := c.in
		if in.Cluster == nil {
			in.Cluster = aws.String("demo")
		}
		_, err := w.ecs.RunTask(&in)
		t.Run(c.name, func(t *testing.T) { wantAWSError(t, err, c.code, c.msg) })
	}
}

func TestPlacementFailuresAndExplanation(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 2, "t3.medium")
	w.register(webTask(3000))
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), Count: aws.Int(3)})
	if len(out.Tasks) != 2 {
		t.Fatalf("%d tasks placed, want 2 (one per t3.medium)", len(out.Tasks))
	}
	if len(out.Failures) != 2 {
		t.Fatalf("failures %+v, want one per container instance", out.Failures)
	}
	for _, f := range out.Failures {
		if aws.ToString(f.Reason) != "RESOURCE:MEMORY" || !strings.Contains(aws.ToString(f.Arn), ":container-instance/demo/") {
			t.Errorf("failure %s %s", aws.ToString(f.Arn), aws.ToString(f.Reason))
		}
	}
	text, ok := w.ecs.Explain("")
	if !ok || !strings.Contains(text, "RESOURCE:MEMORY") || !strings.Contains(text, "needs 3000 MiB") {
		t.Errorf("explanation of the failed placement:\n%s", text)
	}
	if text, ok := w.ecs.Explain(aws.ToString(out.Tasks[0].TaskArn)); !ok || text == "" {
		t.Error("no explanation for a placed task")
	}
}

func TestBridgeDynamicAndStaticPorts(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "m5.large")
	w.register(webTask(128, PortMapping{ContainerPort: aws.Int(80)}))
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), Count: aws.Int(3)})
	for i, task := range out.Tasks {
		b := task.Containers[0].NetworkBindings[0]
		if aws.ToInt(b.HostPort) != ephemeralPortLow+i || aws.ToInt(b.ContainerPort) != 80 || aws.ToString(b.Protocol) != "tcp" {
			t.Errorf("task %d binding %+v, want host port %d", i, b, ephemeralPortLow+i)
		}
	}
	static := webTask(128, PortMapping{ContainerPort: aws.Int(80), HostPort: aws.Int(8080)})
	static.Family = aws.String("static")
	w.register(static)
	out = w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("static"), Count: aws.Int(2)})
	if len(out.Tasks) != 1 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:PORTS" {
		t.Fatalf("two tasks wanting host port 8080 on one instance: %d placed, failures %+v", len(out.Tasks), out.Failures)
	}
	ci := w.ecs.clusters["demo"].instances[0].describe(false)
	if got := strings.Join(ci.RemainingResources[2].StringSetValue, ","); got != "22,2375,2376,51678,51679,8080" {
		t.Errorf("remaining PORTS %s: the static port, not the dynamic ones, should be listed", got)
	}
	// Reserved ports are taken too.
	ssh := webTask(128, PortMapping{ContainerPort: aws.Int(22), HostPort: aws.Int(22)})
	ssh.Family = aws.String("ssh")
	w.register(ssh)
	out = w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("ssh")})
	if len(out.Tasks) != 0 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:PORTS" {
		t.Errorf("a task on the reserved port 22 was placed")
	}
}

func TestAwsvpcOnEC2UsesENIs(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "t3.medium") // 3 ENIs: 2 awsvpc tasks
	subnet := w.ecs.clusters["demo"].instances[0].subnetID
	td := webTask(256, PortMapping{ContainerPort: aws.Int(80)})
	td.NetworkMode = aws.String("awsvpc")
	w.register(td)
	nc := &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{subnet}}}
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), Count: aws.Int(3), NetworkConfiguration: nc})
	if len(out.Tasks) != 2 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "RESOURCE:ENI" {
		t.Fatalf("%d placed, failures %+v; want 2 and RESOURCE:ENI", len(out.Tasks), out.Failures)
	}
	task := out.Tasks[0]
	if aws.ToString(task.LastStatus) != "PROVISIONING" || len(task.Attachments) != 1 || aws.ToString(task.Attachments[0].Type) != "ElasticNetworkInterface" {
		t.Fatalf("awsvpc task %s with attachments %+v", aws.ToString(task.LastStatus), task.Attachments)
	}
	ip := aws.ToString(task.Containers[0].NetworkInterfaces[0].PrivateIpv4Address)
	if !strings.HasPrefix(ip, "172.31.") {
		t.Errorf("task IP %s", ip)
	}
	sn, _ := w.ec2.Subnet(subnet)
	before := sn.AvailableIPs
	w.advance(time.Minute)
	enis := must2(w.ec2.DescribeNetworkInterfaces(&ec2.DescribeNetworkInterfacesRequest{Filters: []ec2.Filter{{Name: aws.String("private-ip-address"), Values: []string{ip}}}}))
	if n := enis.NetworkInterfaces; len(n) != 1 || aws.ToString(n[0].Status) != "in-use" || n[0].Attachment == nil ||
		aws.ToString(n[0].Attachment.InstanceId) != w.ecs.clusters["demo"].instances[0].ec2ID || aws.ToInt(n[0].Attachment.DeviceIndex) != 1 {
		t.Errorf("the running task's ENI in EC2: %+v", n)
	}
	w.ok(w.ecs.StopTask(&StopTaskRequest{Cluster: aws.String("demo"), Task: task.TaskArn}))
	w.advance(time.Minute)
	sn, _ = w.ec2.Subnet(subnet)
	if sn.AvailableIPs != before+1 {
		t.Errorf("the stopped task's IP was not returned to the subnet: %d free, was %d", sn.AvailableIPs, before)
	}
	// A subnet in another AZ than the instance: LOCATION.
	var other string
	for _, s := range w.ec2.DefaultSubnets() {
		if s.ID != subnet {
			other = s.ID
		}
	}
	out = w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"),
		NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: []string{other}}}})
	if len(out.Tasks) != 0 || aws.ToString(out.Failures[0].Reason) != "LOCATION" {
		t.Errorf("task for a subnet in another AZ: placed %d, failures %+v", len(out.Tasks), out.Failures)
	}
}

func TestFargateTasksSpreadOverAZs(t *testing.T) {
	w := newWorld(t)
	w.ok(w.ecs.CreateCluster(&CreateClusterRequest{ClusterName: aws.String("demo")}))
	w.register(fargateRequest("fg", "256", "512"))
	var subnets []string
	for _, s := range w.ec2.DefaultSubnets() {
		subnets = append(subnets, s.ID)
	}
	out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("fg"), LaunchType: aws.String("FARGATE"), Count: aws.Int(6),
		NetworkConfiguration: &NetworkConfiguration{AwsvpcConfiguration: &AwsVpcConfiguration{Subnets: subnets}}})
	perAZ := map[string]int{}
	for _, task := range out.Tasks {
		perAZ[aws.ToString(task.AvailabilityZone)]++
		if aws.ToString(task.PlatformVersion) != "1.4.0" || task.ContainerInstanceArn != nil || aws.ToString(task.LastStatus) != "PROVISIONING" {
			t.Errorf("fargate task: platform %s, instance %v, status %s", aws.ToString(task.PlatformVersion), task.ContainerInstanceArn, aws.ToString(task.LastStatus))
		}
	}
	if len(perAZ) != 3 || perAZ["us-east-1a"] != 2 || perAZ["us-east-1b"] != 2 || perAZ["us-east-1c"] != 2 {
		t.Errorf("tasks per AZ %v, want 2 in each of three", perAZ)
	}
	w.advance(fargateProvisionTime + imagePullTime + containerStartTime)
	if got := statusOf(w, aws.ToString(out.Tasks[0].TaskArn)); got != "RUNNING" {
		t.Errorf("fargate task %s after provisioning, pull and start", got)
	}
}

func TestStopCodesAndExitCodes(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "m5.large")
	register := func(family string, containers ...ContainerDefinition) {
		w.register(&RegisterTaskDefinitionRequest{Family: aws.String(family), ContainerDefinitions: containers})
	}
	cmd := func(name string, essential bool, command ...string) ContainerDefinition {
		return ContainerDefinition{Name: aws.String(name), Image: aws.String("busybox"), Memory: aws.Int(64), Essential: aws.Bool(essential), Command: command}
	}
	register("server", cmd("app", true))
	register("sleeper", cmd("app", true, "sleep", "3600"))
	register("job", cmd("app", true, "sh", "-c", "exit 3"))
	register("sidecar", cmd("app", true), cmd("init", false, "true"))
	run := func(family string) string {
		return aws.ToString(w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String(family)}).Tasks[0].TaskArn)
	}
	server, sleeper, job, sidecar := run("server"), run("sleeper"), run("job"), run("sidecar")
	w.advance(time.Minute)
	if task := w.describeTask("demo", job); aws.ToString(task.LastStatus) != "STOPPED" || aws.ToString(task.StopCode) != "EssentialContainerExited" ||
		aws.ToString(task.StoppedReason) != "Essential container in task exited" || aws.ToInt(task.Containers[0].ExitCode) != 3 {
		t.Errorf("job: %s %s %q exit %v", aws.ToString(task.LastStatus), aws.ToString(task.StopCode), aws.ToString(task.StoppedReason), task.Containers[0].ExitCode)
	}
	if task := w.describeTask("demo", sidecar); aws.ToString(task.LastStatus) != "RUNNING" || aws.ToString(task.Containers[1].LastStatus) != "STOPPED" {
		t.Errorf("a non-essential container's exit stopped the task: %s", aws.ToString(task.LastStatus))
	}
	for _, arn := range []string{server, sleeper} {
		w.ok(w.ecs.StopTask(&StopTaskRequest{Cluster: aws.String("demo"), Task: aws.String(arn), Reason: aws.String("scaling down")}))
	}
	w.advance(2 * time.Second)
	if task := w.describeTask("demo", server); aws.ToString(task.LastStatus) != "STOPPED" || aws.ToInt(task.Containers[0].ExitCode) != 0 ||
		aws.ToString(task.StopCode) != "UserInitiated" || aws.ToString(task.StoppedReason) != "scaling down" {
		t.Errorf("server after SIGTERM: %s exit %v %s %q", aws.ToString(task.LastStatus), task.Containers[0].ExitCode, aws.ToString(task.StopCode), aws.ToString(task.StoppedReason))
	}
	// sleep as PID 1 ignores SIGTERM: SIGKILL after the 30 s stop timeout.
	if got := statusOf(w, sleeper); got != "STOPPING" {
		t.Errorf("sleeper is %s two seconds after SIGTERM, want STOPPING", got)
	}
	w.advance(30 * time.Second)
	if task := w.describeTask("demo", sleeper); aws.ToString(task.LastStatus) != "STOPPED" || aws.ToInt(task.Containers[0].ExitCode) != 137 {
		t.Errorf("sleeper after the stop timeout: %s exit %v", aws.ToString(task.LastStatus), task.Containers[0].ExitCode)
	}
	// Stopped tasks stay visible for an hour, then are MISSING.
	w.advance(time.Hour)
	out, _ := w.ecs.DescribeTasks(&DescribeTasksRequest{Cluster: aws.String("demo"), Tasks: []string{server}})
	if len(out.Tasks) != 0 || len(out.Failures) != 1 || aws.ToString(out.Failures[0].Reason) != "MISSING" || aws.ToString(out.Failures[0].Arn) != server {
		t.Errorf("an hour after stopping: %+v", out)
	}
}

func TestListTasksFilters(t *testing.T) {
	w := newWorld(t)
	w.clusterWith("demo", 1, "m5.large")
	w.register(webTask(64))
	w.register(ec2Request("other"))
	var arns []string
	for i := 0; i < 5; i++ {
		out := w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("web"), StartedBy: aws.String("me")})
		arns = append(arns, aws.ToString(out.Tasks[0].TaskArn))
	}
	w.runTask(&RunTaskRequest{Cluster: aws.String("demo"), TaskDefinition: aws.String("other")})
	w.ok(w.ecs.StopTask(&StopTaskRequest{Cluster: aws.String("demo"), Task: aws.String(arns[0])}))
	list := func(in ListTasksRequest) []string {
		in.Cluster = aws.String("demo")
		out, err := w.ecs.ListTasks(&in)
		if err != nil {
			t.Fatal(err)
		}
		return out.TaskArns
	}
	if got := list(ListTasksRequest{}); len(got) != 5 {
		t.Errorf("running (desired) tasks: %d, want 5", len(got))
	}
	if got := list(ListTasksRequest{Family: aws.String("web")}); len(got) != 4 || got[0] != arns[1] {
		t.Errorf("family web: %v", got)
	}
	if got := list(ListTasksRequest{DesiredStatus: aws.String("STOPPED")}); len(got) != 1 || got[0] != arns[0] {
		t.Errorf("stopped: %v", got)
	}
	if got := list(ListTasksRequest{StartedBy: aws.String("me")}); len(got) != 4 {
		t.Errorf("startedBy: %v", got)
	}
	page := must2(w.ecs.ListTasks(&ListTasksRequest{Cluster: aws.String("demo"), MaxResults: aws.Int(2)}))
	rest := must2(w.ecs.ListTasks(&ListTasksRequest{Cluster: aws.String("demo"), MaxResults: aws.Int(10), NextToken: page.NextToken}))
	if len(page.TaskArns) != 2 || len(rest.TaskArns) != 3 || rest.NextToken != nil || rest.TaskArns[0] == page.TaskArns[1] {
		t.Errorf("pages %v then %v", page.TaskArns, rest.TaskArns)
	}
}

func must2[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
