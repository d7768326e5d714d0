package appscaling

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// desireFresh is how long a target tracking policy's wish counts when
// several policies share a target. CloudWatch invokes the action once per
// 60-second evaluation period while an alarm stays in ALARM, so a wish older
// than two periods belongs to an alarm that has left ALARM. ecsbox's choice:
// AWS does not say how it remembers the other policies' wishes.
const desireFresh = 2 * alarmPeriod

// AlarmFired is the alarm action of a CloudWatch alarm whose actions name a
// scaling policy: CloudWatch calls it on every evaluation period while the
// alarm is in ALARM (Auto Scaling actions are re-invoked each period), with
// the latest datapoint that decided (NaN when there is none). A state other
// than ALARM only withdraws a target tracking policy's wish. An ARN that
// names no policy (a deleted step policy's alarm) is ignored.
//
// Repeated calls are safe: a scale-out acts only when it asks for more than
// the desired count already set, and a scale-in waits out its cooldown, so
// an alarm that stays in ALARM does not add capacity every minute.
func (a *AppScaling) AlarmFired(policyARN, alarmName, alarmARN, state string, at time.Time, metricValue float64) {
	p := a.policyByARN[policyARN]
	if i := strings.Index(policyARN, ":createdBy/"); p == nil && i >= 0 {
		// Alarm actions AWS writes today carry a ":createdBy/<uuid>" suffix
		// after the policy ARN (seen on imported ECS target tracking alarms).
		p = a.policyByARN[policyARN[:i]]
	}
	if p == nil {
		return
	}
	t := p.t
	if state != "ALARM" {
		if p.tt != nil {
			p.desire = desire{}
		}
		return
	}
	if p.step != nil && !hasAlarm(p.alarms, alarmName) {
		p.alarms = append(p.alarms, Alarm{AlarmName: aws.String(alarmName), AlarmARN: aws.String(alarmARN)})
	}
	cause := p.causeOf(alarmName)
	desired, running, err := a.capacity(t)
	if err != nil {
		a.explain(t.resourceID, fmt.Sprintf("%s: alarm %s fired but the capacity of %s could not be read: %v; no scaling", p.name, alarmName, t.resourceID, err))
		return
	}
	if p.tt != nil {
		a.targetTrackingFired(t, p, alarmName, metricValue, desired, running, cause)
		return
	}
	a.stepFired(t, p, alarmName, metricValue, desired, cause)
}

func hasAlarm(alarms []Alarm, name string) bool {
	for _, al := range alarms {
		if aws.ToString(al.AlarmName) == name {
			return true
		}
	}
	return false
}

func (a *AppScaling) targetTrackingFired(t *target, p *policy, alarmName string, metric float64, desired, running int, cause string) {
	now := a.now()
	high := alarmName == p.highAlarm
	if !high && alarmName != p.lowAlarm {
		a.explain(t.resourceID, fmt.Sprintf("%s: alarm %s is not one of the policy's alarms; ignored", p.name, alarmName))
		return
	}
	if math.IsNaN(metric) {
		// Reference 8.2: insufficient data, no scaling.
		a.explain(t.resourceID, fmt.Sprintf("%s: alarm %s fired without a datapoint; no scaling", p.name, alarmName))
		return
	}
	w := wantCapacity(high, running, t.min, metric, aws.ToFloat64(p.tt.TargetValue))
	p.desire = desire{at: now, dir: w.dir, capacity: w.capacity}
	base := clamp(desired, t.min, t.max)
	line := &ttLine{policy: p.name, label: metricLabel(p.tt), w: w}
	if base != desired {
		// Reference 8.2, [DG:service-auto-scaling]: a desired count set
		// outside [min, max] is first brought to the bound.
		line.pre = fmt.Sprintf("desired %d is outside [%d, %d], first clamped to %d; ", desired, t.min, t.max, base)
	}
	switch {
	case w.dir == 0:
		a.noChange(t, desired, base, cause, line, reasonFor(alarmDir(high), base, t))
	case w.dir > 0:
		a.scaleOutTT(t, p, w, desired, base, cause, line)
	default:
		a.scaleInTT(t, p, w, desired, base, cause, line)
	}
}

// ttLine is the explanation of one target tracking decision:
//
//	cpu: CPUUtilization 82.4 > 50 for 3 minutes → AlarmHigh → desired = ceil(2 × 82.4 / 50) = 4 → want 4; set desired count 2 → 4
//
// It keeps the numbers and is worded only when read: an alarm in ALARM
// invokes its policy every minute, most of these lines are never read, and
// wording each at once was most of the cost of a day of 200 services.
type ttLine struct {
	policy, label string
	w             ttWant
	// pre is the clamp of a desired count outside [min, max], or "".
	pre string
	// outcome is what was done or why not; "" when w.dir is 0 and there is
	// nothing else to say: "no change: " and w's reason.
	outcome string
}

// then sets the outcome and returns the line.
func (l *ttLine) then(outcome string) *ttLine {
	l.outcome = outcome
	return l
}

func (l *ttLine) String() string {
	w := l.w.worded()
	head := fmt.Sprintf("%s: %s %s > %s for %d minutes → AlarmHigh", l.policy, l.label, fmtMetric(w.metric), fmtNum(w.target), alarmHighPeriods)
	if !w.high {
		head = fmt.Sprintf("%s: %s %s < %s for %d minutes → AlarmLow", l.policy, l.label, fmtMetric(w.metric), fmtMetric(w.target*alarmLowThresholdRate), alarmLowPeriods)
	}
	outcome := l.outcome
	if outcome == "" {
		outcome = "no change: " + w.reason
	}
	return head + " → " + w.formula + " → " + l.pre + outcome
}

// reasonFor names why a wanted capacity changes nothing, in the codes of
// not scaled activities [AAS-UG:application-auto-scaling-scaling-activities].
// dir is the direction the alarm asked for: +1 out, −1 in.
func reasonFor(dir, base int, t *target) NotScaledReason {
	switch {
	case dir > 0 && base >= t.max:
		return NotScaledReason{Code: aws.String("AlreadyAtMaxCapacity"), MaxCapacity: aws.Int(t.max)}
	case dir < 0 && base <= t.min:
		return NotScaledReason{Code: aws.String("AlreadyAtMinCapacity"), MinCapacity: aws.Int(t.min)}
	}
	return NotScaledReason{Code: aws.String("AlreadyAtDesiredCapacity"), CurrentCapacity: aws.Int(base)}
}

func alarmDir(high bool) int {
	if high {
		return +1
	}
	return -1
}

// noChange ends a decision that scales nothing: it still applies the clamp
// into [min, max] when the desired count was outside, and otherwise leaves a
// not scaled activity.
func (a *AppScaling) noChange(t *target, desired, base int, cause string, text fmt.Stringer, why NotScaledReason) {
	if base != desired {
		a.explain(t.resourceID, text.String()+fmt.Sprintf("; set desired count %d → %d", desired, base))
		a.setDesired(t, desired, base, cause, "")
		return
	}
	a.explainLater(t.resourceID, text)
	a.notScaled(t, cause, why)
}

func (a *AppScaling) scaleOutTT(t *target, p *policy, w ttWant, desired, base int, cause string, line *ttLine) {
	now := a.now()
	if aws.ToBool(t.suspended.DynamicScalingOutSuspended) {
		a.explainLater(t.resourceID, line.then("no change: dynamic scale-out is suspended on the target"))
		return
	}
	// Several target tracking policies: scale out if any wants to, to the
	// largest capacity any wants [AAS-UG:application-auto-scaling-target-tracking].
	want, by := w.capacity, ""
	for _, q := range a.ttPolicies(t) {
		if q != p && q.desire.dir > 0 && now.Sub(q.desire.at) <= desireFresh && q.desire.capacity > want {
			want, by = q.desire.capacity, fmt.Sprintf(" (policy %s wants %d, the larger)", q.name, q.desire.capacity)
		}
	}
	newCap := clamp(want, t.min, t.max)
	clampText := ""
	if newCap != want {
		clampText = fmt.Sprintf(", clamped to max %d", t.max)
	}
	if newCap <= base {
		why := "the desired count is already " + fmt.Sprint(base)
		if cd := p.scaleOutCooldown(); !t.lastOut.IsZero() && now.Before(t.lastOut.Add(cd)) {
			// During the scale-out cooldown the capacity just added counts
			// toward the next scale-out (reference 8.2).
			why = fmt.Sprintf("scale-out cooldown (%s left): the capacity already added (desired %d) covers it", t.lastOut.Add(cd).Sub(now), base)
		}
		a.noChange(t, desired, base, cause, line.then(fmt.Sprintf("want %d%s%s; no change: %s", want, by, clampText, why)), reasonFor(+1, base, t))
		return
	}
	t.outFrom, t.lastOut = base, now
	t.lastIn = time.Time{} // a scale-out ends the scale-in cooldown (reference 8.2)
	a.explainLater(t.resourceID, line.then(fmt.Sprintf("want %d%s%s; set desired count %d → %d", want, by, clampText, desired, newCap)))
	a.setDesired(t, desired, newCap, cause, "")
}

func (a *AppScaling) scaleInTT(t *target, p *policy, w ttWant, desired, base int, cause string, line *ttLine) {
	now := a.now()
	if why := a.scaleInBlocked(t, p); why != "" {
		a.noChange(t, desired, base, cause, line.then("no change: "+why), NotScaledReason{})
		return
	}
	// Scale in only if every scale-in-enabled target tracking policy wants
	// to; the largest capacity wins [AAS-UG:application-auto-scaling-target-tracking].
	want, by := w.capacity, ""
	for _, q := range a.ttPolicies(t) {
		if q == p || q.scaleInDisabled() {
			continue
		}
		if q.desire.dir >= 0 || now.Sub(q.desire.at) > desireFresh {
			a.noChange(t, desired, base, cause, line.then(fmt.Sprintf("no change: policy %s does not want to scale in", q.name)), NotScaledReason{})
			return
		}
		if q.desire.capacity > want {
			want, by = q.desire.capacity, fmt.Sprintf(" (policy %s wants %d, the larger)", q.name, q.desire.capacity)
		}
	}
	newCap := clamp(want, t.min, t.max)
	if newCap >= base {
		a.noChange(t, desired, base, cause, line.then(fmt.Sprintf("want %d%s; no change: the desired count is already %d", want, by, base)), reasonFor(-1, base, t))
		return
	}
	t.lastIn = now
	a.explainLater(t.resourceID, line.then(fmt.Sprintf("want %d%s; set desired count %d → %d", want, by, desired, newCap)))
	a.setDesired(t, desired, newCap, cause, "")
}

// scaleInBlocked says why a dynamic scale-in must wait, or "".
func (a *AppScaling) scaleInBlocked(t *target, p *policy) string {
	now := a.now()
	switch {
	case aws.ToBool(t.suspended.DynamicScalingInSuspended):
		return "dynamic scale-in is suspended on the target"
	case a.resources != nil && a.resources.ScaleInSuspended(t.namespace, t.resourceID, t.dimension):
		// Reference 8.2, [DG:service-auto-scaling].
		return "scale-in is suspended while an ECS deployment is in progress"
	case !t.lastIn.IsZero() && now.Before(t.lastIn.Add(p.scaleInCooldown())):
		return fmt.Sprintf("scale-in cooldown (%s left)", t.lastIn.Add(p.scaleInCooldown()).Sub(now))
	case !t.lastOut.IsZero() && now.Before(t.lastOut.Add(p.scaleOutCooldown())):
		// ecsbox's reading of the scale-out cooldown: the capacity just
		// added is given time to take effect before any of it is removed.
		return fmt.Sprintf("a scale-out happened %s ago (scale-out cooldown %s)", now.Sub(t.lastOut), p.scaleOutCooldown())
	}
	return ""
}

// ttPolicies returns the target's target tracking policies by name.
func (a *AppScaling) ttPolicies(t *target) []*policy {
	var out []*policy
	for _, name := range sortedKeys(t.policies) {
		if q := t.policies[name]; q.tt != nil {
			out = append(out, q)
		}
	}
	return out
}

// stepFired runs a step scaling policy: the step is chosen by the distance
// of the metric from the alarm's threshold, its adjustment is applied to the
// current (desired) capacity — the capacity AWS's worked example starts from
// (reference 8.3) — and the result is clamped to [min, max].
func (a *AppScaling) stepFired(t *target, p *policy, alarmName string, metric float64, desired int, cause string) {
	now := a.now()
	var spec AlarmSpec
	ok := false
	if a.alarms != nil {
		spec, ok = a.alarms.Alarm(alarmName)
	}
	if !ok {
		a.explain(t.resourceID, fmt.Sprintf("%s: alarm %s fired but its threshold is unknown; no scaling", p.name, alarmName))
		return
	}
	if math.IsNaN(metric) {
		a.explain(t.resourceID, fmt.Sprintf("%s: alarm %s fired without a datapoint; no scaling", p.name, alarmName))
		return
	}
	diff := metric - spec.Threshold
	head := fmt.Sprintf("%s: %s %s (threshold %s, metric − threshold = %s) → alarm %s", p.name, spec.MetricName, fmtMetric(metric), fmtNum(spec.Threshold), fmtMetric(diff), alarmName)
	s, found := pickStep(p.step.StepAdjustments, diff)
	if !found {
		a.explain(t.resourceID, head+" → no step adjustment covers "+fmtMetric(diff)+"; no scaling")
		return
	}
	adjType := aws.ToString(p.step.AdjustmentType)
	adj := aws.ToInt(s.ScalingAdjustment)
	base := clamp(desired, t.min, t.max)
	pre := ""
	if base != desired {
		pre = fmt.Sprintf("desired %d is outside [%d, %d], first clamped to %d; ", desired, t.min, t.max, base)
	}
	newCap, formula := stepCapacity(adjType, adj, base, p.step.MinAdjustmentMagnitude)
	line := head + fmt.Sprintf(" → step [%s, %s) %s %d → %s%s", fmtBound(lowerOf(s)), fmtBound(upperOf(s)), adjType, adj, pre, formula)
	switch {
	case newCap > base:
		if aws.ToBool(t.suspended.DynamicScalingOutSuspended) {
			a.noChange(t, desired, base, cause, plainText(line+"; no change: dynamic scale-out is suspended on the target"), NotScaledReason{})
			return
		}
		if cd := p.scaleOutCooldown(); !t.lastOut.IsZero() && now.Before(t.lastOut.Add(cd)) && adjType != AdjustmentTypeExactCapacity {
			// During the cooldown the capacity added by the last
			// scale-out counts: the step applies to the capacity before it
			// [AAS-UG:application-auto-scaling-step-scaling-policies].
			again, f := stepCapacity(adjType, adj, t.outFrom, p.step.MinAdjustmentMagnitude)
			line += fmt.Sprintf("; in cooldown (%s left), from the capacity before the last scale-out: %s", t.lastOut.Add(cd).Sub(now), f)
			newCap = again
			if clamp(newCap, t.min, t.max) <= base {
				a.noChange(t, desired, base, cause, plainText(line+"; no change: the capacity already added covers it"), reasonFor(+1, base, t))
				return
			}
		}
		final := clamp(newCap, t.min, t.max)
		if final <= base {
			a.noChange(t, desired, base, cause, plainText(line+"; no change: "+fmt.Sprintf("max %d", t.max)), reasonFor(+1, base, t))
			return
		}
		t.outFrom, t.lastOut, t.lastIn = base, now, time.Time{}
		a.explain(t.resourceID, line+fmt.Sprintf("; set desired count %d → %d", desired, final))
		a.setDesired(t, desired, final, cause, "")
	case newCap < base:
		if why := a.scaleInBlocked(t, p); why != "" {
			a.noChange(t, desired, base, cause, plainText(line+"; no change: "+why), NotScaledReason{})
			return
		}
		final := clamp(newCap, t.min, t.max)
		if final >= base {
			a.noChange(t, desired, base, cause, plainText(line+"; no change: "+fmt.Sprintf("min %d", t.min)), reasonFor(-1, base, t))
			return
		}
		t.lastIn = now
		a.explain(t.resourceID, line+fmt.Sprintf("; set desired count %d → %d", desired, final))
		a.setDesired(t, desired, final, cause, "")
	default:
		a.noChange(t, desired, base, cause, plainText(line+"; no change"), reasonFor(0, base, t))
	}
}
