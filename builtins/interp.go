// Package builtins is the Starlark face of ecsbox: the interpreter set-up
// (dialect, threads, load and read_file inside a sandbox, step and time
// limits, error printing) and the predeclared modules:
//
//	ecs, ecr, iam, ec2, ssm, autoscaling, application_autoscaling,
//	cloudwatch, logs, elbv2, servicediscovery
//	                           one function per AWS API action, named and
//	                           called as in boto3; see awsmodule.go
//	sim                        the virtual clock, the timeline, plots and
//	                           explanations (sim.go, timeline.go, plot.go,
//	                           explain.go)
//	docker                     the Docker SDK for Python's client over the
//	                           simulated engine (docker.go)
//	json, math, time           go.starlark.net's modules; time.now() is the
//	                           virtual clock
//	catch(fn, *args, **kwargs) None, or the error fn raised as "Code: message"
//	check(name, cond)          a named check, recorded for the run's summary
//	threshold(name, cond)      a pass/fail criterion of the run, declared
//	                           with threshold.define(*names) (check.go)
//	fail(*args)                stops the script with an error
//	assert                     eq, ne, true, fails
//	read_file(path)            a file from the script's directory tree
//	help(x)                    documentation of a builtin
//
// A Go program embeds ecsbox with this package and runtime alone: New makes
// an interpreter over a new simulated account, ExecFile runs a script, and
// ExecChunk runs REPL input.
package builtins

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	gotime "time"

	"go.starlark.net/lib/json"
	"go.starlark.net/lib/math"
	"go.starlark.net/lib/time"
	"go.starlark.net/resolve"
	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/awsmodel"
	"github.com/ecsbox/ecsbox/runtime/containers"
)

// FileOptions is the Starlark dialect of ecsbox scripts and the REPL: sets,
// while loops, top-level control flow, global reassignment and recursion are
// all allowed (the step limit keeps that safe).
var FileOptions = &syntax.FileOptions{
	Set:             true,
	While:           true,
	TopLevelControl: true,
	GlobalReassign:  true,
	Recursion:       true,
}

// DefaultMaxSteps bounds a script's Starlark computation unless --max-steps
// says otherwise: far more than any scenario needs, few enough that a
// runaway loop stops within seconds.
const DefaultMaxSteps = 1_000_000_000

// Config configures an interpreter. Zero fields take defaults.
type Config struct {
	// Cloud is the simulated account; a new one (with Seed) if nil.
	Cloud *runtime.Cloud
	// Seed seeds a new Cloud (1 if zero).
	Seed uint64
	// Dir is the root of the sandbox: load and read_file reach only files
	// below it. The script's directory for a run, the working directory for
	// the REPL; "." if empty.
	Dir string
	// Args are the script's arguments (sim.args).
	Args []string
	// MaxSteps bounds the Starlark steps of one ExecFile or ExecChunk call;
	// DefaultMaxSteps if zero.
	MaxSteps uint64
	// Stdout receives print() and help() output; os.Stdout if nil.
	Stdout io.Writer
	// OutDir is where the script may write files (sim.plot's): `ecsbox run
	// --out DIR`. Empty: the script writes nothing.
	OutDir string
	// Docker, when set, is docker mode (docker_mode.go): ECS tasks run as
	// real containers on it, the clock follows the wall clock, the docker
	// module tags its images on it, and sim.docker is True. The caller
	// closes it.
	Docker *containers.Docker
}

// Interp is one interpreter over one simulated account. It is not safe for
// concurrent use: one goroutine runs it.
type Interp struct {
	cfg         Config
	cloud       *runtime.Cloud
	root        *os.Root
	predeclared starlark.StringDict
	globals     starlark.StringDict // the REPL's
	loads       map[string]*loadEntry
	ctx         context.Context
	stepsHit    bool
	docker      containers.Engine // the docker module's engine (docker.go)
	score       scorecard         // checks and thresholds (check.go)
	counts      *countRecorder    // counts for sim.plot (counts.go)
}

// New returns an interpreter over cfg.Cloud (or a new account).
func New(cfg Config) (*Interp, error) {
	if cfg.Dir == "" {
		cfg.Dir = "."
	}
	if cfg.MaxSteps == 0 {
		cfg.MaxSteps = DefaultMaxSteps
	}
	if cfg.Stdout == nil {
		cfg.Stdout = os.Stdout
	}
	if cfg.Cloud == nil {
		cfg.Cloud = runtime.New(runtime.Config{Seed: cfg.Seed})
	}
	root, err := os.OpenRoot(cfg.Dir)
	if err != nil {
		return nil, fmt.Errorf("opening the sandbox directory: %w", err)
	}
	in := &Interp{
		cfg:     cfg,
		cloud:   cfg.Cloud,
		root:    root,
		globals: starlark.StringDict{},
		loads:   map[string]*loadEntry{},
		ctx:     context.Background(),
	}
	in.docker = in.newDockerEngine()
	in.enableDockerMode() // docker_mode.go; nothing without cfg.Docker
	in.startCountRecorder()
	in.predeclared = in.makePredeclared()
	// REPL statements see the predeclared names as globals (as in
	// go.starlark.net's own REPL), so a session may also rebind them.
	for name, v := range in.predeclared {
		in.globals[name] = v
	}
	return in, nil
}

// Close releases the sandbox directory.
func (in *Interp) Close() error { return in.root.Close() }

// Cloud returns the simulated account.
func (in *Interp) Cloud() *runtime.Cloud { return in.cloud }

// Predeclared returns the names every script starts with.
func (in *Interp) Predeclared() starlark.StringDict { return in.predeclared }

// Globals returns the REPL's global variables, which start as a copy of
// the predeclared names.
func (in *Interp) Globals() starlark.StringDict { return in.globals }

func (in *Interp) makePredeclared() starlark.StringDict {
	d := starlark.StringDict{
		"sim":       in.simModule(),
		"json":      json.Module,
		"math":      math.Module,
		"time":      time.Module,
		"catch":     starlark.NewBuiltin("catch", in.catch),
		"check":     starlark.NewBuiltin("check", in.check),
		"threshold": in.newThreshold(),
		"assert":    assertModule,
		"read_file": starlark.NewBuiltin("read_file", in.readFile),
		"help":      starlark.NewBuiltin("help", in.help),
		"fail":      starlark.Universe["fail"],
		"docker":    in.dockerModule(),
	}
	for _, svc := range awsmodel.Services {
		m := newAWSModule(svc, in.cloud.Service(svc.Module))
		if svc.Module == "ecr" {
			m.extras = map[string]*starlark.Builtin{"get_login_password": starlark.NewBuiltin("ecr.get_login_password", in.ecrLoginPassword)}
		}
		d[svc.Module] = m
	}
	return d
}

// interpKey is the thread-local key under which builtins find the Interp.
const interpKey = "ecsbox.interp"

// newThread returns a thread for running name (a script, a loaded module,
// or a REPL chunk), wired to this interpreter.
func (in *Interp) newThread(name string) *starlark.Thread {
	thread := &starlark.Thread{
		Name:  name,
		Print: func(_ *starlark.Thread, msg string) { fmt.Fprintln(in.cfg.Stdout, msg) },
		Load:  in.load,
	}
	thread.SetLocal(interpKey, in)
	time.SetNow(thread, func() (gotime.Time, error) { return in.cloud.Sim.Now(), nil })
	max := in.cfg.MaxSteps
	thread.SetMaxExecutionSteps(max)
	thread.OnMaxSteps = func(th *starlark.Thread) {
		in.stepsHit = true
		th.Cancel(fmt.Sprintf("the step limit (%d steps, --max-steps) was reached", max))
	}
	return thread
}

// watch cancels thread when ctx ends, with the context's cause as reason
// (an interrupt, or the --timeout that expired). The returned function stops
// watching.
func (in *Interp) watch(ctx context.Context, thread *starlark.Thread) func() {
	prev := in.ctx
	in.ctx = ctx
	stop := context.AfterFunc(ctx, func() { thread.Cancel(context.Cause(ctx).Error()) })
	return func() {
		stop()
		in.ctx = prev
	}
}

// ExecFile runs the script at path (relative to the working directory; it is
// also the name errors show) to completion or until ctx ends.
func (in *Interp) ExecFile(ctx context.Context, path string) (starlark.StringDict, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return in.ExecSource(ctx, path, src)
}

// ExecSource runs src as the script called filename, which load() and
// read_file() resolve paths against (relative to Config.Dir's parent, as
// ExecFile's path is).
func (in *Interp) ExecSource(ctx context.Context, filename string, src []byte) (starlark.StringDict, error) {
	filename = filepath.ToSlash(filename)
	// The script counts as loading while it runs, so a file that loads it
	// back is reported as a cycle.
	if rel, err := filepath.Rel(in.cfg.Dir, filename); err == nil {
		in.loads[filepath.ToSlash(rel)] = nil
	}
	thread := in.newThread(filename)
	defer in.watch(ctx, thread)()
	globals, err := starlark.ExecFileOptions(FileOptions, thread, filename, src, in.predeclared)
	return globals, in.explain(ctx, err)
}

// ExecChunk runs one parsed REPL statement against the REPL's globals. If
// the statement is a single expression its value is returned (None
// otherwise), and kept in the global "_".
func (in *Interp) ExecChunk(ctx context.Context, f *syntax.File) (starlark.Value, error) {
	thread := in.newThread("repl")
	defer in.watch(ctx, thread)()
	if len(f.Stmts) == 1 {
		if expr, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			v, err := starlark.EvalExprOptions(f.Options, thread, expr.X, in.globals)
			if err != nil {
				return nil, in.explain(ctx, err)
			}
			if v != starlark.None {
				in.globals["_"] = v
			}
			return v, nil
		}
	}
	err := starlark.ExecREPLChunk(f, thread, in.globals)
	return starlark.None, in.explain(ctx, err)
}

// ParseChunk reads one REPL statement, pulling further lines from readline
// while the statement is incomplete.
func ParseChunk(filename string, readline func() ([]byte, error)) (*syntax.File, error) {
	opts := *FileOptions
	opts.LoadBindsGlobally = true
	return opts.ParseCompoundStmt(filename, readline)
}

// explain keeps err, but makes sure a run stopped by a limit says which.
func (in *Interp) explain(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if in.stepsHit {
		in.stepsHit = false
		return &LimitError{Err: err, Limit: "--max-steps"}
	}
	if ctx.Err() != nil {
		return &LimitError{Err: err, Limit: context.Cause(ctx).Error()}
	}
	return err
}

// LimitError is an error that stopped a run because it hit a limit: the
// step limit, the timeout, or an interrupt.
type LimitError struct {
	Err   error
	Limit string
}

func (e *LimitError) Error() string { return e.Err.Error() }
func (e *LimitError) Unwrap() error { return e.Err }

// FormatError renders an error for a user. A runtime error starts with
// "file:line:col: message" at the innermost line of the script (inside a
// load()ed file if that is where it happened), then the Starlark backtrace,
// then, for an error inside a load()ed file, the backtrace there. Syntax and resolve
// errors are "file:line:col: message", one line each.
func FormatError(err error) string {
	var evals []*starlark.EvalError
	for e := err; e != nil; e = errors.Unwrap(e) {
		if ev, ok := e.(*starlark.EvalError); ok {
			evals = append(evals, ev)
		}
	}
	if len(evals) == 0 {
		var list resolve.ErrorList
		if errors.As(err, &list) {
			lines := make([]string, len(list))
			for i, e := range list {
				lines[i] = e.Error()
			}
			return strings.Join(lines, "\n")
		}
		return err.Error()
	}
	var b strings.Builder
	inner := evals[len(evals)-1]
	for i := len(inner.CallStack) - 1; i >= 0; i-- {
		if pos := inner.CallStack[i].Pos; pos.Filename() != "<builtin>" {
			fmt.Fprintf(&b, "%s: %s\n", pos, inner.Msg)
			break
		}
	}
	b.WriteString(evals[0].Backtrace())
	if len(evals) > 1 {
		b.WriteString("\n")
		b.WriteString(inner.Backtrace())
	}
	return b.String()
}

// contextCause is why the interpreter's current context ended.
func contextCause(in *Interp) error { return context.Cause(in.ctx) }
