package appscaling

import (
	"fmt"
	"math"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// This file holds the formulas of scaling, as pure functions. The decisions
// that use them (cooldowns, suspension, several policies) are in
// alarmfired.go.

// ceilTolerance absorbs floating-point noise, so that 3 × 50 / 50 is 3 and
// not 4: AWS rounds so as never to add too little or remove too much
// [AAS-UG:application-auto-scaling-target-tracking], not to add a task for a
// rounding error.
const ceilTolerance = 1e-9

func ceilCapacity(x float64) int { return int(math.Ceil(x - ceilTolerance)) }

// ttWant is what one target tracking alarm asks for, with the inputs of its
// formula.
type ttWant struct {
	dir      int // +1 scale out, -1 scale in, 0 nothing to do
	capacity int
	// high, running, minCap, metric and target are the inputs; raw is
	// ceil(running × metric / target).
	high            bool
	running, minCap int
	raw             int
	metric, target  float64
	// formula and reason (why dir is 0) are the words; only worded sets them.
	formula string
	reason  string
}

// targetTrackingWant computes what a target tracking policy wants when its
// AlarmHigh (high) or AlarmLow fires. AWS does not publish the formula; the
// SIM rule of reference 8.2 is used:
//
//   - the starting point is the running count, not the desired count
//     [DG:service-auto-scaling];
//   - scale-out: new = ceil(running × metric / target), proportional "as fast
//     as it can"; from 0 running tasks, scale out by the minimum possible
//     amount, 1 [DG:service-auto-scaling];
//   - scale-in: new = max(min, ceil(running × metric / target)), applied only
//     when it removes at least one task (new ≤ running − 1): scale-in is
//     "more gradual".
func targetTrackingWant(high bool, running, minCap int, metric, target float64) ttWant {
	return wantCapacity(high, running, minCap, metric, target).worded()
}

// wantCapacity is targetTrackingWant without the words, for decisions that
// word them only when read (ttLine).
func wantCapacity(high bool, running, minCap int, metric, target float64) ttWant {
	w := ttWant{high: high, running: running, minCap: minCap, metric: metric, target: target}
	switch {
	case high && running == 0:
		w.dir, w.capacity = +1, 1
	case high:
		w.raw = ceilCapacity(float64(running) * metric / target)
		w.capacity = w.raw
		if w.capacity > running {
			w.dir = +1
		}
	default:
		w.raw = ceilCapacity(float64(running) * metric / target)
		w.capacity = max(minCap, w.raw)
		if w.capacity <= running-1 {
			w.dir = -1
		}
	}
	return w
}

// worded returns w with its formula and, when dir is 0, the reason.
func (w ttWant) worded() ttWant {
	switch {
	case w.high && w.running == 0:
		w.formula = "running = 0 → scale out by the minimum amount: desired = 1"
	case w.high:
		w.formula = fmt.Sprintf("desired = ceil(%d × %s / %s) = %d", w.running, fmtMetric(w.metric), fmtNum(w.target), w.capacity)
		if w.dir == 0 {
			w.reason = fmt.Sprintf("%d is not more than the %d running", w.capacity, w.running)
		}
	default:
		w.formula = fmt.Sprintf("desired = max(min %d, ceil(%d × %s / %s) = %d) = %d", w.minCap, w.running, fmtMetric(w.metric), fmtNum(w.target), w.raw, w.capacity)
		if w.dir == 0 {
			w.reason = fmt.Sprintf("%d would not remove a task from the %d running", w.capacity, w.running)
		}
	}
	return w
}

// pickStep returns the step adjustment whose interval holds diff, the
// distance of the metric from the alarm threshold (metric − threshold).
// Above the threshold a lower bound is inclusive and an upper bound
// exclusive; below it the other way round [AAS-API:StepAdjustment]. At the
// threshold itself (diff 0) both readings are tried, the one above first.
func pickStep(steps []StepAdjustment, diff float64) (StepAdjustment, bool) {
	above := func(s StepAdjustment) bool { return lowerOf(s) <= diff && diff < upperOf(s) }
	below := func(s StepAdjustment) bool { return lowerOf(s) < diff && diff <= upperOf(s) }
	var tries []func(StepAdjustment) bool
	switch {
	case diff > 0:
		tries = append(tries, above)
	case diff < 0:
		tries = append(tries, below)
	default:
		tries = append(tries, above, below)
	}
	for _, in := range tries {
		for _, s := range steps {
			if in(s) {
				return s, true
			}
		}
	}
	return StepAdjustment{}, false
}

// percentChange rounds current × pct / 100 as Application Auto Scaling does
// [AAS-UG:application-auto-scaling-step-scaling-policies], reference 8.3:
// values above 1 round down (12.7 → 12), values in (0, 1) become 1, values
// in (−1, 0) become −1, values below −1 round up (−6.67 → −6): toward zero,
// but never to zero.
func percentChange(current, pct int) int {
	n := current * pct
	q := n / 100 // Go truncates toward zero: floor above 0, ceil below
	if q == 0 && n > 0 {
		return 1
	}
	if q == 0 && n < 0 {
		return -1
	}
	return q
}

// stepCapacity applies a step's adjustment to the current capacity and
// returns the new capacity (before clamping to [min, max]) with its formula.
// MinAdjustmentMagnitude raises a percent change that is smaller in size
// [AAS-API:StepScalingPolicyConfiguration] (25 % of 4 = 1, with
// MinAdjustmentMagnitude 2 → 2).
func stepCapacity(adjType string, adj, current int, minMag *int) (int, string) {
	switch adjType {
	case AdjustmentTypeExactCapacity:
		return adj, fmt.Sprintf("desired = %d (ExactCapacity)", adj)
	case AdjustmentTypePercentChangeInCapacity:
		d := percentChange(current, adj)
		f := fmt.Sprintf("%d%% of %d = %s → %+d", adj, current, fmtNum(float64(current)*float64(adj)/100), d)
		if m := aws.ToInt(minMag); m > 0 && d != 0 && abs(d) < m {
			if d > 0 {
				d = m
			} else {
				d = -m
			}
			f += fmt.Sprintf(", MinAdjustmentMagnitude %d → %+d", m, d)
		}
		return current + d, fmt.Sprintf("desired = %d %s = %d (%s)", current, signed(d), current+d, f)
	default: // ChangeInCapacity
		return current + adj, fmt.Sprintf("desired = %d %s = %d", current, signed(adj), current+adj)
	}
}

func signed(d int) string {
	if d < 0 {
		return fmt.Sprintf("− %d", -d)
	}
	return fmt.Sprintf("+ %d", d)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func clamp(n, lo, hi int) int { return max(lo, min(hi, n)) }
