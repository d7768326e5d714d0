package apitest

import (
	"fmt"
	"testing"
)

type req struct{ Name *string }

type svc struct{ calls []string }

func (s *svc) Op(in *req) (*struct{}, error) {
	name := "nil"
	if in != nil {
		name = fmt.Sprint(in.Name)
	}
	s.calls = append(s.calls, name)
	return nil, nil
}

func (s *svc) Panics(in *req) (*struct{}, error) { return nil, fmt.Errorf("%s", *in.Name) }

// Helpers of other shapes are not operations.
func (s *svc) Helper(n int) (int, error) { panic("called") }
func (s *svc) OneResult(in *req) error   { panic("called") }

// recorder is a testing.TB that keeps the errors instead of failing.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Errorf(f string, a ...any) { r.errs = append(r.errs, fmt.Sprintf(f, a...)) }

func TestNeverPanics(t *testing.T) {
	s := &svc{}
	r := &recorder{TB: t}
	if n := NeverPanics(r, s); n != 2 {
		t.Errorf("called %d operations, want 2", n)
	}
	if fmt.Sprint(s.calls) != "[nil <nil>]" {
		t.Errorf("Op saw %v, want a nil request then an empty one", s.calls)
	}
	if len(r.errs) != 2 || r.errs[0][:7] != "Panics " {
		t.Errorf("errors %q, want Panics reported twice", r.errs)
	}
}
