package autoscaling

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestTargetTrackingPolicyAlarms(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 1, 10, nil)
	out, err := fx.as.PutScalingPolicy(&PutScalingPolicyType{
		AutoScalingGroupName: aws.String("asg"), PolicyName: aws.String("cpu50"), PolicyType: aws.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &TargetTrackingConfiguration{
			PredefinedMetricSpecification: &PredefinedMetricSpecification{PredefinedMetricType: aws.String("ASGAverageCPUUtilization")},
			TargetValue:                   aws.Float64(50),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Alarms) != 2 || !strings.HasPrefix(aws.ToString(out.Alarms[0].AlarmName), "TargetTracking-asg-AlarmHigh-") ||
		!strings.HasPrefix(aws.ToString(out.Alarms[1].AlarmName), "TargetTracking-asg-AlarmLow-") ||
		!strings.Contains(aws.ToString(out.PolicyARN), ":scalingPolicy:") || !strings.HasSuffix(aws.ToString(out.PolicyARN), ":autoScalingGroupName/asg:policyName/cpu50") {
		t.Fatalf("answer %+v", out)
	}
	high := fx.alarms.alarms[aws.ToString(out.Alarms[0].AlarmName)]
	low := fx.alarms.alarms[aws.ToString(out.Alarms[1].AlarmName)]
	if high.Namespace != "AWS/EC2" || high.MetricName != "CPUUtilization" || high.Dimensions[0] != [2]string{"AutoScalingGroupName", "asg"} ||
		high.EvaluationPeriods != 3 || high.DatapointsToAlarm != 3 || high.Threshold != 50 || high.Comparison != "GreaterThanThreshold" ||
		high.Period != time.Minute || high.AlarmActions[0] != aws.ToString(out.PolicyARN) {
		t.Errorf("AlarmHigh %+v", high)
	}
	if low.EvaluationPeriods != 15 || low.Threshold != 45 || low.Comparison != "LessThanThreshold" {
		t.Errorf("AlarmLow %+v", low)
	}
	// Replacing the policy replaces its alarms; deleting it deletes them.
	if _, err := fx.as.PutScalingPolicy(&PutScalingPolicyType{
		AutoScalingGroupName: aws.String("asg"), PolicyName: aws.String("cpu50"), PolicyType: aws.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &TargetTrackingConfiguration{
			PredefinedMetricSpecification: &PredefinedMetricSpecification{PredefinedMetricType: aws.String("ASGAverageCPUUtilization")},
			TargetValue:                   aws.Float64(60), DisableScaleIn: aws.Bool(true),
		},
	}); err != nil {
		t.Fatal(err)
	}
	if len(fx.alarms.alarms) != 1 || len(fx.alarms.deleted) != 2 {
		t.Errorf("alarms after replace: %d, deleted %v", len(fx.alarms.alarms), fx.alarms.deleted)
	}
	pol, _ := fx.as.DescribePolicies(&DescribePoliciesType{AutoScalingGroupName: aws.String("asg")})
	if len(pol.ScalingPolicies) != 1 || len(pol.ScalingPolicies[0].Alarms) != 1 || aws.ToFloat64(pol.ScalingPolicies[0].TargetTrackingConfiguration.TargetValue) != 60 {
		t.Errorf("describe %+v", pol.ScalingPolicies)
	}
	if _, err := fx.as.DeletePolicy(&DeletePolicyType{AutoScalingGroupName: aws.String("asg"), PolicyName: aws.String("cpu50")}); err != nil {
		t.Fatal(err)
	}
	if len(fx.alarms.alarms) != 0 {
		t.Errorf("alarms left: %v", fx.alarms.alarms)
	}
}

// TestManagedScalingPolicy plays ECS managed scaling: AlarmHigh on 1
// datapoint, AlarmLow on 15, CapacityProviderReservation 200 from an empty
// group, then 50 with two instances.
func TestManagedScalingPolicy(t *testing.T) {
	fx := newFixture(t)
	fx.group("ecs-asg", 0, 10, aws.Int(0))
	arn, alarms, err := fx.as.PutTargetTrackingPolicy("ecs-asg", "ECSManagedAutoScalingPolicy-1", TargetTrackingSpec{
		Namespace: "AWS/ECS/ManagedScaling", MetricName: "CapacityProviderReservation",
		Dimensions: [][2]string{{"CapacityProviderName", "cp"}, {"ClusterName", "demo"}}, Statistic: "Average",
		TargetValue: 100, HighDatapoints: 1, LowDatapoints: 15, Warmup: 300 * time.Second,
	})
	if err != nil || len(alarms) != 2 {
		t.Fatal(err, alarms)
	}
	if h := fx.alarms.alarms[alarms[0]]; h.EvaluationPeriods != 1 || h.DatapointsToAlarm != 1 {
		t.Errorf("AlarmHigh %+v", h)
	}
	if l := fx.alarms.alarms[alarms[1]]; l.EvaluationPeriods != 15 {
		t.Errorf("AlarmLow %+v", l)
	}
	now := fx.sim.Now()
	fx.as.AlarmFired(arn, alarms[0], "arn", "ALARM", now, 200)
	if g := fx.info("ecs-asg"); g.Desired != 2 {
		t.Fatalf("CPR 200 from empty: desired %d, want 2", g.Desired)
	}
	// A repeated invocation with the same datapoint does not add more: the
	// capacity being launched already counts.
	fx.as.AlarmFired(arn, alarms[0], "arn", "ALARM", now, 200)
	if g := fx.info("ecs-asg"); g.Desired != 2 {
		t.Fatalf("repeated AlarmHigh: desired %d", g.Desired)
	}
	fx.advance(time.Minute)
	acts := fx.activities("ecs-asg")
	want := "At 2025-01-01T00:00:00Z a monitor alarm " + alarms[0] + " in state ALARM triggered policy ECSManagedAutoScalingPolicy-1 changing the desired capacity from 0 to 2.  " +
		"At 2025-01-01T00:00:10Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 2."
	if aws.ToString(acts[0].Cause) != want {
		t.Errorf("cause %q\nwant  %q", aws.ToString(acts[0].Cause), want)
	}
	// CPR 50 with two instances: AlarmLow during warm-up does nothing.
	fx.as.AlarmFired(arn, alarms[1], "arn", "ALARM", fx.sim.Now(), 50)
	if g := fx.info("ecs-asg"); g.Desired != 2 {
		t.Fatalf("scale-in during warm-up: desired %d", g.Desired)
	}
	if !strings.Contains(fx.as.Explain("ecs-asg"), "scale-in waits for 2 instance(s) warming up") {
		t.Errorf("explain: %s", fx.as.Explain("ecs-asg"))
	}
	fx.advance(10 * time.Minute)
	fx.as.AlarmFired(arn, alarms[1], "arn", "ALARM", fx.sim.Now(), 50)
	if g := fx.info("ecs-asg"); g.Desired != 1 {
		t.Fatalf("after warm-up: desired %d, want ceil(2 × 50 / 100) = 1", g.Desired)
	}
	// States other than ALARM, NaN and unknown ARNs change nothing.
	fx.as.AlarmFired(arn, alarms[0], "arn", "OK", fx.sim.Now(), 500)
	fx.as.AlarmFired(arn, alarms[0], "arn", "ALARM", fx.sim.Now(), math.NaN())
	fx.as.AlarmFired("arn:nope", alarms[0], "arn", "ALARM", fx.sim.Now(), 500)
	if g := fx.info("ecs-asg"); g.Desired != 1 {
		t.Fatalf("desired %d", g.Desired)
	}
}

func TestTargetTrackingComputeAndClamp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		compute func(float64, int) int
		metric  float64
		want    int
	}{
		{"proportional", nil, 90, 4},     // ceil(2 × 90 / 50)
		{"clamped to max", nil, 1000, 5}, // ceil(40) → max 5
		{"override", func(m float64, n int) int { return n + 1 }, 90, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.group("asg", 1, 5, aws.Int(2))
			fx.advance(time.Minute)
			arn, alarms, err := fx.as.PutTargetTrackingPolicy("asg", "p", TargetTrackingSpec{Namespace: "AWS/EC2", MetricName: "CPUUtilization", Statistic: "Average", TargetValue: 50, Compute: tc.compute})
			if err != nil {
				t.Fatal(err)
			}
			fx.as.AlarmFired(arn, alarms[0], "arn", "ALARM", fx.sim.Now(), tc.metric)
			if g := fx.info("asg"); g.Desired != tc.want {
				t.Errorf("desired %d, want %d", g.Desired, tc.want)
			}
		})
	}
}

func TestSimpleScalingCooldown(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 1, 10, nil)
	out, err := fx.as.PutScalingPolicy(&PutScalingPolicyType{
		AutoScalingGroupName: aws.String("asg"), PolicyName: aws.String("add2"),
		AdjustmentType: aws.String("ChangeInCapacity"), ScalingAdjustment: aws.Int(2),
	})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(out.PolicyARN)
	steps := []struct {
		after time.Duration
		want  int
	}{
		{0, 3},               // 1 + 2
		{time.Minute, 3},     // in the 300 s default cooldown
		{4 * time.Minute, 5}, // cooldown over
		{5 * time.Minute, 7},
		{5 * time.Minute, 9},
		{5 * time.Minute, 10}, // clamped to max
	}
	for i, s := range steps {
		fx.advance(s.after)
		fx.as.AlarmFired(arn, "cpu-high", "arn", "ALARM", fx.sim.Now(), 90)
		if g := fx.info("asg"); g.Desired != s.want {
			t.Fatalf("step %d: desired %d, want %d\n%s", i, g.Desired, s.want, fx.as.Explain("asg"))
		}
	}
}

func TestStepScaling(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 1, 20, aws.Int(4))
	fx.advance(time.Hour)
	out, err := fx.as.PutScalingPolicy(&PutScalingPolicyType{
		AutoScalingGroupName: aws.String("asg"), PolicyName: aws.String("steps"), PolicyType: aws.String("StepScaling"),
		AdjustmentType: aws.String("PercentChangeInCapacity"), MinAdjustmentMagnitude: aws.Int(2),
		StepAdjustments: []StepAdjustment{
			{MetricIntervalLowerBound: aws.Float64(0), MetricIntervalUpperBound: aws.Float64(20), ScalingAdjustment: aws.Int(10)},
			{MetricIntervalLowerBound: aws.Float64(20), ScalingAdjustment: aws.Int(50)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	fx.alarms.alarms["cpu-high"] = AlarmSpec{Name: "cpu-high", Threshold: 60}
	// 70 − 60 = 10: +10 % of 4 = 0.4 → 1, raised to MinAdjustmentMagnitude 2.
	fx.as.AlarmFired(aws.ToString(out.PolicyARN), "cpu-high", "arn", "ALARM", fx.sim.Now(), 70)
	if g := fx.info("asg"); g.Desired != 6 {
		t.Fatalf("desired %d, want 6\n%s", g.Desired, fx.as.Explain("asg"))
	}
	// 90 − 60 = 30 during warm-up: +50 % of the 4 warmed instances = 6, more than 6? no.
	fx.as.AlarmFired(aws.ToString(out.PolicyARN), "cpu-high", "arn", "ALARM", fx.sim.Now(), 90)
	if g := fx.info("asg"); g.Desired != 6 {
		t.Fatalf("during warm-up: desired %d, want 6", g.Desired)
	}
}

func TestPercentAdjustRounding(t *testing.T) {
	for _, tc := range []struct {
		adj, current, want int
	}{
		{25, 10, 12}, {5, 10, 11}, {-5, 10, 9}, {-67, 10, 4}, {100, 3, 6},
	} {
		if got, _ := adjust(adjustPercent, tc.adj, tc.current, nil); got != tc.want {
			t.Errorf("%d%% of %d: got %d, want %d", tc.adj, tc.current, got, tc.want)
		}
	}
}

func TestPickStep(t *testing.T) {
	steps := []StepAdjustment{
		{MetricIntervalUpperBound: aws.Float64(-10), ScalingAdjustment: aws.Int(-2)},
		{MetricIntervalLowerBound: aws.Float64(-10), MetricIntervalUpperBound: aws.Float64(0), ScalingAdjustment: aws.Int(-1)},
		{MetricIntervalLowerBound: aws.Float64(0), MetricIntervalUpperBound: aws.Float64(10), ScalingAdjustment: aws.Int(1)},
		{MetricIntervalLowerBound: aws.Float64(10), ScalingAdjustment: aws.Int(3)},
	}
	for _, tc := range []struct {
		diff float64
		want int
	}{{-20, -2}, {-10, -2}, {-5, -1}, {0, 1}, {9.9, 1}, {10, 3}, {100, 3}} {
		s, ok := pickStep(steps, tc.diff)
		if !ok || aws.ToInt(s.ScalingAdjustment) != tc.want {
			t.Errorf("diff %v: got %v %v, want %d", tc.diff, ok, aws.ToInt(s.ScalingAdjustment), tc.want)
		}
	}
}
