package builtins

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
)

// Checks and thresholds, as k6 has them: a check is a named condition that
// is recorded and never stops the script; a threshold is a pass/fail
// criterion of the run. `ecsbox run` prints a summary of both at the end
// and exits 1 when a threshold failed (summary.go).
//
//	check(name, cond)          records cond under name; returns bool(cond)
//	threshold.define(*names)   declares the run's thresholds
//	threshold(name, cond)      evaluates a declared threshold; returns bool(cond)
//
// The rules that keep a threshold from passing silently: a threshold must be
// declared before it is evaluated (evaluating an undeclared name, a typo
// most often, is an error that stops the script and suggests the closest
// declared name), and a declared threshold that is never evaluated fails
// the run. A threshold evaluated several times passes only if every
// evaluation passed.

// outcome counts the evaluations of one check or threshold.
type outcome struct {
	name          string
	passes, fails int
}

// scorecard holds the run's checks and thresholds, in the order they were
// first met (checks) or declared (thresholds).
type scorecard struct {
	checks     []*outcome
	thresholds []*outcome
	used       bool // check or threshold was called
}

func find(list []*outcome, name string) *outcome {
	for _, o := range list {
		if o.name == name {
			return o
		}
	}
	return nil
}

func (o *outcome) add(ok bool) {
	if ok {
		o.passes++
	} else {
		o.fails++
	}
}

// check implements check(name, cond).
func (in *Interp) check(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var cond starlark.Value
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "name", &name, "cond", &cond); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, fmt.Errorf("%s: the name must not be empty", b.Name())
	}
	in.score.used = true
	o := find(in.score.checks, name)
	if o == nil {
		o = &outcome{name: name}
		in.score.checks = append(in.score.checks, o)
	}
	ok := bool(cond.Truth())
	o.add(ok)
	return starlark.Bool(ok), nil
}

// thresholdFn is the threshold builtin: callable, with a define method.
type thresholdFn struct {
	in     *Interp
	define *starlark.Builtin
}

var (
	_ starlark.Callable = (*thresholdFn)(nil)
	_ starlark.HasAttrs = (*thresholdFn)(nil)
)

func (in *Interp) newThreshold() *thresholdFn {
	t := &thresholdFn{in: in}
	t.define = starlark.NewBuiltin("threshold.define", t.defineNames)
	return t
}

func (t *thresholdFn) Name() string          { return "threshold" }
func (t *thresholdFn) String() string        { return "<built-in function threshold>" }
func (t *thresholdFn) Type() string          { return "builtin_function_or_method" }
func (t *thresholdFn) Freeze()               {}
func (t *thresholdFn) Truth() starlark.Bool  { return true }
func (t *thresholdFn) Hash() (uint32, error) { return starlark.String("threshold").Hash() }
func (t *thresholdFn) AttrNames() []string   { return []string{"define"} }

func (t *thresholdFn) Attr(name string) (starlark.Value, error) {
	if name == "define" {
		return t.define, nil
	}
	return nil, nil
}

// defineNames implements threshold.define(*names).
func (t *thresholdFn) defineNames(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(kwargs) > 0 {
		return nil, fmt.Errorf("%s: unexpected keyword argument %s", b.Name(), kwargs[0][0])
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("%s: name at least one threshold", b.Name())
	}
	sc := &t.in.score
	sc.used = true
	for i, a := range args {
		name, ok := starlark.AsString(a)
		if !ok || name == "" {
			return nil, fmt.Errorf("%s: argument %d: got %s, want a threshold name (a non-empty string)", b.Name(), i+1, a.Type())
		}
		if find(sc.thresholds, name) == nil {
			sc.thresholds = append(sc.thresholds, &outcome{name: name})
		}
	}
	return starlark.None, nil
}

// CallInternal implements threshold(name, cond).
func (t *thresholdFn) CallInternal(_ *starlark.Thread, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var cond starlark.Value
	if err := starlark.UnpackArgs("threshold", args, kwargs, "name", &name, "cond", &cond); err != nil {
		return nil, err
	}
	sc := &t.in.score
	sc.used = true
	o := find(sc.thresholds, name)
	if o == nil {
		var declared []string
		for _, d := range sc.thresholds {
			declared = append(declared, d.name)
		}
		msg := fmt.Sprintf("threshold %q is not declared: declare the run's thresholds first, threshold.define(%q)", name, name)
		if s := closest(name, declared); s != "" {
			msg = fmt.Sprintf("threshold %q is not declared (did you mean %q?)", name, s)
		} else if len(declared) > 0 {
			msg += "; declared: " + strings.Join(declared, ", ")
		}
		return nil, fmt.Errorf("%s", msg)
	}
	ok := bool(cond.Truth())
	o.add(ok)
	return starlark.Bool(ok), nil
}
