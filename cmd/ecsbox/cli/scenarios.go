package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/ecsbox/ecsbox/scripts"
)

// scenariosCommand implements `ecsbox scenarios`: the scenario library
// (embedded from scripts/ at build time), one line each, with the question
// its first comment line asks.
func scenariosCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return usageError(stderr, errors.New("scenarios takes no arguments"))
	}
	names, err := fs.Glob(scripts.FS, "*.star") // sorted
	if err != nil {
		fmt.Fprintf(stderr, "ecsbox: %v\n", err)
		return 1
	}
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	for _, n := range names {
		fmt.Fprintf(stdout, "%-*s  %s\n", width, n, firstComment(n))
	}
	fmt.Fprintln(stdout, "\nEach is scripts/NAME in the ecsbox repository: ecsbox run scripts/NAME [--out DIR]")
	return 0
}

// firstComment is the first line of a scenario, without its "# ".
func firstComment(name string) string {
	f, err := scripts.FS.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
}
