package ecs

import (
	"regexp"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// fargateSize is one row of the Fargate task size table: a cpu value (units)
// and the memory values (MiB) allowed with it. linuxOnly rows are not
// available to Windows containers, which need at least 1 vCPU
// [API:RegisterTaskDefinitionRequest].
type fargateSize struct {
	cpu       int
	memory    []int
	linuxOnly bool
}

// fargateSizes is the table of valid Fargate cpu/memory pairs
// [DG:task-cpu-memory-error], [API:RegisterTaskDefinitionRequest],
// reference section 5.2. The 8 and 16 vCPU rows need Linux platform 1.4.0.
var fargateSizes = []fargateSize{
	{cpu: 256, memory: []int{512, 1024, 2048}, linuxOnly: true},
	{cpu: 512, memory: mibRange(1024, 4096, 1024), linuxOnly: true},
	{cpu: 1024, memory: mibRange(2048, 8192, 1024)},
	{cpu: 2048, memory: mibRange(4096, 16384, 1024)},
	{cpu: 4096, memory: mibRange(8192, 30720, 1024)},
	{cpu: 8192, memory: mibRange(16384, 61440, 4096), linuxOnly: true},
	{cpu: 16384, memory: mibRange(32768, 122880, 8192), linuxOnly: true},
}

func mibRange(from, to, step int) []int {
	var out []int
	for m := from; m <= to; m += step {
		out = append(out, m)
	}
	return out
}

// fargateAllows reports whether cpu units and memory MiB form a valid
// Fargate task size for the given operating system.
func fargateAllows(cpu, mem int, windows bool) bool {
	for _, s := range fargateSizes {
		if s.cpu == cpu && !(windows && s.linuxOnly) {
			for _, m := range s.memory {
				if m == mem {
					return true
				}
			}
		}
	}
	return false
}

// ecrImage matches images in a private Amazon ECR registry
// (<account>.dkr.ecr.<region>.amazonaws.com/...) [ECR-UG].
var ecrImage = regexp.MustCompile(`^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/`)

func usesECR(td *TaskDefinition) bool {
	for _, c := range td.ContainerDefinitions {
		if ecrImage.MatchString(deref(c.Image)) {
			return true
		}
	}
	return false
}

func usesLogDriver(td *TaskDefinition, driver string) bool {
	for _, c := range td.ContainerDefinitions {
		if c.LogConfiguration != nil && deref(c.LogConfiguration.LogDriver) == driver {
			return true
		}
	}
	return false
}

// fargateProblem returns the first reason the task definition cannot run on
// Fargate, worded as ECS words the refusal, or nil.
func fargateProblem(td *TaskDefinition) error {
	if deref(td.NetworkMode) != NetworkModeAwsvpc {
		// https://github.com/aws/amazon-ecs-cli/issues/1145 (curly quotes as reported)
		return clientErr("Fargate only supports network mode ‘awsvpc’.")
	}
	if td.Cpu == nil {
		// https://github.com/mongodb/terraform-aws-ecs-task-definition/issues/38
		return clientErr("Fargate requires that 'cpu' be defined at the task level.")
	}
	if td.Memory == nil {
		// https://github.com/aws/amazon-ecs-cli/issues/982
		return clientErr("Fargate requires that 'memory' be defined at the task level.")
	}
	cpu, _ := atoiPtr(td.Cpu)
	mem, _ := atoiPtr(td.Memory)
	if !fargateAllows(cpu, mem, isWindows(td.RuntimePlatform)) {
		// newer text, https://github.com/aws-games/cloud-game-development-toolkit/issues/737
		// and https://github.com/towardsthecloud/aws-cdk-examples/issues/1
		return clientErr("No Fargate configuration exists for given values: %d CPU, %d memory. See the Amazon ECS documentation for the valid values.", cpu, mem)
	}
	if td.IpcMode != nil {
		// https://github.com/cn-terraform/terraform-aws-ecs-fargate/issues/2
		return clientErr("Tasks using the Fargate launch type do not support ipcMode.")
	}
	if deref(td.PidMode) == PidModeHost {
		// https://github.com/aws/aws-cdk/issues/29619
		return clientErr("Tasks using the Fargate launch type do not support pidMode 'host'. The supported value for pidMode is 'task'.")
	}
	if td.ExecutionRoleArn == nil && usesLogDriver(td, LogDriverAwslogs) {
		// https://github.com/virtual-kubelet/virtual-kubelet/issues/193
		return clientErr("Fargate requires task definition to have execution role ARN to support log driver awslogs.")
	}
	if missingStreamPrefix(td) {
		// https://github.com/aws/aws-cdk/issues/1422; the option is
		// "Required: Yes, when using Fargate" [API:LogConfiguration]
		return clientErr("Fargate requires log configuration options to include %s to support log driver awslogs.", awslogsStreamPrefix)
	}
	if td.ExecutionRoleArn == nil && usesECR(td) {
		// https://github.com/hashicorp/terraform-provider-aws/issues/3051
		return clientErr("Fargate requires task definition to have execution role ARN to support ECR images.")
	}
	for _, c := range td.ContainerDefinitions {
		if aws.ToInt(c.StopTimeout) > maxFargateStopTimeout {
			// text not verified; the limit is [DG:task_definition_parameters]
			return clientErr("Invalid 'stopTimeout' setting for container '%s'. Tasks using the Fargate launch type support a stopTimeout of at most %d seconds.", deref(c.Name), maxFargateStopTimeout)
		}
		if aws.ToBool(c.Privileged) {
			// text not verified; privileged containers are not supported on
			// Fargate [DG:task_definition_parameters]
			return clientErr("Tasks using the Fargate launch type do not support privileged containers.")
		}
	}
	return nil
}

// ec2Problem returns the reason the task definition cannot run on EC2
// instances, or nil: without task memory every container needs memory or
// memoryReservation [DG:task_definition_parameters].
func ec2Problem(td *TaskDefinition) error {
	if td.Memory != nil {
		return nil
	}
	for _, c := range td.ContainerDefinitions {
		if c.Memory == nil && c.MemoryReservation == nil {
			// https://github.com/cuttlesoft/ecs-deploy.py/issues/17
			return clientErr("Invalid setting for container '%s'. At least one of 'memory' or 'memoryReservation' must be specified.", deref(c.Name))
		}
	}
	return nil
}

// externalProblem returns the reason the task definition cannot run on
// external (ECS Anywhere) instances, or nil: the EC2 rules, and none of the
// features external instances lack — awsvpc, EFS volumes, App Mesh proxy
// configuration and Elastic Inference [DG:ecs-anywhere]. Task definitions that
// need an execution role to send awslogs or pull from ECR are observed not to
// list EXTERNAL (bridge definitions with and without executionRoleArn in the
// ecs-workshop samples quoted in taskdef_compat_test.go); ecsbox follows the
// observation.
func externalProblem(td *TaskDefinition) error {
	if err := ec2Problem(td); err != nil {
		return err
	}
	const msg = "Tasks using the EXTERNAL launch type do not support %s." // text not verified
	if deref(td.NetworkMode) == NetworkModeAwsvpc {
		return clientErr(msg, "network mode 'awsvpc'")
	}
	for _, v := range td.Volumes {
		if v.EfsVolumeConfiguration != nil {
			return clientErr(msg, "EFS volumes")
		}
	}
	if td.ProxyConfiguration != nil {
		return clientErr(msg, "proxyConfiguration")
	}
	if len(td.InferenceAccelerators) > 0 {
		return clientErr(msg, "inferenceAccelerators")
	}
	if td.ExecutionRoleArn != nil && (usesLogDriver(td, LogDriverAwslogs) || usesECR(td)) {
		return clientErr(msg, "a task execution role for awslogs or Amazon ECR images")
	}
	return nil
}

// launchTypeProblem returns the refusal of launch type c, or nil.
// MANAGED_INSTANCES is validated with the EC2 rules (its own rules are not
// simulated yet).
func launchTypeProblem(td *TaskDefinition, c string) error {
	switch c {
	case CompatibilityFARGATE:
		return fargateProblem(td)
	case CompatibilityEXTERNAL:
		return externalProblem(td)
	default:
		return ec2Problem(td)
	}
}

// checkLaunchTypes validates the task definition against every launch type
// in requiresCompatibilities and refuses it with the first failure
// [API:RegisterTaskDefinitionRequest]. With none listed, ECS still applies
// the EC2 memory rule (https://github.com/aws/aws-cli/issues/4453).
func checkLaunchTypes(td *TaskDefinition) error {
	if len(td.RequiresCompatibilities) == 0 {
		return ec2Problem(td)
	}
	for _, c := range td.RequiresCompatibilities {
		if err := launchTypeProblem(td, c); err != nil {
			return err
		}
	}
	return nil
}

// computeCompatibilities lists the launch types the definition is valid for,
// in the order AWS shows them: EXTERNAL, EC2, FARGATE (observed:
// ["EXTERNAL","EC2"] and ["EC2","FARGATE"] in the samples quoted in
// taskdef_compat_test.go), then MANAGED_INSTANCES. MANAGED_INSTANCES is
// listed only when requested: the seed task definition (August 2025) shows
// ["EC2","FARGATE"] without it.
func computeCompatibilities(td *TaskDefinition) []string {
	out := []string{}
	if externalProblem(td) == nil {
		out = append(out, CompatibilityEXTERNAL)
	}
	if ec2Problem(td) == nil {
		out = append(out, CompatibilityEC2)
	}
	if fargateProblem(td) == nil {
		out = append(out, CompatibilityFARGATE)
	}
	if requires(td, CompatibilityMANAGEDINSTANCES) && ec2Problem(td) == nil {
		out = append(out, CompatibilityMANAGEDINSTANCES)
	}
	return out
}

// Container instance attributes a task definition can require
// [DG:container-instance-attributes] (names as the agent registers them).
const (
	attrDockerAPI         = "com.amazonaws.ecs.capability.docker-remote-api."
	attrLoggingDriver     = "com.amazonaws.ecs.capability.logging-driver."
	attrExecRoleAwslogs   = "ecs.capability.execution-role-awslogs"
	attrECRAuth           = "com.amazonaws.ecs.capability.ecr-auth"
	attrTaskIAMRole       = "com.amazonaws.ecs.capability.task-iam-role"
	attrTaskIAMRoleHost   = "com.amazonaws.ecs.capability.task-iam-role-network-host"
	attrExecRoleECRPull   = "ecs.capability.execution-role-ecr-pull"
	attrTaskENI           = "ecs.capability.task-eni"
	attrHealthCheck       = "ecs.capability.container-health-check"
	attrSecretsSSM        = "ecs.capability.secrets.ssm.environment-variables"
	attrSecretsASM        = "ecs.capability.secrets.asm.environment-variables"
	attrContainerOrdering = "ecs.capability.container-ordering"
	attrEnvFilesS3        = "ecs.capability.env-files.s3"
	attrPidIpcSharing     = "ecs.capability.pid-ipc-namespace-sharing"
	attrAppMesh           = "ecs.capability.aws-appmesh"
	attrEFS               = "ecs.capability.efs"
	attrEFSAuth           = "ecs.capability.efsAuth"
	attrDockerPluginLocal = "ecs.capability.docker-plugin.local"
	attrPrivileged        = "com.amazonaws.ecs.capability.privileged-container"
	attrFirelensPrefix    = "ecs.capability.firelens."
)

// requiredAttributes computes requiresAttributes. The rules are those the
// Developer Guide attaches to task definition parameters, checked against
// real RegisterTaskDefinition output (the seed task definition and the
// samples in taskdef_compat_test.go):
//
//	awslogs driver            logging-driver.awslogs + docker-remote-api.1.19
//	other log driver d        logging-driver.d
//	awslogs + execution role  execution-role-awslogs
//	ECR image                 ecr-auth (+ execution-role-ecr-pull with an execution role)
//	taskRoleArn               task-iam-role (+ task-iam-role-network-host in host mode)
//	ulimits present           docker-remote-api.1.18
//	awsvpc                    task-eni
//	awslogs-create-group      docker-remote-api.1.29
//	healthCheck, dependsOn/start/stopTimeout, secrets, environmentFiles,
//	pid/ipcMode, proxyConfiguration, EFS and Docker volumes, privileged,
//	firelensConfiguration     the capability of that feature
//
// The first block follows the order of the seed; AWS's own order is not
// stable across definitions, so ecsbox fixes one.
func requiredAttributes(td *TaskDefinition) []Attribute {
	var names []string
	add := func(n string) {
		if !oneOf(n, names) {
			names = append(names, n)
		}
	}
	awslogs := usesLogDriver(td, LogDriverAwslogs)
	hasExec := td.ExecutionRoleArn != nil
	for _, c := range td.ContainerDefinitions {
		if c.LogConfiguration != nil && c.LogConfiguration.LogDriver != nil {
			add(attrLoggingDriver + *c.LogConfiguration.LogDriver)
		}
	}
	if awslogs && hasExec {
		add(attrExecRoleAwslogs)
	}
	if usesECR(td) {
		add(attrECRAuth)
	}
	if awslogs {
		add(attrDockerAPI + "1.19")
	}
	if td.TaskRoleArn != nil {
		add(attrTaskIAMRole)
		if deref(td.NetworkMode) == NetworkModeHost {
			add(attrTaskIAMRoleHost)
		}
	}
	if usesECR(td) && hasExec {
		add(attrExecRoleECRPull)
	}
	for _, c := range td.ContainerDefinitions {
		if c.Ulimits != nil {
			add(attrDockerAPI + "1.18")
		}
	}
	if deref(td.NetworkMode) == NetworkModeAwsvpc {
		add(attrTaskENI)
	}
	for _, c := range td.ContainerDefinitions {
		if lc := c.LogConfiguration; lc != nil && deref(lc.LogDriver) == LogDriverAwslogs {
			if _, ok := lc.Options[awslogsCreateGroup]; ok {
				add(attrDockerAPI + "1.29")
			}
		}
	}
	for _, c := range td.ContainerDefinitions {
		if c.HealthCheck != nil {
			add(attrHealthCheck)
		}
		if len(c.DependsOn) > 0 || c.StartTimeout != nil || c.StopTimeout != nil {
			add(attrContainerOrdering)
		}
		for _, s := range c.Secrets {
			if strings.Contains(deref(s.ValueFrom), ":secretsmanager:") {
				add(attrSecretsASM)
			} else {
				add(attrSecretsSSM)
			}
		}
		if len(c.EnvironmentFiles) > 0 {
			add(attrEnvFilesS3)
		}
		if aws.ToBool(c.Privileged) {
			add(attrPrivileged)
		}
		if c.FirelensConfiguration != nil {
			add(attrFirelensPrefix + deref(c.FirelensConfiguration.Type))
		}
	}
	if td.PidMode != nil || td.IpcMode != nil {
		add(attrPidIpcSharing)
	}
	if td.ProxyConfiguration != nil {
		add(attrAppMesh)
	}
	for _, v := range td.Volumes {
		if efs := v.EfsVolumeConfiguration; efs != nil {
			add(attrEFS)
			if efs.AuthorizationConfig != nil {
				add(attrEFSAuth)
			}
		}
		if v.DockerVolumeConfiguration != nil {
			add(attrDockerPluginLocal)
			add(attrDockerAPI + "1.25")
		}
	}
	out := make([]Attribute, len(names))
	for i, n := range names {
		out[i] = Attribute{Name: aws.String(n)}
	}
	return out
}
