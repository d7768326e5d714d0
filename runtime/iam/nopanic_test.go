package iam

import (
	"testing"

	"github.com/ecsbox/ecsbox/internal/apitest"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	i := newTestIAM()
	apitest.NeverPanics(t, i)
}
