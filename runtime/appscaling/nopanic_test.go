package appscaling

import (
	"math"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/internal/apitest"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, on a service with a target, a policy and a scheduled action,
// and without any connected service.
func TestOperationsNeverPanic(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 5)
	f.put(t, ttRequest(web, "cpu", 50))
	for _, a := range []*AppScaling{f.a, New(Config{})} {
		apitest.NeverPanics(t, a)
		a.AlarmFired("", "", "", "", time.Time{}, math.NaN())
		_ = a.Explain("")
	}
}

// TestDeterministic runs the same scenario twice and compares what the
// service shows.
func TestDeterministic(t *testing.T) {
	run := func() string {
		f, arn, high, low := ttFixture(t, 1, 10, 50)
		f.fire(arn, high, 90)
		f.advance(t, 10*time.Minute)
		f.fire(arn, low, 10)
		return f.a.Explain(web) + fmtActivities(f.activities(t, true))
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("runs differ:\n%s\n---\n%s", a, b)
	}
}

func fmtActivities(acts []ScalingActivity) string {
	s := ""
	for _, a := range acts {
		s += *a.ActivityId + " " + *a.Description + "\n"
	}
	return s
}
