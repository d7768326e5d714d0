package appscaling

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// BenchmarkAlarmFired is one invocation of a target tracking policy by its
// AlarmLow staying in ALARM, the commonest call of a day of service auto
// scaling: 2 running at 40 % of a 50 % target would not remove a task, so
// nothing changes and the decision is explained.
func BenchmarkAlarmFired(b *testing.B) {
	s := sim.New(sim.Config{})
	res := &fakeResources{services: map[string]*fakeService{web: {desired: 2, running: 2}}}
	a := New(Config{Sim: s, Identity: aws.DefaultIdentity(), Alarms: &fakeAlarms{alarms: map[string]AlarmSpec{}}})
	a.SetResources(res)
	if _, err := a.RegisterScalableTarget(&RegisterScalableTargetRequest{
		ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS),
		MinCapacity: aws.Int(1), MaxCapacity: aws.Int(10),
	}); err != nil {
		b.Fatal(err)
	}
	out, err := a.PutScalingPolicy(ttRequest(web, "cpu", 50))
	if err != nil {
		b.Fatal(err)
	}
	arn, low := *out.PolicyARN, *out.Alarms[1].AlarmName
	lowARN := "arn:aws:cloudwatch:us-east-1:123456789012:alarm:" + low
	at := s.Now().Add(time.Hour)
	for b.Loop() {
		a.AlarmFired(arn, low, lowARN, "ALARM", at, 40.123456789)
	}
	if res.services[web].desired != 2 {
		b.Fatalf("desired = %d, want 2", res.services[web].desired)
	}
}
