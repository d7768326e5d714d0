package ecs

import (
	"sort"
	"time"
)

// Metrics receives the datapoints ECS publishes to CloudWatch; runtime
// wires it to the account's CloudWatch.
type Metrics interface {
	Publish(namespace, metricName string, dims [][2]string, value float64, unit string, at time.Time)
}

// ECS samples task usage every 20 seconds and publishes one datapoint a
// minute, the average of the minute's samples, for the minute that just
// ended [DG:cloudwatch-metrics] ("published every minute"; the sampling
// interval is ecsbox's choice, as often as the agent reports stats).
const (
	sampleInterval  = 20 * time.Second
	publishInterval = time.Minute
	namespaceECS    = "AWS/ECS"
)

// sums accumulate one metric's samples over a minute.
type sums struct {
	used, reserved map[string]float64 // by key
	samples        map[string]int
}

func newSums() *sums {
	return &sums{used: map[string]float64{}, reserved: map[string]float64{}, samples: map[string]int{}}
}

// startSampler starts the sampling and publishing ticks once there is a
// task to measure.
func (e *ECS) startSampler() {
	if e.sampling {
		return
	}
	e.sampling = true
	now := e.sim.Now()
	next := now.Truncate(sampleInterval).Add(sampleInterval)
	e.sim.At(next, "ecs metrics sample", e.sample)
}

// A sample records, per service and per cluster, the usage ratios of the
// running tasks; every third sample (a minute) the averages are published.
func (e *ECS) sample() {
	now := e.sim.Now()
	for _, name := range e.clusterNames() {
		c := e.clusters[name]
		if c.status != clusterActive {
			continue
		}
		use, order := e.usages(c)
		e.checkMemoryWith(use, order)
		e.recordSample(c, use, order)
	}
	if now.Truncate(publishInterval).Equal(now) {
		e.publish(now.Add(-publishInterval))
	}
	e.sim.At(now.Add(sampleInterval), "ecs metrics sample", e.sample)
}

func (e *ECS) clusterNames() []string {
	names := make([]string, 0, len(e.clusters))
	for n := range e.clusters {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// recordSample adds one sample per metric key: "svc|<cluster>|<service>|CPU"
// and friends, and the cluster-wide ones.
func (e *ECS) recordSample(c *cluster, use map[*task]usage, order []*task) {
	if e.minute == nil {
		e.minute = newSums()
	}
	add := func(key string, used, reserved float64) {
		e.minute.used[key] += used
		e.minute.reserved[key] += reserved
		e.minute.samples[key]++
	}
	type pair struct{ used, reserved float64 }
	svcCPU, svcMem := map[*service]*pair{}, map[*service]*pair{}
	var services []*service
	var clusterCPU, clusterMem pair
	for _, t := range order {
		u := use[t]
		if s := t.service; s != nil {
			if svcCPU[s] == nil {
				svcCPU[s], svcMem[s] = &pair{}, &pair{}
				services = append(services, s)
			}
			svcCPU[s].used += u.cpu
			svcCPU[s].reserved += float64(t.reservedCPU)
			svcMem[s].used += u.memory
			svcMem[s].reserved += float64(t.reservedMemory)
		}
		if t.instance != nil {
			clusterCPU.used += u.cpu
			clusterMem.used += u.memory
		}
	}
	for _, s := range services {
		if p := svcCPU[s]; p.reserved > 0 {
			add("svc|"+c.name+"|"+s.name+"|CPUUtilization", p.used, p.reserved)
		}
		if m := svcMem[s]; m.reserved > 0 {
			add("svc|"+c.name+"|"+s.name+"|MemoryUtilization", m.used, m.reserved)
		}
	}
	// Cluster metrics count ACTIVE and DRAINING instances only [DG:cloudwatch-metrics].
	var regCPU, regMem, resCPU, resMem float64
	for _, ci := range c.instances {
		if ci.status == instanceInactive {
			continue
		}
		regCPU += float64(ci.registeredCPU)
		regMem += float64(ci.registeredMemory)
		cpu, mem, _, _, _ := ci.used()
		resCPU += float64(cpu)
		resMem += float64(mem)
	}
	if regCPU > 0 {
		add("cluster|"+c.name+"|CPUUtilization", clusterCPU.used, regCPU)
		add("cluster|"+c.name+"|MemoryUtilization", clusterMem.used, regMem)
		add("cluster|"+c.name+"|CPUReservation", resCPU, regCPU)
		add("cluster|"+c.name+"|MemoryReservation", resMem, regMem)
	}
}

// publish sends the minute's averages to CloudWatch, timestamped with the
// start of the minute, in a fixed order.
func (e *ECS) publish(minuteStart time.Time) {
	m := e.minute
	e.minute = newSums()
	if m == nil || e.metrics == nil {
		return
	}
	keys := make([]string, 0, len(m.samples))
	for k := range m.samples {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if m.reserved[k] <= 0 {
			continue
		}
		value := m.used[k] / m.reserved[k] * 100
		parts := splitKey4(k)
		if parts[0] == "svc" {
			e.metrics.Publish(namespaceECS, parts[3], [][2]string{{"ClusterName", parts[1]}, {"ServiceName", parts[2]}}, value, "Percent", minuteStart)
		} else {
			e.metrics.Publish(namespaceECS, parts[2], [][2]string{{"ClusterName", parts[1]}}, value, "Percent", minuteStart)
		}
	}
}

func splitKey4(k string) []string {
	var out []string
	start := 0
	for i := 0; i < len(k); i++ {
		if k[i] == '|' {
			out = append(out, k[start:i])
			start = i + 1
		}
	}
	return append(out, k[start:])
}

// checkMemory kills containers whose processes want more memory than their
// hard limit, as the kernel's OOM killer does.
func (e *ECS) checkMemory(c *cluster) { e.checkMemoryWith(e.usages(c)) }

func (e *ECS) checkMemoryWith(use map[*task]usage, order []*task) {
	var victims []*task
	for _, t := range order {
		if limit := t.memoryLimit(); limit > 0 && use[t].memory > float64(limit) {
			victims = append(victims, t)
		}
	}
	for _, t := range victims {
		for _, c := range t.containers {
			if c.lastStatus == taskRunning {
				// The agent's text for an OOM-killed container (reference 4.2).
				c.reason = "OutOfMemoryError: Container killed due to memory usage"
				e.containerExited(t, c, sigkillExitCode)
				break
			}
		}
	}
}

// memoryLimit is the task's hard memory limit: its task-level memory, else
// the sum of its containers' hard limits (0: none).
func (t *task) memoryLimit() int {
	if n := atoiOr(t.def.Memory, 0); n > 0 {
		return n
	}
	total := 0
	for _, c := range t.containers {
		if c.memory == nil {
			return 0
		}
		total += *c.memory
	}
	return total
}

func atoiOr(p *string, def int) int {
	if p == nil {
		return def
	}
	n := 0
	for _, r := range *p {
		if r < '0' || r > '9' {
			return def
		}
		n = n*10 + int(r-'0')
	}
	return n
}
