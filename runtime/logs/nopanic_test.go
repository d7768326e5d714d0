package logs

import (
	"testing"

	"github.com/ecsbox/ecsbox/internal/apitest"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	l, _ := newTestLogs()
	mustStream(t, l, "g", "s")
	n := apitest.NeverPanics(t, l)
	if n != 14 {
		t.Errorf("found %d operations, want 14", n)
	}
}
