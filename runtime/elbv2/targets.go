package elbv2

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Target health states and reason codes [ELB-API:TargetHealth], and the
// descriptions ELB gives with each reason, verbatim from the table "Health
// check reason codes" [ALB-UG:target-group-health-checks].
const (
	StateInitial     = TargetHealthStateEnumInitial
	StateHealthy     = TargetHealthStateEnumHealthy
	StateUnhealthy   = TargetHealthStateEnumUnhealthy
	StateUnused      = TargetHealthStateEnumUnused
	StateDraining    = TargetHealthStateEnumDraining
	StateUnavailable = TargetHealthStateEnumUnavailable

	ReasonRegistrationInProgress   = TargetHealthReasonEnumElbRegistrationInProgress
	ReasonInitialHealthChecking    = TargetHealthReasonEnumElbInitialHealthChecking
	ReasonResponseCodeMismatch     = TargetHealthReasonEnumTargetResponseCodeMismatch
	ReasonTimeout                  = TargetHealthReasonEnumTargetTimeout
	ReasonFailedHealthChecks       = TargetHealthReasonEnumTargetFailedHealthChecks
	ReasonNotRegistered            = TargetHealthReasonEnumTargetNotRegistered
	ReasonNotInUse                 = TargetHealthReasonEnumTargetNotInUse
	ReasonDeregistrationInProgress = TargetHealthReasonEnumTargetDeregistrationInProgress
	ReasonInvalidState             = TargetHealthReasonEnumTargetInvalidState

	descRegistrationInProgress   = "Target registration is in progress"
	descInitialHealthChecking    = "Initial health checks in progress"
	descDeregistrationInProgress = "Target deregistration is in progress"
	descFailedHealthChecks       = "Health checks failed"
	descTimeout                  = "Request timed out"
	descNotRegistered            = "Target is not registered to the target group"
	descNotInUse                 = "Target group is not configured to receive traffic from the load balancer"
	descAZNotEnabled             = "Target is in an Availability Zone that is not enabled for the load balancer"
	descStopped                  = "Target is in the stopped state"
	descTerminated               = "Target is in the terminated state"
	// descCodeMismatch is "Health checks failed with these codes: [code]".
	descCodeMismatch = "Health checks failed with these codes: [%d]"
)

// target is one registration: an ID (instance ID or IP address) and a
// port.
type target struct {
	id   string
	port int
	az   string
	// state, reason and desc are what DescribeTargetHealth shows.
	state, reason, desc string
	// passes and fails count consecutive health check results.
	passes, fails int
	checks        int // health checks done since registration
	// why explains the last failed check (security groups, nothing
	// listening, ...), for the timeline.
	why        string
	checkTimer *sim.Timer
	drainTimer *sim.Timer
}

func (t *target) stopTimers() {
	if t.checkTimer != nil {
		t.checkTimer.Stop()
		t.checkTimer = nil
	}
	if t.drainTimer != nil {
		t.drainTimer.Stop()
		t.drainTimer = nil
	}
}

// TargetKey names a registered target: an instance ID or IP address, and a
// port.
type TargetKey struct {
	ID   string
	Port int
}

func (tg *targetGroup) find(id string, port int) *target {
	for _, t := range tg.targets {
		if t.id == id && t.port == port {
			return t
		}
	}
	return nil
}

// RegisterTargets registers targets with a target group [ELB-API:
// RegisterTargets]: instance IDs in an instance target group, private IPv4
// addresses of the VPC in an ip target group. Registering a registered
// target again changes nothing; registering a draining one makes it a new
// registration.
func (e *ELBv2) RegisterTargets(in *RegisterTargetsInput) (*RegisterTargetsOutput, error) {
	if in == nil {
		in = &RegisterTargetsInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return nil, tgNotFound()
	}
	type reg struct {
		id, az string
		port   int
	}
	var regs []reg
	var notRunning []string
	for _, d := range in.Targets {
		id := aws.ToString(d.Id)
		port := tg.port
		if d.Port != nil {
			if *d.Port < 1 || *d.Port > 65535 {
				return nil, rangeError("targets.member.port", *d.Port, 1, 65535)
			}
			port = *d.Port
		}
		az, running, err := e.checkTarget(tg, id, aws.ToString(d.AvailabilityZone))
		if err != nil {
			return nil, err
		}
		if !running {
			notRunning = append(notRunning, id)
		}
		regs = append(regs, reg{id, az, port})
	}
	if len(notRunning) > 0 {
		// "The following targets are not in a running state and cannot be
		// registered: 'i-1'" (InvalidTarget; AWS's text as public test
		// fixtures record it)
		return nil, awserr.Newf(InvalidTarget, "The following targets are not in a running state and cannot be registered: '%s'", strings.Join(notRunning, ", "))
	}
	for _, r := range regs {
		e.register(tg, r.id, r.port, r.az)
	}
	return &RegisterTargetsOutput{}, nil
}

// checkTarget checks that a target ID suits the target group's type and
// returns the target's zone and whether it may be registered now (a
// running instance).
func (e *ELBv2) checkTarget(tg *targetGroup, id, az string) (string, bool, error) {
	switch tg.targetType {
	case TargetTypeEnumInstance:
		if !strings.HasPrefix(id, "i-") {
			// "ValidationError: Instance ID '10.x.x.x' is not valid"
			// (an IP address registered in an instance target group;
			// ansible/ansible#30962)
			return "", false, validation("Instance ID '%s' is not valid", id)
		}
		if az != "" {
			// [ELB-API:TargetDescription] AvailabilityZone "is not supported
			// if the target type of the target group is instance"; text
			// not verified
			return "", false, validation("You cannot specify an Availability Zone for targets of target groups with target type 'instance'")
		}
		inst, ok := e.ec2.Instance(id)
		if !ok {
			// text not verified
			return "", false, awserr.Newf(InvalidTarget, "The specified target does not exist or is not in the same VPC as the target group: '%s'", id)
		}
		if inst.VPCID != tg.vpcID {
			// text not verified
			return "", false, awserr.Newf(InvalidTarget, "The following targets are not in the target group VPC '%s': '%s'", tg.vpcID, id)
		}
		return inst.AZ, inst.State == ec2.StateRunning, nil
	default: // ip
		addr, err := netip.ParseAddr(id)
		if err != nil || !addr.Is4() {
			// text not verified
			return "", false, validation("The IP address '%s' is not a valid IPv4 address", id)
		}
		subnet, ok := e.subnetOf(id)
		if !ok {
			if az == "all" {
				return az, true, nil
			}
			// text not verified
			return "", false, awserr.Newf(InvalidTarget, "The IP address '%s' is not within the VPC of the target group; specify AvailabilityZone 'all' for addresses outside it", id)
		}
		if az != "" && az != "all" && az != subnet.AZ {
			// text not verified
			return "", false, validation("The Availability Zone '%s' does not match the subnet of the IP address '%s'", az, id)
		}
		return subnet.AZ, true, nil
	}
}

// subnetOf returns the subnet of the default VPC that contains ip.
func (e *ELBv2) subnetOf(ip string) (ec2.SubnetInfo, bool) {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ec2.SubnetInfo{}, false
	}
	for _, s := range e.ec2.DefaultSubnets() {
		if p, err := netip.ParsePrefix(s.CIDR); err == nil && p.Contains(addr) {
			return s, true
		}
	}
	return ec2.SubnetInfo{}, false
}

// register adds one registration (checked) and starts its health checks
// when a load balancer uses the target group.
func (e *ELBv2) register(tg *targetGroup, id string, port int, az string) {
	if t := tg.find(id, port); t != nil {
		if t.state != StateDraining {
			return
		}
		t.stopTimers()
		e.accumulate()
		tg.targets = slices.DeleteFunc(tg.targets, func(x *target) bool { return x == t })
	}
	e.accumulate()
	t := &target{id: id, port: port, az: az}
	tg.targets = append(tg.targets, t)
	e.sim.Recordf("elbv2", "TargetRegistered", tg.arn, "target group %s: registered %s:%d (%s)", tg.name, id, port, az)
	e.placeTarget(tg, t, true)
}

// RegisterTarget registers one target (an instance ID and its host port, or
// a task's IP address and container port) as RegisterTargets does, for
// ECS. port 0 means the target group's port.
func (e *ELBv2) RegisterTarget(tgArn, id string, port int) error {
	d := TargetDescription{Id: aws.String(id)}
	if port != 0 {
		d.Port = aws.Int(port)
	}
	_, err := e.RegisterTargets(&RegisterTargetsInput{TargetGroupArn: aws.String(tgArn), Targets: []TargetDescription{d}})
	return err
}

// DeregisterTargets deregisters targets: each is draining for the target
// group's deregistration delay (no new requests, health checks stop), then
// gone [ALB-UG:load-balancer-target-groups]. A target of a target group no
// load balancer uses is gone at once.
func (e *ELBv2) DeregisterTargets(in *DeregisterTargetsInput) (*DeregisterTargetsOutput, error) {
	if in == nil {
		in = &DeregisterTargetsInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return nil, tgNotFound()
	}
	var found []*target
	var missing []string
	for _, d := range in.Targets {
		id := aws.ToString(d.Id)
		port := tg.port
		if d.Port != nil {
			port = *d.Port
		}
		t := tg.find(id, port)
		if t == nil {
			missing = append(missing, id)
			continue
		}
		found = append(found, t)
	}
	if len(missing) > 0 {
		// text not verified
		return nil, awserr.Newf(InvalidTarget, "The following targets are not registered in target group '%s': '%s'", tg.arn, strings.Join(missing, ", "))
	}
	for _, t := range found {
		e.deregister(tg, t)
	}
	return &DeregisterTargetsOutput{}, nil
}

// DeregisterTarget deregisters one target, as DeregisterTargets does, for
// ECS; port 0 means the target group's port.
func (e *ELBv2) DeregisterTarget(tgArn, id string, port int) error {
	d := TargetDescription{Id: aws.String(id)}
	if port != 0 {
		d.Port = aws.Int(port)
	}
	_, err := e.DeregisterTargets(&DeregisterTargetsInput{TargetGroupArn: aws.String(tgArn), Targets: []TargetDescription{d}})
	return err
}

func (e *ELBv2) deregister(tg *targetGroup, t *target) {
	if t.state == StateDraining {
		return
	}
	e.accumulate()
	t.stopTimers()
	delay := tg.deregistrationDelay()
	if len(e.activeLBsOf(tg)) == 0 {
		e.remove(tg, t)
		return
	}
	e.setState(tg, t, StateDraining, ReasonDeregistrationInProgress, descDeregistrationInProgress, "")
	e.sim.Recordf("elbv2", "TargetDraining", tg.arn, "target group %s: %s:%d draining for %s", tg.name, t.id, t.port, delay)
	t.drainTimer = e.sim.AfterFunc(delay, "elbv2 drained "+t.id, func() {
		t.drainTimer = nil
		e.accumulate()
		e.remove(tg, t)
	})
}

func (e *ELBv2) remove(tg *targetGroup, t *target) {
	tg.targets = slices.DeleteFunc(tg.targets, func(x *target) bool { return x == t })
	e.sim.Recordf("elbv2", "TargetDeregistered", tg.arn, "target group %s: deregistered %s:%d", tg.name, t.id, t.port)
	for _, fn := range e.hooks {
		fn(tg.arn, t.id, t.port, StateUnused, ReasonNotRegistered)
	}
}

// TargetState returns a registration's health state and reason as
// DescribeTargetHealth shows them; port 0 means the target group's port. A
// target that is not registered is unused with Target.NotRegistered.
func (e *ELBv2) TargetState(tgArn, id string, port int) (state, reason string) {
	tg := e.tgByARN(tgArn)
	if tg == nil {
		return StateUnused, ReasonNotRegistered
	}
	if port == 0 {
		port = tg.port
	}
	t := tg.find(id, port)
	if t == nil {
		return StateUnused, ReasonNotRegistered
	}
	return t.state, t.reason
}

// setState changes what DescribeTargetHealth shows for a target, records
// the change and tells the hooks.
func (e *ELBv2) setState(tg *targetGroup, t *target, state, reason, desc, why string) {
	if t.state == state && t.reason == reason && t.desc == desc {
		return
	}
	e.accumulate()
	prev := t.state
	t.state, t.reason, t.desc = state, reason, desc
	if prev == state && state != StateInitial {
		return // a new description of the same state (another failure code)
	}
	msg := fmt.Sprintf("target group %s: %s:%d is %s", tg.name, t.id, t.port, state)
	if reason != "" {
		msg += fmt.Sprintf(" (%s: %s)", reason, desc)
	}
	if why != "" {
		msg += ": " + why
	}
	e.sim.Record("elbv2", "TargetHealthChanged", tg.arn, msg)
	for _, fn := range e.hooks {
		fn(tg.arn, t.id, t.port, state, reason)
	}
}

// DescribeTargetHealth shows the health of the given targets, or of every
// registered target in registration order.
func (e *ELBv2) DescribeTargetHealth(in *DescribeTargetHealthInput) (*DescribeTargetHealthOutput, error) {
	if in == nil {
		in = &DescribeTargetHealthInput{}
	}
	tg := e.tgByARN(aws.ToString(in.TargetGroupArn))
	if tg == nil {
		return nil, tgNotFound()
	}
	out := &DescribeTargetHealthOutput{TargetHealthDescriptions: []TargetHealthDescription{}}
	if len(in.Targets) == 0 {
		for _, t := range tg.targets {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, e.healthShape(tg, t))
		}
		return out, nil
	}
	for _, d := range in.Targets {
		id := aws.ToString(d.Id)
		var matched []*target
		for _, t := range tg.targets {
			if t.id == id && (d.Port == nil || *d.Port == t.port) {
				matched = append(matched, t)
			}
		}
		if len(matched) == 0 {
			port := tg.port
			if d.Port != nil {
				port = *d.Port
			}
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, TargetHealthDescription{
				Target:          &TargetDescription{Id: aws.String(id), Port: aws.Int(port)},
				HealthCheckPort: aws.String(healthCheckPort(tg, port)),
				TargetHealth: &TargetHealth{State: aws.String(StateUnused), Reason: aws.String(ReasonNotRegistered),
					Description: aws.String(descNotRegistered)},
			})
		}
		for _, t := range matched {
			out.TargetHealthDescriptions = append(out.TargetHealthDescriptions, e.healthShape(tg, t))
		}
	}
	return out, nil
}

func healthCheckPort(tg *targetGroup, port int) string {
	if tg.hc.port == trafficPort {
		return fmt.Sprint(port)
	}
	return tg.hc.port
}

func (e *ELBv2) healthShape(tg *targetGroup, t *target) TargetHealthDescription {
	d := TargetHealthDescription{
		Target:          &TargetDescription{Id: aws.String(t.id), Port: aws.Int(t.port)},
		HealthCheckPort: aws.String(healthCheckPort(tg, t.port)),
		TargetHealth:    &TargetHealth{State: aws.String(t.state)},
	}
	if tg.targetType == TargetTypeEnumIp {
		d.Target.AvailabilityZone = aws.String(t.az)
	}
	if t.reason != "" {
		d.TargetHealth.Reason = aws.String(t.reason)
		d.TargetHealth.Description = aws.String(t.desc)
	}
	return d
}

// interval is the health check interval of a target group.
func (tg *targetGroup) interval() time.Duration { return time.Duration(tg.hc.interval) * time.Second }

// TargetDescription returns the description DescribeTargetHealth shows for
// a registration ("Request timed out", "Health checks failed with these
// codes: [404]"), which ECS quotes as the reason of its unhealthy-target
// service event; port 0 means the target group's port.
func (e *ELBv2) TargetDescription(tgArn, id string, port int) string {
	tg := e.tgByARN(tgArn)
	if tg == nil {
		return ""
	}
	if port == 0 {
		port = tg.port
	}
	if t := tg.find(id, port); t != nil {
		return t.desc
	}
	return ""
}
