package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/runtime/aws"
)

// runCommand implements `ecsbox run FILE.star`.
func runCommand(args []string, stdout, stderr io.Writer) int {
	opts, files, err := parseFlags("ecsbox run", args, true)
	if err != nil {
		return usageError(stderr, err)
	}
	if len(files) != 1 {
		return usageError(stderr, errors.New("run takes one script: ecsbox run FILE.star"))
	}
	file := filepath.Clean(files[0])
	if _, err := os.Stat(file); err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	in, err := builtins.New(builtins.Config{
		Cloud:    opts.cloud(),
		Dir:      filepath.Dir(file),
		Args:     opts.args,
		MaxSteps: opts.maxSteps,
		Stdout:   stdout,
	})
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	defer in.Close()

	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	if opts.timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, opts.timeout, fmt.Errorf("the time limit (--timeout %s) was reached", opts.timeout))
		defer stop()
	}
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	defer signal.Stop(interrupts)
	go func() {
		if _, ok := <-interrupts; ok {
			cancel(errors.New("interrupted"))
		}
	}()

	_, runErr := in.ExecFile(ctx, file)
	status := 0
	if runErr != nil {
		fmt.Fprintln(stderr, builtins.FormatError(runErr))
		status = 1
	}
	if opts.out != "" {
		if err := writeOutputs(opts.out, in); err != nil {
			fmt.Fprintf(stderr, "ecsbox: writing --out: %v\n", err)
			status = 1
		}
	}
	return status
}

// writeOutputs writes the run's timeline to DIR/timeline.jsonl, one JSON
// object per event, in the order the events happened.
func writeOutputs(dir string, in *builtins.Interp) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "timeline.jsonl"))
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	for _, e := range in.Cloud().Sim.Timeline() {
		line := struct {
			Time     string `json:"time"`
			Service  string `json:"service"`
			Kind     string `json:"kind"`
			Resource string `json:"resource,omitempty"`
			Message  string `json:"message"`
		}{aws.NewTime(e.Time).String(), e.Service, e.Kind, e.Resource, e.Message}
		if err := enc.Encode(line); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
