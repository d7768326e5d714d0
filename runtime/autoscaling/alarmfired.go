package autoscaling

import (
	"fmt"
	"math"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// ceilTolerance absorbs floating-point noise (3 × 50 / 50 is 3, not 4).
const ceilTolerance = 1e-9

func ceilCapacity(x float64) int { return int(math.Ceil(x - ceilTolerance)) }

// AlarmFired is the alarm action of a CloudWatch alarm whose actions name a
// scaling policy. CloudWatch calls it on every evaluation period while the
// alarm is in ALARM, with the datapoint that decided (NaN when there is
// none). Other states, unknown ARNs, disabled policies and a suspended
// AlarmNotification process change nothing.
//
// The Cause of a change is AWS's: "At 2024-12-05T21:27:22Z a monitor alarm
// TargetTracking-my-asg-AlarmHigh-1bd75141-... in state ALARM triggered
// policy my-policy changing the desired capacity from 2 to 3." (a recorded
// EventBridge event in public code).
func (a *AutoScaling) AlarmFired(policyARN, alarmName, alarmARN, state string, at time.Time, metricValue float64) {
	p := a.policyByARN[policyARN]
	if p == nil || state != "ALARM" {
		return
	}
	g := p.g
	if g.deleting {
		return
	}
	if reason, ok := g.suspended["AlarmNotification"]; ok {
		a.explain(g.name, fmt.Sprintf("%s: alarm %s fired, but AlarmNotification is suspended (%s)", p.name, alarmName, reason))
		return
	}
	if !p.enabled {
		a.explain(g.name, fmt.Sprintf("%s: alarm %s fired, but the policy is disabled", p.name, alarmName))
		return
	}
	if math.IsNaN(metricValue) {
		a.explain(g.name, fmt.Sprintf("%s: alarm %s fired without a datapoint; no scaling", p.name, alarmName))
		return
	}
	cause := fmt.Sprintf("At %s a monitor alarm %s in state ALARM triggered policy %s", stamp(a.now()), alarmName, p.name)
	switch {
	case p.tt != nil:
		a.targetTrackingFired(g, p, alarmName, metricValue, cause)
	case p.typ == policyStep:
		threshold, known := 0.0, false
		if look, ok := a.alarms.(AlarmLookup); ok && a.alarms != nil {
			if spec, ok := look.Alarm(alarmName); ok {
				threshold, known = spec.Threshold, true
			}
		}
		a.stepFired(g, p, alarmName, metricValue, threshold, known, cause)
	default:
		a.simpleFired(g, p, alarmName, false, cause)
	}
}

// warming returns the members still in their warm-up: Pending, or InService
// for less than the warm-up.
func (g *group) warming(warmup time.Duration, now time.Time) []*member {
	var out []*member
	for _, m := range g.active() {
		if m.state == LifecycleStatePending || now.Sub(m.inService) < warmup {
			out = append(out, m)
		}
	}
	return out
}

// targetTrackingFired applies a target tracking policy. The capacity wanted
// is ceil(current × metric / target) (reference 2.3: the policy adjusts N so
// that the metric meets the target; the ASG arithmetic is internal), with
// current = the instances that count (Pending and InService), taken as 1
// when there are none: so a CapacityProviderReservation of 200 from an
// empty group asks for 2 instances (reference 2.2). spec.Compute replaces
// the formula.
//
// Warm-up (reference 9.4, [ASG-UG:ec2-auto-scaling-default-instance-warmup]):
// instances launched by a scale-out count toward the desired capacity
// already set, so a scale-out acts only when it wants more than that; a
// scale-in waits until no instance is warming up. ecsbox does not remove
// warming instances from the aggregated metric itself: that metric is
// CloudWatch's.
func (a *AutoScaling) targetTrackingFired(g *group, p *policy, alarmName string, metric float64, cause string) {
	now := a.now()
	high := alarmName == p.high
	if !high && alarmName != p.low {
		a.explain(g.name, fmt.Sprintf("%s: alarm %s is not one of the policy's alarms; ignored", p.name, alarmName))
		return
	}
	current := len(g.active())
	want, formula := p.tt.want(metric, current)
	head := fmt.Sprintf("%s: %s %s vs target %s → %s → %s", p.name, p.tt.MetricName, fmtNum(metric), fmtNum(p.tt.TargetValue), alarmLabel(high), formula)
	newCap := clamp(want, g.min, g.max)
	if high {
		if newCap <= g.desired {
			a.explain(g.name, head+fmt.Sprintf("; no change: desired is already %d%s", g.desired, bound(want, g)))
			return
		}
		a.explain(g.name, head+fmt.Sprintf("; desired %d → %d%s", g.desired, newCap, bound(want, g)))
		a.changeDesired(g, newCap, fmt.Sprintf("%s changing the desired capacity from %d to %d.", cause, g.desired, newCap))
		return
	}
	if p.tt.DisableScaleIn {
		a.explain(g.name, head+"; no change: scale-in is disabled")
		return
	}
	if w := g.warming(p.warmup(), now); len(w) > 0 {
		a.explain(g.name, head+fmt.Sprintf("; no change: scale-in waits for %d instance(s) warming up (e.g. %s, warm-up %s)", len(w), w[0].id, p.warmup()))
		return
	}
	if newCap >= g.desired {
		a.explain(g.name, head+fmt.Sprintf("; no change: desired is already %d%s", g.desired, bound(want, g)))
		return
	}
	a.explain(g.name, head+fmt.Sprintf("; desired %d → %d%s", g.desired, newCap, bound(want, g)))
	a.changeDesired(g, newCap, fmt.Sprintf("%s changing the desired capacity from %d to %d.", cause, g.desired, newCap))
}

func alarmLabel(high bool) string {
	if high {
		return "AlarmHigh"
	}
	return "AlarmLow"
}

func bound(want int, g *group) string {
	switch {
	case want > g.max:
		return fmt.Sprintf(" (wanted %d, clamped to max %d)", want, g.max)
	case want < g.min:
		return fmt.Sprintf(" (wanted %d, clamped to min %d)", want, g.min)
	}
	return ""
}

// want returns the capacity a target tracking spec asks for, and how.
func (s *TargetTrackingSpec) want(metric float64, current int) (int, string) {
	if s.Compute != nil {
		w := s.Compute(metric, current)
		return w, fmt.Sprintf("policy formula(%s, %d) = %d", fmtNum(metric), current, w)
	}
	base := max(current, 1)
	w := ceilCapacity(float64(base) * metric / s.TargetValue)
	return w, fmt.Sprintf("ceil(%d × %s / %s) = %d", base, fmtNum(metric), fmtNum(s.TargetValue), w)
}

// stepFired applies a step scaling policy: the step whose interval holds
// metric − threshold [ASG-API:StepAdjustment]; its adjustment applies to the
// capacity of instances not warming up, and a scale-out acts only when the
// result exceeds the desired capacity (the warm-up rule of step policies,
// [ASG-UG:as-scaling-simple-step]: a second alarm during warm-up adds only
// the difference).
func (a *AutoScaling) stepFired(g *group, p *policy, alarmName string, metric, threshold float64, known bool, cause string) {
	diff := metric - threshold
	note := ""
	if !known {
		diff, note = 0, " (alarm threshold unknown to Auto Scaling: breach taken as 0)"
	}
	step, ok := pickStep(p.in.StepAdjustments, diff)
	head := fmt.Sprintf("%s: alarm %s, metric %s − threshold %s = %s%s", p.name, alarmName, fmtNum(metric), fmtNum(threshold), fmtNum(diff), note)
	if !ok {
		a.explain(g.name, head+"; no step adjustment covers it; no scaling")
		return
	}
	base := len(g.active()) - len(g.warming(p.warmup(), a.now()))
	adj := aws.ToInt(step.ScalingAdjustment)
	if adj < 0 {
		base = g.desired
	}
	newCap, formula := adjust(aws.ToString(p.in.AdjustmentType), adj, base, p.in.MinAdjustmentMagnitude)
	newCap = clamp(newCap, g.min, g.max)
	head += "; " + formula
	if (adj >= 0 && newCap <= g.desired) || (adj < 0 && newCap >= g.desired) {
		a.explain(g.name, head+fmt.Sprintf("; no change: desired is %d", g.desired))
		return
	}
	a.explain(g.name, head+fmt.Sprintf("; desired %d → %d", g.desired, newCap))
	a.changeDesired(g, newCap, fmt.Sprintf("%s changing the desired capacity from %d to %d.", cause, g.desired, newCap))
}

// simpleFired applies a simple scaling policy, once per cooldown: after a
// simple policy scales, the group ignores simple policies until the
// cooldown (the policy's, else the group's DefaultCooldown, 300 s) has
// passed [ASG-UG:ec2-auto-scaling-scaling-cooldowns]. ecsbox starts the
// cooldown when the capacity changes; AWS starts it when the activity ends.
func (a *AutoScaling) simpleFired(g *group, p *policy, alarmName string, ignoreCooldown bool, cause string) {
	now := a.now()
	if !ignoreCooldown && now.Before(g.cooldownUntil) {
		a.explain(g.name, fmt.Sprintf("%s: alarm %s fired; no change: in cooldown for %s more", p.name, alarmName, g.cooldownUntil.Sub(now)))
		return
	}
	newCap, formula := adjust(aws.ToString(p.in.AdjustmentType), aws.ToInt(p.in.ScalingAdjustment), g.desired, p.in.MinAdjustmentMagnitude)
	newCap = clamp(newCap, g.min, g.max)
	head := fmt.Sprintf("%s: alarm %s; %s", p.name, alarmName, formula)
	if newCap == g.desired {
		a.explain(g.name, head+fmt.Sprintf("; no change: desired is %d (min %d, max %d)", g.desired, g.min, g.max))
		return
	}
	g.cooldownUntil = now.Add(p.cooldown())
	a.explain(g.name, head+fmt.Sprintf("; desired %d → %d; cooldown until %s", g.desired, newCap, stamp(g.cooldownUntil)))
	a.changeDesired(g, newCap, fmt.Sprintf("%s changing the desired capacity from %d to %d.", cause, g.desired, newCap))
}

// pickStep returns the step adjustment whose interval holds diff. Above the
// threshold a lower bound is inclusive and an upper bound exclusive; below
// it the other way round [ASG-API:StepAdjustment].
func pickStep(steps []StepAdjustment, diff float64) (StepAdjustment, bool) {
	lower := func(s StepAdjustment) float64 {
		if s.MetricIntervalLowerBound == nil {
			return math.Inf(-1)
		}
		return *s.MetricIntervalLowerBound
	}
	upper := func(s StepAdjustment) float64 {
		if s.MetricIntervalUpperBound == nil {
			return math.Inf(1)
		}
		return *s.MetricIntervalUpperBound
	}
	for _, s := range steps {
		if diff >= 0 && lower(s) <= diff && diff < upper(s) {
			return s, true
		}
		if diff < 0 && lower(s) < diff && diff <= upper(s) {
			return s, true
		}
	}
	return StepAdjustment{}, false
}

// adjust applies an adjustment to a capacity. A percent change rounds as
// Auto Scaling does [ASG-UG:as-scaling-simple-step]: values above 1 round
// down, between 0 and 1 become 1, between -1 and 0 become -1, below -1
// round up; MinAdjustmentMagnitude raises a smaller percent change.
func adjust(typ string, adj, current int, minMag *int) (int, string) {
	switch typ {
	case adjustExact:
		return adj, fmt.Sprintf("ExactCapacity %d", adj)
	case adjustPercent:
		n := current * adj
		d := n / 100
		if d == 0 && n > 0 {
			d = 1
		}
		if d == 0 && n < 0 {
			d = -1
		}
		if m := aws.ToInt(minMag); m > 0 && d != 0 && abs(d) < m {
			if d > 0 {
				d = m
			} else {
				d = -m
			}
		}
		return current + d, fmt.Sprintf("%d%% of %d → %+d = %d", adj, current, d, current+d)
	}
	return current + adj, fmt.Sprintf("%d %+d = %d", current, adj, current+adj)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// ExecutePolicy runs a simple or step policy now, as if its alarm had
// fired. HonorCooldown makes a simple policy respect the cooldown. A step
// policy needs MetricValue and BreachThreshold (text not verified); target
// tracking policies cannot be executed (text not verified).
func (a *AutoScaling) ExecutePolicy(in *ExecutePolicyType) (*struct{}, error) {
	if in == nil {
		in = &ExecutePolicyType{}
	}
	p, err := a.policyRef(in.AutoScalingGroupName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	// text not verified
	cause := fmt.Sprintf("At %s a user request executed policy %s", stamp(a.now()), p.name)
	switch {
	case p.tt != nil:
		return nil, validation("ExecutePolicy is not supported for a TargetTrackingScaling policy")
	case p.typ == policyStep:
		if in.MetricValue == nil || in.BreachThreshold == nil {
			return nil, validation("MetricValue and BreachThreshold are required for a StepScaling policy")
		}
		a.stepFired(p.g, p, "(ExecutePolicy)", *in.MetricValue, *in.BreachThreshold, true, cause)
	default:
		if aws.ToBool(in.HonorCooldown) && a.now().Before(p.g.cooldownUntil) {
			return nil, awserr.Newf(ScalingActivityInProgress, "Scaling activity cannot be performed because the Auto Scaling group %s is in its cooldown period.", p.g.name)
		}
		a.simpleFired(p.g, p, "(ExecutePolicy)", !aws.ToBool(in.HonorCooldown), cause)
	}
	return nil, nil
}
