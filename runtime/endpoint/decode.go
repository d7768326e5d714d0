package endpoint

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// The JSON and CBOR protocols decode a request body into plain values
// (map[string]any, []any, json.Number or Go numbers, string, bool, []byte,
// time.Time), which decodeInput then reads through the operation's input
// shape into awsmodel's request form: members in model order, integers as
// int64, timestamps as aws.Time strings, blobs as bytes. Members the model
// does not have are dropped, as AWS's JSON services ignore them.

// decodeInput reads a decoded body as the operation's input.
func decodeInput(m *awsmodel.Model, op *awsmodel.Operation, v any) (awsmodel.Map, error) {
	if v == nil {
		return awsmodel.Map{}, nil
	}
	d := valueDecoder{model: m}
	out, err := d.structure(v, m.InputShape(op), "")
	if err != nil {
		return nil, err
	}
	return out.(awsmodel.Map), nil
}

type valueDecoder struct{ model *awsmodel.Model }

func serializationError(path, format string, args ...any) error {
	if path == "" {
		path = "input"
	}
	// AWS's JSON services call a body they cannot read a
	// SerializationException (text not verified).
	return awserr.Newf("SerializationException", "%s: %s", strings.TrimPrefix(path, "."), fmt.Sprintf(format, args...))
}

func (d valueDecoder) structure(v any, shape *awsmodel.Shape, path string) (any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, serializationError(path, "expected an object, got %s", kindOf(v))
	}
	if shape.Document {
		return documentValue(obj), nil
	}
	out := make(awsmodel.Map, 0, len(obj))
	for _, mem := range shape.Members {
		x, present := obj[mem.Name]
		if !present || x == nil {
			continue
		}
		val, err := d.value(x, mem.Shape, path+"."+mem.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, awsmodel.Entry{Key: mem.Name, Value: val})
	}
	return out, nil
}

func (d valueDecoder) value(v any, shapeName, path string) (any, error) {
	shape := d.model.Shape(shapeName)
	if shape == nil {
		return v, nil
	}
	if shape.Document {
		return documentValue(v), nil
	}
	switch shape.Type {
	case "structure":
		return d.structure(v, shape, path)
	case "list":
		list, ok := v.([]any)
		if !ok {
			return nil, serializationError(path, "expected a list, got %s", kindOf(v))
		}
		out := make([]any, 0, len(list))
		for i, x := range list {
			val, err := d.value(x, shape.Member.Shape, fmt.Sprintf("%s[%d]", path, i))
			if err != nil {
				return nil, err
			}
			out = append(out, val)
		}
		return out, nil
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, serializationError(path, "expected a map, got %s", kindOf(v))
		}
		out := make(awsmodel.Map, 0, len(obj))
		for _, k := range sortedKeys(obj) {
			val, err := d.value(obj[k], shape.Value.Shape, path+"."+k)
			if err != nil {
				return nil, err
			}
			out = append(out, awsmodel.Entry{Key: k, Value: val})
		}
		return out, nil
	}
	return scalar(v, shape.Type, path)
}

// scalar converts one decoded scalar to the request form of its type.
func scalar(v any, typ, path string) (any, error) {
	switch typ {
	case "string":
		if s, ok := v.(string); ok {
			return s, nil
		}
	case "boolean":
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case "integer", "long":
		if f, ok := number(v); ok && f == math.Trunc(f) {
			if n, ok := v.(json.Number); ok {
				if i, err := n.Int64(); err == nil {
					return i, nil
				}
			}
			return int64(f), nil
		}
	case "double", "float":
		if f, ok := number(v); ok {
			return f, nil
		}
		if s, ok := v.(string); ok { // "NaN", "Infinity", "-Infinity"
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f, nil
			}
		}
	case "timestamp":
		if t, ok := v.(time.Time); ok {
			return aws.NewTime(t).String(), nil
		}
		if f, ok := number(v); ok {
			return aws.NewTime(epoch(f)).String(), nil
		}
		if s, ok := v.(string); ok {
			if t, err := parseTimestamp(s); err == nil {
				return aws.NewTime(t).String(), nil
			}
		}
	case "blob":
		switch b := v.(type) {
		case []byte:
			return b, nil
		case string:
			raw, err := base64.StdEncoding.DecodeString(b)
			if err != nil {
				return nil, serializationError(path, "a blob is base64: %v", err)
			}
			return raw, nil
		}
	default:
		return v, nil
	}
	return nil, serializationError(path, "expected a %s, got %s", typ, kindOf(v))
}

// number reads any numeric form the decoders produce.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// epoch turns epoch seconds (with a fraction) into a time, to the
// millisecond, the precision of AWS's timestamps.
func epoch(f float64) time.Time {
	return time.UnixMilli(int64(math.Round(f * 1000))).UTC()
}

// parseTimestamp reads ISO 8601 (the query protocols' form) or epoch
// seconds given as a string.
func parseTimestamp(s string) (time.Time, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return epoch(f), nil
	}
	if t, err := aws.ParseTime(s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

// documentValue converts a free-form document (a JSON value of any shape)
// into the request form, objects with sorted keys.
func documentValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(awsmodel.Map, 0, len(x))
		for _, k := range sortedKeys(x) {
			out = append(out, awsmodel.Entry{Key: k, Value: documentValue(x[k])})
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = documentValue(e)
		}
		return out
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	}
	return v
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, int64, uint64:
		return "a number"
	case time.Time:
		return "a timestamp"
	case []byte:
		return "bytes"
	}
	return fmt.Sprintf("%T", v)
}

// fromCBOR converts a decoded CBOR value into the plain values decodeInput
// reads.
func fromCBOR(v cbor.Value) any {
	switch x := v.(type) {
	case nil, *cbor.Nil, *cbor.Undefined:
		return nil
	case cbor.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = fromCBOR(e)
		}
		return out
	case cbor.List:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = fromCBOR(e)
		}
		return out
	case cbor.String:
		return string(x)
	case cbor.Slice:
		return []byte(x)
	case cbor.Uint:
		return uint64(x)
	case cbor.NegInt:
		if x == 0 || x > math.MaxInt64 { // NegInt(0) is -2^64
			return -math.Inf(1)
		}
		return -int64(x)
	case cbor.Float32:
		return float64(x)
	case cbor.Float64:
		return float64(x)
	case cbor.Bool:
		return bool(x)
	case *cbor.Tag:
		if x.ID == 1 { // epoch-based date/time
			if t, err := cbor.AsTime(x); err == nil {
				return t
			}
		}
		if n, err := cbor.AsBigInt(x); err == nil {
			f, _ := new(big.Float).SetInt(n).Float64()
			return f
		}
		return fromCBOR(x.Value)
	}
	return nil
}
