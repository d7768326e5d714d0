package containers

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
)

// How ECS tasks become containers (task_linux.go and the container
// definitions' documentation in the ECS Developer Guide):
//
//	command, entryPoint, environment, workingDirectory, user, hostname
//	                      Cmd, Entrypoint, Env, WorkingDir, User, Hostname
//	cpu                   CpuShares (2 at least); on Fargate the task's cpu is
//	                      also a hard limit, NanoCPUs on each container
//	memory, memoryReservation
//	                      Memory, MemoryReservation (MiB to bytes); a
//	                      container without memory gets the task's memory
//	                      as its hard limit (Docker has no task cgroup)
//	stopTimeout           the SIGTERM-to-SIGKILL wait of docker stop
//	healthCheck           Healthcheck
//	dependsOn             start order; COMPLETE/SUCCESS wait for the exit,
//	                      HEALTHY for the health check
//	ulimits, dockerLabels Ulimits, Labels (with ECS's own labels)
//	volumes, mountPoints, volumesFrom
//	                      host sourcePath: a bind mount (--allow-host only);
//	                      no sourcePath: a volume that lives as long as the
//	                      task; dockerVolumeConfiguration: a named volume,
//	                      task or shared scope, autoprovision
//	networkMode           bridge: ports published on 127.0.0.1, always at a
//	                      host port Docker picks, read back into
//	                      networkBindings (every simulated instance is this
//	                      one host, so fixed host ports would collide); host;
//	                      none; awsvpc: a pause container per task on a
//	                      user-defined network per VPC (subnet = the VPC's
//	                      CIDR, so the ENI's IP is the container's), the
//	                      task's containers in its network namespace
//
// An image the engine does not have is not pulled (ecsbox has no
// registry): ecsbox/workload runs in its place, and the container's start
// says so.

// labelPause marks a task's pause container.
const labelPause = "ecsbox.pause"

// dockerTask is a task the driver runs.
type dockerTask struct {
	spec   *TaskSpec
	events TaskEvents
	ctx    context.Context // ends when the task is removed
	cancel context.CancelFunc

	mu         sync.Mutex
	pause      string            // the pause container's ID (awsvpc)
	ids        map[string]string // container name -> ID
	exited     map[string]int    // container name -> exit code
	health     map[string]string // container name -> health status
	volumes    []string          // task-scoped volumes created
	stopping   bool
	removed    bool
	changed    chan struct{} // closed and replaced when exits or health change
	stopIssued map[string]bool
}

func (t *dockerTask) notify() {
	close(t.changed)
	t.changed = make(chan struct{})
}

// Check refuses host access unless it is allowed.
func (d *Docker) Check(spec *TaskSpec) error {
	if d.allowHost {
		return nil
	}
	return checkHostAccess(spec)
}

// StartTask starts the task's containers in the background.
func (d *Docker) StartTask(spec *TaskSpec, events TaskEvents) {
	t := &dockerTask{spec: spec, events: events, ids: map[string]string{}, exited: map[string]int{},
		health: map[string]string{}, changed: make(chan struct{}), stopIssued: map[string]bool{}}
	t.ctx, t.cancel = context.WithCancel(d.ctx)
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		events.StartFailed("CannotStartContainerError: ecsbox is shutting down")
		return
	}
	d.tasks[spec.TaskID] = t
	d.mu.Unlock()
	d.goBackground(func() {
		if reason := d.start(t); reason != "" {
			events.StartFailed(reason)
			return
		}
		events.Started()
	})
}

// start creates and starts what the task needs; it returns ECS's
// stoppedReason when it cannot.
func (d *Docker) start(t *dockerTask) string {
	spec := t.spec
	ctx := t.ctx
	netMode := container.NetworkMode(spec.NetworkMode)
	var netConfig *network.NetworkingConfig
	switch spec.NetworkMode {
	case "", "bridge":
		netMode = "bridge"
	case "host", "none":
	case "awsvpc":
		net, err := d.vpcNetwork(ctx, spec.VPC, spec.VPCCIDR)
		if err != nil {
			return "ResourceInitializationError: " + err.Error()
		}
		id, err := d.startPause(t, net)
		if err != nil {
			return "ResourceInitializationError: creating the task's network namespace: " + err.Error()
		}
		netMode = container.NetworkMode("container:" + id)
	default:
		return "CannotCreateContainerError: network mode " + spec.NetworkMode + " is not supported in docker mode"
	}
	volumes, err := d.taskVolumes(t)
	if err != nil {
		return "CannotCreateContainerError: " + err.Error()
	}
	for _, c := range startOrder(spec.Containers) {
		if reason := d.waitDependencies(t, c); reason != "" {
			return reason
		}
		t.mu.Lock()
		stop := t.stopping || t.removed
		t.mu.Unlock()
		if stop {
			return "" // the task was stopped while it started; ECS knows
		}
		if reason := d.startContainer(t, c, netMode, netConfig, volumes); reason != "" {
			return reason
		}
	}
	return ""
}

// waitDependencies waits until c's dependsOn conditions hold.
func (d *Docker) waitDependencies(t *dockerTask, c ContainerSpec) string {
	for _, dep := range c.DependsOn {
		for {
			t.mu.Lock()
			code, exited := t.exited[dep.Container]
			health := t.health[dep.Container]
			changed := t.changed
			stop := t.stopping || t.removed
			t.mu.Unlock()
			if stop {
				return ""
			}
			done := false
			switch dep.Condition {
			case "COMPLETE":
				done = exited
			case "SUCCESS":
				if exited && code != 0 {
					// The agent's wording, reference 4.2; not verified.
					return fmt.Sprintf("CannotStartContainerError: dependency container %s exited with code %d, which does not satisfy the SUCCESS condition of container %s", dep.Container, code, c.Name)
				}
				done = exited
			case "HEALTHY":
				done = health == "HEALTHY"
			default: // START: the dependency was started before c
				done = true
			}
			if done {
				break
			}
			select {
			case <-changed:
			case <-t.ctx.Done():
				return ""
			}
		}
	}
	return ""
}

// imageInfo is a task image as the engine resolved it.
type imageInfo struct {
	ref, id, note string
}

// resolveImage returns the image to run for ref: ref itself when the engine
// has it, else the workload image, with a note.
func (d *Docker) resolveImage(ctx context.Context, ref string) (imageInfo, error) {
	d.mu.Lock()
	info, ok := d.images[ref]
	d.mu.Unlock()
	if ok {
		return info, nil
	}
	img, err := d.cli.ImageInspect(ctx, ref)
	switch {
	case err == nil:
		info = imageInfo{ref: ref, id: img.ID}
	case cerrdefs.IsNotFound(err):
		w, err := d.cli.ImageInspect(ctx, d.workload)
		if err != nil {
			return imageInfo{}, err
		}
		info = imageInfo{ref: d.workload, id: w.ID,
			note: fmt.Sprintf("image %s is not on the Docker Engine and ecsbox pulls nothing: %s runs in its place", ref, d.workload)}
	default:
		return imageInfo{}, err
	}
	d.mu.Lock()
	d.images[ref] = info
	d.mu.Unlock()
	return info, nil
}

// ForgetImage drops what the driver remembers about an image reference
// (the docker module retagged it).
func (d *Docker) ForgetImage(ref string) {
	d.mu.Lock()
	delete(d.images, ref)
	d.mu.Unlock()
}

func (d *Docker) containerName(spec *TaskSpec, name string) string {
	n := "ecsbox-" + d.runID + "-" + short(spec.TaskID) + "-" + name
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == '-' {
			return r
		}
		return '-'
	}, n)
}

func short(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// ecsLabels are the labels the ECS agent puts on a task's containers.
func (d *Docker) ecsLabels(spec *TaskSpec, name string) map[string]string {
	return d.labels(map[string]string{
		"com.amazonaws.ecs.cluster":                 spec.ClusterName,
		"com.amazonaws.ecs.container-name":          name,
		"com.amazonaws.ecs.task-arn":                spec.TaskARN,
		"com.amazonaws.ecs.task-definition-family":  spec.Family,
		"com.amazonaws.ecs.task-definition-version": strconv.Itoa(spec.Revision),
	})
}

// startContainer creates, starts and watches one container.
func (d *Docker) startContainer(t *dockerTask, c ContainerSpec, netMode container.NetworkMode, netConfig *network.NetworkingConfig, volumes map[string]string) string {
	ctx := t.ctx
	spec := t.spec
	img, err := d.resolveImage(ctx, c.Image)
	if err != nil {
		return "CannotPullContainerError: " + err.Error()
	}
	labels := d.ecsLabels(spec, c.Name)
	for k, v := range c.Labels {
		if _, taken := labels[k]; !taken {
			labels[k] = v
		}
	}
	env := append([]string(nil), c.Env...)
	env = append(env, workloadEnv(spec, c)...)
	cfg := &container.Config{
		Image:      img.id, // by ID: another run may retag the name
		Cmd:        c.Command,
		Entrypoint: c.EntryPoint,
		Env:        env,
		WorkingDir: c.WorkingDir,
		User:       c.User,
		Labels:     labels,
	}
	if netMode == "bridge" || netMode == "host" {
		cfg.Hostname = c.Hostname
	}
	if c.StopTimeout > 0 {
		secs := int(c.StopTimeout / time.Second)
		cfg.StopTimeout = &secs
	}
	if hc := c.HealthCheck; hc != nil {
		cfg.Healthcheck = &container.HealthConfig{Test: hc.Command, Interval: hc.Interval, Timeout: hc.Timeout, StartPeriod: hc.StartPeriod, Retries: hc.Retries}
	}
	host := &container.HostConfig{
		NetworkMode:    netMode,
		ReadonlyRootfs: c.ReadonlyRootfs,
		Privileged:     c.Privileged,
		CapAdd:         c.CapAdd,
		CapDrop:        c.CapDrop,
		DNS:            toAddrs(c.DNS),
		DNSSearch:      c.DNSSearch,
		ExtraHosts:     c.ExtraHosts,
		PidMode:        container.PidMode(c.PidMode),
		IpcMode:        container.IpcMode(c.IpcMode),
	}
	if c.Init {
		host.Init = &c.Init
	}
	host.Resources.CPUShares = cpuShares(c.CPU)
	if spec.Fargate && spec.CPU > 0 {
		host.Resources.NanoCPUs = int64(spec.CPU) * 1e9 / 1024
	}
	switch {
	case c.Memory > 0:
		host.Resources.Memory = int64(c.Memory) << 20
	case spec.MemoryMiB > 0:
		host.Resources.Memory = int64(spec.MemoryMiB) << 20
	}
	if c.MemoryReservation > 0 {
		host.Resources.MemoryReservation = int64(c.MemoryReservation) << 20
	}
	for _, u := range c.Ulimits {
		host.Resources.Ulimits = append(host.Resources.Ulimits, &container.Ulimit{Name: u.Name, Soft: u.Soft, Hard: u.Hard})
	}
	for _, dev := range c.Devices {
		host.Resources.Devices = append(host.Resources.Devices, container.DeviceMapping{PathOnHost: dev, PathInContainer: dev, CgroupPermissions: "rwm"})
	}
	for _, m := range c.Mounts {
		src, ok := volumes[m.Volume]
		if !ok {
			return fmt.Sprintf("CannotCreateContainerError: container %s mounts volume %s, which the task does not have", c.Name, m.Volume)
		}
		typ := mount.TypeVolume
		if strings.HasPrefix(src, "/") {
			typ = mount.TypeBind
		}
		host.Mounts = append(host.Mounts, mount.Mount{Type: typ, Source: src, Target: m.ContainerPath, ReadOnly: m.ReadOnly})
	}
	t.mu.Lock()
	for _, vf := range c.VolumesFrom {
		id, ok := t.ids[vf.Container]
		if !ok {
			t.mu.Unlock()
			return fmt.Sprintf("CannotCreateContainerError: container %s takes volumes from %s, which has not been created", c.Name, vf.Container)
		}
		if vf.ReadOnly {
			id += ":ro"
		}
		host.VolumesFrom = append(host.VolumesFrom, id)
	}
	t.mu.Unlock()
	if netMode == "bridge" {
		cfg.ExposedPorts = network.PortSet{}
		host.PortBindings = network.PortMap{}
		for _, p := range c.Ports {
			port, err := network.ParsePort(fmt.Sprintf("%d/%s", p.ContainerPort, protoOr(p.Protocol)))
			if err != nil {
				return "CannotCreateContainerError: " + err.Error()
			}
			cfg.ExposedPorts[port] = struct{}{}
			host.PortBindings[port] = []network.PortBinding{{HostIP: netip.MustParseAddr(bindIP)}}
		}
	}
	created, err := d.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: d.containerName(spec, c.Name), Config: cfg, HostConfig: host, NetworkingConfig: netConfig,
	})
	if err != nil {
		return "CannotCreateContainerError: Error response from daemon: " + daemonText(err)
	}
	t.mu.Lock()
	t.ids[c.Name] = created.ID
	removed := t.removed
	t.mu.Unlock()
	if removed {
		d.removeContainer(created.ID)
		return ""
	}
	// Wait before starting, so that no exit is missed.
	wait := d.cli.ContainerWait(d.ctx, created.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := d.cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return "CannotStartContainerError: Error response from daemon: " + daemonText(err)
	}
	info := StartedContainer{RuntimeID: created.ID, ImageDigest: img.id, Note: img.note}
	if netMode == "bridge" && len(c.Ports) > 0 {
		ins, err := d.cli.ContainerInspect(ctx, created.ID, client.ContainerInspectOptions{})
		if err == nil && ins.Container.NetworkSettings != nil {
			info.BindIP = bindIP
			info.Ports = map[string]int{}
			for port, bindings := range ins.Container.NetworkSettings.Ports {
				for _, b := range bindings {
					if n, err := strconv.Atoi(b.HostPort); err == nil {
						info.Ports[port.String()] = n
					}
				}
			}
		}
	}
	t.events.ContainerStarted(c.Name, info)
	d.watch(t, c, created.ID, wait)
	return ""
}

// bindIP is where bridge tasks' ports listen on the host: loopback only,
// the sandbox has no network (design.md, contract 6).
const bindIP = "127.0.0.1"

func protoOr(p string) string {
	if p == "" {
		return "tcp"
	}
	return p
}

func toAddrs(ss []string) []netip.Addr {
	var out []netip.Addr
	for _, s := range ss {
		if a, err := netip.ParseAddr(s); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// daemonText is the daemon's message in a client error.
func daemonText(err error) string {
	s := err.Error()
	return strings.TrimPrefix(s, "Error response from daemon: ")
}

// workloadEnv tells the workload image who it is: the task's metadata,
// which its HTTP server answers with, and the ports to listen on.
func workloadEnv(spec *TaskSpec, c ContainerSpec) []string {
	var ports []string
	for _, p := range c.Ports {
		if protoOr(p.Protocol) == "tcp" {
			ports = append(ports, strconv.Itoa(p.ContainerPort))
		}
	}
	out := []string{
		"ECSBOX_CLUSTER=" + spec.ClusterName,
		"ECSBOX_TASK_ARN=" + spec.TaskARN,
		"ECSBOX_TASK_DEFINITION=" + spec.Family + ":" + strconv.Itoa(spec.Revision),
		"ECSBOX_CONTAINER_NAME=" + c.Name,
		"ECSBOX_AVAILABILITY_ZONE=" + spec.AZ,
	}
	if spec.IP != "" {
		out = append(out, "ECSBOX_PRIVATE_IP="+spec.IP)
	}
	if len(ports) > 0 {
		out = append(out, "ECSBOX_PORTS="+strings.Join(ports, ","))
	}
	return out
}

// vpcNetwork is the Docker network of a VPC.
type vpcNetwork struct {
	name   string
	exact  bool // its subnet is the VPC's CIDR: ENI IPs are container IPs
	once   sync.Once
	err    error
	subnet netip.Prefix
}

// vpcNetwork returns (creating it once) the network of a VPC: a bridge
// network whose subnet is the VPC's CIDR when the daemon allows it (no
// other network has it), else one Docker numbers itself, where containers
// get other addresses than their ENIs.
func (d *Docker) vpcNetwork(ctx context.Context, vpc, cidr string) (*vpcNetwork, error) {
	d.mu.Lock()
	n, ok := d.networks[vpc]
	if !ok {
		n = &vpcNetwork{name: "ecsbox-" + d.runID + "-" + vpc}
		d.networks[vpc] = n
	}
	d.mu.Unlock()
	n.once.Do(func() {
		opts := client.NetworkCreateOptions{Driver: "bridge", Labels: d.labels(map[string]string{"ecsbox.vpc": vpc})}
		if p, err := netip.ParsePrefix(cidr); err == nil {
			opts.IPAM = &network.IPAM{Config: []network.IPAMConfig{{Subnet: p.Masked(), Gateway: p.Masked().Addr().Next()}}}
			if _, err := d.cli.NetworkCreate(ctx, n.name, opts); err == nil {
				n.exact, n.subnet = true, p.Masked()
				return
			}
			opts.IPAM = nil
		}
		_, n.err = d.cli.NetworkCreate(ctx, n.name, opts)
		if n.err != nil {
			n.err = fmt.Errorf("creating network %s for VPC %s: %s", n.name, vpc, daemonText(n.err))
		}
	})
	return n, n.err
}

// startPause starts an awsvpc task's pause container, which holds the
// network namespace (and the ENI's IP) its containers share, as the ECS
// agent's pause container does.
func (d *Docker) startPause(t *dockerTask, n *vpcNetwork) (string, error) {
	ctx := t.ctx
	endpoint := &network.EndpointSettings{}
	if ip, err := netip.ParseAddr(t.spec.IP); err == nil && n.exact && n.subnet.Contains(ip) {
		endpoint.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: ip}
	}
	labels := d.ecsLabels(t.spec, "~internal~ecs~pause")
	labels[labelPause] = "true"
	created, err := d.cli.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name:             d.containerName(t.spec, "pause"),
		Config:           &container.Config{Image: d.workload, Cmd: []string{"pause"}, Labels: labels},
		HostConfig:       &container.HostConfig{NetworkMode: container.NetworkMode(n.name)},
		NetworkingConfig: &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{n.name: endpoint}},
	})
	if err != nil {
		return "", fmt.Errorf("%s", daemonText(err))
	}
	t.mu.Lock()
	t.pause = created.ID
	t.mu.Unlock()
	if _, err := d.cli.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return "", fmt.Errorf("%s", daemonText(err))
	}
	return created.ID, nil
}

// PauseIP is the address of an awsvpc task's pause container on its VPC
// network ("" if none): the ENI's IP, unless the VPC's network could not
// take the VPC's CIDR.
func (d *Docker) PauseIP(ctx context.Context, taskID string) string {
	d.mu.Lock()
	t := d.tasks[taskID]
	d.mu.Unlock()
	if t == nil {
		return ""
	}
	t.mu.Lock()
	id := t.pause
	t.mu.Unlock()
	if id == "" {
		return ""
	}
	ins, err := d.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil || ins.Container.NetworkSettings == nil {
		return ""
	}
	for _, ep := range ins.Container.NetworkSettings.Networks {
		if ep != nil && ep.IPAddress.IsValid() {
			return ep.IPAddress.String()
		}
	}
	return ""
}

// taskVolumes creates the task's volumes and returns, by volume name, the
// source to mount: a volume name, or a host path (starting with /).
func (d *Docker) taskVolumes(t *dockerTask) (map[string]string, error) {
	ctx := t.ctx
	out := map[string]string{}
	for _, v := range t.spec.Volumes {
		switch {
		case v.HostPath != "":
			out[v.Name] = v.HostPath
		case v.Docker != nil && v.Docker.Scope == "shared":
			_, err := d.cli.VolumeInspect(ctx, v.Name, client.VolumeInspectOptions{})
			if cerrdefs.IsNotFound(err) {
				if !v.Docker.Autoprovision {
					// text not verified
					return nil, fmt.Errorf("shared volume %s does not exist and autoprovision is false", v.Name)
				}
				if _, err = d.cli.VolumeCreate(ctx, client.VolumeCreateOptions{Name: v.Name, Driver: v.Docker.Driver, DriverOpts: v.Docker.DriverOpts, Labels: d.labels(v.Docker.Labels)}); err != nil {
					return nil, fmt.Errorf("creating volume %s: %s", v.Name, daemonText(err))
				}
				d.mu.Lock()
				d.shared = append(d.shared, v.Name)
				d.mu.Unlock()
			} else if err != nil {
				return nil, err
			}
			out[v.Name] = v.Name
		default:
			name := "ecsbox-" + d.runID + "-" + short(t.spec.TaskID) + "-" + v.Name
			opts := client.VolumeCreateOptions{Name: name, Labels: d.labels(nil)}
			if v.Docker != nil {
				opts.Driver, opts.DriverOpts = v.Docker.Driver, v.Docker.DriverOpts
				opts.Labels = d.labels(v.Docker.Labels)
			}
			if _, err := d.cli.VolumeCreate(ctx, opts); err != nil {
				return nil, fmt.Errorf("creating volume %s: %s", name, daemonText(err))
			}
			t.mu.Lock()
			t.volumes = append(t.volumes, name)
			t.mu.Unlock()
			out[v.Name] = name
		}
	}
	return out, nil
}

// StopTask stops the task's containers: docker stop, which sends SIGTERM
// and SIGKILL after the container's stop timeout.
func (d *Docker) StopTask(taskID string) {
	d.mu.Lock()
	t := d.tasks[taskID]
	d.mu.Unlock()
	if t == nil {
		return
	}
	t.mu.Lock()
	t.stopping = true
	t.notify()
	var names []string
	for name := range t.ids {
		if _, done := t.exited[name]; !done && !t.stopIssued[name] {
			names = append(names, name)
			t.stopIssued[name] = true
		}
	}
	t.mu.Unlock()
	sort.Strings(names)
	for _, name := range names {
		timeout := int(defaultStopTimeout / time.Second)
		for _, c := range t.spec.Containers {
			if c.Name == name && c.StopTimeout > 0 {
				timeout = int(c.StopTimeout / time.Second)
			}
		}
		t.mu.Lock()
		id := t.ids[name]
		t.mu.Unlock()
		d.goBackground(func() {
			_, _ = d.cli.ContainerStop(d.ctx, id, client.ContainerStopOptions{Timeout: &timeout})
		})
	}
}

// defaultStopTimeout is the ECS agent's default wait between SIGTERM and
// SIGKILL (ECS_CONTAINER_STOP_TIMEOUT).
const defaultStopTimeout = 30 * time.Second

// RemoveTask removes the task's containers, pause container and
// task-scoped volumes.
func (d *Docker) RemoveTask(taskID string) {
	d.mu.Lock()
	t := d.tasks[taskID]
	delete(d.tasks, taskID)
	d.mu.Unlock()
	if t == nil {
		return
	}
	t.mu.Lock()
	t.removed = true
	t.notify()
	var ids []string
	for _, id := range t.ids {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	pause := t.pause
	volumes := t.volumes
	t.mu.Unlock()
	t.cancel()
	d.goBackground(func() {
		for _, id := range ids {
			d.removeContainer(id)
		}
		if pause != "" {
			d.removeContainer(pause)
		}
		for _, v := range volumes {
			_, _ = d.cli.VolumeRemove(d.ctx, v, client.VolumeRemoveOptions{Force: true})
		}
	})
}

func (d *Docker) removeContainer(id string) {
	_, _ = d.cli.ContainerRemove(d.ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
}
