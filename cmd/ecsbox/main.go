// Command ecsbox is a Starlark REPL and script runner over a deterministic
// simulation of one AWS account running Amazon ECS. See README.md.
package main

import (
	"os"

	"github.com/ecsbox/ecsbox/cmd/ecsbox/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }
