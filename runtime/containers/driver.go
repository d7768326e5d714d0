package containers

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Driver runs the containers of ECS tasks on a container engine. ECS stays
// the control plane: placement, services, scaling and IAM decide which tasks
// run; at the point where a simulated task would start its containers, a
// task with a Driver starts real ones, and what they do (exit, print, use
// CPU) flows back into the simulation through TaskEvents.
//
// Every method returns at once and does its work in the background; the
// events may arrive on any goroutine, so the caller hands them to its
// simulation with sim.Inject.
type Driver interface {
	// Check says why a task may not run on this engine (a privileged
	// container or a host mount without --allow-host), or returns nil.
	Check(spec *TaskSpec) error
	// StartTask creates and starts the task's containers in dependsOn
	// order. It reports each container's start and exit, then Started (or
	// StartFailed), then logs and stats until the task is removed.
	StartTask(spec *TaskSpec, events TaskEvents)
	// StopTask stops the task's running containers: SIGTERM, then SIGKILL
	// after each container's StopTimeout.
	StopTask(taskID string)
	// RemoveTask removes the task's containers, its pause container and
	// its task-scoped volumes.
	RemoveTask(taskID string)
	// Exec runs argv in a running container of the task; what it prints
	// reaches the container's log (events.Log).
	Exec(taskID, container string, argv []string)
	// Close removes everything the driver created.
	Close() error
}

// TaskEvents receives what a task's containers do. The methods may be
// called from any goroutine.
type TaskEvents interface {
	// ContainerStarted: the container runs.
	ContainerStarted(name string, info StartedContainer)
	// ContainerExited: the container's process ended with code (137 after
	// SIGKILL); oom says the kernel killed it for memory.
	ContainerExited(name string, code int, oom bool)
	// Started: every container was started (those that depend on another
	// one's completion after it completed).
	Started()
	// StartFailed: the task could not start; reason is ECS's stoppedReason.
	StartFailed(reason string)
	// Log is one line a container printed (stdout or stderr).
	Log(name, line string)
	// Stats is a container's resource use, about once a second: CPU in ECS
	// CPU units (1024 = one vCPU, from docker's CPU %), memory in MiB.
	Stats(name string, cpuUnits, memoryMiB float64)
	// Health is a container's health status from its health check
	// (HEALTHY, UNHEALTHY).
	Health(name, status string)
}

// StartedContainer is what the engine says about a started container.
type StartedContainer struct {
	// RuntimeID is the Docker container ID.
	RuntimeID string
	// ImageDigest is the image's ID (sha256:...).
	ImageDigest string
	// Ports are the host ports Docker bound, by container port and
	// protocol ("80/tcp"); BindIP is where they listen.
	Ports  map[string]int
	BindIP string
	// Note says something the user should know, e.g. that the image was
	// not on the engine and ecsbox/workload runs in its place.
	Note string
}

// TaskSpec is an ECS task as the driver runs it: the task definition with
// the request's overrides applied, and where ECS placed it.
type TaskSpec struct {
	TaskID, TaskARN, ClusterName string
	Family                       string
	Revision                     int
	// NetworkMode is bridge, host, awsvpc or none.
	NetworkMode string
	// VPC, VPCCIDR and IP: an awsvpc task's VPC, its CIDR block and the
	// ENI's private IP address.
	VPC, VPCCIDR, IP string
	// Fargate tasks get their task-level CPU as a hard limit.
	Fargate bool
	// CPU (units) and MemoryMiB are the task-level sizes; 0 if unset.
	CPU, MemoryMiB int
	// AZ is the task's Availability Zone, for the workload's metadata.
	AZ         string
	Containers []ContainerSpec
	Volumes    []VolumeSpec
}

// ContainerSpec is one container definition as the driver runs it.
type ContainerSpec struct {
	Name, Image string
	Essential   bool
	EntryPoint  []string
	Command     []string
	// Env is KEY=VALUE, sorted.
	Env        []string
	WorkingDir string
	User       string
	Hostname   string
	// CPU units, Memory and MemoryReservation in MiB; 0 when unset.
	CPU, Memory, MemoryReservation int
	Ports                          []PortSpec
	StopTimeout                    time.Duration
	HealthCheck                    *HealthCheckSpec
	DependsOn                      []Dependency
	Ulimits                        []UlimitSpec
	Labels                         map[string]string
	Mounts                         []MountSpec
	VolumesFrom                    []VolumesFromSpec
	ReadonlyRootfs                 bool
	DNS, DNSSearch, ExtraHosts     []string
	Init                           bool
	// Refused unless the driver allows host access.
	Privileged       bool
	PidMode, IpcMode string
	CapAdd, CapDrop  []string
	Devices          []string // host paths
}

// PortSpec is a port mapping; HostPort 0 asks for a dynamic port.
type PortSpec struct {
	ContainerPort, HostPort int
	Protocol                string // tcp or udp
}

// HealthCheckSpec is a container health check, as ECS passes it to Docker.
type HealthCheckSpec struct {
	Command                        []string
	Interval, Timeout, StartPeriod time.Duration
	Retries                        int
}

// Dependency is a dependsOn entry: START, COMPLETE, SUCCESS or HEALTHY.
type Dependency struct {
	Container, Condition string
}

// UlimitSpec is a ulimit.
type UlimitSpec struct {
	Name       string
	Soft, Hard int64
}

// MountSpec mounts a task volume.
type MountSpec struct {
	Volume, ContainerPath string
	ReadOnly              bool
}

// VolumesFromSpec mounts another container's volumes.
type VolumesFromSpec struct {
	Container string
	ReadOnly  bool
}

// VolumeSpec is a task volume: a host path (a bind mount, refused unless
// host access is allowed), a Docker volume, or neither: an empty volume
// that lives as long as the task.
type VolumeSpec struct {
	Name     string
	HostPath string
	Docker   *DockerVolumeSpec
}

// DockerVolumeSpec is a dockerVolumeConfiguration.
type DockerVolumeSpec struct {
	// Scope is task (removed with the task) or shared (kept).
	Scope         string
	Autoprovision bool
	Driver        string
	DriverOpts    map[string]string
	Labels        map[string]string
}

// HostAccessError is a refusal of something that reaches outside the
// container, when host access is not allowed.
type HostAccessError struct{ What []string }

func (e *HostAccessError) Error() string {
	return fmt.Sprintf("ecsbox refuses %s in docker mode; run with --allow-host to allow it", strings.Join(e.What, ", "))
}

// checkHostAccess lists what spec does that reaches the host: privileged
// containers, host bind mounts, host PID or IPC namespaces, added
// capabilities and devices (design.md, contract 6).
func checkHostAccess(spec *TaskSpec) error {
	var what []string
	for _, v := range spec.Volumes {
		if v.HostPath != "" {
			what = append(what, fmt.Sprintf("volume %q (a bind mount of host path %s)", v.Name, v.HostPath))
		}
	}
	for _, c := range spec.Containers {
		if c.Privileged {
			what = append(what, fmt.Sprintf("container %q (privileged)", c.Name))
		}
		if c.PidMode == "host" {
			what = append(what, fmt.Sprintf("container %q (pidMode host)", c.Name))
		}
		if c.IpcMode == "host" {
			what = append(what, fmt.Sprintf("container %q (ipcMode host)", c.Name))
		}
		if len(c.CapAdd) > 0 {
			caps := append([]string(nil), c.CapAdd...)
			sort.Strings(caps)
			what = append(what, fmt.Sprintf("container %q (capabilities %s)", c.Name, strings.Join(caps, ", ")))
		}
		if len(c.Devices) > 0 {
			what = append(what, fmt.Sprintf("container %q (devices %s)", c.Name, strings.Join(c.Devices, ", ")))
		}
	}
	if len(what) == 0 {
		return nil
	}
	return &HostAccessError{What: what}
}

// startOrder sorts containers so that each comes after the containers it
// depends on (definition order otherwise). ECS has already refused cycles
// and unknown names at registration; a cycle here keeps definition order.
func startOrder(cs []ContainerSpec) []ContainerSpec {
	index := map[string]int{}
	for i, c := range cs {
		index[c.Name] = i
	}
	var out []ContainerSpec
	state := make([]int, len(cs)) // 0 new, 1 visiting, 2 done
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return
		}
		state[i] = 1
		for _, d := range cs[i].DependsOn {
			if j, ok := index[d.Container]; ok {
				visit(j)
			}
		}
		state[i] = 2
		out = append(out, cs[i])
	}
	for i := range cs {
		visit(i)
	}
	return out
}

// cpuShares maps ECS container CPU units to Docker CPU shares as the ECS
// agent does: 0 would mean Docker's default 1024, so it becomes the minimum
// of 2; at most 262144 (aws/amazon-ecs-agent agent/api/task/task_linux.go,
// dockerCPUShares).
func cpuShares(units int) int64 {
	return int64(min(max(units, 2), 262144))
}
