package ecs

import (
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// TestRegisterRefusals covers every refusal RegisterTaskDefinition emits,
// each from a request that is valid but for one change (the awslogs
// options' refusals are in TestAwslogsOptionRefusals).
func TestRegisterRefusals(t *testing.T) {
	const CE, IPE = "ClientException", "InvalidParameterException"
	c0 := func(in *RegisterTaskDefinitionRequest) *ContainerDefinition { return &in.ContainerDefinitions[0] }
	tests := []struct {
		name   string
		base   func() *RegisterTaskDefinitionRequest
		change func(in *RegisterTaskDefinitionRequest)
		code   string
		msg    string
	}{
		{"blank family", nil, func(in *RegisterTaskDefinitionRequest) { in.Family = aws.String(" ") }, CE, "Family can not be blank."},
		{"missing family", nil, func(in *RegisterTaskDefinitionRequest) { in.Family = nil }, CE, "Family can not be blank."},
		{"long family", nil, func(in *RegisterTaskDefinitionRequest) { in.Family = aws.String(strings.Repeat("f", 256)) }, CE, "Family name must be 255 characters or less."},
		{"family chars", nil, func(in *RegisterTaskDefinitionRequest) { in.Family = aws.String("web.app") }, CE, "Family contains invalid characters."},
		{"no containers", nil, func(in *RegisterTaskDefinitionRequest) { in.ContainerDefinitions = nil }, CE, "Container list cannot be empty."},
		{"11 containers", nil, func(in *RegisterTaskDefinitionRequest) {
			for i := range 10 {
				in.ContainerDefinitions = append(in.ContainerDefinitions, ContainerDefinition{Name: aws.String("c" + string(rune('a'+i))), Image: aws.String("x"), Memory: aws.Int(8)})
			}
		}, CE, "Too many containers."},
		{"bad network mode", nil, func(in *RegisterTaskDefinitionRequest) { in.NetworkMode = aws.String("nat") }, IPE,
			"1 validation error detected: Value 'nat' at 'networkMode' failed to satisfy constraint: Member must satisfy enum value set: [bridge, host, awsvpc, none]"},
		{"bad compatibility", nil, func(in *RegisterTaskDefinitionRequest) { in.RequiresCompatibilities = []string{"LAMBDA"} }, IPE,
			"1 validation error detected: Value 'LAMBDA' at 'requiresCompatibilities.member' failed to satisfy constraint: Member must satisfy enum value set: [EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES]"},
		{"bad pid mode", nil, func(in *RegisterTaskDefinitionRequest) { in.PidMode = aws.String("none") }, IPE,
			"1 validation error detected: Value 'none' at 'pidMode' failed to satisfy constraint: Member must satisfy enum value set: [host, task]"},
		{"bad ipc mode", nil, func(in *RegisterTaskDefinitionRequest) { in.IpcMode = aws.String("shared") }, IPE,
			"1 validation error detected: Value 'shared' at 'ipcMode' failed to satisfy constraint: Member must satisfy enum value set: [host, task, none]"},
		{"bad cpu architecture", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RuntimePlatform = &RuntimePlatform{CpuArchitecture: aws.String("RISCV")}
		}, IPE,
			"1 validation error detected: Value 'RISCV' at 'runtimePlatform.cpuArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [X86_64, ARM64]"},
		{"bad os family", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RuntimePlatform = &RuntimePlatform{OperatingSystemFamily: aws.String("MACOS")}
		}, IPE,
			"1 validation error detected: Value 'MACOS' at 'runtimePlatform.operatingSystemFamily' failed to satisfy constraint: Member must satisfy enum value set: [" + strings.Join(osFamilies, ", ") + "]"},
		{"too many tags", nil, func(in *RegisterTaskDefinitionRequest) {
			for i := range 51 {
				in.Tags = append(in.Tags, Tag{Key: aws.String(strings.Repeat("k", i+1))})
			}
		}, IPE, "Too many tags. A resource can have at most 50 tags."},
		{"empty tag key", nil, func(in *RegisterTaskDefinitionRequest) { in.Tags = []Tag{{Value: aws.String("v")}} }, IPE, "Tag keys must be between 1 and 128 characters."},
		{"long tag value", nil, func(in *RegisterTaskDefinitionRequest) {
			in.Tags = []Tag{{Key: aws.String("k"), Value: aws.String(strings.Repeat("v", 257))}}
		}, IPE, "Tag values must be at most 256 characters."},
		{"aws: tag", nil, func(in *RegisterTaskDefinitionRequest) { in.Tags = []Tag{{Key: aws.String("AWS:owner")}} }, IPE, "Tag keys cannot start with the reserved prefix 'aws:'."},
		{"duplicate tag", nil, func(in *RegisterTaskDefinitionRequest) {
			in.Tags = []Tag{{Key: aws.String("a")}, {Key: aws.String("a")}}
		}, IPE, "Duplicate tag key 'a'. Each tag key must be unique."},
		{"no container name", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Name = nil }, CE, "Container.name should not be null or empty."},
		{"long container name", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Name = aws.String(strings.Repeat("n", 256)) }, CE, "Container.name must be 255 characters or less."},
		{"container name chars", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Name = aws.String("my app") }, CE, "Container.name contains invalid characters."},
		{"blank image", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Image = aws.String("") }, CE, "Container.image should not be null or empty."},
		{"duplicate names", nil, func(in *RegisterTaskDefinitionRequest) {
			in.ContainerDefinitions = append(in.ContainerDefinitions, in.ContainerDefinitions[0])
		}, CE, "Container names must be unique within a Task Definition."},
		{"no essential", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Essential = aws.Bool(false) }, CE, "Task definition doesn't have any essential container."},
		{"hostname with awsvpc", nil, func(in *RegisterTaskDefinitionRequest) {
			in.NetworkMode = aws.String("awsvpc")
			c0(in).Hostname = aws.String("web")
		}, CE, "hostname is not supported on container when networkMode=awsvpc."},
		{"ports with none", nil, func(in *RegisterTaskDefinitionRequest) {
			in.NetworkMode = aws.String("none")
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(80)}}
		}, CE, "Port mappings are not supported when networkMode=none."},
		{"bad protocol", nil, func(in *RegisterTaskDefinitionRequest) {
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(80), Protocol: aws.String("sctp")}}
		}, IPE, "1 validation error detected: Value 'sctp' at 'containerDefinitions.member.portMappings.member.protocol' failed to satisfy constraint: Member must satisfy enum value set: [tcp, udp]"},
		{"container port 0", nil, func(in *RegisterTaskDefinitionRequest) {
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(0)}}
		}, CE, "Invalid 'containerPort' setting for container 'app'."},
		{"container port missing", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).PortMappings = []PortMapping{{HostPort: aws.Int(80)}} }, CE, "Invalid 'containerPort' setting for container 'app'."},
		{"container port 65536", nil, func(in *RegisterTaskDefinitionRequest) {
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(65536)}}
		}, CE, "Invalid 'containerPort' setting for container 'app'."},
		{"host port negative", nil, func(in *RegisterTaskDefinitionRequest) {
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(80), HostPort: aws.Int(-1)}}
		}, CE, "Invalid 'hostPort' setting for container 'app'."},
		{"awsvpc port mismatch", nil, func(in *RegisterTaskDefinitionRequest) {
			in.NetworkMode = aws.String("awsvpc")
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(80), HostPort: aws.Int(8080)}}
		}, CE, "When networkMode=awsvpc, the host ports and container ports in port mappings must match."},
		{"host port mismatch", nil, func(in *RegisterTaskDefinitionRequest) {
			in.NetworkMode = aws.String("host")
			c0(in).PortMappings = []PortMapping{{ContainerPort: aws.Int(80), HostPort: aws.Int(0)}}
		}, CE, "When networkMode=host, the host ports and container ports in port mappings must match."},
		{"port range in host mode", nil, func(in *RegisterTaskDefinitionRequest) {
			in.NetworkMode = aws.String("host")
			c0(in).PortMappings = []PortMapping{{ContainerPortRange: aws.String("8000-8010")}}
		}, CE, "Invalid 'containerPortRange' setting for container 'app'."},
		{"bad port range", nil, func(in *RegisterTaskDefinitionRequest) {
			c0(in).PortMappings = []PortMapping{{ContainerPortRange: aws.String("9000-8000")}}
		}, CE, "Invalid 'containerPortRange' setting for container 'app'."},
		{"bad task cpu", nil, func(in *RegisterTaskDefinitionRequest) { in.Cpu = aws.String("lots") }, CE,
			"Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."},
		{"task cpu below 128", nil, func(in *RegisterTaskDefinitionRequest) { in.Cpu = aws.String("64") }, CE,
			"Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."},
		{"task cpu above 192 vCPU", nil, func(in *RegisterTaskDefinitionRequest) { in.Cpu = aws.String("193 vCPU") }, CE,
			"Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."},
		{"fractional cpu units", nil, func(in *RegisterTaskDefinitionRequest) { in.Cpu = aws.String("0.3 vCPU") }, CE,
			"Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."},
		{"bad task memory", nil, func(in *RegisterTaskDefinitionRequest) { in.Memory = aws.String("2 TB") }, CE,
			"Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide."},
		{"negative container cpu", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Cpu = aws.Int(-1) }, CE, "Invalid 'cpu' setting for container 'app'."},
		{"zero container memory", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Memory = aws.Int(0) }, CE, "Invalid 'memory' setting for container 'app'."},
		{"zero memory reservation", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).MemoryReservation = aws.Int(0) }, CE, "Invalid 'memoryReservation' setting for container 'app'."},
		{"memory below reservation", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).MemoryReservation = aws.Int(256) }, CE,
			"Invalid setting for container 'app'. 'memory' must be greater than or equal to 'memoryReservation'."},
		{"container memory above task", nil, func(in *RegisterTaskDefinitionRequest) { in.Memory = aws.String("64") }, CE,
			"The 'memory' setting for container 'app' is greater than for the task."},
		{"reservations above task", nil, func(in *RegisterTaskDefinitionRequest) {
			in.Memory = aws.String("512")
			c0(in).Memory = nil
			c0(in).MemoryReservation = aws.Int(300)
			in.ContainerDefinitions = append(in.ContainerDefinitions, ContainerDefinition{Name: aws.String("b"), Image: aws.String("x"), MemoryReservation: aws.Int(300)})
		}, CE, "The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'."},
		{"container cpu above task", nil, func(in *RegisterTaskDefinitionRequest) {
			in.Cpu = aws.String("256")
			c0(in).Cpu = aws.Int(200)
			in.ContainerDefinitions = append(in.ContainerDefinitions, ContainerDefinition{Name: aws.String("b"), Image: aws.String("x"), Memory: aws.Int(8), Cpu: aws.Int(100)})
		}, CE, "The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'."},
		{"EC2 needs memory", nil, func(in *RegisterTaskDefinitionRequest) { c0(in).Memory = nil }, CE,
			"Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."},
		{"distinctInstance", nil, func(in *RegisterTaskDefinitionRequest) {
			in.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: aws.String("distinctInstance")}}
		}, CE, "constraint.type 'distinctInstance' is not supported."},
		{"maxPods", nil, func(in *RegisterTaskDefinitionRequest) {
			in.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: aws.String("maxPods"), Expression: aws.String("3")}}
		}, CE, "constraint.type 'maxPods' is not supported."},
		{"memberOf without expression", nil, func(in *RegisterTaskDefinitionRequest) {
			in.PlacementConstraints = []TaskDefinitionPlacementConstraint{{Type: aws.String("memberOf")}}
		}, CE, "constraint.expression must be specified for constraint.type 'memberOf'."},
		{"11 constraints", nil, func(in *RegisterTaskDefinitionRequest) {
			for range 11 {
				in.PlacementConstraints = append(in.PlacementConstraints, TaskDefinitionPlacementConstraint{Type: aws.String("memberOf"), Expression: aws.String("attribute:ecs.os-type == linux")})
			}
		}, CE, "Too many placement constraints. A task can have at most 10."},
		{"ephemeral storage 20", nil, func(in *RegisterTaskDefinitionRequest) {
			in.EphemeralStorage = &EphemeralStorage{SizeInGiB: aws.Int(20)}
		}, CE,
			"The ephemeral storage size must be between 21 and 200 GiB."},
		{"ephemeral storage 201", nil, func(in *RegisterTaskDefinitionRequest) {
			in.EphemeralStorage = &EphemeralStorage{SizeInGiB: aws.Int(201)}
		}, CE,
			"The ephemeral storage size must be between 21 and 200 GiB."},

		// Fargate rules.
		{"fargate without network mode", fargateBase, func(in *RegisterTaskDefinitionRequest) { in.NetworkMode = nil }, CE, "Fargate only supports network mode ‘awsvpc’."},
		{"fargate bridge", fargateBase, func(in *RegisterTaskDefinitionRequest) { in.NetworkMode = aws.String("bridge") }, CE, "Fargate only supports network mode ‘awsvpc’."},
		{"fargate without cpu", fargateBase, func(in *RegisterTaskDefinitionRequest) { in.Cpu = nil }, CE, "Fargate requires that 'cpu' be defined at the task level."},
		{"fargate without memory", fargateBase, func(in *RegisterTaskDefinitionRequest) { in.Memory = nil }, CE, "Fargate requires that 'memory' be defined at the task level."},
		{"fargate ipcMode", fargateBase, func(in *RegisterTaskDefinitionRequest) { in.IpcMode = aws.String("task") }, CE, "Tasks using the Fargate launch type do not support ipcMode."},
		{"fargate pidMode host", fargateBase, func(in *RegisterTaskDefinitionRequest) { in.PidMode = aws.String("host") }, CE,
			"Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'."},
		{"fargate awslogs without execution role", fargateBase, func(in *RegisterTaskDefinitionRequest) {
			c0(in).LogConfiguration = &LogConfiguration{LogDriver: aws.String("awslogs"), Options: awslogsOpts(nil)}
		}, CE, "Fargate requires task definition to have execution role ARN to support log driver awslogs."},
		{"fargate ECR without execution role", fargateBase, func(in *RegisterTaskDefinitionRequest) {
			c0(in).Image = aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1")
		}, CE, "Fargate requires task definition to have execution role ARN to support ECR images."},
		{"fargate stopTimeout 121", fargateBase, func(in *RegisterTaskDefinitionRequest) { c0(in).StopTimeout = aws.Int(121) }, CE,
			"Invalid 'stopTimeout' setting for container 'app'. Tasks using the Fargate launch type support a stopTimeout of at most 120 seconds."},
		{"fargate privileged", fargateBase, func(in *RegisterTaskDefinitionRequest) { c0(in).Privileged = aws.Bool(true) }, CE,
			"Tasks using the Fargate launch type do not support privileged containers."},
		{"fargate and EC2 both checked", fargateBase, func(in *RegisterTaskDefinitionRequest) {
			in.RequiresCompatibilities = []string{"EC2", "FARGATE"}
			in.Memory = nil
		}, CE, "Invalid setting for container 'app'. At least one of 'memory' or 'memoryReservation' must be specified."},

		// EXTERNAL rules.
		{"external awsvpc", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RequiresCompatibilities = []string{"EXTERNAL"}
			in.NetworkMode = aws.String("awsvpc")
		}, CE, "Tasks using the EXTERNAL launch type do not support network mode 'awsvpc'."},
		{"external EFS", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RequiresCompatibilities = []string{"EXTERNAL"}
			in.Volumes = []Volume{{Name: aws.String("v"), EfsVolumeConfiguration: &EFSVolumeConfiguration{FileSystemId: aws.String("fs-1")}}}
		}, CE, "Tasks using the EXTERNAL launch type do not support EFS volumes."},
		{"external proxy", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RequiresCompatibilities = []string{"EXTERNAL"}
			in.ProxyConfiguration = &ProxyConfiguration{ContainerName: aws.String("app")}
		}, CE, "Tasks using the EXTERNAL launch type do not support proxyConfiguration."},
		{"external inference", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RequiresCompatibilities = []string{"EXTERNAL"}
			in.InferenceAccelerators = []InferenceAccelerator{{DeviceName: aws.String("d"), DeviceType: aws.String("eia2.medium")}}
		}, CE, "Tasks using the EXTERNAL launch type do not support inferenceAccelerators."},
		{"external execution role awslogs", nil, func(in *RegisterTaskDefinitionRequest) {
			in.RequiresCompatibilities = []string{"EXTERNAL"}
			in.ExecutionRoleArn = aws.String("arn:aws:iam::123456789012:role/exec")
			c0(in).LogConfiguration = &LogConfiguration{LogDriver: aws.String("awslogs"), Options: awslogsOpts(nil)}
		}, CE, "Tasks using the EXTERNAL launch type do not support a task execution role for awslogs or Amazon ECR images."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == nil {
				base = func() *RegisterTaskDefinitionRequest { return ec2Request("web") }
			}
			in := base()
			if err := func() error { _, err := newTestECS().RegisterTaskDefinition(base()); return err }(); err != nil {
				t.Fatalf("base request refused: %v", err)
			}
			tt.change(in)
			_, err := newTestECS().RegisterTaskDefinition(in)
			wantAWSError(t, err, tt.code, tt.msg)
		})
	}
}

func fargateBase() *RegisterTaskDefinitionRequest { return fargateRequest("web", "256", "512") }

func TestRegisterNilRequestDoesNotPanic(t *testing.T) {
	_, err := newTestECS().RegisterTaskDefinition(nil)
	wantAWSError(t, err, "ClientException", "Family can not be blank.")
	_, err = newTestECS().RegisterTaskDefinition(&RegisterTaskDefinitionRequest{
		Family:               aws.String("x"),
		ContainerDefinitions: []ContainerDefinition{{}},
	})
	wantAWSError(t, err, "ClientException", "Container.name should not be null or empty.")
}
