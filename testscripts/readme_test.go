package testscripts

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/cmd/ecsbox/cli"
)

// TestREADMETour runs the REPL session shown in README.md ("A REPL tour")
// and checks that it prints what the README says it prints.
func TestREADMETour(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	marker := "<!-- The session below is run by testscripts/readme_test.go"
	i := strings.Index(text, marker)
	if i < 0 {
		t.Fatal("README.md has no tested REPL session")
	}
	block := text[i:]
	block = block[strings.Index(block, "```console\n")+len("```console\n"):]
	block = block[:strings.Index(block, "```")]

	var input, want strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, ">>> "), strings.HasPrefix(line, "... "):
			input.WriteString(line[4:] + "\n")
		case line == "...":
			input.WriteString("\n")
		default:
			want.WriteString(line + "\n")
		}
	}
	var stdout, stderr bytes.Buffer
	if code := cli.Run(nil, strings.NewReader(input.String()), &stdout, &stderr); code != 0 {
		t.Fatalf("the README session fails (exit %d):\n%s", code, stderr.String())
	}
	if stdout.String() != want.String() {
		t.Errorf("the README session prints\n%s\nbut the README shows\n%s", stdout.String(), want.String())
	}
}
