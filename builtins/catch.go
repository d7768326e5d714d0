package builtins

import (
	"errors"
	"fmt"
	"regexp"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/containers"
)

// errorText is how catch() and assert.fails() show an error: "Code: message"
// for AWS errors (ParamValidationError included), "Exception: message" for
// the docker module's, the Starlark message otherwise.
func errorText(err error) string {
	var aerr *awserr.Error
	if errors.As(err, &aerr) {
		return aerr.Error()
	}
	var derr *containers.Error // docker module: "ImageNotFound: 404 Client Error ..."
	if errors.As(err, &derr) {
		return derr.Error()
	}
	var evalErr *starlark.EvalError
	if errors.As(err, &evalErr) {
		return evalErr.Msg
	}
	return err.Error()
}

// callCatching calls fn and returns its error, if any. Errors that stop the
// whole run (an interrupt, the timeout, the step limit) are not the script's
// to catch: they come back as the second result.
func (in *Interp) callCatching(thread *starlark.Thread, fn starlark.Callable, args starlark.Tuple, kwargs []starlark.Tuple) (caught, fatal error) {
	_, err := starlark.Call(thread, fn, args, kwargs)
	if err != nil && (in.ctx.Err() != nil || in.stepsHit) {
		return nil, err
	}
	return err, nil
}

// catch implements catch(fn, *args, **kwargs): calls fn and returns None, or
// the error it raised as a string.
func (in *Interp) catch(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("%s: missing argument for fn", b.Name())
	}
	fn, ok := args[0].(starlark.Callable)
	if !ok {
		return nil, fmt.Errorf("%s: for parameter fn: got %s, want callable", b.Name(), args[0].Type())
	}
	caught, fatal := in.callCatching(thread, fn, args[1:], kwargs)
	if fatal != nil {
		return nil, fatal
	}
	if caught == nil {
		return starlark.None, nil
	}
	return starlark.String(errorText(caught)), nil
}

// assertModule holds the assertions scripts and tests use.
var assertModule = &starlarkstruct.Module{
	Name: "assert",
	Members: starlark.StringDict{
		"eq":    starlark.NewBuiltin("assert.eq", assertEq),
		"ne":    starlark.NewBuiltin("assert.ne", assertNe),
		"true":  starlark.NewBuiltin("assert.true", assertTrue),
		"fails": starlark.NewBuiltin("assert.fails", assertFails),
	},
}

func assertCompare(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple, op string, want bool) (starlark.Value, error) {
	var x, y starlark.Value
	var msg string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "got", &x, "want", &y, "msg?", &msg); err != nil {
		return nil, err
	}
	eq, err := starlark.Equal(x, y)
	if err != nil {
		return nil, err
	}
	if eq != want {
		if msg != "" {
			return nil, fmt.Errorf("assertion failed: %s: %s %s %s", msg, x, op, y)
		}
		return nil, fmt.Errorf("assertion failed: %s %s %s", x, op, y)
	}
	return starlark.None, nil
}

func assertEq(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return assertCompare(b, args, kwargs, "!=", true)
}

func assertNe(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	return assertCompare(b, args, kwargs, "==", false)
}

func assertTrue(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cond starlark.Value
	msg := "assertion failed"
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cond", &cond, "msg?", &msg); err != nil {
		return nil, err
	}
	if !cond.Truth() {
		return nil, fmt.Errorf("%s", msg)
	}
	return starlark.None, nil
}

// assertFails implements assert.fails(fn, pattern): fn() must fail with an
// error whose text (as catch shows it) matches the regular expression
// pattern; the text is returned.
func assertFails(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Callable
	var pattern string
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "fn", &fn, "pattern", &pattern); err != nil {
		return nil, err
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid pattern: %w", err)
	}
	in := thread.Local(interpKey).(*Interp)
	caught, fatal := in.callCatching(thread, fn, nil, nil)
	if fatal != nil {
		return nil, fatal
	}
	if caught == nil {
		return nil, fmt.Errorf("%s succeeded, want an error matching %q", fn.Name(), pattern)
	}
	text := errorText(caught)
	if !re.MatchString(text) {
		return nil, fmt.Errorf("error %q does not match %q", text, pattern)
	}
	return starlark.String(text), nil
}
