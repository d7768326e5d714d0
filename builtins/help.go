package builtins

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/ecsbox/ecsbox/runtime/awsmodel"
)

// doc documents one of ecsbox's own builtins (the AWS ones are documented
// by their model).
type doc struct {
	signature string
	params    []string
	text      string
}

// docs are the help texts of the sandbox's own builtins, by builtin name.
var docs = map[string]doc{
	"catch": {"catch(fn, *args, **kwargs)", nil,
		"Calls fn(*args, **kwargs). Returns None if it succeeds, or the error it raised as a\n" +
			"string: \"Code: message\" for AWS errors (e.g. \"ClientException: Too many containers.\"),\n" +
			"the message otherwise. A timeout, an interrupt or the step limit is never caught."},
	"fail": {"fail(*args, sep=\" \")", nil, "Stops the script with an error made of args."},
	"read_file": {"read_file(path)", []string{"path"},
		"Returns the contents of a file as a string. The path is relative to the file that\n" +
			"calls read_file, and must stay inside the script's directory tree (the working\n" +
			"directory in the REPL)."},
	"help": {"help(x)", []string{"x"}, "Prints the documentation of a builtin function or module."},
	"sim.now": {"sim.now()", nil,
		"Returns the simulated time as a timestamp string (\"2025-01-01T00:00:00.000Z\"), the\n" +
			"form every API timestamp takes, so it compares with createdAt and friends. The clock\n" +
			"starts at 2025-01-01T00:00:00Z. time.now() returns the same instant as a time value."},
	"sim.advance": {"sim.advance(duration)", []string{"duration"},
		"Runs the simulation for duration (\"90s\", \"15m\", \"2h\", a time.duration, or seconds):\n" +
			"everything due in that window happens, in order. Returns the new sim.now(). Nothing\n" +
			"sleeps: hours pass in milliseconds. Ctrl-C in the REPL stops a long advance."},
	"sim.run_until": {"sim.run_until(fn, timeout=\"10m\")", []string{"fn", "timeout"},
		"Advances event by event until fn() returns a true value, and returns sim.now().\n" +
			"Fails, naming the timeout, if fn() is still false after timeout of simulated time."},
	"sim.events": {"sim.events(since=None, service=None, filter=None, until=None)", []string{"since", "service", "filter", "until"},
		"Returns the timeline as a list of dicts {time, service, kind, resource, message},\n" +
			"oldest first, narrowed as sim.timeline narrows it."},
	"sim.explain": {"sim.explain(x=None)", []string{"x"},
		"Prints why the simulation decided as it did about x, by what x names (an ARN, a name,\n" +
			"or a dict the API returned):\n" +
			"  a task (ARN, ID, dict with taskArn): each container instance placement looked at,\n" +
			"    filtered by which rule (with the numbers) or ranked how, and the one it chose;\n" +
			"  a service (ARN, \"service/<cluster>/<service>\", name, dict with serviceArn): desired,\n" +
			"    running, deployments, the scaling policies and each decision with its alarm,\n" +
			"    datapoints and formula, and the newest service events;\n" +
			"  an Auto Scaling group (name, ARN): its capacity and the numbers behind each change;\n" +
			"  an alarm (name, ARN): its rule, state, reason, datapoints and state changes;\n" +
			"  a capacity provider (name, ARN, dict with capacityProviderArn): its managed scaling\n" +
			"    settings and each CapacityProviderReservation decision with its M and N.\n" +
			"A name that matches nothing, or two kinds of resource, is an error. With no argument:\n" +
			"the last placement that left tasks unplaced."},
	"sim.plot": {"sim.plot(metrics, file=None, title=None, since=None, until=None, period=\"1m\")",
		[]string{"metrics", "file", "title", "since", "until", "period"},
		"Plots CloudWatch metrics and counts against simulated time, with the thresholds of the\n" +
			"alarms on those metrics (dashed) and scaling activities (dotted, vertical). metrics is a\n" +
			"list of series, each a dict or a string:\n" +
			"  {\"namespace\": \"AWS/ECS\", \"metric\": \"CPUUtilization\", \"dimensions\": {...},\n" +
			"   \"stat\": \"Average\", \"period\": \"1m\", \"label\": ...}\n" +
			"  \"AWS/ECS CPUUtilization ClusterName=demo ServiceName=web Average\"\n" +
			"  \"desiredCount demo/web\", \"runningCount demo/web\", \"pendingCount demo/web\"\n" +
			"  \"DesiredCapacity my-asg\", \"InService my-asg\"   (or {\"count\": ..., \"service\"/\"group\": ...})\n" +
			"With `ecsbox run --out DIR` and file (.svg or .png, relative to DIR) it writes the plot\n" +
			"there; otherwise (the REPL, or no --out) it prints a text sparkline of each series, and\n" +
			"says so when a file was asked for. since/until (timestamps) bound the window, the whole\n" +
			"run by default."},
	"check": {"check(name, cond)", []string{"name", "cond"},
		"Records a named check, passed if cond is true, and returns bool(cond). A failed check\n" +
			"does not stop the script: `ecsbox run` lists the checks, passed and failed, in the\n" +
			"summary it prints at the end."},
	"threshold": {"threshold(name, cond)", []string{"name", "cond"},
		"Evaluates a pass/fail criterion of the run and returns bool(cond). Declare the run's\n" +
			"thresholds first with threshold.define(\"name\", ...): evaluating a name not declared\n" +
			"is an error (a typo would otherwise pass silently), and a declared threshold never\n" +
			"evaluated fails. A threshold passes if every evaluation was true. `ecsbox run` prints\n" +
			"them in its summary and exits 1 if one failed."},
	"threshold.define": {"threshold.define(*names)", nil,
		"Declares the run's thresholds by name. Each must then be evaluated with\n" +
			"threshold(name, cond) at least once, or the run fails."},
	"sim.set_load": {"sim.set_load(cluster, service, cpu_units=0, memory_mib=0)", []string{"cluster", "service", "cpu_units", "memory_mib"},
		"Sets the demand on a service: cpu_units (1024 = one vCPU) and memory_mib in total,\n" +
			"spread evenly over its running tasks on top of their baseline use, so scaling out\n" +
			"lowers each task's share. CloudWatch's CPUUtilization and MemoryUtilization follow.\n" +
			"CPU is capped by the task's cpu on Fargate and by the instance on EC2; memory above\n" +
			"a container's hard limit gets it killed (OutOfMemoryError)."},
	"sim.timeline": {"sim.timeline(since=None, service=None, filter=None, until=None)", []string{"since", "service", "filter", "until"},
		"Prints the timeline, one line per event, with its simulated time. since and until\n" +
			"(timestamps, inclusive) bound the window; service (\"ecs\", \"ec2\", \"cloudwatch\",\n" +
			"\"autoscaling\", \"application-autoscaling\", ...) keeps one service; filter, a string or\n" +
			"a list, keeps the events whose service is one of them or whose kind starts with one:\n" +
			"\"ServiceEvent\", \"Task\" (task state changes), \"AlarmStateChange\", \"ScalingActivity\",\n" +
			"\"Instance\" (EC2 and Auto Scaling instances), [\"ecs\", \"autoscaling\"]."},
	"assert.eq":   {"assert.eq(got, want, msg=\"\")", []string{"got", "want", "msg"}, "Fails unless got == want."},
	"assert.ne":   {"assert.ne(got, want, msg=\"\")", []string{"got", "want", "msg"}, "Fails if got == want."},
	"assert.true": {"assert.true(cond, msg=\"assertion failed\")", []string{"cond", "msg"}, "Fails unless cond is true."},
	"assert.fails": {"assert.fails(fn, pattern)", []string{"fn", "pattern"},
		"Calls fn() and fails unless it raises an error whose text (as catch() shows it)\n" +
			"matches the regular expression pattern. Returns that text."},
}

// dockerDocs document the docker module (docker.go), which follows the
// Docker SDK for Python, and the AWS CLI customisation ecr.get_login_password.
var dockerDocs = map[string]doc{
	"ecr.get_login_password": {"ecr.get_login_password()", nil,
		"The AWS CLI's `aws ecr get-login-password`: a new registry password, valid 12 hours,\n" +
			"to log in with: docker.login(username=\"AWS\", password=..., registry=<account>.dkr.ecr.<region>.amazonaws.com)."},
	"docker.login": {"docker.login(username, password, registry=None)", []string{"username", "password", "email", "registry", "reauth"},
		"Logs the engine in to a registry. The account's ECR registry takes the username \"AWS\" and a\n" +
			"password from ecr.get_login_password(). Returns {\"IdentityToken\": \"\", \"Status\": \"Login Succeeded\"}."},
	"docker.images.build": {"docker.images.build(path, tag=None, dockerfile=\"Dockerfile\", buildargs=None, labels=None)",
		[]string{"path", "tag", "quiet", "nocache", "rm", "pull", "forcerm", "dockerfile", "buildargs", "labels"},
		"Builds an image from the Dockerfile in path (relative to the script) and returns (image,\n" +
			"build log) as docker-py does. Nothing runs: the image is computed from the Dockerfile and the\n" +
			"files COPY and ADD name, so the same inputs give the same image ID. Public base images are\n" +
			"simulated offline; an ECR base image must exist (after docker.login)."},
	"docker.images.push": {"docker.images.push(repository, tag=None)", []string{"repository", "tag", "stream", "auth_config", "decode"},
		"Pushes repository:tag (every local tag of repository if tag is None) to the ECR registry and\n" +
			"returns the lines docker push prints. Fails (unlike docker-py, which returns the stream) with\n" +
			"docker's text: \"no basic auth credentials\", \"name unknown: ...\", \"tag invalid: ...\"."},
	"docker.images.pull":   {"docker.images.pull(repository, tag=None)", []string{"repository", "tag"}, "Pulls an image (from ECR after docker.login; public images are simulated offline) and returns it."},
	"docker.images.list":   {"docker.images.list(name=None)", []string{"name", "all"}, "Returns the local images, newest first; name keeps those of one repository."},
	"docker.images.get":    {"docker.images.get(name)", []string{"name"}, "Returns a local image by ID, name:tag or name@digest; ImageNotFound otherwise."},
	"docker.images.remove": {"docker.images.remove(image, force=False)", []string{"image", "force", "noprune"}, "Untags an image named by tag (removing it with its last tag), or removes an image by ID."},
	"docker.containers.list": {"docker.containers.list()", []string{"all", "filters"},
		"Returns the engine's running containers. The simulated engine runs none yet: the list is empty."},
	"docker.networks.list": {"docker.networks.list()", nil, "Returns the engine's networks: bridge, host and none, as a new Docker Engine has."},
	"docker.volumes.list":  {"docker.volumes.list()", nil, "Returns the engine's volumes: none."},
	"Image.tag":            {"image.tag(repository, tag=None)", []string{"repository", "tag", "force"}, "Tags the image repository:tag (\"latest\" if tag is None). Returns True."},
	"Image.reload":         {"image.reload()", nil, "Refreshes the image's tags and attributes from the engine."},
}

func init() {
	for name, d := range dockerDocs {
		docs[name] = d
	}
	moduleDocs["docker"] = "The Docker SDK for Python's client over ecsbox's simulated engine: login, images, containers, networks, volumes."
	moduleDocs["docker.images"] = "Images in the engine: build, push, pull, list, get, remove (docker-py's client.images)."
	moduleDocs["docker.containers"] = "Containers the engine runs (docker-py's client.containers)."
	moduleDocs["docker.networks"] = "The engine's networks (docker-py's client.networks)."
	moduleDocs["docker.volumes"] = "The engine's volumes (docker-py's client.volumes)."
}

// moduleDocs introduce the non-AWS modules.
var moduleDocs = map[string]string{
	"sim":       "The simulation: its virtual clock, timeline, plots and explanations. sim.seed is the run's seed; sim.args the script's arguments; sim.docker is True in docker mode (real containers, wall-clock time).",
	"threshold": "threshold(name, cond) evaluates a pass/fail criterion of the run; threshold.define(*names) declares them.",
	"assert":    "Assertions for scripts and tests.",
	"json":      "go.starlark.net's json module: encode, decode, indent, encode_indent. encode sorts dict keys.",
	"math":      "go.starlark.net's math module: ceil, floor, sqrt, pow, log, pi, e, ...",
	"time":      "go.starlark.net's time module; time.now() is the simulated clock, not the wall clock.",
}

// ParamNames returns the keyword parameter names of a builtin (the request
// members of an AWS action), for completion.
func ParamNames(in *Interp, v starlark.Value) []string {
	b, ok := v.(*starlark.Builtin)
	if !ok {
		return nil
	}
	if op, _, ok := in.awsOperation(b.Name()); ok {
		m := awsmodel.MustLoad(strings.SplitN(b.Name(), ".", 2)[0])
		return m.InputShape(op).Members.Names()
	}
	return docs[b.Name()].params
}

// awsOperation finds the AWS operation behind a builtin name like
// "ecs.run_task".
func (in *Interp) awsOperation(name string) (*awsmodel.Operation, *awsModule, bool) {
	module, method, ok := strings.Cut(name, ".")
	if !ok {
		return nil, nil, false
	}
	m, ok := in.predeclared[module].(*awsModule)
	if !ok {
		return nil, nil, false
	}
	op, ok := m.operation(method)
	return op, m, ok
}

// help implements help(x).
func (in *Interp) help(thread *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var x starlark.Value
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &x); err != nil {
		return nil, err
	}
	thread.Print(thread, strings.TrimRight(in.helpText(x), "\n"))
	return starlark.None, nil
}

func (in *Interp) helpText(x starlark.Value) string {
	switch v := x.(type) {
	case *starlark.Builtin:
		if op, m, ok := in.awsOperation(v.Name()); ok {
			return in.awsHelp(m, op)
		}
		if d, ok := docs[v.Name()]; ok {
			return d.signature + "\n\n" + d.text
		}
		return in.libraryHelp(v)
	case *awsModule:
		return in.awsModuleHelp(v)
	case *thresholdFn:
		d, def := docs["threshold"], docs["threshold.define"]
		return d.signature + "\n\n" + d.text + "\n\n" + def.signature + "\n\n" + def.text
	case *starlarkstruct.Module:
		var b strings.Builder
		fmt.Fprintf(&b, "module %s: %s\n\n", v.Name, moduleDocs[v.Name])
		names := make([]string, 0, len(v.Members))
		for name := range v.Members {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			if d, ok := docs[v.Name+"."+name]; ok {
				fmt.Fprintf(&b, "  %s\n", d.signature)
			} else {
				fmt.Fprintf(&b, "  %s.%s\n", v.Name, name)
			}
		}
		return b.String()
	case *starlark.Function:
		return fmt.Sprintf("%s: a function defined at %s", v.Name(), v.Position())
	}
	return fmt.Sprintf("%s: a value of type %s", x.String(), x.Type())
}

func (in *Interp) awsHelp(m *awsModule, op *awsmodel.Operation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s.%s(**kwargs): %s %s", m.svc.Module, op.Method, m.svc.Title, op.Name)
	if _, ok := m.implemented(op); !ok {
		b.WriteString(" (ecsbox does not simulate it yet)")
	}
	b.WriteString("\n\n")
	b.WriteString(awsmodel.DocText(op.Documentation, 88))
	b.WriteString("\n\nParameters (the request members):\n")
	input := m.model.InputShape(op)
	if len(input.Members) == 0 {
		b.WriteString("  none\n")
	}
	for _, mem := range input.Members {
		shape := m.model.Shape(mem.Shape)
		req := ""
		if input.IsRequired(mem.Name) {
			req = ", required"
		}
		fmt.Fprintf(&b, "  %s (%s%s)", mem.Name, typeName(m.model, shape), req)
		if s := awsmodel.FirstSentence(mem.Documentation); s != "" {
			fmt.Fprintf(&b, ": %s", s)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nReturns the %s response as a dict.\nAWS API reference: %s\n", op.Name, m.svc.APIReference(op.Name))
	return b.String()
}

// typeName describes a shape in the words of Starlark values.
func typeName(m *awsmodel.Model, s *awsmodel.Shape) string {
	if s == nil {
		return "any"
	}
	switch s.Type {
	case "structure", "map":
		return "dict"
	case "list":
		return "list of " + typeName(m, m.Shape(s.Member.Shape))
	case "integer", "long":
		return "int"
	case "double", "float":
		return "float"
	case "boolean":
		return "bool"
	case "timestamp":
		return "timestamp"
	case "blob":
		return "bytes"
	case "string":
		if len(s.Enum) > 0 && len(s.Enum) <= 6 {
			return "string: " + strings.Join(s.Enum, " | ")
		}
		return "string"
	}
	return s.Type
}

func (in *Interp) awsModuleHelp(m *awsModule) string {
	if err := m.load(); err != nil {
		return err.Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s: %s, as boto3's %q client. Call the functions with keyword\narguments named as the API request members; each returns the response as a dict.\n\n", m.svc.Module, m.svc.Title, m.svc.Module)
	var simulated, other []string
	for _, name := range m.model.Methods() {
		op, _ := m.model.Method(name)
		if _, ok := m.implemented(op); ok {
			simulated = append(simulated, name)
		} else {
			other = append(other, name)
		}
	}
	fmt.Fprintf(&b, "Simulated (%d):\n", len(simulated))
	for _, name := range simulated {
		op, _ := m.model.Method(name)
		fmt.Fprintf(&b, "  %-40s %s\n", name, awsmodel.FirstSentence(op.Documentation))
	}
	if len(simulated) == 0 {
		b.WriteString("  none yet\n")
	}
	fmt.Fprintf(&b, "\nNot simulated yet (%d): they fail with NotSimulated. help(%s.<name>) documents any of them.\n", len(other), m.svc.Module)
	return b.String()
}

// libraryHelp points at the documentation of the functions ecsbox takes
// from go.starlark.net: its json, math and time modules, and the Starlark
// language's own built-ins (len, print, sorted, ...).
func (in *Interp) libraryHelp(b *starlark.Builtin) string {
	for _, module := range []string{"json", "math", "time"} {
		m := in.predeclared[module].(*starlarkstruct.Module)
		for name, member := range m.Members {
			if member == starlark.Value(b) {
				if module == "time" && name == "now" {
					return "time.now(): the simulated time (not the wall clock), as a time value; sim.now() gives it as a timestamp string."
				}
				return fmt.Sprintf("%s.%s: a function of go.starlark.net's %s module.\nDocumentation: https://pkg.go.dev/go.starlark.net/lib/%s", module, name, module, module)
			}
		}
	}
	if b.Receiver() != nil {
		return fmt.Sprintf("%s: a method of %s values (see the Starlark spec).\nDocumentation: https://github.com/google/starlark-go/blob/master/doc/spec.md#built-in-methods", b.Name(), b.Receiver().Type())
	}
	return fmt.Sprintf("%s: a built-in function of the Starlark language.\nDocumentation: https://github.com/google/starlark-go/blob/master/doc/spec.md#%s", b.Name(), b.Name())
}
