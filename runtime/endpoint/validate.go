package endpoint

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// An SDK checks required members and minimum lengths before it sends a
// request, but a request can come from anywhere, so the endpoint checks them
// again as AWS's services do, and answers in each protocol's words:
//
//	json, cbor  ValidationException: 1 validation error detected: Value null
//	            at 'family' failed to satisfy constraint: Member must not be null
//	query       ValidationError, with the same message
//	ec2         MissingParameter: The request must contain the parameter ImageId
//
// The "N validation error(s) detected: Value ... at '...' failed to satisfy
// constraint" form is AWS's (e.g. SSM's "ValidationException: 1 validation
// error detected: Value at 'value' failed to satisfy constraint: Member must
// have length greater than or equal to 1", quoted in
// github.com/ministryofjustice/modernisation-platform/pull/8116); which
// JSON services use ValidationException rather than a code of their own for
// a missing member is not verified.

func validate(m *awsmodel.Model, op *awsmodel.Operation, params awsmodel.Map, protocol string) error {
	v := requestChecker{model: m}
	v.structure(params, m.InputShape(op), "")
	if len(v.problems) == 0 {
		return nil
	}
	if protocol == protoEC2 {
		if v.firstMissing != "" {
			// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html
			return awserr.Newf("MissingParameter", "The request must contain the parameter %s", v.firstMissing)
		}
		return awserr.New("InvalidParameterValue", v.problems[0])
	}
	code := "ValidationException"
	if protocol == protoQuery {
		code = "ValidationError"
	}
	plural := ""
	if len(v.problems) > 1 {
		plural = "s"
	}
	return awserr.Newf(code, "%d validation error%s detected: %s", len(v.problems), plural, strings.Join(v.problems, "; "))
}

type requestChecker struct {
	model        *awsmodel.Model
	problems     []string
	firstMissing string
}

func (v *requestChecker) structure(params awsmodel.Map, shape *awsmodel.Shape, path string) {
	for _, req := range shape.Required {
		if _, ok := params.Get(req); !ok {
			p := join(path, req)
			if v.firstMissing == "" {
				v.firstMissing = p
			}
			v.problems = append(v.problems, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", p))
		}
	}
	for _, e := range params {
		if mem, ok := shape.Members.Find(e.Key); ok {
			v.value(e.Value, mem.Shape, join(path, e.Key))
		}
	}
}

func (v *requestChecker) value(x any, shapeName, path string) {
	shape := v.model.Shape(shapeName)
	if shape == nil || shape.Document {
		return
	}
	switch shape.Type {
	case "structure":
		if m, ok := x.(awsmodel.Map); ok {
			v.structure(m, shape, path)
		}
	case "list":
		list, _ := x.([]any)
		v.minLength(path, len(list), shape, fmt.Sprint(len(list)))
		for i, e := range list {
			v.value(e, shape.Member.Shape, path+"."+strconv.Itoa(i+1)+".member")
		}
	case "map":
		m, _ := x.(awsmodel.Map)
		for _, e := range m {
			v.value(e.Value, shape.Value.Shape, path+"."+e.Key)
		}
	case "string":
		s, _ := x.(string)
		v.minLength(path, utf8.RuneCountInString(s), shape, "'"+s+"'")
	case "integer", "long":
		n, _ := x.(int64)
		if shape.Min != nil && float64(n) < *shape.Min {
			v.problems = append(v.problems, fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %s",
				n, path, strconv.FormatFloat(*shape.Min, 'f', -1, 64)))
		}
	}
}

func (v *requestChecker) minLength(path string, n int, shape *awsmodel.Shape, shown string) {
	if shape.Min != nil && float64(n) < *shape.Min {
		v.problems = append(v.problems, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: Member must have length greater than or equal to %s",
			shown, path, strconv.FormatFloat(*shape.Min, 'f', -1, 64)))
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
