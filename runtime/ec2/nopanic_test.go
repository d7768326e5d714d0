package ec2

import (
	"reflect"
	"testing"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	e, _ := newTestEC2()
	v := reflect.ValueOf(e)
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		mt := m.Type
		if mt.NumIn() != 2 || mt.NumOut() != 2 || mt.In(1).Kind() != reflect.Pointer {
			continue
		}
		for _, arg := range []reflect.Value{reflect.Zero(mt.In(1)), reflect.New(mt.In(1).Elem())} {
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Errorf("%s panicked: %v", m.Name, r)
					}
				}()
				v.Method(i).Call([]reflect.Value{arg})
			}()
		}
	}
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
