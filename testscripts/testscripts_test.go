// Package testscripts holds ecsbox's golden acceptance tests: txtar scripts
// that run the ecsbox command (in-process, through testscript) and compare
// what it prints. See README.md in this folder for the custom commands.
//
// To rewrite the expected output after an intended change:
//
//	go test ./testscripts -update        (or ECSBOX_UPDATE=1 go test ./...)
//
// and review the diff of the .txtar files.
package testscripts

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/ecsbox/ecsbox/cmd/ecsbox/cli"
	"github.com/ecsbox/ecsbox/internal/testlock"
)

var update = flag.Bool("update", false, "rewrite the expected output in the .txtar files")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"ecsbox": func() { os.Exit(cli.Main(os.Args[1:])) },
	})
}

func params(dir string) testscript.Params {
	return testscript.Params{
		Dir:                 dir,
		UpdateScripts:       *update || os.Getenv("ECSBOX_UPDATE") == "1",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", filepath.Join(env.WorkDir, "home"))
			env.Setenv("ECSBOX_HISTORY", "")
			env.Setenv("TZ", "UTC")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"scenario":   scenarioCmd,
			"dockerlock": dockerLockCmd,
		},
		Condition: condition, // [docker] (docker_test.go)
	}
}

// scenarioCmd implements `scenario NAME.star`: it copies scripts/NAME.star
// from the repository (with scripts/lib and any data files the scenario
// reads) into $WORK/scripts, so golden runs test the scenarios users run,
// not copies of them.
func scenarioCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: scenario NAME.star")
	}
	src := filepath.Join("..", "scripts")
	entries, err := os.ReadDir(src)
	ts.Check(err)
	found := false
	for _, e := range entries {
		if e.Name() == args[0] {
			found = true
		}
	}
	if !found {
		ts.Fatalf("no scenario scripts/%s", args[0])
	}
	ts.Check(os.CopyFS(ts.MkAbs("scripts"), os.DirFS(src)))
}

func TestCLI(t *testing.T)       { testscript.Run(t, params("cli")) }
func TestREPL(t *testing.T)      { testscript.Run(t, params("repl")) }
func TestSandbox(t *testing.T)   { testscript.Run(t, params("sandbox")) }
func TestScenarios(t *testing.T) { testscript.Run(t, params("scripts")) }
func TestDocker(t *testing.T)    { testscript.Run(t, dockerParams(t)) }

// TestEveryScenarioHasAGoldenRun keeps scripts/ and testscripts/scripts/ in
// step: each scenario users can run is run by a golden test.
func TestEveryScenarioHasAGoldenRun(t *testing.T) {
	scenarios, err := filepath.Glob(filepath.Join("..", "scripts", "*.star"))
	if err != nil {
		t.Fatal(err)
	}
	goldens, err := filepath.Glob(filepath.Join("scripts", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, g := range goldens {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(b)
	}
	for _, s := range scenarios {
		name := filepath.Base(s)
		if !strings.Contains(all.String(), fmt.Sprintf("scenario %s", name)) {
			t.Errorf("scripts/%s has no golden run in testscripts/scripts/", name)
		}
	}
}

// TestEveryScenarioStartsWithItsQuestion keeps the scenario library
// listable: `ecsbox scenarios` shows each script's first line, which must
// be a comment asking the question the scenario answers.
func TestEveryScenarioStartsWithItsQuestion(t *testing.T) {
	scenarios, err := filepath.Glob(filepath.Join("..", "scripts", "*.star"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range scenarios {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		first, _, _ := strings.Cut(string(b), "\n")
		if !strings.HasPrefix(first, "# ") || !strings.Contains(first, "?") {
			t.Errorf("%s: the first line %q is not a comment asking the scenario's question", filepath.Base(s), first)
		}
	}
}

// dockerLockCmd implements `dockerlock`: the script holds the Docker tests'
// lock (internal/testlock) until it ends, so that scripts and Go tests
// running tasks on the engine never run at once.
func dockerLockCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: dockerlock")
	}
	release, err := testlock.Acquire()
	ts.Check(err)
	ts.Defer(release)
}
