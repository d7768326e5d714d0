package containers_test

import (
	"context"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/containers"
	"github.com/ecsbox/ecsbox/runtime/ecs"
)

// The cost of docker mode: from run_task to RUNNING for a bridge task of
// one container (placement, the task's lifecycle, container create and
// start, the host port read back, the event back into the simulation),
// against creating and starting the same container with the client
// directly. Target: at most 1.3 times the direct time.
//
//	go test ./runtime/containers -run '^$' -bench Docker -benchtime 20x

const benchSetup = `
EC2_TRUST = json.encode({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
iam.create_role(RoleName = "ecsInstanceRole", AssumeRolePolicyDocument = EC2_TRUST)
iam.attach_role_policy(RoleName = "ecsInstanceRole", PolicyArn = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role")
iam.create_instance_profile(InstanceProfileName = "ecsInstanceRole")
iam.add_role_to_instance_profile(InstanceProfileName = "ecsInstanceRole", RoleName = "ecsInstanceRole")
ecs.create_cluster(clusterName = "c")
ami = ssm.get_parameter(Name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id")["Parameter"]["Value"]
ec2.run_instances(ImageId = ami, InstanceType = "m5.xlarge", MinCount = 1, MaxCount = 1, IamInstanceProfile = {"Name": "ecsInstanceRole"},
    UserData = "#!/bin/bash\necho ECS_CLUSTER=c >> /etc/ecs/ecs.config")
assert.true(sim.run_until(lambda: len(ecs.list_container_instances(cluster = "c")["containerInstanceArns"]) == 1, timeout = "90s"))
ecs.register_task_definition(family = "web", containerDefinitions = [{"name": "web", "image": "ecsbox/workload:latest", "memory": 128, "cpu": 128,
    "portMappings": [{"containerPort": 80, "hostPort": 0}]}])
`

func BenchmarkDockerRunTaskToRunning(b *testing.B) {
	requireDocker(b)
	d, err := containers.NewDocker(context.Background(), containers.DockerConfig{WorkloadBinary: binary})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	in, err := builtins.New(builtins.Config{Dir: b.TempDir(), Docker: d, Stdout: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	ctx := context.Background()
	if _, err := in.ExecSource(ctx, "setup.star", []byte(benchSetup)); err != nil {
		b.Fatal(builtins.FormatError(err))
	}
	cloud := in.Cloud()
	status := func(arn string) string {
		res, err := cloud.ECS.DescribeTasks(&ecs.DescribeTasksRequest{Cluster: aws.String("c"), Tasks: []string{arn}})
		if err != nil || len(res.Tasks) == 0 {
			return ""
		}
		return aws.ToString(res.Tasks[0].LastStatus)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := cloud.ECS.RunTask(&ecs.RunTaskRequest{Cluster: aws.String("c"), TaskDefinition: aws.String("web")})
		if err != nil || len(res.Tasks) != 1 {
			b.Fatalf("run_task: %v %v", err, res)
		}
		arn := aws.ToString(res.Tasks[0].TaskArn)
		ok, err := cloud.Sim.RunUntil(ctx, 30*time.Second, func() (bool, error) { return status(arn) == "RUNNING", nil })
		if err != nil || !ok {
			b.Fatalf("task not RUNNING: %v (%s)", err, status(arn))
		}
		b.StopTimer()
		cloud.ECS.StopTask(&ecs.StopTaskRequest{Cluster: aws.String("c"), Task: aws.String(arn)})
		cloud.Sim.RunUntil(ctx, 30*time.Second, func() (bool, error) { return status(arn) == "STOPPED", nil })
		time.Sleep(200 * time.Millisecond) // let the removal finish
		b.StartTimer()
	}
}

func BenchmarkDockerCreateStartDirectly(b *testing.B) {
	requireDocker(b)
	d, err := containers.NewDocker(context.Background(), containers.DockerConfig{WorkloadBinary: binary})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	cli := d.Client()
	ctx := context.Background()
	port := network.MustParsePort("80/tcp")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		created, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{
			Config: &container.Config{Image: containers.WorkloadImage, ExposedPorts: network.PortSet{port: {}},
				Labels: map[string]string{containers.LabelRun: d.RunID()}},
			HostConfig: &container.HostConfig{NetworkMode: "bridge",
				PortBindings: network.PortMap{port: {{HostIP: netip.MustParseAddr("127.0.0.1")}}},
				Resources:    container.Resources{CPUShares: 128, Memory: 128 << 20}},
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		cli.ContainerRemove(ctx, created.ID, client.ContainerRemoveOptions{Force: true})
		time.Sleep(200 * time.Millisecond)
		b.StartTimer()
	}
}
