package containers

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// watch follows a started container: its exit, its output, its resource
// use and its health, each reported to the task's events.
func (d *Docker) watch(t *dockerTask, c ContainerSpec, id string, wait client.ContainerWaitResult) {
	d.goBackground(func() { d.waitExit(t, c.Name, id, wait) })
	d.goBackground(func() { d.followLogs(t, c.Name, id) })
	d.goBackground(func() { d.followStats(t, c.Name, id) })
	if c.HealthCheck != nil {
		d.goBackground(func() { d.followHealth(t, c.Name, id) })
	}
}

// waitExit reports the container's exit code, and whether the kernel
// killed it for memory.
func (d *Docker) waitExit(t *dockerTask, name, id string, wait client.ContainerWaitResult) {
	var code int
	select {
	case res := <-wait.Result:
		code = int(res.StatusCode)
	case <-wait.Error:
		return // the driver closed, or the container was removed
	}
	oom := false
	if ins, err := d.cli.ContainerInspect(d.ctx, id, client.ContainerInspectOptions{}); err == nil && ins.Container.State != nil {
		oom = ins.Container.State.OOMKilled
	}
	t.mu.Lock()
	t.exited[name] = code
	t.notify()
	t.mu.Unlock()
	t.events.ContainerExited(name, code, oom)
}

// followLogs sends each line the container prints to the task's events.
func (d *Docker) followLogs(t *dockerTask, name, id string) {
	logs, err := d.cli.ContainerLogs(t.ctx, id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Follow: true})
	if err != nil {
		return
	}
	defer logs.Close()
	w := newLineWriter(func(line string) { t.events.Log(name, line) })
	_, _ = stdcopy.StdCopy(w, w, logs)
	w.Flush()
}

// lineWriter splits what is written to it into lines.
type lineWriter struct {
	mu   sync.Mutex
	buf  []byte
	line func(string)
}

func newLineWriter(line func(string)) *lineWriter { return &lineWriter{line: line} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := strings.IndexByte(string(w.buf), '\n')
		if i < 0 {
			break
		}
		w.line(strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
	return len(p), nil
}

// Flush sends what is left without a newline.
func (w *lineWriter) Flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.buf) > 0 {
		w.line(string(w.buf))
		w.buf = nil
	}
}

// followStats streams the container's stats (a record a second) and
// reports CPU in ECS CPU units and memory in MiB.
func (d *Docker) followStats(t *dockerTask, name, id string) {
	res, err := d.cli.ContainerStats(t.ctx, id, client.ContainerStatsOptions{Stream: true})
	if err != nil {
		return
	}
	defer res.Body.Close()
	dec := json.NewDecoder(bufio.NewReader(res.Body))
	for {
		var s container.StatsResponse
		if err := dec.Decode(&s); err != nil {
			return
		}
		if s.Read.IsZero() || s.PreCPUStats.SystemUsage == 0 {
			continue // a stopped container, or the first record
		}
		t.events.Stats(name, CPUPercent(&s)/100*1024, MemoryMiB(&s))
	}
}

// CPUPercent is a container's CPU use as the docker CLI computes it
// (docker/cli cli/command/container/stats_helpers.go): the container's CPU
// time over the host's since the previous sample, times the number of
// CPUs, in percent; 100 is one whole CPU.
func CPUPercent(s *container.StatsResponse) float64 {
	cpuDelta := float64(s.CPUStats.CPUUsage.TotalUsage) - float64(s.PreCPUStats.CPUUsage.TotalUsage)
	systemDelta := float64(s.CPUStats.SystemUsage) - float64(s.PreCPUStats.SystemUsage)
	cpus := float64(s.CPUStats.OnlineCPUs)
	if cpus == 0 {
		cpus = float64(len(s.CPUStats.CPUUsage.PercpuUsage))
	}
	if cpuDelta <= 0 || systemDelta <= 0 {
		return 0
	}
	return cpuDelta / systemDelta * cpus * 100
}

// MemoryMiB is a container's memory use as the docker CLI shows it: usage
// without the inactive page cache (inactive_file on cgroup v2,
// total_inactive_file on v1), in MiB.
func MemoryMiB(s *container.StatsResponse) float64 {
	usage := s.MemoryStats.Usage
	cache := s.MemoryStats.Stats["inactive_file"]
	if v, ok := s.MemoryStats.Stats["total_inactive_file"]; ok {
		cache = v
	}
	if cache < usage {
		usage -= cache
	}
	return float64(usage) / (1 << 20)
}

// followHealth polls the container's health status and reports changes,
// in ECS's words (HEALTHY, UNHEALTHY).
func (d *Docker) followHealth(t *dockerTask, name, id string) {
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	last := ""
	for {
		select {
		case <-t.ctx.Done():
			return
		case <-tick.C:
		}
		ins, err := d.cli.ContainerInspect(t.ctx, id, client.ContainerInspectOptions{})
		if err != nil || ins.Container.State == nil {
			return
		}
		if !ins.Container.State.Running {
			return
		}
		h := ins.Container.State.Health
		if h == nil {
			continue
		}
		status := ""
		switch h.Status {
		case container.Healthy:
			status = "HEALTHY"
		case container.Unhealthy:
			status = "UNHEALTHY"
		}
		if status != "" && status != last {
			last = status
			t.mu.Lock()
			t.health[name] = status
			t.notify()
			t.mu.Unlock()
			t.events.Health(name, status)
		}
	}
}

// Exec runs argv in a running container; its output goes to the
// container's log.
func (d *Docker) Exec(taskID, name string, argv []string) {
	d.mu.Lock()
	t := d.tasks[taskID]
	d.mu.Unlock()
	if t == nil || len(argv) == 0 {
		return
	}
	t.mu.Lock()
	id := t.ids[name]
	t.mu.Unlock()
	if id == "" {
		return
	}
	d.goBackground(func() {
		ctx := t.ctx
		ex, err := d.cli.ExecCreate(ctx, id, client.ExecCreateOptions{Cmd: argv, AttachStdout: true, AttachStderr: true})
		if err != nil {
			t.events.Log(name, "ecsbox: execute command failed: "+daemonText(err))
			return
		}
		att, err := d.cli.ExecAttach(ctx, ex.ID, client.ExecAttachOptions{})
		if err != nil {
			t.events.Log(name, "ecsbox: execute command failed: "+daemonText(err))
			return
		}
		defer att.Close()
		stop := context.AfterFunc(ctx, func() { att.Close() })
		defer stop()
		w := newLineWriter(func(line string) { t.events.Log(name, line) })
		_, _ = stdcopy.StdCopy(w, w, att.Reader)
		w.Flush()
	})
}

var _ io.Writer = (*lineWriter)(nil)
