package awsmodel

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// ParamValidationError is the code of the error that boto3 raises before a
// request leaves the client (botocore.exceptions.ParamValidationError).
const ParamValidationError = "ParamValidationError"

// Validate checks params against the operation's input shape the way
// botocore's ParamValidator does, and reports every problem at once in
// botocore's words:
//
//	ParamValidationError: Parameter validation failed:
//	Unknown parameter in input: "x", must be one of: a, b
//
// Like botocore it checks types, required members, unknown members, and the
// model's minimum values and lengths (never maximums, enums or patterns: those
// are the service's to reject).
func (m *Model) Validate(op *Operation, params Map) error {
	v := validator{model: m}
	v.structure(params, m.InputShape(op), "")
	if len(v.report) == 0 {
		return nil
	}
	return awserr.New(ParamValidationError, "Parameter validation failed:\n"+strings.Join(v.report, "\n"))
}

type validator struct {
	model  *Model
	report []string
}

func (v *validator) errorf(format string, args ...any) {
	v.report = append(v.report, fmt.Sprintf(format, args...))
}

// displayName is botocore's _get_name: the top level is called "input".
func displayName(name string) string {
	if name == "" {
		return "input"
	}
	return strings.TrimPrefix(name, ".")
}

func (v *validator) invalidType(name string, value any, valid ...string) {
	v.errorf("Invalid type for parameter %s, value: %s, type: %s, valid types: %s",
		displayName(name), pythonStr(value), pythonType(value), strings.Join(valid, ", "))
}

func (v *validator) validate(value any, ref *ShapeRef, name string) {
	shape := v.model.Shapes[ref.Shape]
	if shape == nil {
		return
	}
	switch shape.Type {
	case "structure":
		v.structure(value, shape, name)
	case "list":
		list, ok := value.([]any)
		if !ok {
			v.invalidType(name, value, "<class 'list'>", "<class 'tuple'>")
			return
		}
		v.minLength(name, list, len(list), shape)
		for i, item := range list {
			v.validate(item, shape.Member, fmt.Sprintf("%s[%d]", name, i))
		}
	case "map":
		m, ok := value.(Map)
		if !ok {
			v.invalidType(name, value, "<class 'dict'>")
			return
		}
		for _, e := range m {
			v.validate(e.Key, shape.Key, fmt.Sprintf("%s (key: %s)", name, e.Key))
			v.validate(e.Value, shape.Value, name+"."+e.Key)
		}
	case "string":
		s, ok := value.(string)
		if !ok {
			v.invalidType(name, value, "<class 'str'>")
			return
		}
		v.minLength(name, s, len([]rune(s)), shape)
	case "integer", "long":
		n, ok := value.(int64)
		if !ok {
			v.invalidType(name, value, "<class 'int'>")
			return
		}
		if shape.Min != nil && float64(n) < *shape.Min {
			v.errorf("Invalid value for parameter %s, value: %d, valid min value: %s", displayName(name), n, formatBound(*shape.Min))
		}
	case "double", "float":
		var f float64
		switch x := value.(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
		default:
			v.invalidType(name, value, "<class 'float'>", "<class 'decimal.Decimal'>", "<class 'int'>")
			return
		}
		if shape.Min != nil && f < *shape.Min {
			v.errorf("Invalid value for parameter %s, value: %s, valid min value: %s", displayName(name), pythonStr(value), formatBound(*shape.Min))
		}
	case "boolean":
		if _, ok := value.(bool); !ok {
			v.invalidType(name, value, "<class 'bool'>")
		}
	case "timestamp":
		s, ok := value.(string)
		if ok {
			_, err := aws.ParseTime(s)
			ok = err == nil
		}
		if !ok {
			v.invalidType(name, value, "<class 'datetime.datetime'>", "timestamp-string")
		}
	case "blob":
		switch value.(type) {
		case string, []byte:
		default:
			v.invalidType(name, value, "<class 'bytes'>", "<class 'bytearray'>", "file-like object")
		}
	}
}

func (v *validator) structure(value any, shape *Shape, name string) {
	params, ok := value.(Map)
	if !ok {
		v.invalidType(name, value, "<class 'dict'>")
		return
	}
	for _, req := range shape.Required {
		if _, present := params.Get(req); !present {
			v.errorf("Missing required parameter in %s: %q", displayName(name), req)
		}
	}
	for _, e := range params {
		if _, known := shape.Members.Find(e.Key); !known {
			v.errorf("Unknown parameter in %s: %q, must be one of: %s", displayName(name), e.Key, strings.Join(shape.Members.Names(), ", "))
		}
	}
	for _, e := range params {
		if member, known := shape.Members.Find(e.Key); known {
			v.validate(e.Value, &member.ShapeRef, name+"."+e.Key)
		}
	}
}

func (v *validator) minLength(name string, value any, n int, shape *Shape) {
	if shape.Min != nil && float64(n) < *shape.Min {
		v.errorf("Invalid length for parameter %s, value: %s, valid min length: %s", displayName(name), pythonStr(value), formatBound(*shape.Min))
	}
}

func formatBound(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
