package cloudwatch

import (
	"reflect"
	"testing"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	c, _ := newTest()
	v := reflect.ValueOf(c)
	for i := range v.NumMethod() {
		m := v.Type().Method(i)
		mt := m.Type
		if mt.NumIn() != 2 || mt.NumOut() != 2 || mt.In(1).Kind() != reflect.Pointer || mt.Out(1).Name() != "error" {
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
