package containers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"
)

// Docker is the Docker Engine driver: ECS tasks as real containers on the
// engine DOCKER_HOST names (or the default socket), through
// github.com/moby/moby/client, the maintained successor of
// github.com/docker/docker/client. The client negotiates the API version
// with the daemon (it supports API 1.40 to 1.57; Docker Engine 19.03 and
// later).
//
// Everything it creates (containers, networks, volumes) carries the labels
// ecsbox.run (the run's ID), ecsbox.pid and ecsbox.host, so that Close
// removes what this run made, and a later run removes what runs that were
// killed left behind (Prune). The workload image is kept as a cache, keyed
// by the binary it holds (workload.go).
type Docker struct {
	cli       *client.Client
	runID     string
	allowHost bool
	workload  string // the workload image's reference
	// ctx ends when the driver closes; background work runs under it.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu       sync.Mutex
	tasks    map[string]*dockerTask
	networks map[string]*vpcNetwork // by VPC ID
	shared   []string               // shared volumes this run created
	images   map[string]imageInfo   // resolved task images, by reference
	tagged   []string               // names the docker module tagged (docker_engine.go)
	closed   bool
}

// Labels every object the driver creates carries.
const (
	LabelRun  = "ecsbox.run"
	LabelPID  = "ecsbox.pid"
	LabelHost = "ecsbox.host"
)

// DockerConfig configures the driver.
type DockerConfig struct {
	// AllowHost lets tasks use privileged containers, host bind mounts,
	// host PID/IPC, added capabilities and devices (--allow-host).
	AllowHost bool
	// WorkloadBinary is the linux ecsbox binary the workload image holds;
	// empty: $ECSBOX_WORKLOAD_BINARY, else the running executable.
	WorkloadBinary string
	// Notes receives what the driver wants the user to know (leftovers
	// removed); nil drops it.
	Notes func(string)
}

// NewDocker connects to the engine, removes what killed runs left behind,
// and makes sure the workload image is there.
func NewDocker(ctx context.Context, cfg DockerConfig) (*Docker, error) {
	cli, err := Connect(ctx)
	if err != nil {
		return nil, err
	}
	d := &Docker{cli: cli, runID: newRunID(), allowHost: cfg.AllowHost,
		tasks: map[string]*dockerTask{}, networks: map[string]*vpcNetwork{}, images: map[string]imageInfo{}}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	if removed, err := Prune(ctx, cli, false); err != nil {
		cli.Close()
		return nil, err
	} else if removed > 0 && cfg.Notes != nil {
		cfg.Notes(fmt.Sprintf("removed %d Docker objects left behind by ecsbox runs that were killed", removed))
	}
	if d.workload, err = ensureWorkloadImage(ctx, cli, cfg.WorkloadBinary); err != nil {
		cli.Close()
		return nil, err
	}
	return d, nil
}

// Connect returns a client of the engine the environment names, after a
// ping that settles the API version.
func Connect(ctx context.Context) (*client.Client, error) {
	cli, err := client.New(client.FromEnv)
	if err != nil {
		return nil, fmt.Errorf("docker: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := cli.Ping(pctx, client.PingOptions{NegotiateAPIVersion: true}); err != nil {
		cli.Close()
		return nil, fmt.Errorf("docker mode needs a Docker Engine (DOCKER_HOST or the default socket): %w", err)
	}
	return cli, nil
}

// RunID is the ID the driver labels its objects with.
func (d *Docker) RunID() string { return d.runID }

// WorkloadImage is the reference of the workload image.
func (d *Docker) WorkloadImage() string { return d.workload }

// Client is the engine client, for the docker module's real engine.
func (d *Docker) Client() *client.Client { return d.cli }

func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// labels are the labels of an object the driver creates, with extra ones.
func (d *Docker) labels(extra map[string]string) map[string]string {
	host, _ := os.Hostname()
	out := map[string]string{LabelRun: d.runID, LabelPID: strconv.Itoa(os.Getpid()), LabelHost: host}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// Close stops the background work and removes every container, network and
// volume of this run. It is safe to call more than once.
func (d *Docker) Close() error {
	d.mu.Lock()
	if d.closed {
		d.mu.Unlock()
		return nil
	}
	d.closed = true
	d.mu.Unlock()
	d.cancel() // ends the background work: starts, watchers, removals
	d.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	d.untagMirrors(ctx)
	_, err := removeUntilGone(ctx, d.cli, func(labels map[string]string) bool { return labels[LabelRun] == d.runID })
	if cerr := d.cli.Close(); err == nil {
		err = cerr
	}
	return err
}

// go runs fn in the background, counted, unless the driver is closed.
func (d *Docker) goBackground(fn func()) {
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		fn()
	}()
}

// Prune removes the containers, networks and volumes of ecsbox runs that
// are over: those labelled by a process of this host that no longer runs.
// With all, it removes every ecsbox object, live runs' too. It returns how
// many objects it removed.
func Prune(ctx context.Context, cli *client.Client, all bool) (int, error) {
	host, _ := os.Hostname()
	return removeUntilGone(ctx, cli, func(labels map[string]string) bool {
		if labels[LabelRun] == "" {
			return false
		}
		if all {
			return true
		}
		pid, err := strconv.Atoi(labels[LabelPID])
		return labels[LabelHost] == host && err == nil && !processRuns(pid)
	})
}

// processRuns reports whether a process with this ID exists.
func processRuns(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// removeUntilGone removes what match holds for until a pass finds nothing
// left, for up to 9 s, and returns how much it removed. A removal the
// daemon is still doing (one a cancelled request or a killed run asked
// for) makes a pass fail ("removal of container ... is already in
// progress") and keeps the object listed until it ends, and a create a
// killed run sent may still land.
func removeUntilGone(ctx context.Context, cli *client.Client, match func(map[string]string) bool) (int, error) {
	total := 0
	var err error
	for try := 0; try < 30; try++ {
		var n int
		n, err = removeLabelled(ctx, cli, match)
		total += n
		if err == nil && n == 0 {
			break
		}
		time.Sleep(300 * time.Millisecond)
	}
	return total, err
}

// removeLabelled removes the containers, then the networks, then the
// volumes carrying the ecsbox.run label for which match holds.
func removeLabelled(ctx context.Context, cli *client.Client, match func(map[string]string) bool) (int, error) {
	filter := make(client.Filters).Add("label", LabelRun)
	removed := 0
	var errs []error
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: filter})
	if err != nil {
		return 0, fmt.Errorf("docker: listing containers: %w", err)
	}
	// Containers sharing a pause container's network go first.
	sort.SliceStable(cs.Items, func(i, j int) bool {
		return cs.Items[i].Labels[labelPause] == "" && cs.Items[j].Labels[labelPause] != ""
	})
	for _, c := range cs.Items {
		if !match(c.Labels) {
			continue
		}
		if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: filter})
	if err != nil {
		return removed, fmt.Errorf("docker: listing networks: %w", err)
	}
	for _, n := range ns.Items {
		if !match(n.Labels) {
			continue
		}
		if _, err := cli.NetworkRemove(ctx, n.ID, client.NetworkRemoveOptions{}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: filter})
	if err != nil {
		return removed, fmt.Errorf("docker: listing volumes: %w", err)
	}
	for _, v := range vs.Items {
		if !match(v.Labels) {
			continue
		}
		if _, err := cli.VolumeRemove(ctx, v.Name, client.VolumeRemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

// Leftovers lists the containers, networks and volumes labelled with run
// (any run if empty), as "container NAME" lines, sorted.
func Leftovers(ctx context.Context, cli *client.Client, run string) ([]string, error) {
	label := LabelRun
	if run != "" {
		label += "=" + run
	}
	filter := make(client.Filters).Add("label", label)
	var out []string
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: filter})
	if err != nil {
		return nil, err
	}
	for _, c := range cs.Items {
		name := c.ID
		if len(c.Names) > 0 {
			name = c.Names[0]
		}
		out = append(out, "container "+name)
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: filter})
	if err != nil {
		return nil, err
	}
	for _, n := range ns.Items {
		out = append(out, "network "+n.Name)
	}
	vs, err := cli.VolumeList(ctx, client.VolumeListOptions{Filters: filter})
	if err != nil {
		return nil, err
	}
	for _, v := range vs.Items {
		out = append(out, "volume "+v.Name)
	}
	sort.Strings(out)
	return out, nil
}
