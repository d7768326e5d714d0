package ecs

import (
	"sort"
	"time"
)

// The load model: how much CPU and memory each running task uses, which
// feeds the AWS/ECS CloudWatch metrics. A task uses
//
//	a baseline:        2 % of its CPU reservation (at least 1 unit) and
//	                   25 % of its memory reservation (ecsbox's choice: an
//	                   idle web server)
//	its share of the service's demand (sim.set_load), spread evenly over
//	                   the service's running tasks, so scaling out lowers it
//	what processes started with ECS Exec add (stress, see exec.go)
//
// CPU is a hard limit on Fargate (the task's cpu), and a soft one on EC2:
// there a task may use more than it reserved while the instance has CPU to
// spare; when the instance's tasks want more than it has, they share it in
// proportion to their reservations (CPU shares) [DG:cloudwatch-metrics],
// reference 8.5. Memory beyond a hard limit is an out-of-memory kill.
const (
	baselineCPUShare    = 0.02
	baselineMemoryShare = 0.25
)

// serviceLoad is the demand sim.set_load puts on a service.
type serviceLoad struct {
	cpuUnits  float64
	memoryMiB float64
}

// usage is what a task uses at an instant.
type usage struct {
	cpu, memory float64
}

// demand is what the task's processes want, before CPU limits.
func (e *ECS) demand(t *task) usage {
	if t.real != nil {
		return t.real.measured() // real containers: their stats (driver.go)
	}
	u := usage{
		cpu:    max(1, baselineCPUShare*float64(t.reservedCPU)),
		memory: baselineMemoryShare * float64(t.reservedMemory),
	}
	if s := t.service; s != nil && t.desiredStatus == taskRunning {
		if n := s.runningNow; n > 0 {
			u.cpu += s.load.cpuUnits / float64(n)
			u.memory += s.load.memoryMiB / float64(n)
		}
	}
	u.cpu += e.requestCPU(t) // requests from load balancers (loadbalancing.go)
	now := e.sim.Now()
	for _, c := range t.containers {
		for _, p := range c.stress {
			if now.Before(p.until) {
				u.cpu += float64(p.cpuWorkers) * 1024
				u.memory += p.memoryMiB
			}
		}
	}
	return u
}

// cpuLimit is the CPU a task may use at most: its task-level cpu on
// Fargate; on EC2 the instance's registered CPU.
func (t *task) cpuLimit() float64 {
	if t.launchType == launchFargate || t.instance == nil {
		return float64(t.reservedCPU)
	}
	return float64(t.instance.registeredCPU)
}

// measure sets t.use for every running task of the cluster and returns
// those tasks in creation order (sums over floats must add in a fixed
// order for runs to repeat exactly).
func (e *ECS) measure(c *cluster) []*task {
	for _, s := range c.services {
		s.runningNow = 0
	}
	for _, t := range c.tasks {
		if t.service != nil && t.lastStatus == taskRunning && t.desiredStatus == taskRunning {
			t.service.runningNow++
		}
	}
	order := c.measured[:0]
	for _, t := range c.tasks { // c.tasks is in creation order
		if t.lastStatus != taskRunning {
			continue
		}
		t.use = e.demand(t)
		t.use.cpu = min(t.use.cpu, t.cpuLimit())
		order = append(order, t)
	}
	for _, ci := range c.instances {
		if len(ci.tasks) > 0 {
			shareCPU(ci.tasks, float64(ci.registeredCPU))
		}
	}
	c.measured = order
	return order
}

// shareCPU divides an instance's CPU among its tasks when they want more
// than it has: each gets what it wants up to its fair share by weight
// (its reservation, at least 2 shares, as Docker gives a container with no
// cpu), and what the modest ones leave is shared again (water-filling).
func shareCPU(all []*task, capacity float64) {
	var tasks []*task
	total := 0.0
	for _, t := range all {
		if t.lastStatus == taskRunning {
			tasks = append(tasks, t)
			total += t.use.cpu
		}
	}
	if total <= capacity {
		return
	}
	remaining := capacity
	open := append([]*task(nil), tasks...)
	for len(open) > 0 {
		weights := 0.0
		for _, t := range open {
			weights += float64(max(t.reservedCPU, 2))
		}
		var still []*task
		satisfied := false
		for _, t := range open {
			fair := remaining * float64(max(t.reservedCPU, 2)) / weights
			if t.use.cpu <= fair {
				remaining -= t.use.cpu
				satisfied = true
			} else {
				still = append(still, t)
			}
		}
		if !satisfied {
			for _, t := range still {
				t.use.cpu = remaining * float64(max(t.reservedCPU, 2)) / weights
			}
			return
		}
		open = still
	}
}

// stressProcess is a stress run started with ECS Exec in a container.
type stressProcess struct {
	cpuWorkers int
	memoryMiB  float64
	until      time.Time
}

// SetServiceLoad sets the demand on a service (sim.set_load): cpuUnits and
// memoryMiB in total, spread evenly over its running tasks.
func (e *ECS) SetServiceLoad(clusterRef, serviceRef string, cpuUnits, memoryMiB float64) error {
	c, err := e.lookupCluster(clusterRef)
	if err != nil {
		return err
	}
	s, err := e.activeService(c, serviceRef)
	if err != nil {
		return err
	}
	if cpuUnits < 0 || memoryMiB < 0 {
		return invalidParam("load cannot be negative")
	}
	s.load = serviceLoad{cpuUnits: cpuUnits, memoryMiB: memoryMiB}
	e.sim.Recordf("sim", "LoadChanged", s.arn, "load on service %s set to %.0f CPU units and %.0f MiB", s.name, cpuUnits, memoryMiB)
	e.startSampler()
	if memoryMiB > 0 {
		e.checkMemory(c)
	}
	return nil
}

func sortStrings(s []string) { sort.Strings(s) }
