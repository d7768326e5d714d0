package ecs

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// seedRequest reads testdata/seed-task-definition.json (a task definition
// as AWS returned it) and drops the members AWS computes, leaving what the
// user registered.
func seedRequest(t *testing.T) (*RegisterTaskDefinitionRequest, *TaskDefinition) {
	t.Helper()
	b, err := os.ReadFile("testdata/seed-task-definition.json")
	if err != nil {
		t.Fatal(err)
	}
	var seed TaskDefinition
	if err := json.Unmarshal(b, &seed); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"compatibilities", "registeredAt", "registeredBy", "requiresAttributes", "revision", "status", "taskDefinitionArn", "tags", "deregisteredAt"} {
		delete(m, k)
	}
	b, _ = json.Marshal(m)
	var in RegisterTaskDefinitionRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		t.Fatal(err)
	}
	return &in, &seed
}

func TestSeedTaskDefinition(t *testing.T) {
	in, seed := seedRequest(t)
	e := newTestECS()
	td := mustRegister(t, e, in)
	if !reflect.DeepEqual(td.Compatibilities, seed.Compatibilities) {
		t.Errorf("compatibilities = %v, seed has %v", td.Compatibilities, seed.Compatibilities)
	}
	if got, want := attrNames(td.RequiresAttributes), attrNames(seed.RequiresAttributes); !reflect.DeepEqual(got, want) {
		t.Errorf("requiresAttributes =\n%v\nseed has\n%v", got, want)
	}
	// Everything the user sent comes back as the seed shows it.
	got, want := clone(*td), clone(*seed)
	for _, x := range []*TaskDefinition{&got, &want} {
		x.TaskDefinitionArn, x.Revision, x.RegisteredAt, x.RegisteredBy = nil, nil, nil, nil
	}
	gj, _ := json.MarshalIndent(got, "", " ")
	wj, _ := json.MarshalIndent(want, "", " ")
	if string(gj) != string(wj) {
		t.Errorf("registered seed differs:\n%s\nwant\n%s", gj, wj)
	}
	if *td.TaskDefinitionArn != "arn:aws:ecs:us-east-1:123456789012:task-definition/ecs-td:1" || *td.Revision != 1 {
		t.Errorf("arn %s revision %d", *td.TaskDefinitionArn, *td.Revision)
	}
	if *td.RegisteredBy != "arn:aws:iam::123456789012:root" || td.RegisteredAt.String() != "2025-01-01T00:00:00.000Z" {
		t.Errorf("registeredBy %s at %s", *td.RegisteredBy, td.RegisteredAt)
	}
}

func attrNames(as []Attribute) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, *a.Name)
	}
	return out
}

func TestRequiresAttributesSamples(t *testing.T) {
	// Bridge definitions from the ecs-workshop samples (real
	// RegisterTaskDefinition output): one with an execution role and ulimits,
	// one without either. Compatibilities there were ["EC2"] and
	// ["EXTERNAL","EC2"].
	awslogs := &LogConfiguration{LogDriver: aws.String("awslogs"), Options: map[string]string{"awslogs-create-group": "true", "awslogs-group": "/ecs/x", "awslogs-region": "us-east-1"}}
	image := "123456789012.dkr.ecr.us-east-1.amazonaws.com/cats:latest"
	withExec := &RegisterTaskDefinitionRequest{
		Family: aws.String("catsdef"), NetworkMode: aws.String("bridge"), Cpu: aws.String("512"), Memory: aws.String("1024"),
		ExecutionRoleArn:        aws.String("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
		RequiresCompatibilities: []string{"EC2"},
		ContainerDefinitions: []ContainerDefinition{{Name: aws.String("cats"), Image: aws.String(image),
			Ulimits: []Ulimit{}, LogConfiguration: awslogs}},
	}
	td := mustRegister(t, newTestECS(), withExec)
	want := []string{"com.amazonaws.ecs.capability.logging-driver.awslogs", "ecs.capability.execution-role-awslogs",
		"com.amazonaws.ecs.capability.ecr-auth", "com.amazonaws.ecs.capability.docker-remote-api.1.19",
		"ecs.capability.execution-role-ecr-pull", "com.amazonaws.ecs.capability.docker-remote-api.1.18",
		"com.amazonaws.ecs.capability.docker-remote-api.1.29"}
	if got := attrNames(td.RequiresAttributes); !reflect.DeepEqual(got, want) {
		t.Errorf("with execution role: %v\nwant %v", got, want)
	}
	if !reflect.DeepEqual(td.Compatibilities, []string{"EC2"}) {
		t.Errorf("with execution role: compatibilities %v", td.Compatibilities)
	}

	plain := clone(*withExec)
	plain.ExecutionRoleArn = nil
	plain.ContainerDefinitions[0].Ulimits = nil
	td = mustRegister(t, newTestECS(), &plain)
	want = []string{"com.amazonaws.ecs.capability.logging-driver.awslogs", "com.amazonaws.ecs.capability.ecr-auth",
		"com.amazonaws.ecs.capability.docker-remote-api.1.19", "com.amazonaws.ecs.capability.docker-remote-api.1.29"}
	if got := attrNames(td.RequiresAttributes); !reflect.DeepEqual(got, want) {
		t.Errorf("plain: %v\nwant %v", got, want)
	}
	if !reflect.DeepEqual(td.Compatibilities, []string{"EXTERNAL", "EC2"}) {
		t.Errorf("plain: compatibilities %v", td.Compatibilities)
	}
}

func TestOtherRequiredAttributes(t *testing.T) {
	in := ec2Request("x")
	in.NetworkMode = aws.String("host")
	in.TaskRoleArn = aws.String("arn:aws:iam::123456789012:role/task")
	in.PidMode = aws.String("task")
	in.ProxyConfiguration = &ProxyConfiguration{ContainerName: aws.String("app")}
	in.Volumes = []Volume{
		{Name: aws.String("e"), EfsVolumeConfiguration: &EFSVolumeConfiguration{FileSystemId: aws.String("fs-1"), AuthorizationConfig: &EFSAuthorizationConfig{}}},
		{Name: aws.String("d"), DockerVolumeConfiguration: &DockerVolumeConfiguration{}},
	}
	c := &in.ContainerDefinitions[0]
	c.HealthCheck = &HealthCheck{Command: []string{"CMD", "true"}}
	c.DependsOn = []ContainerDependency{{ContainerName: aws.String("app"), Condition: aws.String("START")}}
	c.Secrets = []Secret{{Name: aws.String("A"), ValueFrom: aws.String("arn:aws:ssm:us-east-1:123456789012:parameter/a")},
		{Name: aws.String("B"), ValueFrom: aws.String("arn:aws:secretsmanager:us-east-1:123456789012:secret:b")}}
	c.EnvironmentFiles = []EnvironmentFile{{Type: aws.String("s3"), Value: aws.String("arn:aws:s3:::b/env")}}
	c.Privileged = aws.Bool(true)
	c.FirelensConfiguration = &FirelensConfiguration{Type: aws.String("fluentbit")}
	c.LogConfiguration = &LogConfiguration{LogDriver: aws.String("fluentd")}
	td := mustRegister(t, newTestECS(), in)
	want := []string{"com.amazonaws.ecs.capability.logging-driver.fluentd", "com.amazonaws.ecs.capability.task-iam-role",
		"com.amazonaws.ecs.capability.task-iam-role-network-host", "ecs.capability.container-health-check",
		"ecs.capability.container-ordering", "ecs.capability.secrets.ssm.environment-variables",
		"ecs.capability.secrets.asm.environment-variables", "ecs.capability.env-files.s3",
		"com.amazonaws.ecs.capability.privileged-container", "ecs.capability.firelens.fluentbit",
		"ecs.capability.pid-ipc-namespace-sharing", "ecs.capability.aws-appmesh", "ecs.capability.efs",
		"ecs.capability.efsAuth", "ecs.capability.docker-plugin.local", "com.amazonaws.ecs.capability.docker-remote-api.1.25"}
	if got := attrNames(td.RequiresAttributes); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	if !reflect.DeepEqual(td.Compatibilities, []string{"EC2"}) {
		t.Errorf("compatibilities %v", td.Compatibilities)
	}
}

func TestNormalisation(t *testing.T) {
	for _, tt := range []struct{ cpu, mem, wantCPU, wantMem string }{
		{"1 vCPU", "2 GB", "1024", "2048"},
		{"0.5 vcpu", "2GB", "512", "2048"},
		{"0.25 vCPU", "0.5GB", "256", "512"},
		{"1024", "3072", "1024", "3072"},
		{"2 VCPU", "4gb", "2048", "4096"},
	} {
		td := mustRegister(t, newTestECS(), fargateRequest("n", tt.cpu, tt.mem))
		if *td.Cpu != tt.wantCPU || *td.Memory != tt.wantMem {
			t.Errorf("%q/%q -> %s/%s, want %s/%s", tt.cpu, tt.mem, *td.Cpu, *td.Memory, tt.wantCPU, tt.wantMem)
		}
	}
}

func TestContainerDefaultsAsAWSReturnsThem(t *testing.T) {
	// examples-1.json RegisterTaskDefinition: sleep360, taskRoleArn "".
	in := &RegisterTaskDefinitionRequest{
		Family:      aws.String("sleep360"),
		TaskRoleArn: aws.String(""),
		Volumes:     []Volume{},
		ContainerDefinitions: []ContainerDefinition{{Name: aws.String("sleep"), Command: []string{"sleep", "360"},
			Cpu: aws.Int(10), Essential: aws.Bool(true), Image: aws.String("busybox"), Memory: aws.Int(10)}},
	}
	td := mustRegister(t, newTestECS(), in)
	b, _ := json.Marshal(td.ContainerDefinitions)
	want := `[{"name":"sleep","image":"busybox","cpu":10,"memory":10,"portMappings":[],"essential":true,"command":["sleep","360"],"environment":[],"mountPoints":[],"volumesFrom":[],"systemControls":[]}]`
	if string(b) != want {
		t.Errorf("containers\n%s\nwant\n%s", b, want)
	}
	if td.TaskRoleArn != nil || *td.NetworkMode != "bridge" || td.Volumes == nil || td.PlacementConstraints == nil || td.RequiresCompatibilities != nil {
		t.Errorf("task defaults: %+v", td)
	}

	// Bare container: cpu 0, essential true.
	td = mustRegister(t, newTestECS(), ec2Request("x"))
	c := td.ContainerDefinitions[0]
	if *c.Cpu != 0 || !*c.Essential || c.Ulimits != nil || c.EnvironmentFiles != nil {
		t.Errorf("container defaults: %+v", c)
	}
}

func TestPortMappingDefaults(t *testing.T) {
	for _, tt := range []struct {
		mode     string
		hostPort *int
		want     int
	}{
		{"bridge", nil, 0},
		{"bridge", aws.Int(8080), 8080},
		{"host", nil, 80},
		{"awsvpc", nil, 80},
		{"awsvpc", aws.Int(80), 80},
	} {
		in := ec2Request("p")
		in.NetworkMode = aws.String(tt.mode)
		in.ContainerDefinitions[0].PortMappings = []PortMapping{{ContainerPort: aws.Int(80), HostPort: tt.hostPort}}
		td := mustRegister(t, newTestECS(), in)
		pm := td.ContainerDefinitions[0].PortMappings[0]
		if *pm.HostPort != tt.want || *pm.Protocol != "tcp" {
			t.Errorf("%s %v: hostPort %d protocol %s", tt.mode, tt.hostPort, *pm.HostPort, *pm.Protocol)
		}
	}
}

func TestFargateHasNoDefaultNetworkModeButWindowsEC2Neither(t *testing.T) {
	in := ec2Request("w")
	in.RuntimePlatform = &RuntimePlatform{OperatingSystemFamily: aws.String(OSFamilyWINDOWSSERVER2019FULL)}
	if td := mustRegister(t, newTestECS(), in); td.NetworkMode != nil {
		t.Errorf("windows networkMode = %s", *td.NetworkMode)
	}
}

func TestRevisionsAndReferences(t *testing.T) {
	e := newTestECS()
	for i := 1; i <= 3; i++ {
		td := mustRegister(t, e, ec2Request("web"))
		if *td.Revision != i {
			t.Fatalf("revision %d, want %d", *td.Revision, i)
		}
	}
	mustRegister(t, e, ec2Request("api"))
	for ref, want := range map[string]int{
		"web":   3,
		"web:2": 2,
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:1": 1,
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web":   3,
	} {
		out, err := e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String(ref)})
		if err != nil || *out.TaskDefinition.Revision != want {
			t.Errorf("%s: %v %v", ref, out, err)
		}
	}
	for _, ref := range []string{"", "nope", "web:4", "web:0", "web:x", "web:-1", "web:+1",
		"arn:aws:ecs:eu-west-1:123456789012:task-definition/web:1", "arn:aws:ecs:us-east-1:123456789012:cluster/web"} {
		_, err := e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String(ref)})
		wantAWSError(t, err, "ClientException", "Unable to describe task definition.")
	}

	// Deregister the latest: the family now means revision 2; revision 3 stays describable.
	dr, err := e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:3")})
	if err != nil || *dr.TaskDefinition.Status != "INACTIVE" || dr.TaskDefinition.DeregisteredAt == nil {
		t.Fatalf("deregister: %+v %v", dr, err)
	}
	out, _ := e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String("web")})
	if *out.TaskDefinition.Revision != 2 {
		t.Errorf("latest ACTIVE = %d", *out.TaskDefinition.Revision)
	}
	out, _ = e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String("web:3")})
	if *out.TaskDefinition.Status != "INACTIVE" {
		t.Errorf("web:3 status %s", *out.TaskDefinition.Status)
	}
	// Revisions are never reused.
	if td := mustRegister(t, e, ec2Request("web")); *td.Revision != 4 {
		t.Errorf("next revision %d", *td.Revision)
	}

	// Resolver for RunTask/CreateService.
	if td, err := e.taskDefinitionForUse("web"); err != nil || *td.Revision != 4 {
		t.Errorf("for use web: %v %v", td, err)
	}
	_, err = e.taskDefinitionForUse("web:3")
	wantAWSError(t, err, "ClientException", "TaskDefinition is inactive")
	_, err = e.taskDefinitionForUse("db")
	wantAWSError(t, err, "ClientException", "TaskDefinition not found.")
}

func TestDeregisterRefusals(t *testing.T) {
	e := newTestECS()
	mustRegister(t, e, ec2Request("web"))
	_, err := e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web")})
	wantAWSError(t, err, "ClientException", "Invalid revision number. Specify the task definition as family:revision or as its full ARN.")
	_, err = e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:9")})
	wantAWSError(t, err, "ClientException", "Unable to deregister task definition.")
	_, err = e.DeregisterTaskDefinition(nil)
	wantAWSError(t, err, "ClientException", "Unable to deregister task definition.")
	// Twice is fine and keeps the first deregisteredAt.
	a, _ := e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:1")})
	b, err := e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:1")})
	if err != nil || a.TaskDefinition.DeregisteredAt.String() != b.TaskDefinition.DeregisteredAt.String() {
		t.Errorf("second deregister: %v", err)
	}
	e.DeleteTaskDefinitions(&DeleteTaskDefinitionsRequest{TaskDefinitions: []string{"web:1"}})
	_, err = e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:1")})
	wantAWSError(t, err, "ClientException", "The task definition could not be deregistered because it is being deleted.")
}

func TestDeleteTaskDefinitions(t *testing.T) {
	e := newTestECS()
	mustRegister(t, e, ec2Request("web"))
	mustRegister(t, e, ec2Request("web"))
	e.DeregisterTaskDefinition(&DeregisterTaskDefinitionRequest{TaskDefinition: aws.String("web:1")})
	out, err := e.DeleteTaskDefinitions(&DeleteTaskDefinitionsRequest{TaskDefinitions: []string{
		"arn:aws:ecs:us-east-1:123456789012:task-definition/web:1", "web:2", "web", "web:7",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.TaskDefinitions) != 1 || *out.TaskDefinitions[0].Status != "DELETE_IN_PROGRESS" || out.TaskDefinitions[0].DeleteRequestedAt == nil {
		t.Errorf("deleted %+v", out.TaskDefinitions)
	}
	b, _ := json.Marshal(out.Failures)
	want := `[{"arn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:2","reason":"The specified task definition is still in ACTIVE status. Please deregister the target and try again."},` +
		`{"arn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web","reason":"The specified task definition does not have a revision. Specify family:revision or the full ARN."},` +
		`{"arn":"arn:aws:ecs:us-east-1:123456789012:task-definition/web:7","reason":"The specified task definition does not exist."}]`
	if string(b) != want {
		t.Errorf("failures\n%s\nwant\n%s", b, want)
	}
	// The revision number is kept: the next registration is 3.
	if td := mustRegister(t, e, ec2Request("web")); *td.Revision != 3 {
		t.Errorf("revision after delete = %d", *td.Revision)
	}
	_, err = e.DeleteTaskDefinitions(&DeleteTaskDefinitionsRequest{TaskDefinitions: make([]string, 11)})
	wantAWSError(t, err, "InvalidParameterException", "taskDefinitions can have at most 10 items.")
	if _, err := e.DeleteTaskDefinitions(nil); err != nil {
		t.Error(err)
	}
}

func TestTagsOnlyWithInclude(t *testing.T) {
	e := newTestECS()
	in := ec2Request("t")
	in.Tags = []Tag{{Key: aws.String("team"), Value: aws.String("a")}}
	reg, _ := e.RegisterTaskDefinition(in)
	if len(reg.Tags) != 1 {
		t.Errorf("register tags %v", reg.Tags)
	}
	out, _ := e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String("t")})
	if out.Tags != nil {
		t.Errorf("tags without include: %v", out.Tags)
	}
	out, _ = e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String("t"), Include: []string{"TAGS"}})
	if len(out.Tags) != 1 || *out.Tags[0].Key != "team" {
		t.Errorf("tags with include: %v", out.Tags)
	}
	_, err := e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String("t"), Include: []string{"SETTINGS"}})
	wantAWSError(t, err, "InvalidParameterException", "1 validation error detected: Value 'SETTINGS' at 'include.member' failed to satisfy constraint: Member must satisfy enum value set: [TAGS]")
}

func TestStoredDefinitionIsACopy(t *testing.T) {
	e := newTestECS()
	in := ec2Request("c")
	td := mustRegister(t, e, in)
	in.ContainerDefinitions[0].Image = aws.String("changed")
	td.ContainerDefinitions[0].Name = aws.String("changed")
	out, _ := e.DescribeTaskDefinition(&DescribeTaskDefinitionRequest{TaskDefinition: aws.String("c:1")})
	if c := out.TaskDefinition.ContainerDefinitions[0]; *c.Image != "nginx" || *c.Name != "app" {
		t.Errorf("stored definition changed: %+v", c)
	}
}
