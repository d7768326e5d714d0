package endpoint

import (
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// Responses are written by walking a response struct and its shape in the
// model together: the shape gives the members' order, names on the wire
// and types, the struct (through its JSON tags, which are the model's
// member names) gives the values. The pairing of a struct type with a shape
// is worked out once.

// field is one member of a structure shape and the struct field holding it.
type field struct {
	member *awsmodel.Member
	index  int
	omit   bool // omitted when zero (omitzero or omitempty)
}

type planKey struct {
	t     reflect.Type
	shape *awsmodel.Shape
}

var plans sync.Map // planKey -> []field

// fields returns the members of shape that struct type t holds, in model
// order. Members t does not have are left out.
func fields(t reflect.Type, shape *awsmodel.Shape) []field {
	key := planKey{t, shape}
	if p, ok := plans.Load(key); ok {
		return p.([]field)
	}
	byName := map[string]reflect.StructField{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if name := awsmodel.MemberName(f); name != "" {
			byName[name] = f
		}
	}
	var plan []field
	for i := range shape.Members {
		mem := &shape.Members[i]
		f, ok := byName[mem.Name]
		if !ok {
			continue
		}
		plan = append(plan, field{member: mem, index: f.Index[0], omit: awsmodel.OmitsZero(f)})
	}
	p, _ := plans.LoadOrStore(key, plan)
	return p.([]field)
}

// present yields the fields of struct value v that have a value.
func present(v reflect.Value, shape *awsmodel.Shape, yield func(mem *awsmodel.Member, fv reflect.Value)) {
	for _, f := range fields(v.Type(), shape) {
		fv := v.Field(f.index)
		if f.omit && fv.IsZero() {
			continue
		}
		fv = deref(fv)
		if !fv.IsValid() {
			continue
		}
		yield(f.member, fv)
	}
}

// deref follows pointers and interfaces; nil gives an invalid Value.
func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

var awsTimeType = reflect.TypeFor[aws.Time]()

// timeOf reads a timestamp field.
func timeOf(v reflect.Value) (time.Time, bool) {
	if v.Type() == awsTimeType {
		return v.Interface().(aws.Time).Time, true
	}
	if t, ok := v.Interface().(time.Time); ok {
		return t, true
	}
	return time.Time{}, false
}

// sortedMapKeys returns a map's keys in order, so output never depends on
// Go's map iteration.
func sortedMapKeys(v reflect.Value) []reflect.Value {
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	return keys
}
