package ecs

import (
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// The ephemeral host port range of the ECS-optimized AMI, from which bridge
// mode assigns dynamic host ports [DG:task_definition_parameters],
// reference 5.4. ecsbox hands out the lowest free port of the range on the
// instance, so runs are reproducible (Docker's own order is not specified).
const (
	ephemeralPortLow  = 32768
	ephemeralPortHigh = 61000
)

// taskSpec is what a new task is made of: the task definition and what the
// request adds to it.
type taskSpec struct {
	cluster              *cluster
	def                  *TaskDefinition
	launchType           string
	group                string
	startedBy            string
	overrides            *TaskOverride
	tags                 []Tag
	enableExecuteCommand bool
	platformVersion      string
	// service and deployment are set for a service's tasks.
	service    *service
	deployment *deployment
	// provider is the capacity provider the task runs on, if any.
	provider *capacityProvider
}

// reservation is what the task reserves on an instance: task-level cpu and
// memory when the definition (or an override) sets them, else the sum over
// containers, counting memoryReservation before memory
// [DG:task_definition_parameters], [DG:cloudwatch-metrics], reference 5.2.
func (s *taskSpec) reservation() (cpu, memory int) {
	taskCPU, taskMem := deref(s.def.Cpu), deref(s.def.Memory)
	if s.overrides != nil {
		if s.overrides.Cpu != nil {
			taskCPU = *s.overrides.Cpu
		}
		if s.overrides.Memory != nil {
			taskMem = *s.overrides.Memory
		}
	}
	for _, cd := range s.def.ContainerDefinitions {
		cc, cm, cr := s.containerResources(cd)
		cpu += cc
		switch {
		case cr != nil:
			memory += *cr
		case cm != nil:
			memory += *cm
		}
	}
	if n, err := strconv.Atoi(taskCPU); err == nil {
		cpu = n
	}
	if n, err := strconv.Atoi(taskMem); err == nil {
		memory = n
	}
	return cpu, memory
}

// containerResources returns a container's cpu, memory and
// memoryReservation after overrides.
func (s *taskSpec) containerResources(cd ContainerDefinition) (cpu int, memory, reservation *int) {
	cpu, memory, reservation = aws.ToInt(cd.Cpu), cd.Memory, cd.MemoryReservation
	if o := s.containerOverride(deref(cd.Name)); o != nil {
		if o.Cpu != nil {
			cpu = *o.Cpu
		}
		if o.Memory != nil {
			memory = o.Memory
		}
		if o.MemoryReservation != nil {
			reservation = o.MemoryReservation
		}
	}
	return cpu, memory, reservation
}

func (s *taskSpec) containerOverride(name string) *ContainerOverride {
	if s.overrides == nil {
		return nil
	}
	for i := range s.overrides.ContainerOverrides {
		if deref(s.overrides.ContainerOverrides[i].Name) == name {
			return &s.overrides.ContainerOverrides[i]
		}
	}
	return nil
}

// staticHostPorts lists the host ports the task needs fixed on an instance:
// every container port in host mode, the non-zero hostPorts in bridge mode.
func (s *taskSpec) staticHostPorts() []portKey {
	mode := networkModeOf(s.def)
	var out []portKey
	for _, cd := range s.def.ContainerDefinitions {
		for _, pm := range cd.PortMappings {
			proto := protocolOf(pm.Protocol)
			switch mode {
			case NetworkModeHost:
				out = append(out, portKey{aws.ToInt(pm.ContainerPort), proto})
			case NetworkModeBridge:
				if hp := aws.ToInt(pm.HostPort); hp > 0 {
					out = append(out, portKey{hp, proto})
				}
			}
		}
	}
	return out
}

func networkModeOf(td *TaskDefinition) string {
	if td.NetworkMode == nil {
		return NetworkModeBridge
	}
	return *td.NetworkMode
}

// newTask builds a task from spec, placed on ci (nil on Fargate). It is not
// launched yet.
func (e *ECS) newTask(spec *taskSpec, ci *containerInstance) *task {
	id := e.sim.TaskID()
	t := &task{
		id:                   id,
		arn:                  e.arn("task/" + spec.cluster.name + "/" + id),
		cluster:              spec.cluster,
		def:                  spec.def,
		instance:             ci,
		launchType:           spec.launchType,
		platformVersion:      spec.platformVersion,
		group:                spec.group,
		startedBy:            spec.startedBy,
		overrides:            spec.overrides,
		tags:                 spec.tags,
		enableExecuteCommand: spec.enableExecuteCommand,
		cpu:                  deref(spec.def.Cpu),
		memory:               deref(spec.def.Memory),
		static:               spec.staticHostPorts(),
		service:              spec.service,
		deployment:           spec.deployment,
		provider:             spec.provider,
	}
	t.reservedCPU, t.reservedMemory = spec.reservation()
	if t.cpu == "" {
		t.cpu = strconv.Itoa(t.reservedCPU)
	}
	if t.memory == "" {
		t.memory = strconv.Itoa(t.reservedMemory)
	}
	if spec.overrides != nil {
		if spec.overrides.Cpu != nil {
			t.cpu = *spec.overrides.Cpu
		}
		if spec.overrides.Memory != nil {
			t.memory = *spec.overrides.Memory
		}
	}
	if ci != nil {
		t.az = ci.az
	}
	for _, cd := range spec.def.ContainerDefinitions {
		cpu, memory, reservation := spec.containerResources(cd)
		c := &container{
			name:           deref(cd.Name),
			arn:            e.arn("container/" + spec.cluster.name + "/" + id + "/" + e.sim.UUID()),
			image:          deref(cd.Image),
			essential:      cd.Essential == nil || *cd.Essential,
			lastStatus:     taskPending,
			cpu:            cpu,
			memory:         memory,
			memReservation: reservation,
			command:        cd.Command,
			stopTimeout:    defaultStopTimeout,
			healthStatus:   "UNKNOWN",
		}
		if cd.StopTimeout != nil {
			c.stopTimeout = secondsOf(*cd.StopTimeout)
		}
		if o := spec.containerOverride(c.name); o != nil && o.Command != nil {
			c.command = o.Command
		}
		for _, pm := range cd.PortMappings {
			c.ports = append(c.ports, aws.ToInt(pm.ContainerPort))
		}
		t.containers = append(t.containers, c)
	}
	if ci != nil {
		e.bindPorts(t, ci)
	}
	return t
}

// bindPorts gives the task's containers their host ports on instance ci:
// the containerPort in host mode, a static hostPort, or the lowest free
// port of the ephemeral range for a dynamic one (bridge).
func (e *ECS) bindPorts(t *task, ci *containerInstance) {
	mode := networkModeOf(t.def)
	if mode != NetworkModeBridge && mode != NetworkModeHost {
		return
	}
	used := map[portKey]bool{}
	for _, other := range ci.tasks {
		for _, p := range other.hostPorts() {
			used[p] = true
		}
	}
	for i, cd := range t.def.ContainerDefinitions {
		c := t.containers[i]
		c.bindings = nil
		for _, pm := range cd.PortMappings {
			proto := protocolOf(pm.Protocol)
			hostPort := aws.ToInt(pm.HostPort)
			if mode == NetworkModeHost {
				hostPort = aws.ToInt(pm.ContainerPort)
			} else if hostPort == 0 {
				hostPort = lowestFreePort(used, proto)
			}
			used[portKey{hostPort, proto}] = true
			c.bindings = append(c.bindings, NetworkBinding{
				BindIP:        aws.String("0.0.0.0"),
				ContainerPort: cloneInt(pm.ContainerPort),
				HostPort:      aws.Int(hostPort),
				Protocol:      aws.String(proto),
			})
		}
	}
}

func lowestFreePort(used map[portKey]bool, proto string) int {
	for p := ephemeralPortLow; p <= ephemeralPortHigh; p++ {
		if !used[portKey{p, proto}] {
			return p
		}
	}
	return 0 // placement has checked there is room; 28,233 ports per instance
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	return aws.Int(*p)
}

func secondsOf(n int) time.Duration { return time.Duration(n) * time.Second }
