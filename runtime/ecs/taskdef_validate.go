package ecs

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Limits of a task definition.
const (
	// maxContainers: "at most 10 containers per task definition"; the refusal
	// is "Too many containers." (reference 5.1,
	// https://github.com/aws/amazon-ecs-cli/issues/184).
	maxContainers = 10
	// maxNameLen: family and container names have up to 255 characters
	// [API:RegisterTaskDefinitionRequest], [DG:task_definition_parameters].
	maxNameLen = 255
	// maxPlacementConstraints: "You can specify a maximum of 10 constraints
	// for each task" [API:RegisterTaskDefinitionRequest].
	maxPlacementConstraints = 10
	// Task cpu range on EC2 and EXTERNAL: 128 to 196608 units
	// [API:RegisterTaskDefinitionRequest].
	minTaskCPU = 128
	maxTaskCPU = 196608
	// Ephemeral storage: 21 to 200 GiB [API:EphemeralStorage].
	minEphemeralGiB = 21
	maxEphemeralGiB = 200
	// maxFargateStopTimeout: stopTimeout is at most 120 s on Fargate
	// [DG:task_definition_parameters], reference 5.4.
	maxFargateStopTimeout = 120
	maxPort               = 65535
)

// familyPattern and containerNamePattern: letters, digits, underscores and
// hyphens ("family must match ^[a-zA-Z0-9\\-_]+$",
// https://github.com/aws/amazon-ecs-cli/issues/542); the length limit is
// checked apart.
var (
	familyPattern        = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	containerNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
)

// Enum values that botocore leaves to the service [API:NetworkMode],
// [API:Compatibility], [API:PidMode], [API:IpcMode], [API:TransportProtocol],
// [API:CPUArchitecture], [API:OSFamily].
var (
	networkModes    = []string{NetworkModeBridge, NetworkModeHost, NetworkModeAwsvpc, NetworkModeNone}
	compatibilities = []string{CompatibilityEC2, CompatibilityFARGATE, CompatibilityEXTERNAL, CompatibilityMANAGEDINSTANCES}
	pidModes        = []string{PidModeHost, PidModeTask}
	ipcModes        = []string{IpcModeHost, IpcModeTask, IpcModeNone}
	protocols       = []string{TransportProtocolTcp, TransportProtocolUdp}
	cpuArchs        = []string{CPUArchitectureX8664, CPUArchitectureARM64}
	osFamilies      = []string{
		OSFamilyWINDOWSSERVER2019FULL, OSFamilyWINDOWSSERVER2019CORE, OSFamilyWINDOWSSERVER2016FULL,
		OSFamilyWINDOWSSERVER2004CORE, OSFamilyWINDOWSSERVER2022CORE, OSFamilyWINDOWSSERVER2022FULL,
		OSFamilyWINDOWSSERVER2025CORE, OSFamilyWINDOWSSERVER2025FULL, OSFamilyWINDOWSSERVER20H2CORE, OSFamilyLINUX,
	}
)

// buildTaskDefinition turns a request into the task definition AWS would
// store (without ARN, revision, status and registration stamps), or returns
// the refusal AWS would return. Checks run in a fixed order: the request's
// shape (family, containers, enums), then each container, then the task's
// resources, then the rules of each launch type in requiresCompatibilities.
func buildTaskDefinition(in *RegisterTaskDefinitionRequest) (*TaskDefinition, error) {
	if err := validateFamily(deref(in.Family)); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if len(in.ContainerDefinitions) == 0 {
		// https://github.com/awsdocs/aws-cloudformation-user-guide/pull/454
		return nil, clientErr("Container list cannot be empty.")
	}
	if len(in.ContainerDefinitions) > maxContainers {
		// https://github.com/aws/amazon-ecs-cli/issues/184
		return nil, clientErr("Too many containers.")
	}
	if err := validateTaskEnums(in); err != nil {
		return nil, err
	}

	td := &TaskDefinition{
		Family:                  aws.String(*in.Family),
		TaskRoleArn:             emptyToNil(in.TaskRoleArn),
		ExecutionRoleArn:        emptyToNil(in.ExecutionRoleArn),
		NetworkMode:             cloneString(in.NetworkMode),
		ContainerDefinitions:    clone(in.ContainerDefinitions),
		Volumes:                 clone(nonNil(in.Volumes)),
		PlacementConstraints:    clone(nonNil(in.PlacementConstraints)),
		RequiresCompatibilities: clone(in.RequiresCompatibilities),
		PidMode:                 cloneString(in.PidMode),
		IpcMode:                 cloneString(in.IpcMode),
		InferenceAccelerators:   clone(in.InferenceAccelerators),
	}
	if in.ProxyConfiguration != nil {
		pc := clone(*in.ProxyConfiguration)
		td.ProxyConfiguration = &pc
	}
	if in.EphemeralStorage != nil {
		es := clone(*in.EphemeralStorage)
		td.EphemeralStorage = &es
	}
	if in.RuntimePlatform != nil {
		rp := clone(*in.RuntimePlatform)
		td.RuntimePlatform = &rp
	}
	if in.EnableFaultInjection != nil {
		td.EnableFaultInjection = aws.Bool(*in.EnableFaultInjection)
	}
	// EC2 Linux task definitions default to bridge [API:RegisterTaskDefinitionRequest].
	// Fargate has no default: it needs awsvpc spelled out (reference 14e), and
	// Windows uses Docker's "default" mode, which the API shows as no mode.
	if td.NetworkMode == nil && !requires(td, CompatibilityFARGATE) && !isWindows(td.RuntimePlatform) {
		td.NetworkMode = aws.String(NetworkModeBridge)
	}
	mode := deref(td.NetworkMode)

	if err := validateContainers(td.ContainerDefinitions, mode); err != nil {
		return nil, err
	}
	for i := range td.ContainerDefinitions {
		normalizeContainer(&td.ContainerDefinitions[i], mode)
	}
	if err := normalizeTaskResources(td, in); err != nil {
		return nil, err
	}
	if err := validateContainerResources(td); err != nil {
		return nil, err
	}
	if err := validatePlacementConstraints(td.PlacementConstraints); err != nil {
		return nil, err
	}
	if es := td.EphemeralStorage; es != nil {
		if n := aws.ToInt(es.SizeInGiB); n < minEphemeralGiB || n > maxEphemeralGiB {
			// text not verified; the range is [API:EphemeralStorage]
			return nil, clientErr("The ephemeral storage size must be between %d and %d GiB.", minEphemeralGiB, maxEphemeralGiB)
		}
	}
	if err := checkLaunchTypes(td); err != nil {
		return nil, err
	}
	td.Compatibilities = computeCompatibilities(td)
	td.RequiresAttributes = requiredAttributes(td)
	return td, nil
}

func validateFamily(family string) error {
	switch {
	case strings.TrimSpace(family) == "":
		// https://github.com/aws-actions/amazon-ecs-deploy-task-definition/issues/630
		return clientErr("Family can not be blank.")
	case len(family) > maxNameLen:
		// text not verified
		return clientErr("Family name must be %d characters or less.", maxNameLen)
	case !familyPattern.MatchString(family):
		// https://github.com/aws/amazon-ecs-cli/issues/37
		return clientErr("Family contains invalid characters.")
	}
	return nil
}

func validateTaskEnums(in *RegisterTaskDefinitionRequest) error {
	if in.NetworkMode != nil && !oneOf(*in.NetworkMode, networkModes) {
		return enumError("networkMode", *in.NetworkMode, networkModes)
	}
	for _, c := range in.RequiresCompatibilities {
		if !oneOf(c, compatibilities) {
			return enumError("requiresCompatibilities.member", c, compatibilities)
		}
	}
	if in.PidMode != nil && !oneOf(*in.PidMode, pidModes) {
		return enumError("pidMode", *in.PidMode, pidModes)
	}
	if in.IpcMode != nil && !oneOf(*in.IpcMode, ipcModes) {
		return enumError("ipcMode", *in.IpcMode, ipcModes)
	}
	if rp := in.RuntimePlatform; rp != nil {
		if rp.CpuArchitecture != nil && !oneOf(*rp.CpuArchitecture, cpuArchs) {
			return enumError("runtimePlatform.cpuArchitecture", *rp.CpuArchitecture, cpuArchs)
		}
		if rp.OperatingSystemFamily != nil && !oneOf(*rp.OperatingSystemFamily, osFamilies) {
			return enumError("runtimePlatform.operatingSystemFamily", *rp.OperatingSystemFamily, osFamilies)
		}
	}
	return nil
}

// validateContainers checks names, images, essential containers, port
// mappings and awslogs options, container by container.
func validateContainers(cs []ContainerDefinition, mode string) error {
	seen := map[string]bool{}
	essential := false
	for _, c := range cs {
		name := deref(c.Name)
		switch {
		case strings.TrimSpace(name) == "":
			// https://github.com/awsdocs/aws-cloudformation-user-guide/pull/612
			return clientErr("Container.name should not be null or empty.")
		case len(name) > maxNameLen:
			// text not verified
			return clientErr("Container.name must be %d characters or less.", maxNameLen)
		case !containerNamePattern.MatchString(name):
			// https://github.com/hashicorp/terraform-provider-aws/issues/5950
			return clientErr("Container.name contains invalid characters.")
		case strings.TrimSpace(deref(c.Image)) == "":
			// https://github.com/convox/praxis/issues/121
			return clientErr("Container.image should not be null or empty.")
		case seen[name]:
			// https://github.com/Shippable/support/issues/2946
			return clientErr("Container names must be unique within a Task Definition.")
		}
		seen[name] = true
		if c.Essential == nil || *c.Essential {
			essential = true
		}
		if c.Hostname != nil && mode == NetworkModeAwsvpc {
			// https://github.com/labd/ecs-deplojo/issues/26
			return clientErr("hostname is not supported on container when networkMode=awsvpc.")
		}
		if err := validatePortMappings(name, c.PortMappings, mode); err != nil {
			return err
		}
		if err := validateAwslogs(c.LogConfiguration); err != nil {
			return err
		}
	}
	if !essential {
		// https://github.com/eagletmt/hako/pull/68 (quotes the AWS error)
		return clientErr("Task definition doesn't have any essential container.")
	}
	return nil
}

// validatePortMappings applies the port rules of each network mode
// [API:PortMapping], reference 5.4: none allows no mappings; awsvpc and host
// need the host port to be absent or equal to the container port; bridge
// takes any host port, 0 or absent meaning a dynamic one.
func validatePortMappings(name string, pms []PortMapping, mode string) error {
	if len(pms) > 0 && mode == NetworkModeNone {
		// text not verified
		return clientErr("Port mappings are not supported when networkMode=none.")
	}
	for _, pm := range pms {
		if pm.Protocol != nil && !oneOf(*pm.Protocol, protocols) {
			return enumError("containerDefinitions.member.portMappings.member.protocol", *pm.Protocol, protocols)
		}
		if pm.ContainerPortRange != nil {
			if err := validatePortRange(name, *pm.ContainerPortRange, pm, mode); err != nil {
				return err
			}
			continue
		}
		cp := aws.ToInt(pm.ContainerPort)
		if pm.ContainerPort == nil || cp < 1 || cp > maxPort {
			// https://github.com/aws/aws-cli/issues/7288
			return clientErr("Invalid 'containerPort' setting for container '%s'.", name)
		}
		if pm.HostPort == nil {
			continue
		}
		hp := *pm.HostPort
		if hp < 0 || hp > maxPort {
			// text not verified (modelled on the containerPort text)
			return clientErr("Invalid 'hostPort' setting for container '%s'.", name)
		}
		if hp != cp && (mode == NetworkModeAwsvpc || mode == NetworkModeHost) {
			// awsvpc: https://github.com/pulumi/pulumi-awsx/issues/935;
			// host: same wording, text not verified
			return clientErr("When networkMode=%s, the host ports and container ports in port mappings must match.", mode)
		}
	}
	return nil
}

// validatePortRange checks a containerPortRange ("start-end"): bridge and
// awsvpc only, no containerPort or hostPort beside it [API:PortMapping].
func validatePortRange(name, r string, pm PortMapping, mode string) error {
	lo, hi, ok := strings.Cut(r, "-")
	a, errA := strconv.Atoi(lo)
	b, errB := strconv.Atoi(hi)
	if !ok || errA != nil || errB != nil || a < 1 || b > maxPort || a >= b ||
		pm.ContainerPort != nil || pm.HostPort != nil ||
		(mode != NetworkModeBridge && mode != NetworkModeAwsvpc) {
		// text not verified
		return clientErr("Invalid 'containerPortRange' setting for container '%s'.", name)
	}
	return nil
}

// normalizeTaskResources parses and normalises task cpu and memory to unit
// and MiB strings [API:RegisterTaskDefinitionRequest].
func normalizeTaskResources(td *TaskDefinition, in *RegisterTaskDefinitionRequest) error {
	if in.Cpu != nil {
		units, ok := parseTaskCPU(*in.Cpu)
		if !ok || units < minTaskCPU || units > maxTaskCPU {
			// [DG:task-cpu-memory-error]; the full text as reported in
			// https://github.com/cds-snc/notification-terraform/pull/329
			return clientErr("Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
		}
		td.Cpu = aws.String(strconv.Itoa(units))
	}
	if in.Memory != nil {
		mib, ok := parseTaskMemory(*in.Memory)
		if !ok {
			// text not verified (modelled on the cpu text)
			return clientErr("Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.")
		}
		td.Memory = aws.String(strconv.Itoa(mib))
	}
	return nil
}

// validateContainerResources checks container cpu and memory against each
// other and against the task [DG:task_definition_parameters]: memory is at
// least memoryReservation, no container's memory exceeds the task's, and the
// sums of container cpu and memoryReservation fit in the task.
func validateContainerResources(td *TaskDefinition) error {
	taskCPU, hasCPU := atoiPtr(td.Cpu)
	taskMem, hasMem := atoiPtr(td.Memory)
	sumCPU, sumRes := 0, 0
	for _, c := range td.ContainerDefinitions {
		name := deref(c.Name)
		if aws.ToInt(c.Cpu) < 0 {
			// text not verified
			return clientErr("Invalid 'cpu' setting for container '%s'.", name)
		}
		if c.Memory != nil && *c.Memory <= 0 {
			// text not verified
			return clientErr("Invalid 'memory' setting for container '%s'.", name)
		}
		if c.MemoryReservation != nil && *c.MemoryReservation <= 0 {
			// text not verified
			return clientErr("Invalid 'memoryReservation' setting for container '%s'.", name)
		}
		if c.Memory != nil && c.MemoryReservation != nil && *c.Memory < *c.MemoryReservation {
			// text not verified; memory must be >= memoryReservation
			// (https://github.com/awsdocs/amazon-ecs-developer-guide/pull/242)
			return clientErr("Invalid setting for container '%s'. 'memory' must be greater than or equal to 'memoryReservation'.", name)
		}
		if hasMem && c.Memory != nil && *c.Memory > taskMem {
			// https://github.com/pulumi/pulumi-awsx/issues/1220
			return clientErr("The 'memory' setting for container '%s' is greater than for the task.", name)
		}
		sumCPU += aws.ToInt(c.Cpu)
		sumRes += aws.ToInt(c.MemoryReservation)
	}
	if hasMem && sumRes > taskMem {
		// https://github.com/cloudnativedaysjp/dreamkast-infra/pull/4766
		return clientErr("The sum of all container 'memoryReservation' values cannot be greater than the value of the task 'memory'.")
	}
	if hasCPU && sumCPU > taskCPU {
		// https://github.com/aws/aws-cdk/issues/24629
		return clientErr("The sum of all container 'cpu' values cannot be greater than the value of the task 'cpu'.")
	}
	return nil
}

// validatePlacementConstraints: a task definition takes at most 10
// constraints, all of type memberOf [API:TaskDefinitionPlacementConstraintType].
// distinctInstance is refused as ECS refuses it
// (https://github.com/aws/aws-cdk/issues/25905); other types (the course
// notes' "maxPods") get the same wording, reference section 14a.
func validatePlacementConstraints(pcs []TaskDefinitionPlacementConstraint) error {
	if len(pcs) > maxPlacementConstraints {
		// text not verified
		return clientErr("Too many placement constraints. A task can have at most %d.", maxPlacementConstraints)
	}
	for _, pc := range pcs {
		t := deref(pc.Type)
		if t != TaskDefinitionPlacementConstraintTypeMemberOf {
			// text verified for distinctInstance only
			return clientErr("constraint.type '%s' is not supported.", t)
		}
		if strings.TrimSpace(deref(pc.Expression)) == "" {
			// text not verified
			return clientErr("constraint.expression must be specified for constraint.type 'memberOf'.")
		}
	}
	return nil
}

// requires reports whether the task definition lists launch type c in
// requiresCompatibilities.
func requires(td *TaskDefinition, c string) bool {
	return oneOf(c, td.RequiresCompatibilities)
}

func atoiPtr(p *string) (int, bool) {
	if p == nil {
		return 0, false
	}
	n, err := strconv.Atoi(*p)
	return n, err == nil
}
