// Package apitest holds the checks every simulated service's tests run on
// the API surface that the builtins layer calls by reflection.
package apitest

import (
	"reflect"
	"testing"
)

// NeverPanics calls every method of svc shaped like an operation (one
// pointer argument, two results) with a nil request and with an empty one,
// as the builtins layer may: botocore validation has already run, but
// optional members can be absent anywhere. It reports each panic as a test
// error and returns how many operations it called.
func NeverPanics(t testing.TB, svc any) int {
	t.Helper()
	v := reflect.ValueOf(svc)
	n := 0
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		mt := m.Type
		if mt.NumIn() != 2 || mt.NumOut() != 2 || mt.In(1).Kind() != reflect.Pointer {
			continue
		}
		n++
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
	return n
}
