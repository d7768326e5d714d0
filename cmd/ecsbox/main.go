// Command ecsbox is a Starlark REPL and script runner over a deterministic
// simulation of one AWS account running Amazon ECS. See README.md.
package main

import (
	"os"

	"github.com/ecsbox/ecsbox/cmd/ecsbox/cli"
)

func main() {
	// Inside the docker mode's workload image the binary is also sh, sleep,
	// stress, ... (links to it).
	if name, ok := cli.WorkloadName(os.Args[0]); ok {
		os.Exit(cli.Main(append([]string{"workload", name}, os.Args[1:]...)))
	}
	os.Exit(cli.Main(os.Args[1:]))
}
