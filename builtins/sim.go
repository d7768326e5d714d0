package builtins

import (
	"fmt"
	"strings"
	gotime "time"

	"go.starlark.net/lib/time"
	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// simModule is the sandbox's own module: the virtual clock, the timeline
// (timeline.go), plots (plot.go) and explanations (explain.go). None of it is an AWS API (design.md, contract 7).
func (in *Interp) simModule() *starlarkstruct.Module {
	args := make([]starlark.Value, len(in.cfg.Args))
	for i, a := range in.cfg.Args {
		args[i] = starlark.String(a)
	}
	argList := starlark.NewList(args)
	argList.Freeze()
	members := starlark.StringDict{
		"now":         starlark.NewBuiltin("sim.now", in.simNow),
		"advance":     starlark.NewBuiltin("sim.advance", in.simAdvance),
		"run_until":   starlark.NewBuiltin("sim.run_until", in.simRunUntil),
		"events":      starlark.NewBuiltin("sim.events", in.simEvents),
		"timeline":    starlark.NewBuiltin("sim.timeline", in.simTimeline),
		"explain":     starlark.NewBuiltin("sim.explain", in.simExplain),
		"set_load":    starlark.NewBuiltin("sim.set_load", in.simSetLoad),
		"plot":        starlark.NewBuiltin("sim.plot", in.simPlot),
		"set_traffic": starlark.NewBuiltin("sim.set_traffic", in.simSetTraffic),
		"seed":        starlark.MakeUint64(in.cloud.Sim.Seed()),
		"docker":      starlark.Bool(in.cfg.Docker != nil), // docker mode (docker_mode.go)
		"args":        argList,
	}
	for name, fn := range in.capacityMembers() {
		members[name] = fn
	}
	return &starlarkstruct.Module{Name: "sim", Members: members}
}

// timestamp formats t as API timestamps are formatted, so sim.now() compares
// with the createdAt of a response.
func timestamp(t gotime.Time) starlark.String { return starlark.String(aws.NewTime(t).String()) }

func (in *Interp) simNow(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return timestamp(in.cloud.Sim.Now()), nil
}

// duration accepts "90s", "15m", "2h", "1h30m", a time.duration value, or a
// number of seconds.
type duration gotime.Duration

func (d *duration) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.String:
		parsed, err := gotime.ParseDuration(string(x))
		if err != nil {
			return fmt.Errorf("invalid duration %s: write it like \"90s\", \"15m\" or \"2h\"", x)
		}
		*d = duration(parsed)
	case time.Duration:
		*d = duration(x)
	case starlark.Int, starlark.Float:
		secs, _ := starlark.AsFloat(x)
		*d = duration(gotime.Duration(secs * float64(gotime.Second)))
	default:
		return fmt.Errorf("got %s, want a duration such as \"90s\"", v.Type())
	}
	if *d < 0 {
		return fmt.Errorf("negative duration %s", gotime.Duration(*d))
	}
	return nil
}

func (in *Interp) simAdvance(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var d duration
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "duration", &d); err != nil {
		return nil, err
	}
	if err := in.cloud.Sim.Advance(in.ctx, gotime.Duration(d)); err != nil {
		return nil, in.stopped(err)
	}
	return timestamp(in.cloud.Sim.Now()), nil
}

// stopped turns a context error from the simulation into the reason the
// run was stopped (an interrupt, a timeout).
func (in *Interp) stopped(err error) error {
	if in.ctx.Err() != nil {
		return fmt.Errorf("stopped: %w", contextCause(in))
	}
	return err
}

func (in *Interp) simRunUntil(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var fn starlark.Callable
	timeout := duration(10 * gotime.Minute)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "fn", &fn, "timeout?", &timeout); err != nil {
		return nil, err
	}
	cond := func() (bool, error) {
		v, err := starlark.Call(thread, fn, nil, nil)
		if err != nil {
			return false, err
		}
		return bool(v.Truth()), nil
	}
	ok, err := in.cloud.Sim.RunUntil(in.ctx, gotime.Duration(timeout), cond)
	if err != nil {
		return nil, in.stopped(err)
	}
	if !ok {
		return nil, fmt.Errorf("condition %s not met within the timeout of %s (simulated time is now %s)",
			fn.Name(), gotime.Duration(timeout), timestamp(in.cloud.Sim.Now()))
	}
	return timestamp(in.cloud.Sim.Now()), nil
}

func (in *Interp) simEvents(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, err := in.unpackFilter(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	var out []starlark.Value
	for _, e := range in.cloud.Sim.Timeline() {
		if !f.match(e) {
			continue
		}
		d := starlark.NewDict(5)
		d.SetKey(starlark.String("time"), timestamp(e.Time))
		d.SetKey(starlark.String("service"), starlark.String(e.Service))
		d.SetKey(starlark.String("kind"), starlark.String(e.Kind))
		d.SetKey(starlark.String("resource"), starlark.String(e.Resource))
		d.SetKey(starlark.String("message"), starlark.String(e.Message))
		out = append(out, d)
	}
	return starlark.NewList(out), nil
}

func (in *Interp) simTimeline(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	f, err := in.unpackFilter(b, args, kwargs)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, e := range in.cloud.Sim.Timeline() {
		if f.match(e) {
			lines = append(lines, e.String())
		}
	}
	if len(lines) == 0 {
		note := "(no events)"
		if u := unknownTerms(f, in.cloud.Sim.Timeline()); u != "" {
			note = "(no events: " + u + ")"
		}
		lines = append(lines, note)
	}
	thread.Print(thread, strings.Join(lines, "\n"))
	return starlark.None, nil
}

// simSetLoad implements sim.set_load(cluster, service, cpu_units, memory_mib):
// the demand on a service, spread over its running tasks.
func (in *Interp) simSetLoad(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var cluster, service string
	var cpu, memory starlark.Value = starlark.MakeInt(0), starlark.MakeInt(0)
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "cluster", &cluster, "service", &service, "cpu_units?", &cpu, "memory_mib?", &memory); err != nil {
		return nil, err
	}
	cpuUnits, ok1 := starlark.AsFloat(cpu)
	memoryMiB, ok2 := starlark.AsFloat(memory)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("cpu_units and memory_mib must be numbers")
	}
	if err := in.cloud.ECS.SetServiceLoad(cluster, service, cpuUnits, memoryMiB); err != nil {
		return nil, err
	}
	return starlark.None, nil
}
