package ecs

import (
	"sort"
	"time"

	"github.com/ecsbox/ecsbox/runtime/pricing"
)

// What a scenario costs (sim.cost()): Fargate and Fargate Spot tasks by
// their size and how long they ran, EC2 instances by their type and how
// long they ran, at runtime/pricing's list prices.

// instanceRun is how long an EC2 instance has run.
type instanceRun struct {
	id, instanceType string
	from, to         time.Time // to is zero while it runs
}

// Cost is what the account's compute cost so far, in US dollars.
type Cost struct {
	// ByProvider is keyed FARGATE, FARGATE_SPOT and EC2 (instances).
	ByProvider map[string]float64
	Total      float64
	// Unpriced lists instance types the price table lacks.
	Unpriced []string
	AsOf     string
}

// trackInstanceRuns keeps the running intervals of EC2 instances.
func (e *ECS) trackInstanceRun(id, instanceType, state string) {
	switch state {
	case "running":
		e.runs = append(e.runs, &instanceRun{id: id, instanceType: instanceType, from: e.sim.Now()})
	case "shutting-down", "stopping":
		for _, r := range e.runs {
			if r.id == id && r.to.IsZero() {
				r.to = e.sim.Now()
			}
		}
	}
}

// Cost returns what the account's tasks and instances cost so far.
func (e *ECS) Cost() Cost {
	now := e.sim.Now()
	out := Cost{ByProvider: map[string]float64{"FARGATE": 0, "FARGATE_SPOT": 0, "EC2": 0}, AsOf: pricing.AsOf}
	for k, v := range e.forgottenCost {
		out.ByProvider[k] += v
	}
	for _, name := range e.clusterNames() {
		for _, t := range e.clusters[name].tasks {
			if key, price, ok := e.taskCost(t); ok {
				out.ByProvider[key] += price
			}
		}
	}
	unpriced := map[string]bool{}
	for _, r := range e.runs {
		end := r.to
		if end.IsZero() {
			end = now
		}
		if price, ok := pricing.Instance(r.instanceType, end.Sub(r.from)); ok {
			out.ByProvider["EC2"] += price
		} else {
			unpriced[r.instanceType] = true
		}
	}
	for _, k := range []string{"FARGATE", "FARGATE_SPOT", "EC2"} {
		out.Total += out.ByProvider[k]
	}
	for k := range unpriced {
		out.Unpriced = append(out.Unpriced, k)
	}
	sort.Strings(out.Unpriced)
	return out
}

// taskCost is what a Fargate task has cost so far, under the provider key
// FARGATE or FARGATE_SPOT. Fargate bills from the image pull until the
// task stops [Fargate pricing: "from the time you start to download your
// container image until the Amazon ECS Task terminates"].
func (e *ECS) taskCost(t *task) (key string, price float64, ok bool) {
	if t.launchType != launchFargate || t.pullStartedAt == nil {
		return "", 0, false
	}
	end := e.sim.Now()
	if t.stoppedAt != nil {
		end = *t.stoppedAt
	}
	spot := t.provider != nil && t.provider.spot
	arm := t.def.RuntimePlatform != nil && deref(t.def.RuntimePlatform.CpuArchitecture) == CPUArchitectureARM64
	key = "FARGATE"
	if spot {
		key = "FARGATE_SPOT"
	}
	return key, pricing.Fargate(float64(t.reservedCPU)/1024, float64(t.reservedMemory)/1024, end.Sub(*t.pullStartedAt), spot, arm), true
}

// bankCost keeps what a task cost when DescribeTasks forgets it, so that
// Cost still counts it.
func (e *ECS) bankCost(t *task) {
	if key, price, ok := e.taskCost(t); ok {
		if e.forgottenCost == nil {
			e.forgottenCost = map[string]float64{}
		}
		e.forgottenCost[key] += price
	}
}
