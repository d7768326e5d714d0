// Package cli is the ecsbox command: the REPL, `ecsbox run`, `version` and
// `help`. It is a package of its own (cmd/ecsbox/main.go is a shim) so that
// the golden testscripts can run it in-process.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Version is the ecsbox version; release builds set it with -ldflags.
var Version = "0.1.0-dev"

const usage = `ecsbox: Amazon ECS, simulated, scripted in Starlark.

Usage:
  ecsbox [flags]                     the REPL (reads statements from stdin when it is not a terminal)
  ecsbox run FILE.star [flags] [-- ARGS...]
                                     run a script; ARGS reach it as sim.args
  ecsbox serve [flags]               serve the account to the AWS CLI and SDKs (see below)
  ecsbox scenarios                   list the scenario library, with the question each answers
  ecsbox docker prune [--all]        remove the Docker objects of ecsbox runs that were killed
                                     (--all: of every run, running ones too)
  ecsbox version                     print the version
  ecsbox help                        print this help

Flags (REPL and run):
  --seed N         seed of the simulation (default 1): same seed, same output
  --account ID     AWS account ID (default 123456789012)
  --region NAME    AWS region (default us-east-1)
  --max-steps N    stop a script after N Starlark steps (default 1000000000; per statement in the REPL)
  --docker         docker mode: tasks run as real containers on the Docker Engine (DOCKER_HOST
                   or the default socket) and the clock follows the wall clock (see README.md)
  --allow-host     docker mode: allow privileged containers, host bind mounts, host PID/IPC,
                   added capabilities and devices
Flags (run only):
  --timeout D      stop the script after D of real time, e.g. 30s (default: none)
  --out DIR        write the run's outputs under DIR: summary.json, timeline.jsonl,
                   metrics.csv, and the files sim.plot draws
`

// Main runs the ecsbox command with args (without the program name) and
// returns the exit status: 0 on success, 1 when a script fails, 2 for a
// usage error.
func Main(args []string) int {
	return Run(args, os.Stdin, os.Stdout, os.Stderr)
}

// Run is Main with its input and outputs given: the REPL reads stdin (a
// terminal only when it is os.Stdin), and everything printed goes to stdout
// and stderr.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "run":
			return runCommand(args[1:], stdout, stderr)
		case "serve":
			return serveCommand(args[1:], stdin, stdout, stderr)
		case "scenarios":
			return scenariosCommand(args[1:], stdout, stderr)
		case "docker":
			return dockerCommand(args[1:], stdout, stderr)
		case "workload": // hidden: the process of docker mode's containers (workload.go)
			return workloadCommand(args[1:], stdout, stderr)
		case "version", "--version":
			fmt.Fprintf(stdout, "ecsbox %s\n", Version)
			return 0
		case "help", "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return 0
		}
	}
	opts, rest, err := parseFlags("ecsbox", args, false)
	if err != nil {
		return usageError(stderr, err)
	}
	if len(rest) > 0 {
		return usageError(stderr, fmt.Errorf("unknown command %q", rest[0]))
	}
	return repl(opts, stdin, stdout, stderr)
}

func usageError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "ecsbox: %v\nRun 'ecsbox help' for usage.\n", err)
	return 2
}

// options are the flags of the REPL and of run.
type options struct {
	seed     uint64
	account  string
	region   string
	maxSteps uint64
	timeout  time.Duration
	out      string
	args     []string // after --
	// docker mode (docker.go)
	docker, allowHost bool
}

func (o options) cloud() *runtime.Cloud {
	return runtime.New(runtime.Config{Seed: o.seed, Identity: aws.Identity{AccountID: o.account, Region: o.region}})
}

// parseFlags reads flags anywhere before "--" (so `run FILE --seed 2` works)
// and returns the positional arguments.
func parseFlags(name string, args []string, run bool) (options, []string, error) {
	o := options{seed: sim.DefaultSeed, account: aws.DefaultAccountID, region: aws.DefaultRegion}
	for i, a := range args {
		if a == "--" {
			o.args = args[i+1:]
			args = args[:i]
			break
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Uint64Var(&o.seed, "seed", o.seed, "")
	fs.StringVar(&o.account, "account", o.account, "")
	fs.StringVar(&o.region, "region", o.region, "")
	fs.Uint64Var(&o.maxSteps, "max-steps", 0, "")
	fs.BoolVar(&o.docker, "docker", false, "")
	fs.BoolVar(&o.allowHost, "allow-host", false, "")
	if run {
		fs.DurationVar(&o.timeout, "timeout", 0, "")
		fs.StringVar(&o.out, "out", "", "")
	}
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if o.seed == 0 {
		return o, nil, errors.New("--seed must be a positive integer")
	}
	if len(o.account) != 12 || strings.Trim(o.account, "0123456789") != "" {
		return o, nil, fmt.Errorf("--account %s: an AWS account ID is 12 digits", strconv.Quote(o.account))
	}
	if o.timeout < 0 {
		return o, nil, errors.New("--timeout must not be negative")
	}
	return o, positional, nil
}
