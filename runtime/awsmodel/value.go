package awsmodel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Request parameters reach the validator as plain Go values of these kinds,
// the JSON-like form into which every front end (Starlark, later HTTP) first
// converts what it was given:
//
//	nil, bool, int64, float64, string, []byte, []any, Map
//
// Map keeps its keys in the caller's order, because botocore reports errors in
// that order.

// Map is an object whose entries keep their order.
type Map []Entry

// Entry is one key and value of a Map.
type Entry struct {
	Key   string
	Value any
}

// Get returns the value under key.
func (m Map) Get(key string) (any, bool) {
	for _, e := range m {
		if e.Key == key {
			return e.Value, true
		}
	}
	return nil, false
}

// MarshalJSON writes the entries in order.
func (m Map) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, e := range m {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(e.Key)
		buf.Write(k)
		buf.WriteByte(':')
		v, err := json.Marshal(e.Value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// pythonType names the Python class boto3 would have seen for v, as botocore
// prints it in "Invalid type" errors.
func pythonType(v any) string {
	switch v.(type) {
	case nil:
		return "<class 'NoneType'>"
	case bool:
		return "<class 'bool'>"
	case int64:
		return "<class 'int'>"
	case float64:
		return "<class 'float'>"
	case string:
		return "<class 'str'>"
	case []byte:
		return "<class 'bytes'>"
	case []any:
		return "<class 'list'>"
	case Map:
		return "<class 'dict'>"
	case Foreign:
		return "<class '" + v.(Foreign).Type + "'>"
	}
	return fmt.Sprintf("<class '%T'>", v)
}

// pythonStr renders v as Python's str() would, which is how botocore puts a
// parameter's value into its messages.
func pythonStr(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return pythonRepr(v)
}

func pythonRepr(v any) string {
	switch x := v.(type) {
	case nil:
		return "None"
	case bool:
		if x {
			return "True"
		}
		return "False"
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e16 {
			return strconv.FormatFloat(x, 'f', 1, 64)
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	case string:
		return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(x) + "'"
	case []byte:
		return "b" + pythonRepr(string(x))
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pythonRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case Map:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = pythonRepr(e.Key) + ": " + pythonRepr(e.Value)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case Foreign:
		return x.Repr
	}
	return fmt.Sprint(v)
}

// Foreign is a value that has no JSON form (a function, a module): it
// reaches the validator only to be reported as the wrong type.
type Foreign struct {
	Type string // the value's type name, e.g. "function"
	Repr string // how the value prints
}
