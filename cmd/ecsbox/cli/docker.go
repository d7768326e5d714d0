package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ecsbox/ecsbox/runtime/containers"
)

// startDocker connects docker mode's driver (ecsbox run --docker, ecsbox
// --docker): it removes what killed runs left behind and makes the workload
// image. The caller must Close it: that removes every container, network
// and volume of the run.
func startDocker(ctx context.Context, opts options, stderr io.Writer) (*containers.Docker, error) {
	return containers.NewDocker(ctx, containers.DockerConfig{
		AllowHost: opts.allowHost,
		Notes:     func(s string) { fmt.Fprintf(stderr, "ecsbox: %s\n", s) },
	})
}

// closeDocker removes what the run created, and says so if it fails.
func closeDocker(d *containers.Docker, stderr io.Writer) {
	if d == nil {
		return
	}
	if err := d.Close(); err != nil {
		fmt.Fprintf(stderr, "ecsbox: removing the run's Docker objects: %v (ecsbox docker prune removes them)\n", err)
	}
}

// dockerCommand implements `ecsbox docker prune [--all]`.
func dockerCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "prune" {
		return usageError(stderr, fmt.Errorf("docker: want `ecsbox docker prune [--all]`"))
	}
	fs := flag.NewFlagSet("ecsbox docker prune", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	all := fs.Bool("all", false, "")
	if err := fs.Parse(args[1:]); err != nil {
		return usageError(stderr, err)
	}
	if fs.NArg() > 0 {
		return usageError(stderr, fmt.Errorf("docker prune takes no arguments"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cli, err := containers.Connect(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	defer cli.Close()
	n, err := containers.Prune(ctx, cli, *all)
	fmt.Fprintf(stdout, "removed %d Docker objects of ecsbox runs\n", n)
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	return 0
}
