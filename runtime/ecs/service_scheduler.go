package ecs

import (
	"math"
	"time"

	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// The service scheduler. ECS does not document how often it acts; ecsbox
// reconciles a service whenever something that matters to it happens (a
// task changes state, the service is updated, an instance registers or
// drains) and again when a task becomes healthy or a retry is due.
const (
	// healthyAfter: with no load balancer and no container health check a
	// task counts as healthy 40 s after RUNNING [API:DeploymentConfiguration].
	healthyAfter = 40 * time.Second
	// placementRetry: after a placement failure the scheduler tries again
	// a minute later (ecsbox's choice; ECS retries without saying when).
	placementRetry = time.Minute
	// throttleBase and throttleMax: the back-off after tasks that stopped
	// before RUNNING doubles from 30 s up to 15 minutes
	// [DG:service-throttle-logic] (the starting value is ecsbox's choice).
	throttleBase = 30 * time.Second
	throttleMax  = 15 * time.Minute
	// steadyRepeat: a healthy service says it is steady again every 6 hours
	// (reference 7.6).
	steadyRepeat = 6 * time.Hour
)

// scheduleReconcile asks the scheduler to look at the service after d,
// unless it is due to look at it sooner anyway.
func (e *ECS) scheduleReconcile(s *service, d time.Duration) {
	at := e.sim.Now().Add(d)
	if !s.reconcileAt.IsZero() && !s.reconcileAt.After(at) {
		return
	}
	s.reconcileAt = at
	e.sim.At(at, "service scheduler", func() {
		if !s.reconcileAt.Equal(at) {
			return // a sooner run took its place
		}
		s.reconcileAt = time.Time{}
		e.reconcile(s)
	})
}

// reconcileCluster asks the scheduler to look at every service of c.
func (e *ECS) reconcileCluster(c *cluster) {
	for _, s := range c.services {
		if s.status != serviceInactive {
			e.scheduleReconcile(s, 0)
		}
	}
}

// healthy reports whether a task counts toward minimumHealthyPercent, and
// if not yet, when it will.
func (e *ECS) healthy(t *task) (bool, time.Time) {
	if t.lastStatus != taskRunning || t.startedAt == nil || t.desiredStatus != taskRunning {
		return false, time.Time{}
	}
	if t.service != nil && len(t.service.lbs) > 0 {
		// Behind a load balancer a task is healthy when its targets are
		// (reference 13); ELB says when (targetHealthChanged).
		return t.targetsHealthy(), time.Time{}
	}
	at := t.startedAt.Add(healthyAfter)
	return !e.sim.Now().Before(at), at
}

// reconcile is one pass of the scheduler over a service.
func (e *ECS) reconcile(s *service) {
	if s.status == serviceInactive {
		return
	}
	if s.status == serviceDraining {
		if len(s.tasks()) == 0 {
			s.status = serviceInactive
			e.sim.Recordf("ecs", "ServiceInactive", s.arn, "service %s is INACTIVE", s.name)
		}
		return
	}
	if s.strategy == strategyDaemon {
		e.reconcileDaemon(s)
		return
	}
	e.reconcileReplica(s)
}

// reconcileReplica keeps desiredCount tasks of the PRIMARY deployment
// running, replacing older deployments' tasks and tasks on DRAINING
// instances within the deployment bounds of reference 7.2:
//
//	at most floor(desired × maximumPercent / 100) tasks RUNNING or PENDING
//	at least ceil(desired × minimumHealthyPercent / 100) healthy
func (e *ECS) reconcileReplica(s *service) {
	now := e.sim.Now()
	primary := s.primary()
	desired := s.desiredCount
	maxTotal := desired * s.maxPercent / 100
	minHealthy := int(math.Ceil(float64(desired) * float64(s.minHealthyPercent) / 100))

	var live, keep, replace []*task
	healthyCount := 0
	var nextHealthy time.Time
	for _, t := range s.tasks() {
		if t.desiredStatus != taskRunning {
			continue // being stopped
		}
		onDraining := t.instance != nil && t.instance.status == instanceDraining
		if onDraining && t.lastStatus != taskRunning {
			// PENDING tasks on a DRAINING instance stop at once [DG:container-instance-draining]
			e.stopTask(t, stopServiceScheduler, "Container instance is draining") // text not verified
			continue
		}
		live = append(live, t)
		if ok, at := e.healthy(t); ok {
			healthyCount++
		} else if !at.IsZero() && (nextHealthy.IsZero() || at.Before(nextHealthy)) {
			nextHealthy = at
		}
		if t.deployment == primary && !onDraining {
			keep = append(keep, t)
		} else {
			replace = append(replace, t)
		}
	}

	// Start what the PRIMARY deployment lacks, within maximumPercent, in
	// each pool of the capacity provider strategy (one pool with a launch
	// type).
	started := 0
	room := maxTotal - len(live)
	pools := s.pools()
	balanced := true
	for _, p := range pools {
		mine := p.of(keep)
		need := p.target - len(mine)
		if need <= 0 {
			continue
		}
		balanced = false
		if room <= 0 || primary.rolloutState == "FAILED" {
			continue
		}
		if now.Before(s.throttledTil) {
			e.scheduleReconcile(s, s.throttledTil.Sub(now))
			continue
		}
		want := min(need, room)
		n := e.startServiceTasks(s, p.provider, want)
		started += n
		room -= n
		if n < want {
			e.scheduleReconcile(s, placementRetry)
		}
	}

	// Stop tasks to replace while enough healthy ones remain, the unhealthy
	// ones first (they do not count toward the minimum).
	var toStop []*task
	canStop := healthyCount - minHealthy
	for _, t := range replace {
		if ok, _ := e.healthy(t); !ok {
			toStop = append(toStop, t)
		}
	}
	for _, t := range replace {
		if ok, _ := e.healthy(t); ok && canStop > 0 {
			toStop = append(toStop, t)
			canStop--
		}
	}
	// Scale in: stop the PRIMARY's tasks beyond each pool's share, pending
	// ones first, then as the placement strategy's scale-in rule chooses.
	for _, p := range pools {
		if mine := p.of(keep); len(mine) > p.target {
			balanced = false
			toStop = append(toStop, e.chooseToStop(s, mine, len(mine)-p.target)...)
		}
	}
	if len(toStop) > 0 {
		for _, t := range toStop {
			e.stopTask(t, stopServiceScheduler, "Scaling activity initiated by (deployment "+primary.id+")")
		}
		e.say(s, stoppedMessage(s, toStop))
	}

	// Nothing may start (maximumPercent) and nothing may stop
	// (minimumHealthyPercent) while old tasks remain: the deployment cannot
	// move (reference 7.2).
	if len(replace) > 0 && len(toStop) == 0 && started == 0 && room <= 0 && healthyCount == len(live) {
		e.say(s, deadlockMessage(s))
	}
	if !nextHealthy.IsZero() {
		e.scheduleReconcile(s, nextHealthy.Sub(now))
	}

	settled := started == 0 && len(toStop) == 0 && len(replace) == 0 && balanced && len(keep) == desired && healthyCount == len(live)
	if !settled {
		if s.steady {
			s.steady = false
			s.resolve(steadyMessage(s))
		}
		return
	}
	if primary.rolloutState == "IN_PROGRESS" {
		e.completeDeployment(s)
	}
	if !s.steady {
		s.steady = true
		e.say(s, steadyMessage(s))
		e.sim.After(steadyRepeat, "steady state again", func() { e.steadyAgain(s) })
	}
}

// steadyAgain repeats the steady-state event every 6 hours while the
// service stays steady.
func (e *ECS) steadyAgain(s *service) {
	if !s.steady || s.status != serviceActive {
		return
	}
	e.say(s, steadyMessage(s))
	e.sim.After(steadyRepeat, "steady state again", func() { e.steadyAgain(s) })
}

// completeDeployment marks the PRIMARY deployment COMPLETED and retires the
// older ones.
func (e *ECS) completeDeployment(s *service) {
	primary := s.primary()
	primary.rolloutState = "COMPLETED"
	primary.rolloutStateReason = "ECS deployment " + primary.id + " completed."
	primary.updatedAt = e.sim.Now()
	s.deployments = s.deployments[:1]
	e.say(s, deploymentCompletedMessage(s, primary))
}

// chooseToStop picks n of the tasks to stop on scale-in: tasks not yet
// RUNNING first, then as the placement strategies' scale-in rules say
// (reference 3.2).
func (e *ECS) chooseToStop(s *service, tasks []*task, n int) []*task {
	var out []*task
	var running []*task
	for _, t := range tasks {
		if t.lastStatus != taskRunning && len(out) < n {
			out = append(out, t)
		} else {
			running = append(running, t)
		}
	}
	if len(out) == n || len(running) == 0 {
		return out
	}
	if s.launchType == launchFargate {
		// Fargate: keep the AZs balanced, stopping from the fullest AZ.
		for len(out) < n {
			perAZ := map[string]int{}
			for _, t := range running {
				perAZ[t.az]++
			}
			best := -1
			for i, t := range running {
				if best < 0 || perAZ[t.az] > perAZ[running[best].az] {
					best = i
				}
			}
			out = append(out, running[best])
			running = append(running[:best], running[best+1:]...)
		}
		return out
	}
	instances := e.registeredInstances(s.cluster)
	index := map[*containerInstance]int{}
	for i, ci := range instances {
		index[ci] = i
	}
	req := placement.StopRequest{Count: n - len(out), Rand: e.sim.Rand(), Strategies: toStrategies(s.strategies)}
	if len(req.Strategies) == 0 {
		req.Strategies = placement.DefaultServiceStrategies
	}
	var candidates []*task
	for _, t := range running {
		i, ok := index[t.instance]
		if !ok {
			out = append(out, t) // its instance is gone: stop it first
			continue
		}
		candidates = append(candidates, t)
		req.Tasks = append(req.Tasks, placement.RunningTask{Instance: i, CPU: t.reservedCPU, Memory: t.reservedMemory})
	}
	if len(out) >= n {
		return out[:n]
	}
	req.Count = n - len(out)
	for _, i := range placement.ChooseToStop(req, e.candidates(instances)) {
		out = append(out, candidates[i])
	}
	return out
}

func toStrategies(in []PlacementStrategy) []placement.Strategy {
	var out []placement.Strategy
	for _, s := range in {
		out = append(out, placement.Strategy{Type: deref(s.Type), Field: deref(s.Field)})
	}
	return out
}

// serviceTaskSpec is the spec of a new task of the service's PRIMARY
// deployment: group service:<name>, startedBy the deployment ID
// [API:Task], reference 7.7.
func (e *ECS) serviceTaskSpec(s *service) *taskSpec {
	d := s.primary()
	spec := &taskSpec{
		cluster:              s.cluster,
		def:                  d.def,
		launchType:           s.launchType,
		group:                "service:" + s.name,
		startedBy:            d.id,
		enableExecuteCommand: s.enableExecuteCommand,
		service:              s,
		deployment:           d,
	}
	if s.launchType == launchFargate {
		spec.platformVersion = fargatePlatformVersion
	}
	switch s.propagateTags {
	case PropagateTagsSERVICE:
		spec.tags = clone(s.tags)
	case PropagateTagsTASKDEFINITION:
		if rec, err := e.lookupTaskDefinition(deref(d.def.TaskDefinitionArn)); err == nil {
			spec.tags = clone(rec.tags)
		}
	}
	return spec
}

// startServiceTasks starts n tasks of the PRIMARY deployment, on a
// capacity provider or with the service's launch type, and says so; a
// placement failure becomes a service event. It returns how many started
// (tasks waiting in PROVISIONING for capacity count: they are launched).
func (e *ECS) startServiceTasks(s *service, provider *capacityProvider, n int) int {
	spec := e.serviceTaskSpec(s)
	var tasks []*task
	var failures []Failure
	switch {
	case provider != nil:
		spec.provider = provider
		var req placement.Request
		if !provider.fargate {
			r, err := e.placementFor(s, spec)
			if err != nil {
				return 0
			}
			req = r
		}
		tasks, failures = e.runOnProvider(spec, s.network, req, n)
		if len(tasks) < n {
			if provider.fargate {
				e.say(s, s.prefix()+" was unable to place a task. Reason: "+capacityUnavailable+".")
			} else {
				e.say(s, placementFailedMessage(s, e.lastClosest, len(failures) > 0 && len(e.providerInstances(s.cluster, provider)) == 0))
			}
		}
	case s.launchType == launchFargate:
		tasks, _ = e.startFargate(spec, s.network, n)
	default:
		req, err := e.placementFor(s, spec)
		if err != nil {
			return 0
		}
		req.Count = n
		var perr error
		tasks, _, perr = e.placeOnEC2(spec, s.network, req)
		if len(tasks) < n {
			e.say(s, placementFailedMessage(s, e.lastClosest, perr != nil))
		}
	}
	if len(tasks) > 0 {
		e.say(s, startedMessage(s, tasks))
	}
	if len(tasks) == n {
		s.resolve(s.prefix() + " was unable to place")
		s.resolve("service " + s.name + " was unable to place")
	}
	return len(tasks)
}

// pool is a share of a service's tasks: those of one capacity provider of
// its strategy (provider nil: the launch type's single pool).
type pool struct {
	provider *capacityProvider
	target   int
}

// pools splits the desired count over the service's strategy (reference
// 1.4); services rebalance toward it as they scale.
func (s *service) pools() []pool {
	if len(s.providerStrategy) == 0 {
		return []pool{{target: s.desiredCount}}
	}
	alloc := split(s.providerStrategy, s.desiredCount)
	out := make([]pool, len(alloc))
	for i, item := range s.providerStrategy {
		out[i] = pool{provider: s.cluster.providerByName(deref(item.CapacityProvider)), target: alloc[i]}
	}
	return out
}

// of returns the tasks of the pool.
func (p pool) of(tasks []*task) []*task {
	var out []*task
	for _, t := range tasks {
		if t.provider == p.provider {
			out = append(out, t)
		}
	}
	return out
}

// serviceTaskStopped is told when one of the service's tasks has stopped.
// A task that never reached RUNNING feeds the throttle (reference 7.5) and
// counts against the deployment's circuit breaker, whose first stage counts
// exactly those tasks (reference 7.3; a task that ran and then exited is
// not counted, as users observe: aws/containers-roadmap#1206). The second
// stage, health-check failures, comes with load balancers and container
// health checks.
func (e *ECS) serviceTaskStopped(t *task) {
	s := t.service
	now := e.sim.Now()
	schedulerStopped := t.stopCode == stopServiceScheduler || t.stopCode == stopUserInitiated
	if t.everRunning || schedulerStopped {
		e.scheduleReconcile(s, 0)
		return
	}
	// The back-off grows per attempt, not per task: tasks launched together
	// and failing together are one failed attempt [DG:service-throttle-logic].
	if t.createdAt == nil || !t.createdAt.Equal(s.lastFailedLaunch) {
		s.failedStarts++
		if t.createdAt != nil {
			s.lastFailedLaunch = *t.createdAt
		}
	}
	if s.failedStarts >= 2 {
		delay := throttleBase << (s.failedStarts - 2)
		if delay > throttleMax || delay <= 0 {
			delay = throttleMax
		}
		s.throttledTil = now.Add(delay)
		e.say(s, throttleMessage(s))
	}
	if d := t.deployment; d != nil && d == s.primary() && d.rolloutState == "IN_PROGRESS" {
		d.failedTasks++
		e.checkCircuitBreaker(s, d)
	}
	e.scheduleReconcile(s, 0)
}

// healthyAtStop reports whether the task had been healthy before it stopped.
func (e *ECS) healthyAtStop(t *task) (bool, time.Time) {
	if t.startedAt == nil || t.stoppingAt == nil {
		return false, time.Time{}
	}
	return !t.stoppingAt.Before(t.startedAt.Add(healthyAfter)), t.startedAt.Add(healthyAfter)
}

// circuitBreakerThreshold is clamp(ceil(0.5 × desired), 10, 200)
// [DG:deployment-circuit-breaker].
func circuitBreakerThreshold(desired int) int {
	return min(max(int(math.Ceil(0.5*float64(desired))), 10), 200)
}

// checkCircuitBreaker fails the deployment once as many tasks failed as the
// threshold, and rolls back to the last COMPLETED deployment when asked.
func (e *ECS) checkCircuitBreaker(s *service, d *deployment) {
	cb := s.circuitBreaker
	if cb == nil || !deref2(cb.Enable) || d.failedTasks < circuitBreakerThreshold(s.desiredCount) {
		return
	}
	d.rolloutState = "FAILED"
	// text not verified
	d.rolloutStateReason = "ECS deployment circuit breaker: tasks failed to start."
	d.updatedAt = e.sim.Now()
	e.sim.Recordf("ecs", "ServiceDeploymentFailed", s.arn, "service %s: deployment %s FAILED after %d failed tasks (threshold %d)",
		s.name, d.id, d.failedTasks, circuitBreakerThreshold(s.desiredCount))
	// text not verified
	e.say(s, s.prefix()+" (deployment "+d.id+") deployment failed: tasks failed to start.")
	if !deref2(cb.Rollback) {
		return
	}
	for _, old := range s.deployments[1:] {
		if old.rolloutState == "COMPLETED" {
			back := e.newDeployment(s, old.def)
			back.rolloutStateReason = "ECS deployment " + back.id + " in progress. Rolling back to the last completed deployment." // text not verified
			e.sim.Recordf("ecs", "ServiceDeploymentRollback", s.arn, "service %s: rolling back to %s", s.name, familyRevision(old.def))
			return
		}
	}
}

func deref2(b *bool) bool { return b != nil && *b }

// reconcileDaemon keeps one task of the PRIMARY deployment on every ACTIVE
// container instance that satisfies the service's constraints; DRAINING
// instances lose their daemon task (reference 7.1).
func (e *ECS) reconcileDaemon(s *service) {
	primary := s.primary()
	byInstance := map[*containerInstance][]*task{}
	for _, t := range s.tasks() {
		if t.desiredStatus == taskRunning {
			byInstance[t.instance] = append(byInstance[t.instance], t)
		}
	}
	var toStop []*task
	started := 0
	eligible := 0
	spec := e.serviceTaskSpec(s)
	req, err := e.placementFor(s, spec)
	if err != nil {
		return
	}
	req.Count = 1
	req.Strategies = nil
	for _, ci := range s.cluster.instances {
		tasks := byInstance[ci]
		if ci.status != instanceActive {
			toStop = append(toStop, tasks...)
			continue
		}
		var current bool
		for _, t := range tasks {
			if t.deployment == primary {
				current = true
			} else {
				toStop = append(toStop, t) // maximumPercent 100: stop the old one first
			}
		}
		if current || primary.rolloutState == "FAILED" {
			eligible++
			continue
		}
		req.Rand = e.sim.Rand()
		res, err := placement.Place(req, e.candidates([]*containerInstance{ci}))
		if err != nil || len(res.Placed) == 0 {
			if err == nil && len(res.Failures) > 0 && isConstraintFailure(res.Failures[0].Reason) {
				continue // the instance is not one the daemon runs on
			}
			eligible++
			if err == nil && len(tasks) == 0 {
				e.say(s, placementFailedMessage(s, res.Closest, false))
			}
			continue
		}
		eligible++
		if len(tasks) > 0 {
			continue // start once the old task has stopped
		}
		t := e.newTask(spec, ci)
		t.explanation = res.Explanation.String()
		if s.network != nil {
			if err := e.attachENI(t, s.network, ci.az); err != nil {
				continue
			}
		}
		e.addTask(t)
		e.launch(t)
		started++
		e.say(s, startedMessage(s, []*task{t}))
	}
	s.desiredCount = eligible
	if len(toStop) > 0 {
		for _, t := range toStop {
			e.stopTask(t, stopServiceScheduler, "Scaling activity initiated by (deployment "+primary.id+")")
		}
		e.say(s, stoppedMessage(s, toStop))
	}
	running, pending := s.counts(primary)
	if started == 0 && len(toStop) == 0 && pending == 0 && running == eligible {
		if primary.rolloutState == "IN_PROGRESS" {
			e.completeDeployment(s)
		}
		if !s.steady {
			s.steady = true
			e.say(s, steadyMessage(s))
			e.sim.After(steadyRepeat, "steady state again", func() { e.steadyAgain(s) })
		}
	} else if s.steady {
		s.steady = false
		s.resolve(steadyMessage(s))
	}
}

func isConstraintFailure(reason string) bool {
	return reason == placement.ReasonMemberOf || reason == placement.ReasonDistinctInstance || reason == placement.ReasonAttribute
}
