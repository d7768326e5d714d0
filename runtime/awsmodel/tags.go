package awsmodel

import (
	"reflect"
	"strings"
)

// The generated API types (awsgen) carry each member's AWS name in a json
// tag and mark optional members omitzero. Every front end that turns them
// into output (the Starlark builtins, the wire protocols) reads the tags
// the same way.

// MemberName is the AWS member name of a field of a generated API type,
// or "" for a field that is not a member (unexported, or tagged "-").
func MemberName(f reflect.StructField) string {
	if !f.IsExported() {
		return ""
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return ""
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" {
		return f.Name
	}
	return name
}

// OmitsZero reports whether a member is left out of output when zero.
func OmitsZero(f reflect.StructField) bool {
	_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	for _, opt := range strings.Split(opts, ",") {
		if opt == "omitzero" || opt == "omitempty" {
			return true
		}
	}
	return false
}
