package endpoint

import (
	"reflect"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// encodeCBOR writes a response in Smithy RPC v2 CBOR: the same members as
// the JSON protocols, timestamps as tag 1 (epoch seconds, a float), blobs as
// byte strings. CloudWatch is the one service whose model offers it, and the
// Go SDK calls CloudWatch that way.
func encodeCBOR(m *awsmodel.Model, out reflect.Value, shape *awsmodel.Shape) []byte {
	v := cborStructure(m, deref(out), shape)
	return cbor.Encode(v)
}

func cborStructure(m *awsmodel.Model, v reflect.Value, shape *awsmodel.Shape) cbor.Map {
	obj := cbor.Map{}
	if !v.IsValid() || shape == nil || v.Kind() != reflect.Struct {
		return obj
	}
	present(v, shape, func(mem *awsmodel.Member, fv reflect.Value) {
		if x := cborValue(m, fv, mem.Shape); x != nil {
			obj[mem.Name] = x
		}
	})
	return obj
}

func cborValue(m *awsmodel.Model, v reflect.Value, shapeName string) cbor.Value {
	v = deref(v)
	if !v.IsValid() {
		return nil
	}
	shape := m.Shape(shapeName)
	if shape == nil || shape.Document {
		return nil
	}
	switch shape.Type {
	case "structure":
		return cborStructure(m, v, shape)
	case "list":
		if v.Kind() != reflect.Slice {
			return nil
		}
		list := make(cbor.List, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			if x := cborValue(m, v.Index(i), shape.Member.Shape); x != nil {
				list = append(list, x)
			} else {
				list = append(list, &cbor.Nil{})
			}
		}
		return list
	case "map":
		if v.Kind() != reflect.Map {
			return nil
		}
		obj := cbor.Map{}
		for _, k := range v.MapKeys() {
			if x := cborValue(m, v.MapIndex(k), shape.Value.Shape); x != nil {
				obj[k.String()] = x
			}
		}
		return obj
	}
	if t, ok := timeOf(v); ok {
		return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.UnixMilli()) / 1000)}
	}
	switch v.Kind() {
	case reflect.String:
		return cbor.String(v.String())
	case reflect.Bool:
		return cbor.Bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n := v.Int(); n < 0 {
			return cbor.NegInt(uint64(-n))
		} else {
			return cbor.Uint(uint64(n))
		}
	case reflect.Uint, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return cbor.Uint(v.Uint())
	case reflect.Float32, reflect.Float64:
		return cbor.Float64(v.Float())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return cbor.Slice(v.Bytes())
		}
	}
	return nil
}
