package ecs

import (
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Container instance statuses [API:ContainerInstance]. REGISTERING and
// REGISTRATION_FAILED belong to ENI trunking, which ecsbox does not
// simulate; DEREGISTERING is passed through instantly.
const (
	instanceActive   = "ACTIVE"
	instanceDraining = "DRAINING"
	instanceInactive = "INACTIVE"
)

// reservedPorts are the host ports the agent reserves on Linux:
// ECS_RESERVED_PORTS defaults to [22, 2375, 2376, 51678, 51679]
// [AGENT:README.md]; they show in registeredResources as PORTS.
var reservedPorts = []int{22, 2375, 2376, 51678, 51679}

// The agent and Docker versions an ecsbox container instance reports. ECS
// shows what the agent on the instance sends; these are the versions of
// the ECS-optimized Amazon Linux 2023 AMI of early 2025 (ecsbox's choice,
// documented in README.md).
const (
	agentVersion  = "1.89.3"
	agentHash     = "6e1c5a35"
	dockerVersion = "DockerVersion: 25.0.8"
)

// containerInstance is an EC2 instance registered in a cluster by its agent.
type containerInstance struct {
	arn, id string
	cluster *cluster
	ec2ID   string

	status         string
	agentConnected bool
	// agentVersion and dockerVersion are the versions of the AMI's agent
	// and Docker, as versionInfo reports them.
	agentVersion, dockerVersion string
	registeredAt                time.Time
	version                     int64

	instanceType string
	az           string
	subnetID     string
	vpcID        string
	amiID        string
	architecture string

	registeredCPU    int
	registeredMemory int
	// maxENIs is the instance type's ENI limit; awsvpc tasks may use all
	// but the primary ENI [DG:container-instance-eni].
	maxENIs int

	// attributes holds built-in and custom attributes; the value is "" for
	// capabilities, which carry none. builtin names those ECS set itself.
	attributes map[string]string
	builtin    map[string]bool
	tags       []Tag

	// tasks are the tasks placed on the instance that have not stopped.
	tasks []*task
	// pulled remembers the images this instance has pulled, so a second
	// task with the same image starts without the full pull time.
	pulled map[string]bool
}

// used sums what the instance's tasks reserve: CPU units, memory MiB, the
// host ports they bind (dynamic ones included: they are taken too), the
// static ones among them, and the ENIs they hold.
func (ci *containerInstance) used() (cpu, memory int, ports, static map[portKey]bool, enis int) {
	ports, static = map[portKey]bool{}, map[portKey]bool{}
	for _, t := range ci.tasks {
		cpu += t.reservedCPU
		memory += t.reservedMemory
		for _, p := range t.hostPorts() {
			ports[p] = true
		}
		for _, p := range t.static {
			static[p] = true
		}
		if t.eni != nil {
			enis++
		}
	}
	return cpu, memory, ports, static, enis
}

// reserved sums the CPU units and memory MiB the instance's tasks reserve:
// used's first two results, without building its port sets (the metrics
// sampler asks every instance every 20 s).
func (ci *containerInstance) reserved() (cpu, memory int) {
	for _, t := range ci.tasks {
		cpu += t.reservedCPU
		memory += t.reservedMemory
	}
	return cpu, memory
}

// portKey is a host port and its protocol.
type portKey struct {
	port     int
	protocol string
}

func (ci *containerInstance) runningAndPending() (running, pending int) {
	for _, t := range ci.tasks {
		switch t.lastStatus {
		case taskRunning:
			running++
		case taskStopped:
		default:
			pending++
		}
	}
	return running, pending
}

// resources renders CPU, MEMORY, PORTS and PORTS_UDP the way
// DescribeContainerInstances does: INTEGER values and STRINGSETs, with the
// unused numeric members present as zeros, as AWS returns them
// [API:Resource]. PORTS lists the reserved ports and the static host ports
// of tasks.
func resources(cpu, memory int, tcp, udp []int) []Resource {
	strs := func(ports []int) []string {
		out := make([]string, len(ports))
		for i, p := range ports {
			out[i] = strconv.Itoa(p)
		}
		return out
	}
	integer := func(name string, v int) Resource {
		return Resource{Name: aws.String(name), Type: aws.String("INTEGER"), IntegerValue: aws.Int(v), DoubleValue: aws.Float64(0), LongValue: aws.Int64(0)}
	}
	set := func(name string, v []string) Resource {
		return Resource{Name: aws.String(name), Type: aws.String("STRINGSET"), StringSetValue: v, IntegerValue: aws.Int(0), DoubleValue: aws.Float64(0), LongValue: aws.Int64(0)}
	}
	return []Resource{integer("CPU", cpu), integer("MEMORY", memory), set("PORTS", strs(tcp)), set("PORTS_UDP", strs(udp))}
}

// describe renders the container instance as DescribeContainerInstances
// returns it.
func (ci *containerInstance) describe(withTags bool) ContainerInstance {
	cpu, memory, _, static, _ := ci.used()
	var tcp, udp []int
	tcp = append(tcp, reservedPorts...)
	for p := range static {
		if p.protocol == "udp" {
			udp = append(udp, p.port)
		} else if !slices.Contains(tcp, p.port) {
			tcp = append(tcp, p.port)
		}
	}
	sort.Ints(tcp[len(reservedPorts):])
	sort.Ints(udp)
	running, pending := ci.runningAndPending()
	out := ContainerInstance{
		ContainerInstanceArn: aws.String(ci.arn),
		Ec2InstanceId:        aws.String(ci.ec2ID),
		Version:              aws.Int64(ci.version),
		VersionInfo: &VersionInfo{
			AgentVersion:  aws.String(ci.agentVersion),
			AgentHash:     aws.String(agentHash),
			DockerVersion: aws.String(ci.dockerVersion),
		},
		RemainingResources:  resources(ci.registeredCPU-cpu, ci.registeredMemory-memory, tcp, udp),
		RegisteredResources: resources(ci.registeredCPU, ci.registeredMemory, reservedPorts, nil),
		Status:              aws.String(ci.status),
		AgentConnected:      aws.Bool(ci.agentConnected),
		RunningTasksCount:   aws.Int(running),
		PendingTasksCount:   aws.Int(pending),
		Attributes:          ci.attributeList(),
		RegisteredAt:        aws.NewTime(ci.registeredAt),
		Attachments:         []Attachment{},
		Tags:                []Tag{},
	}
	if withTags {
		out.Tags = clone(nonNil(ci.tags))
	}
	return out
}

// attributeList returns the attributes sorted by name.
func (ci *containerInstance) attributeList() []Attribute {
	names := make([]string, 0, len(ci.attributes))
	for n := range ci.attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Attribute, len(names))
	for i, n := range names {
		out[i] = Attribute{Name: aws.String(n)}
		if v := ci.attributes[n]; v != "" {
			out[i].Value = aws.String(v)
		}
	}
	return out
}

// touch records a change that ECS would report with a new version number.
func (ci *containerInstance) touch() { ci.version++ }
