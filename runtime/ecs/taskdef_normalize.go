package ecs

import (
	"math"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// cpuUnitsPerVCPU: 1024 CPU units are one vCPU [DG:task_definition_parameters].
const cpuUnitsPerVCPU = 1024

// mibPerGB: task memory given in GB is converted at 1 GB = 1024 MiB
// [DG:task-cpu-memory-error].
const mibPerGB = 1024

// parseTaskCPU reads a task-level cpu string: CPU units ("1024") or vCPUs
// ("1 vCPU", "0.5 vcpu"), converted to units at registration
// [API:RegisterTaskDefinitionRequest]. ok is false for anything else or for
// a value that is not a whole number of units.
func parseTaskCPU(s string) (units int, ok bool) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	if num, found := strings.CutSuffix(lower, "vcpu"); found {
		return scaled(strings.TrimSpace(num), cpuUnitsPerVCPU)
	}
	return wholeNumber(s)
}

// parseTaskMemory reads a task-level memory string: MiB ("1024") or GB
// ("1GB", "1 GB"), converted to MiB at registration
// [API:RegisterTaskDefinitionRequest].
func parseTaskMemory(s string) (mib int, ok bool) {
	s = strings.TrimSpace(s)
	lower := strings.ToLower(s)
	if num, found := strings.CutSuffix(lower, "gb"); found {
		return scaled(strings.TrimSpace(num), mibPerGB)
	}
	if num, found := strings.CutSuffix(lower, "mib"); found {
		return wholeNumber(strings.TrimSpace(num))
	}
	return wholeNumber(s)
}

func wholeNumber(s string) (int, bool) {
	if s == "" || strings.ContainsAny(s, "+-") {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// scaled multiplies a decimal string by unit and accepts the result only if
// it is a positive whole number ("0.25 vCPU" is 256 units; "0.3 vCPU" is not
// a whole number of units and is refused).
func scaled(num string, unit int) (int, bool) {
	if num == "" || strings.ContainsAny(num, "+-eE") {
		return 0, false
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || math.IsInf(f, 0) {
		return 0, false
	}
	v := f * float64(unit)
	if v > math.MaxInt32 || v != math.Trunc(v) {
		return 0, false
	}
	return int(v), true
}

// normalizeContainer fills the members AWS returns for every container
// definition even when the request left them out: cpu 0, essential true,
// and empty lists for portMappings, environment, mountPoints, volumesFrom
// and systemControls (compare examples-1.json RegisterTaskDefinition and
// testdata/seed-task-definition.json). Port mappings get protocol "tcp" and
// a hostPort (see normalizePortMappings).
func normalizeContainer(c *ContainerDefinition, networkMode string) {
	if c.Cpu == nil {
		c.Cpu = aws.Int(0)
	}
	if c.Essential == nil {
		c.Essential = aws.Bool(true)
	}
	c.PortMappings = nonNil(c.PortMappings)
	c.Environment = nonNil(c.Environment)
	c.MountPoints = nonNil(c.MountPoints)
	c.VolumesFrom = nonNil(c.VolumesFrom)
	c.SystemControls = nonNil(c.SystemControls)
	normalizePortMappings(c.PortMappings, networkMode)
}

// normalizePortMappings fills protocol "tcp" (the default [API:PortMapping])
// and the host port: with awsvpc and host the host port is the container
// port; with bridge an omitted host port is 0, a dynamic port
// [DG:task_definition_parameters], reference section 5.4. Mappings with a
// containerPortRange get no host port: ECS assigns those at run time.
func normalizePortMappings(pms []PortMapping, networkMode string) {
	for i := range pms {
		pm := &pms[i]
		if pm.Protocol == nil {
			pm.Protocol = aws.String(TransportProtocolTcp)
		}
		if pm.ContainerPortRange != nil || pm.HostPort != nil || pm.ContainerPort == nil {
			continue
		}
		switch networkMode {
		case NetworkModeAwsvpc, NetworkModeHost:
			pm.HostPort = aws.Int(*pm.ContainerPort)
		case NetworkModeBridge:
			pm.HostPort = aws.Int(0)
		}
	}
}

// emptyToNil treats an empty role ARN as absent: AWS's own example registers
// with taskRoleArn "" and returns no taskRoleArn (examples-1.json,
// RegisterTaskDefinition).
func emptyToNil(p *string) *string {
	if p == nil || *p == "" {
		return nil
	}
	return aws.String(*p)
}

// isWindows reports whether the runtime platform is a Windows family
// [API:RuntimePlatform].
func isWindows(rp *RuntimePlatform) bool {
	return rp != nil && strings.HasPrefix(deref(rp.OperatingSystemFamily), "WINDOWS")
}
