package ecs

import (
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// Launching tasks through capacity providers (reference 1.4, 2.6): a
// strategy splits the tasks over its providers; Fargate providers start
// Fargate tasks while they have capacity; an Auto Scaling group provider
// places tasks on its group's container instances, and when they are full
// and managed scaling is on, the tasks wait in PROVISIONING for the
// capacity managed scaling adds (with it off, they fail as EC2 placement
// does).

// capacityUnavailable is Fargate's answer when it has no capacity
// (reference 1.5; https://repost.aws/knowledge-center/ecs-fargate-runtask-capacity).
const capacityUnavailable = "Capacity is unavailable at this time. Please try again later or in a different availability zone"

func (cp *capacityProvider) launchType() string {
	if cp.fargate {
		return launchFargate
	}
	return launchEC2
}

// runWithStrategy is RunTask with a capacity provider strategy.
func (e *ECS) runWithStrategy(c *cluster, td *TaskDefinition, strategy []CapacityProviderStrategyItem, count int, r taskRequest,
	nc *NetworkConfiguration, constraints []PlacementConstraint, strategies []PlacementStrategy) (*RunTaskResponse, error) {
	alloc := split(strategy, count)
	type part struct {
		spec   *taskSpec
		awsvpc *AwsVpcConfiguration
		req    placement.Request
		n      int
	}
	var parts []part
	for i, item := range strategy {
		if alloc[i] == 0 {
			continue
		}
		cp := e.providers[deref(item.CapacityProvider)]
		spec, err := e.taskSpecFor(c, td, cp.launchType(), r)
		if err != nil {
			return nil, err
		}
		spec.provider = cp
		awsvpc, err := e.checkNetworkConfiguration(td, cp.launchType(), nc)
		if err != nil {
			return nil, err
		}
		p := part{spec: spec, awsvpc: awsvpc, n: alloc[i]}
		if cp.fargate {
			if len(constraints) > 0 || len(strategies) > 0 {
				// text not verified (Fargate ignores placement [DG:task-placement])
				return nil, invalidParam("Task placement strategies and constraints are not supported for the FARGATE launch type.")
			}
		} else if p.req, err = placementRequest(spec, td, constraints, strategies, placement.DefaultRunTaskStrategies); err != nil {
			return nil, err
		}
		parts = append(parts, p)
	}
	var tasks []*task
	var failures []Failure
	for _, p := range parts {
		t, f := e.runOnProvider(p.spec, p.awsvpc, p.req, p.n)
		tasks = append(tasks, t...)
		failures = append(failures, f...)
	}
	return e.runTaskResponse(tasks, failures), nil
}

// runOnProvider starts n tasks of spec on its capacity provider.
func (e *ECS) runOnProvider(spec *taskSpec, awsvpc *AwsVpcConfiguration, req placement.Request, n int) ([]*task, []Failure) {
	cp := spec.provider
	spec.launchType = cp.launchType()
	if cp.fargate {
		if spec.platformVersion == "" {
			spec.platformVersion = fargatePlatformVersion
		}
		if !cp.available {
			var failures []Failure
			for i := 0; i < n; i++ {
				failures = append(failures, Failure{Arn: aws.String(cp.arn), Reason: aws.String(capacityUnavailable)})
			}
			e.sim.Recordf("ecs", "TaskPlacementFailed", spec.cluster.arn, "%d %s tasks: %s has no capacity", n, familyRevision(spec.def), cp.name)
			return nil, failures
		}
		return e.startFargate(spec, awsvpc, n)
	}
	instances := e.providerInstances(spec.cluster, cp)
	var tasks []*task
	var failures []Failure
	if len(instances) > 0 {
		req.Count = n
		placed, f, err := e.placeOn(spec, awsvpc, req, instances)
		if err != nil {
			return nil, []Failure{{Arn: aws.String(cp.arn), Reason: aws.String(err.Error())}}
		}
		tasks, failures = placed, f
	}
	left := n - len(tasks)
	if left == 0 {
		return tasks, failures
	}
	if !cp.managedScaling() {
		if len(instances) == 0 {
			// The capacity-provider form of the empty-cluster refusal
			// (reference 3.5); text not verified
			failures = append(failures, Failure{Arn: aws.String(cp.arn), Reason: aws.String("No Container Instances were found in your capacity provider.")})
		}
		return tasks, failures
	}
	// With managed scaling the tasks that found no room wait for capacity
	// instead of failing (reference 2.6).
	for i := 0; i < left; i++ {
		t := e.newTask(spec, nil)
		t.waiting = true
		t.awsvpc = awsvpc
		t.placeReq = req
		t.placeReq.Count = 1
		t.explanation = "waiting in PROVISIONING for capacity from " + cp.name + "; its Auto Scaling group's instances have no room"
		e.addTask(t)
		e.launch(t)
		tasks = append(tasks, t)
	}
	return tasks, nil
}

// providerInstances are the cluster's registered container instances that
// belong to the provider's Auto Scaling group.
func (e *ECS) providerInstances(c *cluster, cp *capacityProvider) []*containerInstance {
	if e.asg == nil {
		return nil
	}
	g, ok := e.asg.Group(cp.asgName)
	if !ok {
		return nil
	}
	member := map[string]bool{}
	for _, inst := range g.Instances {
		member[inst.ID] = true
	}
	var out []*containerInstance
	for _, ci := range e.registeredInstances(c) {
		if member[ci.ec2ID] {
			out = append(out, ci)
		}
	}
	return out
}

// retryWaiting places the cluster's tasks that wait for capacity, oldest
// first, wherever their provider now has room.
//
// It runs each time an instance registers and every minute, over every
// waiting task, so it does not rebuild its view of the provider's
// instances for each task: the instances of a provider are looked up once
// per call (no instance joins or leaves a group while tasks are placed
// here), and an instance's placement view is rebuilt only when it has
// changed since (waitingView).
func (e *ECS) retryWaiting(c *cluster) {
	views := map[*capacityProvider]*waitingView{}
	for _, t := range c.tasks {
		if !t.waiting || t.desiredStatus != taskRunning {
			continue
		}
		v := views[t.provider]
		if v == nil {
			v = &waitingView{instances: e.providerInstances(c, t.provider)}
			views[t.provider] = v
		}
		instances := v.instances
		if len(instances) == 0 {
			continue
		}
		req := t.placeReq
		if t.awsvpc != nil {
			req.Task.NeedsENI = true
			req.Task.SubnetAZs = e.subnetAZs(t.awsvpc.Subnets)
		}
		req.Rand = e.sim.Rand()
		res, err := placement.Place(req, v.candidates(e))
		if err != nil || len(res.Placed) == 0 {
			continue
		}
		ci := instances[res.Placed[0]]
		if t.awsvpc != nil {
			if err := e.attachENI(t, t.awsvpc, ci.az); err != nil {
				continue
			}
		}
		t.waiting = false
		t.instance = ci
		t.az = ci.az
		t.explanation = res.Explanation.String()
		e.bindPorts(t, ci)
		ci.tasks = append(ci.tasks, t)
		ci.touch()
		e.sim.Recordf("ecs", "TaskPlaced", t.arn, "task %s (%s) waited for capacity and is placed on %s", t.id, familyRevision(t.def), ci.ec2ID)
		e.provisioned(t)
	}
}

// waitingView is retryWaiting's view of one provider's instances: the
// instances, and their placement candidates with the state each was built
// from.
type waitingView struct {
	instances []*containerInstance
	cands     []placement.Instance
	built     []instanceState
}

// instanceState is what a placement candidate depends on that can change
// while an instance is registered: the version (touched by every task
// status change, placement and attribute or status update), the number of
// tasks (a stopped task leaves without a touch), the status and the agent
// connection.
type instanceState struct {
	version, tasks int64
	status         string
	connected      bool
}

func stateOf(ci *containerInstance) instanceState {
	return instanceState{ci.version, int64(len(ci.tasks)), ci.status, ci.agentConnected}
}

// candidates returns the view's placement candidates, rebuilding those of
// the instances that changed since they were built: the same list
// e.candidates(v.instances) returns.
func (v *waitingView) candidates(e *ECS) []placement.Instance {
	if v.cands == nil {
		v.cands = e.candidates(v.instances)
		v.built = make([]instanceState, len(v.instances))
		for i, ci := range v.instances {
			v.built[i] = stateOf(ci)
		}
		return v.cands
	}
	for i, ci := range v.instances {
		if st := stateOf(ci); st != v.built[i] {
			v.cands[i] = e.candidates(v.instances[i : i+1])[0]
			v.built[i] = st
		}
	}
	return v.cands
}
