package appscaling

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// fakeResources stands for ECS: services by resource ID with their desired
// and running counts. Running follows desired unless a test says otherwise.
type fakeResources struct {
	services   map[string]*fakeService
	suspended  bool
	setCalls   []string
	failSet    error
	runningLag bool // when set, SetCapacity leaves running as it was
}

type fakeService struct{ desired, running int }

func (f *fakeResources) Capacity(ns, rid, dim string) (int, int, error) {
	s := f.services[rid]
	if s == nil {
		return 0, 0, awserr.New("ServiceNotFoundException", "Service not found.")
	}
	return s.desired, s.running, nil
}

func (f *fakeResources) SetCapacity(ns, rid, dim string, desired int, cause string) error {
	f.setCalls = append(f.setCalls, fmt.Sprintf("%s=%d (%s)", rid, desired, cause))
	if f.failSet != nil {
		return f.failSet
	}
	s := f.services[rid]
	s.desired = desired
	if !f.runningLag {
		s.running = desired
	}
	return nil
}

func (f *fakeResources) ScaleInSuspended(ns, rid, dim string) bool { return f.suspended }

// fakeAlarms stands for CloudWatch.
type fakeAlarms struct {
	alarms  map[string]AlarmSpec
	deleted []string
}

func (f *fakeAlarms) PutAlarm(spec AlarmSpec) (string, error) {
	f.alarms[spec.Name] = spec
	return "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + spec.Name, nil
}

func (f *fakeAlarms) DeleteAlarm(name string) error {
	delete(f.alarms, name)
	f.deleted = append(f.deleted, name)
	return nil
}

func (f *fakeAlarms) Alarm(name string) (AlarmSpec, bool) {
	s, ok := f.alarms[name]
	return s, ok
}

func (f *fakeAlarms) names() []string {
	var n []string
	for k := range f.alarms {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

type fixture struct {
	a      *AppScaling
	sim    *sim.Sim
	res    *fakeResources
	alarms *fakeAlarms
}

const web = "service/demo/web"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := sim.New(sim.Config{})
	f := &fixture{
		sim:    s,
		res:    &fakeResources{services: map[string]*fakeService{web: {desired: 2, running: 2}, "service/demo/api": {desired: 1, running: 1}}},
		alarms: &fakeAlarms{alarms: map[string]AlarmSpec{}},
	}
	f.a = New(Config{Sim: s, Identity: aws.DefaultIdentity(), Alarms: f.alarms})
	f.a.SetResources(f.res)
	return f
}

func (f *fixture) advance(t *testing.T, d time.Duration) {
	t.Helper()
	if err := f.sim.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) register(t *testing.T, rid string, lo, hi int) {
	t.Helper()
	if _, err := f.a.RegisterScalableTarget(&RegisterScalableTargetRequest{
		ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(rid), ScalableDimension: aws.String(dimensionECS),
		MinCapacity: aws.Int(lo), MaxCapacity: aws.Int(hi),
	}); err != nil {
		t.Fatalf("RegisterScalableTarget: %v", err)
	}
}

func ttRequest(rid, name string, target float64) *PutScalingPolicyRequest {
	return &PutScalingPolicyRequest{
		PolicyName: aws.String(name), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(rid),
		ScalableDimension: aws.String(dimensionECS), PolicyType: aws.String(PolicyTypeTargetTrackingScaling),
		TargetTrackingScalingPolicyConfiguration: &TargetTrackingScalingPolicyConfiguration{
			TargetValue:                   aws.Float64(target),
			PredefinedMetricSpecification: &PredefinedMetricSpecification{PredefinedMetricType: aws.String(MetricTypeECSServiceAverageCPUUtilization)},
		},
	}
}

func (f *fixture) put(t *testing.T, in *PutScalingPolicyRequest) *PutScalingPolicyResponse {
	t.Helper()
	out, err := f.a.PutScalingPolicy(in)
	if err != nil {
		t.Fatalf("PutScalingPolicy: %v", err)
	}
	return out
}

func (f *fixture) activities(t *testing.T, notScaled bool) []ScalingActivity {
	t.Helper()
	out, err := f.a.DescribeScalingActivities(&DescribeScalingActivitiesRequest{ServiceNamespace: aws.String("ecs"), IncludeNotScaledActivities: aws.Bool(notScaled)})
	if err != nil {
		t.Fatal(err)
	}
	return out.ScalingActivities
}

// fire invokes a policy's alarm as CloudWatch would.
func (f *fixture) fire(policyARN, alarm string, metric float64) {
	f.a.AlarmFired(policyARN, alarm, "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"+alarm, "ALARM", f.sim.Now(), metric)
}

func wantAWSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("got  %s: %s\nwant %s: %s", e.Code, e.Message, code, msg)
	}
}
