package appscaling

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestTargetTrackingWant(t *testing.T) {
	tests := []struct {
		name          string
		high          bool
		running, min  int
		metric, tgt   float64
		dir, capacity int
	}{
		{"out proportional", true, 2, 1, 82.4, 50, +1, 4},                     // ceil(3.296)
		{"out exact ratio stays", true, 3, 1, 50, 50, 0, 3},                   // ceil(3) with no float noise
		{"out just above", true, 10, 1, 51, 50, +1, 11},                       // ceil(10.2)
		{"out from zero running", true, 0, 0, 90, 50, +1, 1},                  // minimum possible amount
		{"out large", true, 4, 1, 200, 50, +1, 16},                            // as fast as it can
		{"in proportional", false, 10, 1, 30, 50, -1, 6},                      // ceil(6)
		{"in bounded by min", false, 10, 8, 10, 50, -1, 8},                    // max(8, 2)
		{"in keeps a task", false, 2, 1, 40, 50, 0, 2},                        // ceil(1.6) = 2 > running − 1
		{"in at min", false, 1, 1, 10, 50, 0, 1},                              // max(1, 1) > 0
		{"in removes one", false, 3, 1, 30, 50, -1, 2},                        // ceil(1.8) = 2 ≤ 2
		{"in rounds up (never removes too much)", false, 7, 1, 35, 50, -1, 5}, // ceil(4.9)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := targetTrackingWant(tt.high, tt.running, tt.min, tt.metric, tt.tgt)
			if w.dir != tt.dir || w.capacity != tt.capacity {
				t.Fatalf("got dir %d capacity %d (%s), want dir %d capacity %d", w.dir, w.capacity, w.formula, tt.dir, tt.capacity)
			}
		})
	}
	if w := targetTrackingWant(true, 2, 1, 82.4, 50); w.formula != "desired = ceil(2 × 82.4 / 50) = 4" {
		t.Errorf("formula = %q", w.formula)
	}
}

// TestPercentChange checks the rounding rules of reference 8.3.
func TestPercentChange(t *testing.T) {
	tests := []struct{ current, pct, want int }{
		{10, 127, 12}, // 12.7 → 12 (round down above 1)
		{4, 10, 1},    // 0.4 → 1
		{4, -10, -1},  // −0.4 → −1
		{3, -222, -6}, // −6.66 → −6 (round up below −1)
		{11, 30, 3},   // 3.3 → 3
		{14, -10, -1}, // −1.4 → −1
		{13, -30, -3}, // −3.9 → −3
		{10, 10, 1},   // exactly 1
		{0, 50, 0},    // nothing to scale from
		{4, 25, 1},    // exactly 1
		{20, 200, 40}, // 200 % of 20
		{10, -100, -10},
	}
	for _, tt := range tests {
		if got := percentChange(tt.current, tt.pct); got != tt.want {
			t.Errorf("percentChange(%d, %d%%) = %d, want %d", tt.current, tt.pct, got, tt.want)
		}
	}
}

func TestStepCapacity(t *testing.T) {
	tests := []struct {
		adjType          string
		adj, current     int
		minMag           *int
		want             int
		formulaSubstring string
	}{
		{AdjustmentTypeChangeInCapacity, 3, 10, nil, 13, "desired = 10 + 3 = 13"},
		{AdjustmentTypeChangeInCapacity, -2, 10, nil, 8, "desired = 10 − 2 = 8"},
		{AdjustmentTypeExactCapacity, 5, 10, nil, 5, "desired = 5 (ExactCapacity)"},
		// [AAS-API:StepScalingPolicyConfiguration]: 25 % of 4 is 1, with
		// MinAdjustmentMagnitude 2 the service scales out by 2.
		{AdjustmentTypePercentChangeInCapacity, 25, 4, aws.Int(2), 6, "MinAdjustmentMagnitude 2 → +2"},
		{AdjustmentTypePercentChangeInCapacity, -25, 4, aws.Int(2), 2, "MinAdjustmentMagnitude 2 → -2"},
		{AdjustmentTypePercentChangeInCapacity, 50, 10, aws.Int(2), 15, "50% of 10 = 5 → +5"},
	}
	for _, tt := range tests {
		got, f := stepCapacity(tt.adjType, tt.adj, tt.current, tt.minMag)
		if got != tt.want || !strings.Contains(f, tt.formulaSubstring) {
			t.Errorf("stepCapacity(%s, %d, %d) = %d %q, want %d containing %q", tt.adjType, tt.adj, tt.current, got, f, tt.want, tt.formulaSubstring)
		}
	}
}

func bound(v float64) *float64 { return aws.Float64(v) }

// TestPickStep checks the inclusive and exclusive bounds of
// [AAS-API:StepAdjustment]: above the threshold lower bounds are inclusive
// and upper bounds exclusive, below it the other way round.
func TestPickStep(t *testing.T) {
	out := []StepAdjustment{
		{MetricIntervalLowerBound: bound(0), MetricIntervalUpperBound: bound(10), ScalingAdjustment: aws.Int(0)},
		{MetricIntervalLowerBound: bound(10), MetricIntervalUpperBound: bound(20), ScalingAdjustment: aws.Int(10)},
		{MetricIntervalLowerBound: bound(20), ScalingAdjustment: aws.Int(30)},
	}
	in := []StepAdjustment{
		{MetricIntervalLowerBound: bound(-10), MetricIntervalUpperBound: bound(0), ScalingAdjustment: aws.Int(0)},
		{MetricIntervalLowerBound: bound(-20), MetricIntervalUpperBound: bound(-10), ScalingAdjustment: aws.Int(-10)},
		{MetricIntervalUpperBound: bound(-20), ScalingAdjustment: aws.Int(-30)},
	}
	tests := []struct {
		steps []StepAdjustment
		diff  float64
		want  int
		ok    bool
	}{
		{out, 0, 0, true},
		{out, 9.99, 0, true},
		{out, 10, 10, true}, // lower bound inclusive above the threshold
		{out, 19.9, 10, true},
		{out, 20, 30, true},
		{out, 500, 30, true},
		{out, -1, 0, false},
		{in, 0, 0, true},
		{in, -10, -10, true}, // (−20, −10]: below the threshold the upper bound is inclusive, the lower exclusive
		{in, -9.5, 0, true},
		{in, -10.5, -10, true},
		{in, -20, -30, true}, // (−∞, −20]
		{in, -20.1, -30, true},
		{in, -1000, -30, true},
		{in, 5, 0, false},
	}
	for _, tt := range tests {
		s, ok := pickStep(tt.steps, tt.diff)
		if ok != tt.ok || (ok && aws.ToInt(s.ScalingAdjustment) != tt.want) {
			t.Errorf("pickStep(diff %v) = %d %v, want %d %v", tt.diff, aws.ToInt(s.ScalingAdjustment), ok, tt.want, tt.ok)
		}
	}
}

// TestStepWorkedExample reproduces the worked example of the Application Auto
// Scaling User Guide (reference 8.3): threshold 50, capacity 10; at 60 % → 11;
// still at 70 % or more → +30 % of 11 → 14; scale-in at 40 % → 13; at 30 % → 10.
func TestStepWorkedExample(t *testing.T) {
	f := newFixture(t)
	f.res.services[web] = &fakeService{desired: 10, running: 10}
	f.register(t, web, 1, 100)
	out := f.put(t, &PutScalingPolicyRequest{
		PolicyName: aws.String("step-out"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), PolicyType: aws.String(PolicyTypeStepScaling),
		StepScalingPolicyConfiguration: &StepScalingPolicyConfiguration{
			AdjustmentType: aws.String(AdjustmentTypePercentChangeInCapacity),
			StepAdjustments: []StepAdjustment{
				{MetricIntervalLowerBound: bound(0), MetricIntervalUpperBound: bound(10), ScalingAdjustment: aws.Int(0)},
				{MetricIntervalLowerBound: bound(10), MetricIntervalUpperBound: bound(20), ScalingAdjustment: aws.Int(10)},
				{MetricIntervalLowerBound: bound(20), ScalingAdjustment: aws.Int(30)},
			},
		},
	})
	in := f.put(t, &PutScalingPolicyRequest{
		PolicyName: aws.String("step-in"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), PolicyType: aws.String(PolicyTypeStepScaling),
		StepScalingPolicyConfiguration: &StepScalingPolicyConfiguration{
			AdjustmentType: aws.String(AdjustmentTypePercentChangeInCapacity),
			StepAdjustments: []StepAdjustment{
				{MetricIntervalLowerBound: bound(-10), MetricIntervalUpperBound: bound(0), ScalingAdjustment: aws.Int(0)},
				{MetricIntervalLowerBound: bound(-20), MetricIntervalUpperBound: bound(-10), ScalingAdjustment: aws.Int(-10)},
				{MetricIntervalUpperBound: bound(-20), ScalingAdjustment: aws.Int(-30)},
			},
		},
	})
	// The user's alarms, as CloudWatch holds them.
	f.alarms.alarms["cpu-high"] = AlarmSpec{Name: "cpu-high", MetricName: "CPUUtilization", Threshold: 50, Comparison: "GreaterThanOrEqualToThreshold"}
	f.alarms.alarms["cpu-low"] = AlarmSpec{Name: "cpu-low", MetricName: "CPUUtilization", Threshold: 50, Comparison: "LessThanOrEqualToThreshold"}

	steps := []struct {
		after  time.Duration
		arn    string
		alarm  string
		metric float64
		want   int
	}{
		{0, *out.PolicyARN, "cpu-high", 60, 11},
		{time.Minute, *out.PolicyARN, "cpu-high", 62, 11}, // in cooldown: 10 % of 10 already added
		{5 * time.Minute, *out.PolicyARN, "cpu-high", 70, 14},
		{5 * time.Minute, *in.PolicyARN, "cpu-low", 40, 13},
		{time.Minute, *in.PolicyARN, "cpu-low", 30, 13}, // scale-in cooldown
		{5 * time.Minute, *in.PolicyARN, "cpu-low", 30, 10},
	}
	for i, s := range steps {
		f.advance(t, s.after)
		f.fire(s.arn, s.alarm, s.metric)
		if got := f.res.services[web].desired; got != s.want {
			t.Fatalf("step %d (%s at %v): desired %d, want %d\n%s", i, s.alarm, s.metric, got, s.want, f.a.Explain(web))
		}
	}
	acts := f.activities(t, false)
	if len(acts) != 4 || *acts[0].Description != "Setting desired count to 10." || *acts[3].Description != "Setting desired count to 11." {
		t.Fatalf("activities: %+v", acts)
	}
	if got := *acts[0].Cause; got != "monitor alarm cpu-low in state ALARM triggered policy step-in" {
		t.Errorf("cause = %q", got)
	}
}

func TestFmtMetric(t *testing.T) {
	for in, want := range map[float64]string{51.99999999999997: "52", 84.125: "84.13", 2400: "2400", 0.004: "0"} {
		if got := fmtMetric(in); got != want {
			t.Errorf("fmtMetric(%v) = %s, want %s", in, got, want)
		}
	}
}
