package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/ecsbox/ecsbox/builtins"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/containers"
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
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	if opts.timeout > 0 {
		var stop context.CancelFunc
		ctx, stop = context.WithTimeoutCause(ctx, opts.timeout, fmt.Errorf("the time limit (--timeout %s) was reached", opts.timeout))
		defer stop()
	}
	// Signals are caught until the end, so that docker mode's clean-up
	// (deferred below) runs after a Ctrl-C, and after a SIGTERM too.
	interrupts := make(chan os.Signal, 1)
	if opts.docker {
		signal.Notify(interrupts, os.Interrupt, syscall.SIGTERM)
	} else {
		signal.Notify(interrupts, os.Interrupt)
	}
	defer signal.Stop(interrupts)
	go func() {
		if _, ok := <-interrupts; ok {
			cancel(errors.New("interrupted"))
		}
	}()

	var docker *containers.Docker
	if opts.docker {
		if docker, err = startDocker(ctx, opts, stderr); err != nil {
			fmt.Fprintf(stderr, "ecsbox: %v\n", err)
			return 1
		}
		defer closeDocker(docker, stderr)
	}
	in, err := builtins.New(builtins.Config{
		Cloud:    opts.cloud(),
		Dir:      filepath.Dir(file),
		Args:     opts.args,
		MaxSteps: opts.maxSteps,
		Stdout:   stdout,
		OutDir:   opts.out,
		Docker:   docker,
	})
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	defer in.Close()

	_, runErr := in.ExecFile(ctx, file)
	status := 0
	if runErr != nil {
		fmt.Fprintln(stderr, builtins.FormatError(runErr))
		status = 1
	}
	// The summary, k6's way: only for scripts that use check or threshold,
	// and also after a failure (what passed until then is worth seeing).
	summary := in.Summary()
	if in.UsedChecks() {
		fmt.Fprint(stdout, summary.Text())
		if failed := summary.FailedThresholds(); len(failed) > 0 {
			fmt.Fprintf(stderr, "ecsbox: thresholds failed: %s\n", strings.Join(failed, ", "))
			status = 1
		}
	}
	if opts.out != "" {
		if err := writeOutputs(opts.out, in, summary); err != nil {
			fmt.Fprintf(stderr, "ecsbox: writing --out: %v\n", err)
			status = 1
		}
	}
	return status
}

// writeOutputs writes the run's outputs under DIR: summary.json (the
// summary, whether or not the script used checks), timeline.jsonl and
// metrics.csv.
func writeOutputs(dir string, in *builtins.Interp, summary builtins.Summary) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	data, err := json.MarshalIndent(summary, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), append(data, '\n'), 0o644); err != nil {
		return err
	}
	if err := writeTimeline(filepath.Join(dir, "timeline.jsonl"), in); err != nil {
		return err
	}
	return writeMetrics(filepath.Join(dir, "metrics.csv"), in)
}

// writeTimeline writes the timeline, one JSON object per event, in the
// order the events happened.
func writeTimeline(name string, in *builtins.Interp) error {
	f, err := os.Create(name)
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

// writeMetrics writes every CloudWatch datapoint of the run as CSV: time,
// namespace, metric, dimensions (Name=Value pairs sorted by name, joined by
// ";"), value and unit; ordered by metric, then time. A datapoint published
// as a statistic set is written as its mean.
func writeMetrics(name string, in *builtins.Interp) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	w.Write([]string{"time", "namespace", "metric", "dimensions", "value", "unit"})
	in.Cloud().CloudWatch.Datapoints(func(d cloudwatch.StoredDatapoint) {
		dims := make([]string, len(d.Dims))
		for i, x := range d.Dims {
			dims[i] = x.Name + "=" + x.Value
		}
		w.Write([]string{aws.NewTime(d.Time).String(), d.Namespace, d.MetricName, strings.Join(dims, ";"),
			strconv.FormatFloat(d.Value(), 'g', -1, 64), d.Unit})
	})
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
