package logs

import (
	"reflect"
	"testing"
)

// TestOperationsNeverPanic calls every operation with a nil request and with
// an empty one, as the builtins layer may.
func TestOperationsNeverPanic(t *testing.T) {
	l, _ := newTestLogs()
	mustStream(t, l, "g", "s")
	v := reflect.ValueOf(l)
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
	if n != 14 {
		t.Errorf("found %d operations, want 14", n)
	}
}
