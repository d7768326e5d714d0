package awsmodel

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Every front end of the runtime (the Starlark builtins, the HTTP endpoint)
// reaches a service the same way: the operation's name picks a method of the
// service's Go value by reflection, the request parameters (already checked
// against the model, in the JSON-like form of value.go) are decoded into that
// method's request struct, and the response struct comes back to be rendered
// in the front end's own form. This file is that one path.

// NotSimulatedf is the error of an operation the model has and the runtime
// does not simulate yet; name is how the caller's user spells the action
// (ecs.run_task, ecs:RunTask).
func NotSimulatedf(name string) error {
	return awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate %s yet", name)
}

var errorType = reflect.TypeFor[error]()

// methodKey caches the method lookups of one service type.
type methodKey struct {
	t  reflect.Type
	op string
}

var methodIndex sync.Map // methodKey -> int (method index, or -1)

// Implementation returns the method of impl (a runtime service value, or
// nil) that simulates the operation called opName (RegisterTaskDefinition).
// A method with that name and another signature is a programming error of
// the runtime and panics.
func Implementation(impl any, opName string) (reflect.Value, bool) {
	if impl == nil {
		return reflect.Value{}, false
	}
	v := reflect.ValueOf(impl)
	key := methodKey{v.Type(), opName}
	idx, ok := methodIndex.Load(key)
	if !ok {
		i := -1
		if m, found := v.Type().MethodByName(opName); found {
			t := m.Type // with the receiver as In(0)
			if t.NumIn() != 2 || t.In(1).Kind() != reflect.Pointer || t.NumOut() != 2 || t.Out(1) != errorType {
				panic(fmt.Sprintf("awsmodel: %T.%s does not have the signature func(*Request) (*Response, error)", impl, opName))
			}
			i = m.Index
		}
		idx, _ = methodIndex.LoadOrStore(key, i)
	}
	if idx.(int) < 0 {
		return reflect.Value{}, false
	}
	return v.Method(idx.(int)), true
}

// Invoke decodes params into the request struct of fn (a method returned by
// Implementation), calls it, and returns its response: a pointer to the
// response struct, or an invalid Value for an operation without output
// (which returns nil). The error is the service's, or a ParamValidationError
// if params do not fit the request struct.
func Invoke(fn reflect.Value, params Map) (reflect.Value, error) {
	req := reflect.New(fn.Type().In(0).Elem())
	raw, err := json.Marshal(params)
	if err != nil {
		return reflect.Value{}, fmt.Errorf("encoding the request: %w", err)
	}
	if err := json.Unmarshal(raw, req.Interface()); err != nil {
		return reflect.Value{}, awserr.New(ParamValidationError, "Parameter validation failed:\n"+err.Error())
	}
	out := fn.Call([]reflect.Value{req})
	if err, _ := out[1].Interface().(error); err != nil {
		return reflect.Value{}, err
	}
	if out[0].IsNil() {
		return reflect.Value{}, nil
	}
	return out[0], nil
}
