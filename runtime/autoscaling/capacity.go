package autoscaling

import (
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
)

// The capacity loop. A change of desired capacity (a user request, a
// policy, ECS) is recorded with its Cause and acted on reconcileDelay later:
// the group launches instances, balanced across its Availability Zones,
// until the instances that count (Pending and InService) equal the desired
// capacity, or picks instances to terminate by its termination policies,
// never one protected from scale-in. Each launch and termination is a
// scaling activity whose Cause is the Cause of the change followed by what
// the group did, as AWS words it:
//
//	At 2013-08-19T20:53:25Z a user request created an AutoScalingGroup changing the desired capacity from 0 to 1.  At 2013-08-19T20:53:29Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.
//
// (examples-1.json, DescribeScalingActivities) and, for scale-in, "...  At
// <t> an instance was taken out of service in response to a difference
// between desired and actual capacity, shrinking the capacity from 6 to 5.
// At <t> instance i-0b9548c2536c04b90 was selected for termination."
// (hjacobs/kube-aws-autoscaler#7, from a real activity history).

// launchReason says why the next launches happen, for their Cause.
type launchReason int

const (
	launchForCapacity launchReason = iota
	launchForReplacement
	launchForRefresh
)

// changeDesired sets the desired capacity (already checked against
// [min, max]) and schedules the group to act on it.
func (a *AutoScaling) changeDesired(g *group, to int, cause string) {
	from := g.desired
	g.desired = to
	if g.pendingCause != "" {
		g.pendingCause += "  "
	}
	g.pendingCause += cause
	g.stuckProtected = false
	a.record("DesiredCapacityChanged", g.name, fmt.Sprintf("%s: desired capacity %d → %d (%s)", g.name, from, to, cause))
	a.explain(g.name, fmt.Sprintf("desired capacity %d → %d: %s", from, to, cause))
	a.schedule(g, reconcileDelay)
}

// schedule makes the group reconcile after d, or sooner if it already
// would.
func (a *AutoScaling) schedule(g *group, d time.Duration) {
	at := a.now().Add(d)
	if g.timer != nil {
		if !at.Before(g.timerAt) {
			return
		}
		g.timer.Stop()
	}
	g.timerAt = at
	g.timer = a.sim.AfterFunc(d, "autoscaling reconcile "+g.name, func() {
		g.timer = nil
		a.reconcile(g)
	})
}

// reconcile brings the group's instances to its desired capacity.
func (a *AutoScaling) reconcile(g *group) {
	if g.deleting {
		return
	}
	n := len(g.active())
	switch {
	case n < g.desired:
		a.scaleOut(g, g.desired-n)
	case n > g.desired:
		a.scaleIn(g, n-g.desired)
	default:
		g.pendingCause = ""
		g.launchReason = launchForCapacity
	}
	a.advanceRefresh(g)
}

// launchSource is the template the group launches from: the group's own,
// or the desired configuration of an instance refresh in progress.
func (g *group) launchSource() ltRef {
	if r := g.activeRefresh(); r != nil && r.target != nil {
		return *r.target
	}
	return g.lt
}

// scaleOut launches n instances, one at a time into the Availability Zone
// with the fewest instances (ties: the zones in name order), as the group
// balances its zones [ASG-UG:auto-scaling-benefits].
func (a *AutoScaling) scaleOut(g *group, n int) {
	now := a.now()
	if reason, ok := g.suspended["Launch"]; ok {
		a.explain(g.name, fmt.Sprintf("%d instance(s) short of desired %d, but the Launch process is suspended (%s)", n, g.desired, reason))
		return
	}
	src := g.launchSource()
	spec, version, err := a.ec2.ResolveLaunchTemplate(src.id, src.version)
	if err == nil {
		err = a.checkLaunchable(spec)
		if err != nil {
			err = awserr.New(ValidationError, strings.TrimPrefix(message(err), "You must use a valid fully-formed launch template. "))
		}
	}
	from := len(g.active())
	cause := a.launchCause(g, from, from+n)
	for i := range n {
		az := leastLoadedZone(g.zones(), g.active())
		subnet := g.subnetIn(az)
		if err == nil {
			spec.SubnetID = subnet
			spec.Tags = a.instanceTags(g, spec.Tags)
			var info ec2.InstanceInfo
			info, err = a.ec2.LaunchInstance(spec)
			if err == nil {
				a.addMember(g, info, src, version, cause)
				continue
			}
		}
		// A failed launch: an activity that says why, and a retry with
		// back-off. "Launching a new EC2 instance.  Status Reason: The image
		// id 'ami-4edb0327' does not exist. Launching EC2 instance failed."
		// (Description; StatusMessage is the part after "Status Reason: ",
		// both from a recorded AWS response in public code.)
		reason := strings.TrimSuffix(message(err), ".") + ". Launching EC2 instance failed."
		act := a.newActivity(g, "Launching a new EC2 instance.  Status Reason: "+reason, cause, fmt.Sprintf(`{"Subnet ID":"%s","Availability Zone":"%s"}`, subnet, az))
		act.fail(now, reason)
		delay := min(launchRetryMax, launchRetryMin<<min(g.launchFailures, 16))
		g.launchFailures++
		a.record("LaunchFailed", g.name, fmt.Sprintf("%s: launch %d of %d failed: %s; retry in %s", g.name, i+1, n, reason, delay))
		a.explain(g.name, fmt.Sprintf("launch failed (%s); retrying in %s", reason, delay))
		a.schedule(g, delay)
		return
	}
	g.launchFailures = 0
	g.pendingCause = ""
	g.launchReason = launchForCapacity
}

// launchCause is the Cause of the launches that take the group from one
// capacity to another.
func (a *AutoScaling) launchCause(g *group, from, to int) string {
	at := stamp(a.now())
	switch {
	case g.pendingCause == "" && g.launchReason == launchForRefresh:
		// verified in a recorded EventBridge event in public code
		return fmt.Sprintf("At %s an instance was launched in response to an instance refresh.", at)
	case g.pendingCause == "" && g.launchReason == launchForReplacement:
		// as users quote the activity history (several blog posts)
		return fmt.Sprintf("At %s an instance was launched in response to an unhealthy instance needing to be replaced.", at)
	}
	text := fmt.Sprintf("At %s an instance was started in response to a difference between desired and actual capacity, increasing the capacity from %d to %d.", at, from, to)
	if g.pendingCause != "" {
		return g.pendingCause + "  " + text
	}
	return text
}

// instanceTags adds the group's propagated tags and the aws:autoscaling:
// groupName tag AWS puts on every instance of a group
// [ASG-UG:ec2-auto-scaling-tagging].
func (a *AutoScaling) instanceTags(g *group, base map[string]string) map[string]string {
	tags := maps.Clone(base)
	if tags == nil {
		tags = map[string]string{}
	}
	for _, k := range sortedKeys(g.tags) {
		if t := g.tags[k]; t.propagate {
			tags[k] = t.value
		}
	}
	tags["aws:autoscaling:groupName"] = g.name
	return tags
}

func (a *AutoScaling) addMember(g *group, info ec2.InstanceInfo, src ltRef, version int, cause string) {
	a.seq++
	m := &member{
		seq: a.seq, id: info.ID, az: info.AZ, subnet: info.SubnetID, typ: info.Type, imageID: info.ImageID,
		lt:       ltRef{id: src.id, name: src.name, version: strconv.Itoa(version)},
		launched: a.now(), state: LifecycleStatePending, health: "Healthy", protected: g.newProtected,
	}
	g.members = append(g.members, m)
	a.byInstance[m.id] = g
	m.launchAct = a.newActivity(g, "Launching a new EC2 instance: "+m.id, cause, fmt.Sprintf(`{"Subnet ID":"%s","Availability Zone":"%s"}`, m.subnet, m.az))
	a.explain(g.name, fmt.Sprintf("launch %s (%s, template %s version %d) in %s, the zone with the fewest instances", m.id, m.typ, src.name, version, m.az))
	a.record("InstanceLaunching", g.name, fmt.Sprintf("%s: launching %s (%s) in %s: %s", g.name, m.id, m.typ, m.az, cause))
}

// scaleIn terminates n instances chosen by the termination policies.
// Protected instances are never chosen; when none is left to choose, the
// desired capacity stays lowered and the group says so, once: "Could not
// scale to desired capacity because all remaining instances are protected
// from scale-in." (reference 2.4, [ASG-UG:ec2-auto-scaling-instance-protection]).
func (a *AutoScaling) scaleIn(g *group, n int) {
	if reason, ok := g.suspended["Terminate"]; ok {
		a.explain(g.name, fmt.Sprintf("%d instance(s) above desired %d, but the Terminate process is suspended (%s)", n, g.desired, reason))
		return
	}
	at := stamp(a.now())
	from := len(g.active())
	for range n {
		victim, why := chooseVictim(g.active(), g.terminationPolicy, g.launchSource(), a.now(), a.sim.Rand())
		if victim == nil {
			if !g.stuckProtected {
				g.stuckProtected = true
				text := "Could not scale to desired capacity because all remaining instances are protected from scale-in."
				act := a.newActivity(g, text, g.pendingCause, "{}")
				act.fail(a.now(), text)
				a.record("ScaleInBlocked", g.name, fmt.Sprintf("%s: %s (desired %d, %d instances)", g.name, text, g.desired, len(g.active())))
			}
			a.explain(g.name, fmt.Sprintf("scale-in to %d blocked: all %d remaining instances are protected from scale-in", g.desired, len(g.active())))
			return
		}
		text := fmt.Sprintf("At %s an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from %d to %d.  At %s instance %s was selected for termination.",
			at, from, g.desired, at, victim.id)
		if g.pendingCause != "" {
			text = g.pendingCause + "  " + text
		}
		a.explain(g.name, fmt.Sprintf("scale-in: %s chosen for termination (%s)", victim.id, why))
		a.terminate(g, victim, text)
	}
	g.pendingCause = ""
}

// terminate takes a member out of service and terminates its instance.
func (a *AutoScaling) terminate(g *group, m *member, cause string) {
	a.takeOutOfService(g, m, cause)
	if !a.holdForHooks(g, m) {
		a.terminateInstance(g, m)
	}
}

func (a *AutoScaling) takeOutOfService(g *group, m *member, cause string) {
	m.state = LifecycleStateTerminating
	m.termAct = a.newActivity(g, "Terminating EC2 instance: "+m.id, cause, fmt.Sprintf(`{"Subnet ID":"%s","Availability Zone":"%s"}`, m.subnet, m.az))
	a.record("InstanceTerminating", g.name, fmt.Sprintf("%s: terminating %s in %s: %s", g.name, m.id, m.az, cause))
}

func (a *AutoScaling) terminateInstance(g *group, m *member) {
	if g.member(m.id) == nil {
		return
	}
	if info, ok := a.ec2.Instance(m.id); ok && (info.State == ec2.StateTerminated) {
		a.memberGone(g, m)
		return
	}
	if err := a.ec2.TerminateInstance(m.id); err != nil {
		// The instance is already gone from EC2.
		a.memberGone(g, m)
	}
}

// memberGone ends a terminated member: its activity succeeds and it leaves
// the group.
func (a *AutoScaling) memberGone(g *group, m *member) {
	now := a.now()
	if m.termAct != nil && m.termAct.a.EndTime == nil {
		m.termAct.succeed(now)
	}
	if m.launchAct != nil && m.launchAct.a.EndTime == nil {
		m.launchAct.cancel(now)
	}
	for i, x := range g.members {
		if x == m {
			g.members = append(g.members[:i], g.members[i+1:]...)
			break
		}
	}
	delete(a.byInstance, m.id)
	a.record("InstanceTerminated", g.name, fmt.Sprintf("%s: %s terminated and removed from the group", g.name, m.id))
	a.removeIfDone(g)
	if !g.deleting {
		a.schedule(g, reconcileDelay)
	}
}

// SetDesiredCapacity sets the desired capacity. It must lie within [min,
// max]: "New SetDesiredCapacity value 2 is above max value 1 for the
// AutoScalingGroup." and "... is below min value 2 for the
// AutoScalingGroup." (both quoted from AWS in public code). With
// HonorCooldown, a request during the group's cooldown is refused (text not
// verified).
func (a *AutoScaling) SetDesiredCapacity(in *SetDesiredCapacityType) (*struct{}, error) {
	if in == nil {
		in = &SetDesiredCapacityType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	desired := aws.ToInt(in.DesiredCapacity)
	if err := checkSetDesired(g, desired); err != nil {
		return nil, err
	}
	if aws.ToBool(in.HonorCooldown) && a.now().Before(g.cooldownUntil) {
		return nil, awserr.Newf(ScalingActivityInProgress, "Scaling activity cannot be performed because the Auto Scaling group %s is in its cooldown period.", g.name)
	}
	if desired == g.desired {
		return nil, nil
	}
	a.changeDesired(g, desired, fmt.Sprintf("At %s a user request explicitly set group desired capacity changing the desired capacity from %d to %d.", stamp(a.now()), g.desired, desired))
	if aws.ToBool(in.HonorCooldown) {
		g.cooldownUntil = a.now().Add(g.defaultCooldown)
	}
	return nil, nil
}

func checkSetDesired(g *group, desired int) error {
	if desired > g.max {
		return validation("New SetDesiredCapacity value %d is above max value %d for the AutoScalingGroup.", desired, g.max)
	}
	if desired < g.min {
		return validation("New SetDesiredCapacity value %d is below min value %d for the AutoScalingGroup.", desired, g.min)
	}
	return nil
}

// SetInstanceProtection sets or clears scale-in protection of instances of
// a group. An instance of another group is refused: "The instance i-000 is
// not part of Auto Scaling group xxxx." (quoted for DetachInstances and
// SetInstanceProtection in hashicorp/terraform-provider-aws#35071).
func (a *AutoScaling) SetInstanceProtection(in *SetInstanceProtectionQuery) (*SetInstanceProtectionAnswer, error) {
	if in == nil {
		in = &SetInstanceProtectionQuery{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if len(in.InstanceIds) > 50 {
		// "You can specify up to 50 instances" [ASG-API:SetInstanceProtection]; text not verified
		return nil, awserr.New(LimitExceeded, "You can specify up to 50 instances per request.")
	}
	if err := a.setProtection(g, in.InstanceIds, aws.ToBool(in.ProtectedFromScaleIn)); err != nil {
		return nil, err
	}
	return &SetInstanceProtectionAnswer{}, nil
}

func (a *AutoScaling) setProtection(g *group, ids []string, protected bool) error {
	var ms []*member
	for _, id := range ids {
		m := g.member(id)
		if m == nil {
			return validation("The instance %s is not part of Auto Scaling group %s.", id, g.name)
		}
		ms = append(ms, m)
	}
	changed := false
	for _, m := range ms {
		if m.protected != protected {
			m.protected, changed = protected, true
			a.record("InstanceProtection", g.name, fmt.Sprintf("%s: %s scale-in protection %t", g.name, m.id, protected))
		}
	}
	if changed && !protected {
		// Instances the group could not remove may go now.
		g.stuckProtected = false
		a.schedule(g, reconcileDelay)
	}
	return nil
}

// TerminateInstanceInAutoScalingGroup terminates one instance of a group.
// Without ShouldDecrementDesiredCapacity the group launches a replacement;
// with it the desired capacity drops by one, which must not go below the
// minimum: "Currently, desiredSize equals minSize (3). Terminating instance
// without replacement will violate group's min size constraint. Either set
// shouldDecrementDesiredCapacity flag to false or lower group's min size."
// (quoted in public code). An instance of no group: "Instance Id not found -
// No managed instance found for instance ID: i-..." (yaybu/touchdown#51
// quotes the text up to the ID).
func (a *AutoScaling) TerminateInstanceInAutoScalingGroup(in *TerminateInstanceInAutoScalingGroupType) (*ActivityType, error) {
	if in == nil {
		in = &TerminateInstanceInAutoScalingGroupType{}
	}
	id := aws.ToString(in.InstanceId)
	g := a.byInstance[id]
	var m *member
	if g != nil {
		m = g.member(id)
	}
	if m == nil {
		return nil, validation("Instance Id not found - No managed instance found for instance ID: %s", id)
	}
	at := stamp(a.now())
	cause := fmt.Sprintf("At %s instance %s was taken out of service in response to a user request.", at, id)
	if m.counts() && aws.ToBool(in.ShouldDecrementDesiredCapacity) {
		if g.desired <= g.min {
			return nil, validation("Currently, desiredSize equals minSize (%d). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.", g.min)
		}
		// text not verified beyond "taken out of service in response to a user request"
		cause = fmt.Sprintf("At %s instance %s was taken out of service in response to a user request, shrinking the capacity from %d to %d.", at, id, g.desired, g.desired-1)
		g.desired--
		a.explain(g.name, fmt.Sprintf("desired capacity %d → %d: %s", g.desired+1, g.desired, cause))
	}
	if m.counts() {
		a.terminate(g, m, cause)
		a.schedule(g, reconcileDelay)
	}
	act := m.termAct
	if act == nil {
		act = a.newActivity(g, "Terminating EC2 instance: "+id, cause, "{}")
	}
	return &ActivityType{Activity: act.shape(false)}, nil
}
