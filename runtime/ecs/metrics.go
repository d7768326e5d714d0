package ecs

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
)

// Metrics receives the datapoints ECS publishes; the account's CloudWatch
// is one.
type Metrics interface {
	Publish(namespace, metricName string, dims []cloudwatch.Dim, value float64, unit string, at time.Time)
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

// metricSums accumulate a minute of samples of used and reserved CPU and
// memory; the metric is Σ used / Σ reserved × 100 [DG:cloudwatch-metrics].
type metricSums struct {
	cpuUsed, cpuReserved, memUsed, memReserved float64
}

func (m *metricSums) add(cpuUsed, cpuReserved, memUsed, memReserved float64) {
	m.cpuUsed += cpuUsed
	m.cpuReserved += cpuReserved
	m.memUsed += memUsed
	m.memReserved += memReserved
}

// clusterSums adds, for the cluster metrics, what the instances registered
// and what tasks reserved on them (CPUReservation, MemoryReservation).
type clusterSums struct {
	utilization                  metricSums // used / registered
	cpuReserved, memReserved     float64    // reserved by tasks
	cpuRegistered, memRegistered float64
}

// startSampler starts the sampling and publishing ticks once there is a
// task to measure.
func (e *ECS) startSampler() {
	if e.sampling {
		return
	}
	e.sampling = true
	next := e.sim.Now().Truncate(sampleInterval).Add(sampleInterval)
	e.sim.At(next, "ecs metrics sample", e.sample)
}

// sample measures every cluster; every third sample (a whole minute) the
// minute's averages are published.
func (e *ECS) sample() {
	now := e.sim.Now()
	for _, name := range e.clusterNames() {
		c := e.clusters[name]
		if c.status != clusterActive {
			continue
		}
		order := e.measure(c)
		e.checkMemoryWith(order)
		e.recordSample(c, order)
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
	sortStrings(names)
	return names
}

// recordSample adds one sample to the service and cluster sums.
func (e *ECS) recordSample(c *cluster, order []*task) {
	for _, t := range order {
		if s := t.service; s != nil {
			s.acc.add(t.use.cpu, float64(t.reservedCPU), t.use.memory, float64(t.reservedMemory))
		}
		if t.instance != nil {
			c.acc.utilization.cpuUsed += t.use.cpu
			c.acc.utilization.memUsed += t.use.memory
		}
	}
	// Cluster metrics count ACTIVE and DRAINING instances only [DG:cloudwatch-metrics].
	for _, ci := range c.instances {
		if ci.status == instanceInactive {
			continue
		}
		c.acc.cpuRegistered += float64(ci.registeredCPU)
		c.acc.memRegistered += float64(ci.registeredMemory)
		cpu, mem := ci.reserved()
		c.acc.cpuReserved += float64(cpu)
		c.acc.memReserved += float64(mem)
	}
}

// publish sends the minute's averages to CloudWatch, timestamped with the
// start of the minute: services in creation order, then the cluster, for
// each cluster by name.
func (e *ECS) publish(minuteStart time.Time) {
	for _, name := range e.clusterNames() {
		c := e.clusters[name]
		for _, s := range c.services {
			acc := s.acc
			s.acc = metricSums{}
			if e.metrics == nil {
				continue
			}
			if s.dims == nil {
				s.dims = []cloudwatch.Dim{{Name: "ClusterName", Value: c.name}, {Name: "ServiceName", Value: s.name}}
			}
			dims := s.dims
			if acc.cpuReserved > 0 {
				e.metrics.Publish(namespaceECS, "CPUUtilization", dims, acc.cpuUsed/acc.cpuReserved*100, "Percent", minuteStart)
			}
			if acc.memReserved > 0 {
				e.metrics.Publish(namespaceECS, "MemoryUtilization", dims, acc.memUsed/acc.memReserved*100, "Percent", minuteStart)
			}
		}
		acc := c.acc
		c.acc = clusterSums{}
		if e.metrics == nil || acc.cpuRegistered == 0 {
			continue
		}
		dims := []cloudwatch.Dim{{Name: "ClusterName", Value: c.name}}
		e.metrics.Publish(namespaceECS, "CPUReservation", dims, acc.cpuReserved/acc.cpuRegistered*100, "Percent", minuteStart)
		e.metrics.Publish(namespaceECS, "CPUUtilization", dims, acc.utilization.cpuUsed/acc.cpuRegistered*100, "Percent", minuteStart)
		e.metrics.Publish(namespaceECS, "MemoryReservation", dims, acc.memReserved/acc.memRegistered*100, "Percent", minuteStart)
		e.metrics.Publish(namespaceECS, "MemoryUtilization", dims, acc.utilization.memUsed/acc.memRegistered*100, "Percent", minuteStart)
	}
}

// checkMemory kills containers whose processes want more memory than their
// hard limit, as the kernel's OOM killer does.
func (e *ECS) checkMemory(c *cluster) { e.checkMemoryWith(e.measure(c)) }

func (e *ECS) checkMemoryWith(order []*task) {
	var victims []*task
	for _, t := range order {
		if limit := t.memoryLimit(); limit > 0 && t.use.memory > float64(limit) {
			victims = append(victims, t)
		}
	}
	for _, t := range victims {
		for _, c := range t.containers {
			if c.lastStatus == taskRunning {
				// The agent's text for an OOM-killed container (reference 4.2).
				c.reason = "OutOfMemoryError: Container killed due to memory usage"
				e.containerEnded(t, c, exit{code: sigkillExitCode, signal: "SIGKILL", why: "(out of memory)"})
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
