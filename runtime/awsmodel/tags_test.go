package awsmodel

import (
	"reflect"
	"testing"
)

func TestMemberTags(t *testing.T) {
	type shape struct {
		Name     *string `json:"name,omitzero"`
		Count    int     `json:"count"`
		Skipped  int     `json:"-"`
		Untagged string
		hidden   int
	}
	typ := reflect.TypeOf(shape{})
	for i, want := range []struct {
		name string
		omit bool
	}{{"name", true}, {"count", false}, {"", false}, {"Untagged", false}, {"", false}} {
		f := typ.Field(i)
		if got := MemberName(f); got != want.name {
			t.Errorf("MemberName(%s) = %q, want %q", f.Name, got, want.name)
		}
		if got := OmitsZero(f); got != want.omit {
			t.Errorf("OmitsZero(%s) = %v, want %v", f.Name, got, want.omit)
		}
	}
	_ = shape{}.hidden
}
