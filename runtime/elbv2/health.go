package elbv2

import (
	"fmt"
	"slices"

	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// Health checks on the simulated clock [ALB-UG:target-group-health-checks]:
// the load balancer checks each registered target every
// HealthCheckIntervalSeconds; HealthyThresholdCount consecutive passes make
// it healthy, UnhealthyThresholdCount consecutive failures unhealthy. A new
// target is initial (Elb.RegistrationInProgress) until its first check, so
// with the defaults it turns healthy 5 × 30 s = 150 s after registration
// and unhealthy 2 × 30 s = 60 s after it (reference section 13). (The
// current user guide says a new target "must pass one health check to be
// considered healthy"; ecsbox follows the threshold, as the ECS guide's
// deployment timings and the reference do.)
//
// A check passes when:
//   - an instance target is running (stopped and terminated ones are
//     unused, Target.InvalidState), and an ip target's address belongs to a
//     network interface;
//   - the security groups let the load balancer's node (its address and
//     groups) reach the target's groups on the health check port (else the
//     check times out: Target.Timeout);
//   - the workload answers (Backends): nothing listening fails with
//     Target.FailedHealthChecks, no answer with Target.Timeout, a status
//     outside the matcher with Target.ResponseCodeMismatch.

// lbUses reports whether a listener or rule of lb forwards to tg.
func (e *ELBv2) lbUses(lb *loadBalancer, tg *targetGroup) bool {
	for _, l := range e.listeners {
		if l.lb != lb {
			continue
		}
		if slices.Contains(forwardTargets(l.actions), tg.arn) {
			return true
		}
		for _, r := range e.rules {
			if r.l == l && slices.Contains(forwardTargets(r.actions), tg.arn) {
				return true
			}
		}
	}
	return false
}

func (e *ELBv2) tgReferenced(tg *targetGroup) bool { return len(e.loadBalancersOf(tg)) > 0 }

func (e *ELBv2) activeLBsOf(tg *targetGroup) []*loadBalancer {
	var out []*loadBalancer
	for _, lb := range e.loadBalancersOf(tg) {
		if lb.state == LoadBalancerStateEnumActive {
			out = append(out, lb)
		}
	}
	return out
}

// refreshUse re-places every target after a change of which load balancers
// use which target groups, or of their states.
func (e *ELBv2) refreshUse() {
	for _, tg := range e.tgs {
		for _, t := range tg.targets {
			e.placeTarget(tg, t, false)
		}
	}
}

// placeTarget puts a target in the state its target group's use says
// (unused when no load balancer forwards to it, or when its zone is not
// one of theirs; initial otherwise) and keeps its checks running while an
// active load balancer uses it.
func (e *ELBv2) placeTarget(tg *targetGroup, t *target, fresh bool) {
	if t.state == StateDraining {
		return
	}
	lbs := e.loadBalancersOf(tg)
	if len(lbs) == 0 {
		t.stopTimers()
		t.passes, t.fails, t.checks = 0, 0, 0
		e.setState(tg, t, StateUnused, ReasonNotInUse, descNotInUse, "")
		return
	}
	zoneEnabled := t.az == "all"
	for _, lb := range lbs {
		zoneEnabled = zoneEnabled || slices.Contains(lb.azs(), t.az)
	}
	if !zoneEnabled {
		t.stopTimers()
		t.passes, t.fails, t.checks = 0, 0, 0
		e.setState(tg, t, StateUnused, ReasonNotInUse, descAZNotEnabled, "")
		return
	}
	if fresh || t.state == "" || t.state == StateUnused && t.reason == ReasonNotInUse {
		t.passes, t.fails, t.checks = 0, 0, 0
		e.setState(tg, t, StateInitial, ReasonRegistrationInProgress, descRegistrationInProgress, "")
	}
	if len(e.activeLBsOf(tg)) == 0 {
		// Checks start when a load balancer that uses the group is active.
		if t.checkTimer != nil {
			t.checkTimer.Stop()
			t.checkTimer = nil
		}
		return
	}
	if t.checkTimer == nil {
		e.scheduleCheck(tg, t)
	}
}

func (e *ELBv2) scheduleCheck(tg *targetGroup, t *target) {
	t.checkTimer = e.sim.AfterFunc(tg.interval(), "elbv2 health check "+t.id, func() {
		t.checkTimer = nil
		e.check(tg, t)
	})
}

// checkResult is the outcome of one health check.
type checkResult struct {
	pass bool
	// invalid is the description of an instance target that is stopped or
	// terminated (Target.InvalidState); the check does not count.
	invalid      string
	reason, desc string
	why          string
	// status is the HTTP status the workload answered, if any.
	status int
}

// check runs one health check of a target and schedules the next.
func (e *ELBv2) check(tg *targetGroup, t *target) {
	if e.tgByARN(tg.arn) != tg || !slices.Contains(tg.targets, t) || t.state == StateDraining || len(e.activeLBsOf(tg)) == 0 {
		return
	}
	defer e.scheduleCheck(tg, t)
	r := e.evaluate(tg, t)
	if r.invalid != "" {
		t.passes, t.fails, t.checks = 0, 0, 0
		e.setState(tg, t, StateUnused, ReasonInvalidState, r.invalid, "")
		return
	}
	if t.state == StateUnused {
		// An instance that was stopped is running again.
		e.setState(tg, t, StateInitial, ReasonRegistrationInProgress, descRegistrationInProgress, "")
	}
	t.checks++
	if r.pass {
		t.passes, t.fails, t.why = t.passes+1, 0, ""
	} else {
		t.passes, t.fails, t.why = 0, t.fails+1, r.why
	}
	switch t.state {
	case StateInitial:
		switch {
		case r.pass && t.passes >= tg.hc.healthy:
			e.setState(tg, t, StateHealthy, "", "", "")
		case !r.pass && t.fails >= tg.hc.unhealthy:
			e.setState(tg, t, StateUnhealthy, r.reason, r.desc, r.why)
		default:
			e.setState(tg, t, StateInitial, ReasonInitialHealthChecking, descInitialHealthChecking, "")
		}
	case StateHealthy:
		if !r.pass && t.fails >= tg.hc.unhealthy {
			e.setState(tg, t, StateUnhealthy, r.reason, r.desc, r.why)
		}
	case StateUnhealthy:
		switch {
		case r.pass && t.passes >= tg.hc.healthy:
			e.setState(tg, t, StateHealthy, "", "", "")
		case !r.pass:
			e.setState(tg, t, StateUnhealthy, r.reason, r.desc, r.why)
		}
	}
}

// evaluate runs the checks described at the top of this file from the
// node of the first active load balancer that uses tg, in the target's
// zone.
func (e *ELBv2) evaluate(tg *targetGroup, t *target) checkResult {
	lb := e.activeLBsOf(tg)[0]
	port := t.port
	if tg.hc.port != trafficPort {
		fmt.Sscan(tg.hc.port, &port)
	}
	return e.probe(lb, tg, t, port, tg.hc.path, tg.hc.matcher)
}

// probe is one request from lb's node to a target: a health check, or a
// request of the traffic when a target group has no healthy target.
func (e *ELBv2) probe(lb *loadBalancer, tg *targetGroup, t *target, port int, path, matcher string) checkResult {
	timeout := checkResult{reason: ReasonTimeout, desc: descTimeout}
	var toIP string
	var groups []string
	if tg.targetType == TargetTypeEnumInstance {
		inst, ok := e.ec2.Instance(t.id)
		switch {
		case !ok || inst.State == ec2.StateTerminated:
			return checkResult{invalid: descTerminated}
		case inst.State == ec2.StateStopped:
			return checkResult{invalid: descStopped}
		case inst.State != ec2.StateRunning:
			timeout.why = fmt.Sprintf("instance %s is %s", t.id, inst.State)
			return timeout
		}
		toIP = inst.PrivateIP
		groups, _ = e.ec2.GroupsOfInstance(t.id)
	} else {
		n, ok := e.ec2.ENIOfIP(t.id)
		if !ok {
			timeout.why = "no network interface has the address " + t.id
			return timeout
		}
		toIP = t.id
		groups, _ = e.ec2.GroupsOfENI(n.ID)
	}
	node := lb.node(t.az)
	if ok, why := e.ec2.ReachableIP(lb.groups, node.ip, groups, toIP, port, "tcp"); !ok {
		timeout.why = "the security groups drop it: " + why
		return timeout
	}
	status, why := NoListener, "no workload answers for the target (ecsbox has no backends)"
	if e.backends != nil {
		status, why = e.backends.Answer(t.id, port, path)
	}
	switch {
	case status == NoListener:
		return checkResult{reason: ReasonFailedHealthChecks, desc: descFailedHealthChecks, why: why}
	case status == NoAnswer:
		timeout.why = why
		return timeout
	case matcher != "" && !matches(matcher, status):
		return checkResult{reason: ReasonResponseCodeMismatch, desc: fmt.Sprintf(descCodeMismatch, status),
			why: fmt.Sprintf("%s answered %d", t.id, status), status: status}
	}
	return checkResult{pass: true, status: status}
}
