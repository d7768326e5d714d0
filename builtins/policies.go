package builtins

import (
	"net/url"

	"go.starlark.net/lib/json"
	"go.starlark.net/starlark"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// decodePolicyDocuments does for IAM responses what botocore's
// json_decode_policies handler does for boto3 users: members whose shape is
// policyDocumentType (AssumeRolePolicyDocument, PolicyDocument, Document)
// come back as dicts, not JSON strings (botocore/handlers.py). It walks the
// response along the operation's output shape.
func decodePolicyDocuments(thread *starlark.Thread, m *awsmodel.Model, shapeName string, v starlark.Value) starlark.Value {
	shape := m.Shape(shapeName)
	if shape == nil {
		return v
	}
	if shapeName == "policyDocumentType" {
		s, ok := v.(starlark.String)
		if !ok {
			return v
		}
		text := string(s)
		if unescaped, err := url.QueryUnescape(text); err == nil {
			text = unescaped
		}
		decoded, err := starlark.Call(thread, json.Module.Members["decode"], starlark.Tuple{starlark.String(text)}, nil)
		if err != nil {
			return v
		}
		return decoded
	}
	switch shape.Type {
	case "structure":
		d, ok := v.(*starlark.Dict)
		if !ok {
			return v
		}
		for _, mem := range shape.Members {
			if x, found, _ := d.Get(starlark.String(mem.Name)); found {
				d.SetKey(starlark.String(mem.Name), decodePolicyDocuments(thread, m, mem.Shape, x))
			}
		}
	case "list":
		l, ok := v.(*starlark.List)
		if !ok {
			return v
		}
		for i := 0; i < l.Len(); i++ {
			l.SetIndex(i, decodePolicyDocuments(thread, m, shape.Member.Shape, l.Index(i)))
		}
	}
	return v
}
