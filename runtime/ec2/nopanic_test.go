package ec2

import (
	"reflect"
	"testing"

	"github.com/ecsbox/ecsbox/internal/apitest"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	e, _ := newTestEC2()
	apitest.NeverPanics(t, e)
}

// TestOperationSignatures checks that every method named after an EC2 API
// action has the signature the builtins call by reflection.
func TestOperationSignatures(t *testing.T) {
	e, _ := newTestEC2()
	typ := reflect.TypeOf(e)
	errType := reflect.TypeFor[error]()
	for _, name := range []string{"RunInstances", "DescribeInstances", "TerminateInstances", "StopInstances", "StartInstances",
		"DescribeInstanceAttribute", "DescribeSubnets", "DescribeVpcs", "DescribeSecurityGroups", "DescribeAvailabilityZones",
		"DescribeInstanceTypes", "DescribeImages", "DescribeNetworkInterfaces",
		"CreateLaunchTemplate", "CreateLaunchTemplateVersion", "DescribeLaunchTemplates", "DescribeLaunchTemplateVersions",
		"ModifyLaunchTemplate", "DeleteLaunchTemplate"} {
		m, ok := typ.MethodByName(name)
		if !ok {
			t.Errorf("%s missing", name)
			continue
		}
		mt := m.Type
		if mt.NumIn() != 2 || mt.In(1).Kind() != reflect.Pointer || mt.NumOut() != 2 || mt.Out(1) != errType {
			t.Errorf("%s has signature %s", name, mt)
		}
	}
	// Go helpers must not take API action names with other signatures.
	for _, name := range []string{"CreateNetworkInterface", "DeleteNetworkInterface"} {
		if _, ok := typ.MethodByName(name); ok {
			t.Errorf("%s would clash with the API action of that name", name)
		}
	}
}
