package autoscaling

import (
	"reflect"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/internal/apitest"
)

var operations = []string{"CreateAutoScalingGroup", "UpdateAutoScalingGroup", "SetDesiredCapacity", "DescribeAutoScalingGroups",
	"DescribeAutoScalingInstances", "DeleteAutoScalingGroup", "SetInstanceProtection", "TerminateInstanceInAutoScalingGroup",
	"StartInstanceRefresh", "DescribeInstanceRefreshes", "CancelInstanceRefresh", "DescribeScalingActivities", "PutScalingPolicy",
	"DescribePolicies", "DeletePolicy", "ExecutePolicy", "SuspendProcesses", "ResumeProcesses"}

// TestOperationsNeverPanic calls every operation with a nil request and an
// empty one, on an account with a group, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	fx := newFixture(t)
	fx.group("asg", 1, 3, nil)
	fx.advance(time.Minute)
	apitest.NeverPanics(t, fx.as)
}

// TestOperationSignatures checks the signature the builtins call by
// reflection, with the model's shape names.
func TestOperationSignatures(t *testing.T) {
	typ := reflect.TypeOf(&AutoScaling{})
	errType := reflect.TypeFor[error]()
	for _, name := range operations {
		m, ok := typ.MethodByName(name)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		mt := m.Type
		if mt.NumIn() != 2 || mt.In(1).Kind() != reflect.Pointer || mt.NumOut() != 2 || mt.Out(0).Kind() != reflect.Pointer || mt.Out(1) != errType {
			t.Errorf("%s has signature %s", name, mt)
		}
	}
}

// TestDeterministic runs a scenario twice and compares the activities.
func TestDeterministic(t *testing.T) {
	run := func() string {
		fx := newFixture(t)
		fx.group("asg", 0, 9, aws0(6))
		fx.advance(time.Minute)
		_ = fx.as.SetDesired("asg", 2, "At 2025-01-01T00:01:00Z a test.")
		fx.advance(time.Minute)
		out := ""
		for _, a := range fx.activities("asg") {
			out += *a.ActivityId + " " + *a.Description + " " + *a.Cause + "\n"
		}
		return out + fx.as.Explain("asg")
	}
	if a, b := run(), run(); a != b {
		t.Errorf("runs differ:\n%s\n---\n%s", a, b)
	}
}

func aws0(n int) *int { return &n }
