package ecs

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/elbv2"
	"github.com/ecsbox/ecsbox/runtime/servicediscovery"
)

// Services behind Application Load Balancers (reference 13): a service's
// loadBalancers name target groups; ECS registers each task as a target
// when it starts (the instance ID and host port for bridge and host
// networking, the task's IP and container port for awsvpc
// [DG:load-balancer-types]), counts a task healthy for deployments once
// its targets are, replaces a task whose targets fail their health checks
// after the grace period, and deregisters a stopping task's targets and
// waits out the deregistration delay before its containers get SIGTERM.

// maxServiceLoadBalancers is how many target groups a service may use
// [DG:register-multiple-targetgroups].
const maxServiceLoadBalancers = 5

// SetLoadBalancing gives ECS the account's Elastic Load Balancing and Cloud
// Map, for services with loadBalancers and serviceRegistries (without them
// such services are refused as not simulated). ECS answers ELB's health
// checks and requests for its tasks and follows their targets' health.
func (e *ECS) SetLoadBalancing(elb *elbv2.ELBv2, sd *servicediscovery.ServiceDiscovery) {
	e.elb, e.sd = elb, sd
	if elb != nil {
		elb.SetBackends(e)
		elb.OnTargetHealthChange(e.targetHealthChanged)
	}
}

// lbTarget is one registration of a task in a target group.
type lbTarget struct {
	tgArn         string
	id            string // instance ID or IP address
	port          int
	containerPort int
	state, reason string // the target's health, as ELB last said
}

// validateLoadBalancers checks a service's loadBalancers against its task
// definition, as CreateService does.
func (e *ECS) validateLoadBalancers(lbs []LoadBalancer, td *TaskDefinition) error {
	if len(lbs) == 0 {
		return nil
	}
	if e.elb == nil {
		return notSimulated("load balancers for services")
	}
	if len(lbs) > maxServiceLoadBalancers {
		// text not verified; the limit is [DG:register-multiple-targetgroups]
		return invalidParam("A service can use at most %d target groups.", maxServiceLoadBalancers)
	}
	mode := networkModeOf(td)
	for _, lb := range lbs {
		if lb.LoadBalancerName != nil && lb.TargetGroupArn == nil {
			return notSimulated("Classic Load Balancers (loadBalancerName)")
		}
		arn := deref(lb.TargetGroupArn)
		tg, ok := e.elb.TargetGroup(arn)
		if !ok {
			// The text users quote when ECS cannot read the target group;
			// source not checked.
			return invalidParam("Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.")
		}
		if len(tg.LoadBalancerARNs) == 0 {
			// as users quote it; source not checked
			return invalidParam("The target group with targetGroupArn %s does not have an associated load balancer.", arn)
		}
		name := deref(lb.ContainerName)
		var cd *ContainerDefinition
		for i := range td.ContainerDefinitions {
			if deref(td.ContainerDefinitions[i].Name) == name {
				cd = &td.ContainerDefinitions[i]
			}
		}
		if cd == nil {
			// as users quote it; source not checked
			return invalidParam("The container %s does not exist in the task definition.", name)
		}
		port := aws.ToInt(lb.ContainerPort)
		mapped := false
		for _, pm := range cd.PortMappings {
			mapped = mapped || aws.ToInt(pm.ContainerPort) == port
		}
		if !mapped {
			// text not verified
			return invalidParam("The container %s did not have a container port %d defined.", name, port)
		}
		want := "instance"
		if mode == "awsvpc" {
			want = "ip"
		}
		if tg.TargetType != want {
			// as users quote it for awsvpc with an instance target group
			// (source not checked); the same form for the others
			return invalidParam("The provided target group %s has target type %s, which is incompatible with the %s network mode specified in the task definition.", arn, tg.TargetType, mode)
		}
	}
	return nil
}

// registerTargets registers a service task with its target groups: the
// task is ACTIVATING while ECS registers it [DG:task-lifecycle].
func (e *ECS) registerTargets(t *task) {
	s := t.service
	if s == nil || len(s.lbs) == 0 || e.elb == nil {
		return
	}
	for _, lb := range s.lbs {
		tgArn, name, port := deref(lb.TargetGroupArn), deref(lb.ContainerName), aws.ToInt(lb.ContainerPort)
		id, targetPort := e.targetOf(t, name, port)
		if id == "" {
			continue
		}
		if err := e.elb.RegisterTarget(tgArn, id, targetPort); err != nil {
			e.sim.Recordf("ecs", "TargetRegistrationFailed", t.arn, "task %s could not be registered in %s: %v", t.id, tgArn, err)
			continue
		}
		tg := &lbTarget{tgArn: tgArn, id: id, port: targetPort, containerPort: port}
		tg.state, tg.reason = e.elb.TargetState(tgArn, id, targetPort)
		t.targets = append(t.targets, tg)
		e.targetTasks[targetKey(tgArn, id, targetPort)] = t
		// The text of reference 7.6 (no trailing period in the sample).
		e.sayEach(s, fmt.Sprintf("%s registered 1 targets in (target-group %s)", s.prefix(), tgArn))
	}
}

// targetOf is the target a task's container port makes: the instance and
// the host port it is bound to, or the task's IP and the container port.
func (e *ECS) targetOf(t *task, container string, port int) (string, int) {
	if t.eni != nil {
		return t.eni.privateIP, port
	}
	if t.instance == nil {
		return "", 0
	}
	for _, c := range t.containers {
		if c.name != container {
			continue
		}
		for _, b := range c.bindings {
			if aws.ToInt(b.ContainerPort) == port {
				return t.instance.ec2ID, aws.ToInt(b.HostPort)
			}
		}
	}
	return "", 0
}

func targetKey(tgArn, id string, port int) string {
	return tgArn + "|" + id + "|" + fmt.Sprint(port)
}

// deregisterTargets starts a stopping task's deactivation: its targets
// drain for the deregistration delay. It reports whether the task must
// wait for them (false: nothing to drain).
func (e *ECS) deregisterTargets(t *task) bool {
	if len(t.targets) == 0 || e.elb == nil {
		return false
	}
	s := t.service
	// A target of a group no load balancer uses is gone at once, and its
	// hook edits t.targets: loop over a copy.
	for _, tg := range slices.Clone(t.targets) {
		if err := e.elb.DeregisterTarget(tg.tgArn, tg.id, tg.port); err != nil {
			tg.state = ""
			continue
		}
		if s != nil {
			e.sayEach(s, fmt.Sprintf("%s deregistered 1 targets in (target-group %s)", s.prefix(), tg.tgArn))
		}
	}
	if s != nil {
		// Reference 7.6 ([CR#804]) has "(service X) has begun draining
		// connections on 1 tasks."; recent event logs users quote name the
		// deployment's task set and come after the deregistration.
		who := s.prefix()
		if t.deployment != nil {
			who = "(service " + s.name + ", taskSet " + t.deployment.id + ")"
		}
		e.sayEach(s, who+" has begun draining connections on 1 tasks.")
	}
	e.forgetDrained(t)
	return len(t.targets) > 0
}

// forgetDrained drops the targets that are gone from their target group.
func (e *ECS) forgetDrained(t *task) {
	kept := t.targets[:0]
	for _, tg := range t.targets {
		if state, reason := e.elb.TargetState(tg.tgArn, tg.id, tg.port); reason == elbv2.ReasonNotRegistered || state == "" {
			delete(e.targetTasks, targetKey(tg.tgArn, tg.id, tg.port))
			continue
		}
		kept = append(kept, tg)
	}
	t.targets = kept
}

// targetHealthChanged follows ELB's health of the targets of service
// tasks (elbv2.OnTargetHealthChange).
func (e *ECS) targetHealthChanged(tgArn, id string, port int, state, reason string) {
	t := e.targetTasks[targetKey(tgArn, id, port)]
	if t == nil {
		return
	}
	for _, tg := range t.targets {
		if tg.tgArn == tgArn && tg.id == id && tg.port == port {
			tg.state, tg.reason = state, reason
		}
	}
	switch {
	case reason == elbv2.ReasonNotRegistered:
		e.forgetDrained(t)
		if t.draining && len(t.targets) == 0 {
			e.beginStopping(t)
		}
	case state == elbv2.StateHealthy && t.service != nil:
		e.scheduleReconcile(t.service, 0) // the deployment may go on
	case state == elbv2.StateUnhealthy:
		e.unhealthyTarget(t)
	}
}

// unhealthyTarget replaces a running service task whose target failed its
// health checks, once its health check grace period is over
// [API:CreateServiceRequest], reference 7.4.
func (e *ECS) unhealthyTarget(t *task) {
	s := t.service
	if s == nil || t.lastStatus != taskRunning || t.desiredStatus != taskRunning || t.startedAt == nil {
		return
	}
	if graceEnds := t.startedAt.Add(s.healthCheckGrace); e.sim.Now().Before(graceEnds) {
		e.sim.At(graceEnds, "ecs health check grace period ends", func() {
			if tg := t.unhealthyTarget(); tg != nil {
				e.unhealthyTarget(t)
			}
		})
		return
	}
	tg := t.unhealthyTarget()
	if tg == nil {
		return
	}
	e.sayEach(s, unhealthyMessage(s, t, tg, e.elb.TargetDescription(tg.tgArn, tg.id, tg.port)))
	e.sayEach(s, stoppedMessage(s, []*task{t}))
	// The stoppedReason users quote for such tasks; source not checked.
	e.stopTask(t, stopServiceScheduler, "Task failed ELB health checks in (target-group "+tg.tgArn+")")
	// The circuit breaker's second stage counts health check failures of a
	// deployment's tasks (reference 7.3).
	if d := t.deployment; d != nil && d == s.primary() && d.rolloutState == "IN_PROGRESS" {
		d.failedTasks++
		e.checkCircuitBreaker(s, d)
	}
}

// unhealthyMessage is the service event of a target that failed its health
// checks. Reference 7.6 has "(service web) (port 8000) is unhealthy in
// (target-group ...) due to (reason Health checks failed)."; events users
// quote name the target too, "(instance i-...) (port 32875)" for instance
// targets and "(task <id>) (port 8080)" for ip targets, and give ELB's
// description as the reason ("Request timed out", "Health checks failed
// with these codes: [404]").
func unhealthyMessage(s *service, t *task, tg *lbTarget, description string) string {
	who := "(task " + t.id + ")"
	if strings.HasPrefix(tg.id, "i-") {
		who = "(instance " + tg.id + ")"
	}
	if description == "" {
		description = "Health checks failed"
	}
	return fmt.Sprintf("%s %s (port %d) is unhealthy in (target-group %s) due to (reason %s).", s.prefix(), who, tg.port, tg.tgArn, description)
}

// unhealthyTarget returns one of the task's targets ELB finds unhealthy.
func (t *task) unhealthyTarget() *lbTarget {
	for _, tg := range t.targets {
		if tg.state == elbv2.StateUnhealthy {
			return tg
		}
	}
	return nil
}

// targetsHealthy reports whether every target group the task's service
// uses finds the task healthy. A target group no listener uses leaves its
// targets unused, never healthy, so a deployment behind it does not
// complete, as users see in AWS (aws/containers-roadmap#1884).
func (t *task) targetsHealthy() bool {
	if t.service == nil || len(t.service.lbs) == 0 {
		return true
	}
	if len(t.targets) < len(t.service.lbs) {
		return false
	}
	for _, tg := range t.targets {
		if tg.state != elbv2.StateHealthy {
			return false
		}
	}
	return true
}

// Answer is ECS's side of a health check or request (elbv2.Backends): the
// task behind the target answers 200 if its container listens on the
// port, that is runs a server rather than a one-off command.
func (e *ECS) Answer(targetID string, port int, path string) (int, string) {
	t, c := e.taskAt(targetID, port)
	if t == nil {
		return elbv2.NoListener, "no task listens on " + targetID + ":" + fmt.Sprint(port)
	}
	if c.lastStatus != taskRunning || (t.lastStatus != taskRunning && t.lastStatus != taskActivating && t.lastStatus != taskDeactivating) {
		return elbv2.NoListener, fmt.Sprintf("container %s of task %s is %s", c.name, t.id, c.lastStatus)
	}
	if w := parseWorkload(c.command); w.runFor > 0 || w.exitsNow {
		return elbv2.NoListener, fmt.Sprintf("container %s of task %s runs %q, which does not listen on port %d", c.name, t.id, strings.Join(c.command, " "), port)
	}
	return 200, fmt.Sprintf("container %s (%s) of task %s", c.name, c.image, t.id)
}

// taskAt finds the running container behind a target: an instance ID and a
// host port, or a task IP and a container port.
func (e *ECS) taskAt(targetID string, port int) (*task, *container) {
	if strings.HasPrefix(targetID, "i-") {
		ci := e.instanceByEC2[targetID]
		if ci == nil {
			return nil, nil
		}
		for _, t := range ci.tasks {
			for _, c := range t.containers {
				for _, b := range c.bindings {
					if aws.ToInt(b.HostPort) == port && t.active() {
						return t, c
					}
				}
			}
		}
		return nil, nil
	}
	for _, name := range e.clusterNames() {
		for _, t := range e.clusters[name].tasks {
			if t.eni == nil || t.eni.privateIP != targetID || !t.active() {
				continue
			}
			for _, c := range t.containers {
				for _, p := range c.ports {
					if p == port {
						return t, c
					}
				}
			}
		}
	}
	return nil, nil
}

// requestCPUSeconds is the CPU time one request from a load balancer costs
// the task that serves it. SIM: 5 ms, so 100 requests a second keep half a
// vCPU busy.
const requestCPUSeconds = 0.005

// requestRate is the requests per second the task's targets receive.
func (e *ECS) requestRate(t *task) float64 {
	rps := 0.0
	for _, tg := range t.targets {
		rps += e.elb.Traffic(tg.tgArn)[elbv2.TargetKey{ID: tg.id, Port: tg.port}]
	}
	return rps
}

// requestCPU is the CPU units (1024 a vCPU) the task's requests use.
func (e *ECS) requestCPU(t *task) float64 {
	if len(t.targets) == 0 || e.elb == nil {
		return 0
	}
	return e.requestRate(t) * requestCPUSeconds * 1024
}

// ResponseTime is how long the task behind a target takes to answer
// (elbv2.ResponseTimer): the base time, stretched as its CPU fills up
// like a single queue's, 1/(1−utilization), with utilization capped at
// 95 %. SIM: a simple queueing model, not a measurement.
func (e *ECS) ResponseTime(targetID string, port int, rps float64) time.Duration {
	t, _ := e.taskAt(targetID, port)
	if t == nil {
		return elbv2.DefaultResponseTime
	}
	util := 0.0
	if limit := t.cpuLimit(); limit > 0 {
		util = min(t.use.cpu/float64(t.reservedCPUOr(limit)), 0.95)
	}
	return time.Duration(float64(elbv2.DefaultResponseTime) / (1 - util))
}

// reservedCPUOr is the task's CPU reservation, or limit when it reserves
// none (a task without task-level cpu on EC2).
func (t *task) reservedCPUOr(limit float64) int {
	if t.reservedCPU > 0 {
		return t.reservedCPU
	}
	return int(limit)
}
