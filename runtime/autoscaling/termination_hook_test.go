package autoscaling

import (
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// A termination hook holds a scaled-in instance in Terminating:Wait until
// it lets go, or until its heartbeat timeout (default result CONTINUE).
func TestTerminationHook(t *testing.T) {
	for _, tc := range []struct {
		name      string
		letGoAt   time.Duration // 0: never
		heartbeat time.Duration
		goneBy    time.Duration
	}{
		{"the hook lets go", 2 * time.Minute, time.Hour, 3 * time.Minute},
		{"heartbeat timeout", 0, 30 * time.Minute, 31 * time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx := newFixture(t)
			fx.group("asg", 0, 4, aws.Int(2))
			fx.advance(5 * time.Minute)
			var held []string
			if err := fx.as.SetTerminationHook("asg", "hook", tc.heartbeat, func(id string, proceed func()) {
				held = append(held, id)
				if tc.letGoAt > 0 {
					fx.sim.After(tc.letGoAt, "let go", proceed)
				}
			}); err != nil {
				t.Fatal(err)
			}
			if _, err := fx.as.SetDesiredCapacity(&SetDesiredCapacityType{AutoScalingGroupName: aws.String("asg"), DesiredCapacity: aws.Int(1)}); err != nil {
				t.Fatal(err)
			}
			fx.advance(time.Minute)
			if got := fx.states("asg"); len(held) != 1 || got != "1 InService, 1 Terminating:Wait" {
				t.Fatalf("held %v, states %s", held, got)
			}
			fx.advance(tc.goneBy - time.Minute)
			if got := fx.states("asg"); got != "1 InService" {
				t.Errorf("after %v: %s", tc.goneBy, got)
			}
		})
	}
	fx := newFixture(t)
	wantAWSError(t, fx.as.SetTerminationHook("nope", "hook", time.Hour, nil), "ValidationError", "AutoScalingGroup name not found - AutoScalingGroup 'nope' not found")
}
