package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/runtime"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/endpoint"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// DefaultServeAddr is where `ecsbox serve` listens unless told otherwise:
// loopback only, on the port LocalStack made the habit of AWS emulators.
const DefaultServeAddr = "127.0.0.1:4566"

// serveOptions are the flags of `ecsbox serve`.
type serveOptions struct {
	options
	addr  string
	init  string
	speed float64
	repl  bool
}

func parseServeFlags(args []string) (serveOptions, error) {
	o := serveOptions{options: options{seed: sim.DefaultSeed, account: aws.DefaultAccountID, region: aws.DefaultRegion}, addr: DefaultServeAddr, speed: 1}
	fs := flag.NewFlagSet("ecsbox serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Uint64Var(&o.seed, "seed", o.seed, "")
	fs.StringVar(&o.account, "account", o.account, "")
	fs.StringVar(&o.region, "region", o.region, "")
	fs.Uint64Var(&o.maxSteps, "max-steps", 0, "")
	fs.StringVar(&o.addr, "addr", o.addr, "")
	fs.StringVar(&o.init, "init", "", "")
	fs.Float64Var(&o.speed, "speed", o.speed, "")
	fs.BoolVar(&o.repl, "repl", false, "")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("serve takes no arguments (got %q)", fs.Arg(0))
	}
	if o.seed == 0 {
		return o, errors.New("--seed must be a positive integer")
	}
	if len(o.account) != 12 || strings.Trim(o.account, "0123456789") != "" {
		return o, fmt.Errorf("--account %s: an AWS account ID is 12 digits", strconv.Quote(o.account))
	}
	if o.speed < 0 || math.IsNaN(o.speed) || math.IsInf(o.speed, 0) {
		return o, errors.New("--speed must be 0 (the clock moves only when told) or a positive factor")
	}
	return o, nil
}

// serveCommand implements `ecsbox serve`: one simulated account behind the
// AWS endpoint, its clock following the wall clock times --speed, with an
// optional --init script run first and an optional REPL on the same account.
func serveCommand(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseServeFlags(args)
	if err != nil {
		return usageError(stderr, err)
	}
	cloud := opts.cloud()
	var mu sync.Mutex // the account's one lock: endpoint, clock and REPL

	if opts.init != "" {
		if err := runInit(cloud, opts, stdout); err != nil {
			fmt.Fprintln(stderr, builtins.FormatError(err))
			return 1
		}
	}

	ep, err := endpoint.New(endpoint.Config{Cloud: cloud, Lock: &mu})
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	ln, err := net.Listen("tcp", opts.addr)
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
		fmt.Fprintf(stderr, "ecsbox: warning: listening on %s, beyond this machine; any credentials are accepted\n", ln.Addr())
	}
	srv := &http.Server{Handler: ep, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "ecsbox serving account %s in %s at http://%s (clock speed %gx, simulated time %s)\n",
		opts.account, opts.region, ln.Addr(), opts.speed, aws.NewTime(cloud.Sim.Now()))

	stopClock := followWallClock(cloud, &mu, opts.speed)
	defer stopClock()

	status := 0
	if opts.repl {
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintf(stderr, "ecsbox: %v\n", err)
			return 1
		}
		in, err := builtins.New(builtins.Config{Cloud: cloud, Dir: wd, MaxSteps: opts.maxSteps, Stdout: stdout})
		if err != nil {
			fmt.Fprintf(stderr, "ecsbox: %v\n", err)
			return 1
		}
		status = replLoop(in, opts.options, &mu, stdin, stdout, stderr)
		in.Close()
	} else {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		select {
		case <-ctx.Done():
		case err := <-served:
			fmt.Fprintf(stderr, "ecsbox: %v\n", err)
			return 1
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdown)
	return status
}

// runInit runs the --init script on the account before the endpoint opens.
func runInit(cloud *runtime.Cloud, opts serveOptions, stdout io.Writer) error {
	file := filepath.Clean(opts.init)
	if _, err := os.Stat(file); err != nil {
		return err
	}
	in, err := builtins.New(builtins.Config{Cloud: cloud, Dir: filepath.Dir(file), MaxSteps: opts.maxSteps, Stdout: stdout})
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = in.ExecFile(context.Background(), file)
	return err
}

// clockTick is how often the virtual clock catches up with the wall clock.
const clockTick = 50 * time.Millisecond

// followWallClock advances the simulation by the wall-clock time that
// passes, times speed, in small steps under the account's lock. Jumps (the
// REPL's sim.advance, POST /_ecsbox/advance) add to it. Speed 0 leaves the
// clock to the jumps. It returns a function that stops it.
func followWallClock(cloud *runtime.Cloud, mu sync.Locker, speed float64) func() {
	if speed == 0 {
		return func() {}
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(clockTick)
		defer t.Stop()
		last := time.Now()
		var owed float64 // nanoseconds of virtual time not yet run
		for {
			select {
			case <-done:
				return
			case now := <-t.C:
				owed += float64(now.Sub(last)) * speed
				last = now
				step := time.Duration(owed)
				owed -= float64(step)
				mu.Lock()
				cloud.Sim.Advance(context.Background(), step)
				mu.Unlock()
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
	}
}
