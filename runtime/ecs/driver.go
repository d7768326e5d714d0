package ecs

import (
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cmdline"
	"github.com/ecsbox/ecsbox/runtime/containers"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// Docker mode: tasks as real containers. ECS stays the control plane
// (placement, services, scaling and IAM are the same code); with a driver,
// the step where a simulated task would start its containers (the end of
// PENDING) starts real ones instead, and what they do comes back through
// sim.Inject:
//
//	a container starts        its runtimeId, imageDigest and, in bridge mode,
//	                          the host ports Docker picked (networkBindings)
//	every container started   the task is RUNNING
//	a container exits         containers[].exitCode; an essential one stops
//	                          the task (EssentialContainerExited)
//	it prints a line          the line goes to its awslogs stream
//	its stats (each second)   the load model uses them instead of demand():
//	                          CPUUtilization and MemoryUtilization are real
//	its health check          containers[].healthStatus
//
// Stopping the task stops the containers (SIGTERM, SIGKILL after
// stopTimeout) and STOPPED removes them. ECS Exec runs the command in the
// container. The steps Docker itself does (ENI attach, image pull, container
// start, ENI detach) take the real time they take, not the model's.

// SetDriver runs the account's tasks on d from now on (docker mode). The
// simulation must follow the wall clock (sim.FollowWallClock).
func (e *ECS) SetDriver(d containers.Driver) { e.driver = d }

// realTask is the state of a task whose containers are real.
type realTask struct {
	// use is each container's latest measured use.
	use map[string]usage
}

// measured is what the task's containers used at their last stats.
func (r *realTask) measured() usage {
	names := make([]string, 0, len(r.use))
	for n := range r.use {
		names = append(names, n)
	}
	sort.Strings(names)
	var u usage
	for _, n := range names {
		u.cpu += r.use[n].cpu
		u.memory += r.use[n].memory
	}
	return u
}

// modelDelay is d for the simulated steps Docker does for real in docker
// mode (they then take no simulated time on top of the real one).
func (e *ECS) modelDelay(d time.Duration) time.Duration {
	if e.driver != nil {
		return 0
	}
	return d
}

// startReal starts the task's containers on the driver, at the end of
// PENDING (the image checks of pullImages have passed).
func (e *ECS) startReal(t *task) {
	for _, c := range t.containers {
		c.runtimeID = e.sim.Hex(64) // the log stream's name until Docker names it
	}
	if problem := e.setupLogs(t); problem != "" {
		e.failToStart(t, problem)
		return
	}
	spec := e.containerTaskSpec(t)
	if err := e.driver.Check(spec); err != nil {
		// ecsbox's own refusal (design.md, contract 6)
		e.failToStart(t, "CannotStartContainerError: "+err.Error())
		return
	}
	t.real = &realTask{use: map[string]usage{}}
	e.sim.Recordf("ecs", "ContainersStarting", t.arn, "task %s: starting %d containers on the Docker Engine", t.id, len(t.containers))
	e.driver.StartTask(spec, realEvents{e: e, t: t})
}

// realEvents hands what the driver reports to the simulation's goroutine.
type realEvents struct {
	e *ECS
	t *task
}

func (ev realEvents) do(fn func()) { ev.e.sim.Inject(fn) }

func (ev realEvents) ContainerStarted(name string, info containers.StartedContainer) {
	ev.do(func() { ev.e.realContainerStarted(ev.t, name, info) })
}
func (ev realEvents) ContainerExited(name string, code int, oom bool) {
	ev.do(func() { ev.e.realContainerExited(ev.t, name, code, oom) })
}
func (ev realEvents) Started()                  { ev.do(func() { ev.e.realStarted(ev.t) }) }
func (ev realEvents) StartFailed(reason string) { ev.do(func() { ev.e.failToStart(ev.t, reason) }) }
func (ev realEvents) Log(name, line string) {
	ev.do(func() {
		if c := ev.t.container(name); c != nil {
			ev.e.logLine(c, "%s", line)
		}
	})
}
func (ev realEvents) Stats(name string, cpuUnits, memoryMiB float64) {
	ev.do(func() {
		if ev.t.real != nil && ev.t.lastStatus == taskRunning {
			ev.t.real.use[name] = usage{cpu: cpuUnits, memory: memoryMiB}
		}
	})
}
func (ev realEvents) Health(name, status string) {
	ev.do(func() {
		if c := ev.t.container(name); c != nil && c.healthStatus != status {
			c.healthStatus = status
			ev.t.version++
			ev.e.sim.Recordf("ecs", "ContainerHealth", ev.t.arn, "container %s of task %s is %s", name, ev.t.id, status)
		}
	})
}

func (t *task) container(name string) *container {
	for _, c := range t.containers {
		if c.name == name {
			return c
		}
	}
	return nil
}

func (e *ECS) realContainerStarted(t *task, name string, info containers.StartedContainer) {
	c := t.container(name)
	if c == nil || c.lastStatus == taskStopped || t.desiredStatus == taskStopped {
		return
	}
	c.runtimeID = info.RuntimeID
	c.imageDigest = info.ImageDigest
	c.lastStatus = taskRunning
	for i := range c.bindings {
		b := &c.bindings[i]
		key := fmt.Sprintf("%d/%s", aws.ToInt(b.ContainerPort), protocolOf(b.Protocol))
		if port, ok := info.Ports[key]; ok {
			*b.HostPort = port
			bind := info.BindIP
			b.BindIP = &bind
		}
	}
	t.version++
	if info.Note != "" {
		e.sim.Recordf("ecs", "ImageReplaced", t.arn, "container %s of task %s: %s", name, t.id, info.Note)
	}
}

// realStarted: every container was started; the task is RUNNING.
func (e *ECS) realStarted(t *task) {
	if t.desiredStatus == taskStopped || t.lastStatus != taskPending {
		return
	}
	e.startSampler()
	t.pullStoppedAt = e.nowPtr()
	t.startedAt = e.nowPtr()
	if t.instance != nil {
		for _, c := range t.containers {
			t.instance.pulled[c.image] = true
		}
	}
	e.activate(t)
	e.setStatus(t, taskRunning)
	e.scheduleSpotInterruption(t)
}

func (e *ECS) realContainerExited(t *task, name string, code int, oom bool) {
	c := t.container(name)
	if c == nil {
		return
	}
	if oom && c.lastStatus != taskStopped {
		// The agent's text for an OOM-killed container (reference 4.2).
		c.reason = "OutOfMemoryError: Container killed due to memory usage"
	}
	if c.lastStatus == taskPending {
		c.lastStatus = taskRunning // it ran, briefly: a dependency that completed
	}
	delete(t.real.use, name)
	e.containerExited(t, c, code)
}

// execReal runs an ECS Exec command in a real container. ECS Exec runs the
// command without a shell [DG:ecs-exec]: the words are the argv.
func (e *ECS) execReal(t *task, c *container, command string) {
	e.sim.Recordf("ecs", "ExecuteCommand", t.arn, "executed %q in container %s of task %s", command, c.name, t.id)
	e.driver.Exec(t.id, c.name, cmdline.Words(command))
}

// containerTaskSpec is the task as the driver runs it: the task definition
// with the run's overrides, and where placement put it.
func (e *ECS) containerTaskSpec(t *task) *containers.TaskSpec {
	spec := &containers.TaskSpec{
		TaskID: t.id, TaskARN: t.arn, ClusterName: t.cluster.name,
		Family: deref(t.def.Family), Revision: aws.ToInt(t.def.Revision),
		NetworkMode: networkModeOf(t.def),
		Fargate:     t.launchType == launchFargate,
		AZ:          t.az,
	}
	spec.CPU, _ = strconv.Atoi(t.cpu)
	if n := atoiOr(t.def.Memory, 0); n > 0 {
		spec.MemoryMiB, _ = strconv.Atoi(t.memory)
	}
	if t.eni != nil {
		spec.IP = t.eni.privateIP
		if sn, ok := e.ec2.Subnet(t.eni.subnetID); ok {
			spec.VPC = sn.VPCID
			spec.VPCCIDR = e.vpcCIDR(sn.VPCID)
		}
	}
	for _, v := range t.def.Volumes {
		vs := containers.VolumeSpec{Name: deref(v.Name)}
		if v.Host != nil {
			vs.HostPath = deref(v.Host.SourcePath)
		}
		if dv := v.DockerVolumeConfiguration; dv != nil {
			vs.Docker = &containers.DockerVolumeSpec{Scope: deref(dv.Scope), Autoprovision: dv.Autoprovision != nil && *dv.Autoprovision,
				Driver: deref(dv.Driver), DriverOpts: dv.DriverOpts, Labels: dv.Labels}
			if vs.Docker.Scope == "" {
				vs.Docker.Scope = "task"
			}
		}
		spec.Volumes = append(spec.Volumes, vs)
	}
	spec.Containers = make([]containers.ContainerSpec, 0, len(t.containers))
	for i, cd := range t.def.ContainerDefinitions {
		c := t.containers[i]
		cs := containers.ContainerSpec{
			Name: c.name, Image: c.image, Essential: c.essential,
			EntryPoint: cd.EntryPoint, Command: c.command,
			Env:        e.containerEnv(t, cd),
			WorkingDir: deref(cd.WorkingDirectory), User: deref(cd.User), Hostname: deref(cd.Hostname),
			CPU: c.cpu, StopTimeout: c.stopTimeout, Labels: cd.DockerLabels,
			ReadonlyRootfs: cd.ReadonlyRootFilesystem != nil && *cd.ReadonlyRootFilesystem,
			Privileged:     cd.Privileged != nil && *cd.Privileged,
			DNS:            cd.DnsServers, DNSSearch: cd.DnsSearchDomains,
			PidMode: deref(t.def.PidMode), IpcMode: deref(t.def.IpcMode),
		}
		if c.memory != nil {
			cs.Memory = *c.memory
		}
		if c.memReservation != nil {
			cs.MemoryReservation = *c.memReservation
		}
		for _, pm := range cd.PortMappings {
			cs.Ports = append(cs.Ports, containers.PortSpec{ContainerPort: aws.ToInt(pm.ContainerPort), HostPort: aws.ToInt(pm.HostPort), Protocol: protocolOf(pm.Protocol)})
		}
		if hc := cd.HealthCheck; hc != nil {
			cs.HealthCheck = &containers.HealthCheckSpec{Command: hc.Command, Retries: 3,
				Interval: 30 * time.Second, Timeout: 5 * time.Second} // ECS's defaults [API:HealthCheck]
			if hc.Interval != nil {
				cs.HealthCheck.Interval = secondsOf(*hc.Interval)
			}
			if hc.Timeout != nil {
				cs.HealthCheck.Timeout = secondsOf(*hc.Timeout)
			}
			if hc.Retries != nil {
				cs.HealthCheck.Retries = *hc.Retries
			}
			if hc.StartPeriod != nil {
				cs.HealthCheck.StartPeriod = secondsOf(*hc.StartPeriod)
			}
		}
		for _, dep := range cd.DependsOn {
			cs.DependsOn = append(cs.DependsOn, containers.Dependency{Container: deref(dep.ContainerName), Condition: deref(dep.Condition)})
		}
		for _, u := range cd.Ulimits {
			cs.Ulimits = append(cs.Ulimits, containers.UlimitSpec{Name: deref(u.Name), Soft: int64(aws.ToInt(u.SoftLimit)), Hard: int64(aws.ToInt(u.HardLimit))})
		}
		for _, m := range cd.MountPoints {
			cs.Mounts = append(cs.Mounts, containers.MountSpec{Volume: deref(m.SourceVolume), ContainerPath: deref(m.ContainerPath), ReadOnly: m.ReadOnly != nil && *m.ReadOnly})
		}
		for _, vf := range cd.VolumesFrom {
			cs.VolumesFrom = append(cs.VolumesFrom, containers.VolumesFromSpec{Container: deref(vf.SourceContainer), ReadOnly: vf.ReadOnly != nil && *vf.ReadOnly})
		}
		for _, h := range cd.ExtraHosts {
			cs.ExtraHosts = append(cs.ExtraHosts, deref(h.Hostname)+":"+deref(h.IpAddress))
		}
		if lp := cd.LinuxParameters; lp != nil {
			cs.Init = lp.InitProcessEnabled != nil && *lp.InitProcessEnabled
			if lp.Capabilities != nil {
				cs.CapAdd, cs.CapDrop = lp.Capabilities.Add, lp.Capabilities.Drop
			}
			for _, d := range lp.Devices {
				cs.Devices = append(cs.Devices, deref(d.HostPath))
			}
		}
		spec.Containers = append(spec.Containers, cs)
	}
	return spec
}

// containerEnv is the container's environment: the definition's, then the
// run's overrides, as KEY=VALUE sorted by key.
func (e *ECS) containerEnv(t *task, cd ContainerDefinition) []string {
	env := map[string]string{}
	for _, kv := range cd.Environment {
		env[deref(kv.Name)] = deref(kv.Value)
	}
	spec := taskSpec{overrides: t.overrides}
	if o := spec.containerOverride(deref(cd.Name)); o != nil {
		for _, kv := range o.Environment {
			env[deref(kv.Name)] = deref(kv.Value)
		}
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + env[k]
	}
	return out
}

// vpcCIDR is a VPC's IPv4 CIDR block ("" if unknown).
func (e *ECS) vpcCIDR(vpcID string) string {
	res, err := e.ec2.DescribeVpcs(&ec2.DescribeVpcsRequest{VpcIds: []string{vpcID}})
	if err != nil || len(res.Vpcs) == 0 {
		return ""
	}
	return deref(res.Vpcs[0].CidrBlock)
}
