package appscaling

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// ttFixture registers web (desired 2, running 2) with [min, max] and a CPU
// target tracking policy at target, and returns the policy's alarms.
func ttFixture(t *testing.T, lo, hi int, target float64) (*fixture, string, string, string) {
	t.Helper()
	f := newFixture(t)
	f.register(t, web, lo, hi)
	out := f.put(t, ttRequest(web, "cpu", target))
	return f, *out.PolicyARN, *out.Alarms[0].AlarmName, *out.Alarms[1].AlarmName
}

func TestTargetTrackingScaleOutFromRunning(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 10, 50)
	f.fire(arn, high, 82.4)
	if got := f.res.services[web].desired; got != 4 {
		t.Fatalf("desired = %d, want ceil(2 × 82.4 / 50) = 4", got)
	}
	acts := f.activities(t, false)
	want := ScalingActivity{
		Description:   aws.String("Setting desired count to 4."),
		Cause:         aws.String("monitor alarm " + high + " in state ALARM triggered policy cpu"),
		StatusCode:    aws.String("Successful"),
		StatusMessage: aws.String("Successfully set desired count to 4. Change successfully fulfilled by ecs."),
	}
	if len(acts) != 1 || *acts[0].Description != *want.Description || *acts[0].Cause != *want.Cause ||
		*acts[0].StatusCode != *want.StatusCode || *acts[0].StatusMessage != *want.StatusMessage {
		t.Fatalf("activity = %+v", acts)
	}
	if !strings.HasPrefix(*acts[0].Cause, "monitor alarm TargetTracking-service/demo/web-AlarmHigh-") {
		t.Errorf("cause = %q", *acts[0].Cause)
	}
	ex := f.a.Explain(web)
	if !strings.Contains(ex, "cpu: CPUUtilization 82.4 > 50 for 3 minutes → AlarmHigh → desired = ceil(2 × 82.4 / 50) = 4 → want 4; set desired count 2 → 4") {
		t.Errorf("Explain:\n%s", ex)
	}
}

// TestTargetTrackingRepeatedAlarm: CloudWatch invokes the action every
// minute while AlarmHigh stays in ALARM. While the new tasks start, the
// running count lags, and the capacity already added covers the wish.
func TestTargetTrackingRepeatedAlarm(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 20, 50)
	f.res.runningLag = true
	f.fire(arn, high, 90) // 2 × 90 / 50 = 3.6 → 4
	for range 3 {
		f.advance(t, time.Minute)
		f.fire(arn, high, 90)
	}
	if got := f.res.services[web].desired; got != 4 {
		t.Fatalf("desired = %d, want 4 (no capacity added every minute)", got)
	}
	if ex := f.a.Explain(web); !strings.Contains(ex, "scale-out cooldown (") {
		t.Errorf("Explain does not mention the cooldown:\n%s", ex)
	}
	// A larger scale-out may still happen during the cooldown.
	f.advance(t, time.Minute)
	f.fire(arn, high, 200) // 2 × 200 / 50 = 8
	if got := f.res.services[web].desired; got != 8 {
		t.Fatalf("desired = %d, want 8", got)
	}
	// After the tasks run, the metric still high: scale out from running.
	f.res.services[web].running = 8
	f.advance(t, 6*time.Minute)
	f.fire(arn, high, 60)
	if got := f.res.services[web].desired; got != 10 { // ceil(8 × 60 / 50) = 10
		t.Fatalf("desired = %d, want 10", got)
	}
}

func TestTargetTrackingScaleIn(t *testing.T) {
	f, arn, _, low := ttFixture(t, 2, 20, 50)
	f.res.services[web] = &fakeService{desired: 10, running: 10}
	f.fire(arn, low, 30) // ceil(10 × 30 / 50) = 6
	if got := f.res.services[web].desired; got != 6 {
		t.Fatalf("desired = %d, want 6", got)
	}
	// Scale-in cooldown (300 s by default) blocks the next one.
	f.advance(t, time.Minute)
	f.fire(arn, low, 10)
	if got := f.res.services[web].desired; got != 6 {
		t.Fatalf("desired = %d during the scale-in cooldown, want 6", got)
	}
	f.advance(t, 5*time.Minute)
	f.fire(arn, low, 10) // max(min 2, ceil(6 × 10 / 50) = 2) = 2
	if got := f.res.services[web].desired; got != 2 {
		t.Fatalf("desired = %d, want 2", got)
	}
	// At min: a not scaled activity, once for a run of identical ones.
	f.advance(t, 6*time.Minute)
	f.fire(arn, low, 10)
	f.advance(t, time.Minute)
	f.fire(arn, low, 10)
	acts := f.activities(t, true)
	if len(acts) != 3 || *acts[0].StatusCode != "Failed" || *acts[0].Description != "Attempting to scale due to alarm triggered" {
		t.Fatalf("activities: %+v", acts)
	}
	if r := acts[0].NotScaledReasons; len(r) != 1 || *r[0].Code != "AlreadyAtMinCapacity" || *r[0].MinCapacity != 2 {
		t.Fatalf("reasons: %+v", r)
	}
	if n := len(f.activities(t, false)); n != 2 {
		t.Fatalf("without not scaled activities: %d, want 2", n)
	}
}

func TestScaleInRules(t *testing.T) {
	tests := []struct {
		name      string
		setup     func(f *fixture)
		metric    float64
		want      int
		explainIs string
	}{
		{"keeps a task when the formula removes none", nil, 45, 4, "would not remove a task"},
		{"ECS deployment in progress", func(f *fixture) { f.res.suspended = true }, 10, 4, "scale-in is suspended while an ECS deployment is in progress"},
		{"suspended on the target", func(f *fixture) {
			f.a.targets[targetKey("ecs", web, dimensionECS)].suspended.DynamicScalingInSuspended = aws.Bool(true)
		}, 10, 4, "dynamic scale-in is suspended on the target"},
		{"recent scale-out", func(f *fixture) { f.a.targets[targetKey("ecs", web, dimensionECS)].lastOut = f.sim.Now() }, 10, 4, "a scale-out happened 0s ago"},
		{"scales in", nil, 20, 2, "set desired count 4 → 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, arn, _, low := ttFixture(t, 1, 10, 50)
			f.res.services[web] = &fakeService{desired: 4, running: 4}
			if tt.setup != nil {
				tt.setup(f)
			}
			f.fire(arn, low, tt.metric)
			if got := f.res.services[web].desired; got != tt.want {
				t.Fatalf("desired = %d, want %d", got, tt.want)
			}
			if ex := f.a.Explain(web); !strings.Contains(ex, tt.explainIs) {
				t.Fatalf("Explain lacks %q:\n%s", tt.explainIs, ex)
			}
		})
	}
}

func TestScaleOutCancelsScaleInCooldown(t *testing.T) {
	f, arn, high, low := ttFixture(t, 1, 20, 50)
	f.res.services[web] = &fakeService{desired: 10, running: 10}
	f.put(t, &PutScalingPolicyRequest{PolicyName: aws.String("cpu"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web),
		ScalableDimension: aws.String(dimensionECS), PolicyType: aws.String(PolicyTypeTargetTrackingScaling),
		TargetTrackingScalingPolicyConfiguration: &TargetTrackingScalingPolicyConfiguration{
			TargetValue: aws.Float64(50), ScaleOutCooldown: aws.Int(60), ScaleInCooldown: aws.Int(600),
			PredefinedMetricSpecification: &PredefinedMetricSpecification{PredefinedMetricType: aws.String(MetricTypeECSServiceAverageCPUUtilization)},
		}})
	p := f.a.policyByARN[arn]
	high, low = p.highAlarm, p.lowAlarm
	f.fire(arn, low, 30) // 10 → 6, scale-in cooldown 600 s
	f.advance(t, time.Minute)
	f.fire(arn, high, 60) // ceil(6 × 60 / 50) = 8: scale-out, ends the scale-in cooldown
	f.advance(t, 2*time.Minute)
	f.fire(arn, low, 20) // ceil(8 × 20 / 50) = 4
	if got := f.res.services[web].desired; got != 4 {
		t.Fatalf("desired = %d, want 4\n%s", got, f.a.Explain(web))
	}
}

func TestManualDesiredOutsideRangeIsClampedFirst(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 2, 6, 50)
	f.res.services[web] = &fakeService{desired: 9, running: 9}
	f.fire(arn, high, 51) // wants ceil(9 × 51 / 50) = 10, max is 6
	if got := f.res.services[web].desired; got != 6 {
		t.Fatalf("desired = %d, want the max 6", got)
	}
	if ex := f.a.Explain(web); !strings.Contains(ex, "desired 9 is outside [2, 6], first clamped to 6") {
		t.Fatalf("Explain:\n%s", ex)
	}
	// At max, the next alarm is a not scaled activity AlreadyAtMaxCapacity.
	f.advance(t, time.Minute)
	f.fire(arn, high, 90)
	acts := f.activities(t, true)
	if r := acts[0].NotScaledReasons; len(r) != 1 || *r[0].Code != "AlreadyAtMaxCapacity" || *r[0].MaxCapacity != 6 {
		t.Fatalf("activities: %+v", acts)
	}
}

// TestSeveralTargetTrackingPolicies: out if any wants out, in only if all
// scale-in-enabled policies want in, and the largest capacity wins.
func TestSeveralTargetTrackingPolicies(t *testing.T) {
	f, cpuARN, cpuHigh, cpuLow := ttFixture(t, 1, 20, 50)
	mem := ttRequest(web, "mem", 60)
	mem.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType = aws.String(MetricTypeECSServiceAverageMemoryUtilization)
	out := f.put(t, mem)
	memARN, memLow := *out.PolicyARN, *out.Alarms[1].AlarmName
	f.res.services[web] = &fakeService{desired: 10, running: 10}

	f.fire(cpuARN, cpuLow, 20) // cpu wants 4, mem has no wish: no scale-in
	if got := f.res.services[web].desired; got != 10 {
		t.Fatalf("desired = %d, want 10: mem does not want to scale in", got)
	}
	f.advance(t, time.Minute)
	f.fire(memARN, memLow, 30) // mem wants 5, cpu wants 4 (fresh): the larger, 5
	if got := f.res.services[web].desired; got != 5 {
		t.Fatalf("desired = %d, want 5\n%s", got, f.a.Explain(web))
	}
	// Out if any: cpu wants out while mem still wanted in.
	f.advance(t, time.Minute)
	f.fire(cpuARN, cpuHigh, 80) // ceil(5 × 80 / 50) = 8
	if got := f.res.services[web].desired; got != 8 {
		t.Fatalf("desired = %d, want 8", got)
	}
	// A policy with scale-in disabled does not hold back the others, and
	// has no AlarmLow.
	f2, arn2, _, low2 := ttFixture(t, 1, 20, 50)
	noIn := ttRequest(web, "noin", 70)
	noIn.TargetTrackingScalingPolicyConfiguration.DisableScaleIn = aws.Bool(true)
	if out := f2.put(t, noIn); len(out.Alarms) != 1 {
		t.Fatalf("DisableScaleIn policy alarms: %+v", out.Alarms)
	}
	f2.res.services[web] = &fakeService{desired: 10, running: 10}
	f2.fire(arn2, low2, 20)
	if got := f2.res.services[web].desired; got != 4 {
		t.Fatalf("desired = %d, want 4", got)
	}
}

func TestAlarmFiredIgnored(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 10, 50)
	f.a.AlarmFired("arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/ecs/service/demo/web:policyName/gone", high, "", "ALARM", f.sim.Now(), 99)
	f.a.AlarmFired(arn, high, "", "OK", f.sim.Now(), 99)
	f.fire(arn, high, math.NaN())
	f.fire(arn, "some-other-alarm", 99)
	if got := f.res.services[web].desired; got != 2 || len(f.res.setCalls) != 0 {
		t.Fatalf("desired = %d, calls %v", got, f.res.setCalls)
	}
	ex := f.a.Explain(web)
	for _, want := range []string{"without a datapoint; no scaling", "is not one of the policy's alarms"} {
		if !strings.Contains(ex, want) {
			t.Errorf("Explain lacks %q:\n%s", want, ex)
		}
	}
}

func TestScaleFromZero(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 0, 5, 50)
	f.res.services[web] = &fakeService{desired: 0, running: 0}
	f.fire(arn, high, 80)
	if got := f.res.services[web].desired; got != 1 {
		t.Fatalf("desired = %d, want 1", got)
	}
}

func TestSetCapacityFailureIsAFailedActivity(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 10, 50)
	f.res.failSet = errorString("ServiceNotActiveException: Service was not ACTIVE.")
	f.fire(arn, high, 90)
	acts := f.activities(t, false)
	if len(acts) != 1 || *acts[0].StatusCode != "Failed" ||
		*acts[0].StatusMessage != "Failed to set desired count to 4. Reason: ServiceNotActiveException: Service was not ACTIVE." {
		t.Fatalf("activities: %+v", acts)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }

func TestTimelineRecordsActivities(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 10, 50)
	f.fire(arn, high, 90)
	var found bool
	for _, e := range f.sim.Timeline() {
		if e.Service == "application-autoscaling" && e.Kind == "ScalingActivity" && e.Resource == web &&
			strings.Contains(e.Message, "desired count 2 → 4") {
			found = true
		}
	}
	if !found {
		t.Fatalf("timeline: %v", f.sim.Timeline())
	}
}

func TestAlarmActionWithCreatedBySuffix(t *testing.T) {
	f, arn, high, _ := ttFixture(t, 1, 10, 50)
	f.fire(arn+":createdBy/7d1b6eec-6f00-4db9-bcec-9d160a413e87", high, 90)
	if got := f.res.services[web].desired; got != 4 {
		t.Fatalf("desired = %d, want 4", got)
	}
}
