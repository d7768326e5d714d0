package builtins

import (
	"fmt"
	"math/big"
	"reflect"
	"sort"
	gotime "time"

	"go.starlark.net/lib/time"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// This file is the one conversion between Starlark values and the AWS
// request and response structs of runtime: Starlark arguments become the
// JSON-like values of awsmodel (validated against the model, then decoded
// into the request struct), and response structs become dicts and lists with
// the AWS member names, by reflection over their JSON tags.

// toGo converts a Starlark value into the JSON-like form awsmodel validates.
// Values with no JSON form become awsmodel.Foreign, which validation reports
// as the wrong type.
func toGo(v starlark.Value) any {
	switch x := v.(type) {
	case starlark.NoneType:
		return nil
	case starlark.Bool:
		return bool(x)
	case starlark.Int:
		if n, ok := x.Int64(); ok {
			return n
		}
		f, _ := new(big.Float).SetInt(x.BigInt()).Float64()
		return f
	case starlark.Float:
		return float64(x)
	case starlark.String:
		return string(x)
	case starlark.Bytes:
		return []byte(x)
	case *starlark.List:
		return seqToGo(x)
	case starlark.Tuple:
		return seqToGo(x)
	case *starlark.Dict:
		m := make(awsmodel.Map, 0, x.Len())
		for _, item := range x.Items() {
			key, ok := starlark.AsString(item[0])
			if !ok {
				key = item[0].String()
			}
			m = append(m, awsmodel.Entry{Key: key, Value: toGo(item[1])})
		}
		return m
	case *starlarkstruct.Struct:
		d := starlark.StringDict{}
		x.ToStringDict(d)
		m := make(awsmodel.Map, 0, len(d))
		for _, k := range d.Keys() {
			m = append(m, awsmodel.Entry{Key: k, Value: toGo(d[k])})
		}
		return m
	case time.Time:
		return aws.Time{Time: gotime.Time(x)}.String()
	}
	return awsmodel.Foreign{Type: v.Type(), Repr: v.String()}
}

func seqToGo(seq starlark.Indexable) []any {
	out := make([]any, seq.Len())
	for i := range out {
		out[i] = toGo(seq.Index(i))
	}
	return out
}

// kwargsToMap turns keyword arguments into request parameters, in call order.
func kwargsToMap(kwargs []starlark.Tuple) awsmodel.Map {
	m := make(awsmodel.Map, len(kwargs))
	for i, kv := range kwargs {
		m[i] = awsmodel.Entry{Key: string(kv[0].(starlark.String)), Value: toGo(kv[1])}
	}
	return m
}

var awsTimeType = reflect.TypeFor[aws.Time]()

// fromGo converts a response struct (or any value within one) into Starlark
// values: structs become dicts keyed by their JSON member names in field
// order, absent members are left out, maps come out with sorted keys, and
// timestamps become aws.TimeLayout strings.
func fromGo(v reflect.Value) starlark.Value {
	if !v.IsValid() {
		return starlark.None
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return starlark.None
		}
		return fromGo(v.Elem())
	case reflect.Struct:
		if v.Type() == awsTimeType {
			return starlark.String(v.Interface().(aws.Time).String())
		}
		d := starlark.NewDict(v.NumField())
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name := awsmodel.MemberName(f)
			if name == "" || v.Field(i).IsZero() && awsmodel.OmitsZero(f) {
				continue
			}
			d.SetKey(starlark.String(name), fromGo(v.Field(i)))
		}
		return d
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return starlark.Bytes(v.Bytes())
		}
		elems := make([]starlark.Value, v.Len())
		for i := range elems {
			elems[i] = fromGo(v.Index(i))
		}
		return starlark.NewList(elems)
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		d := starlark.NewDict(len(keys))
		for _, k := range keys {
			d.SetKey(starlark.String(k.String()), fromGo(v.MapIndex(k)))
		}
		return d
	case reflect.String:
		return starlark.String(v.String())
	case reflect.Bool:
		return starlark.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return starlark.MakeInt64(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return starlark.MakeUint64(v.Uint())
	case reflect.Float32, reflect.Float64:
		return starlark.Float(v.Float())
	}
	panic(fmt.Sprintf("builtins: cannot convert %s to Starlark", v.Type()))
}

// fromGoValue converts any Go value of the runtime's API shapes.
func fromGoValue(v any) starlark.Value { return fromGo(reflect.ValueOf(v)) }
