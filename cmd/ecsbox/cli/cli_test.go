package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/builtins"
)

func newInterp(t testing.TB) *builtins.Interp {
	in, err := builtins.New(builtins.Config{Stdout: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Close() })
	return in
}

func TestComplete(t *testing.T) {
	in := newInterp(t)
	in.Globals()["cluster_name"] = nil
	cases := []struct {
		line     string
		wantHead string
		want     []string // must be among the candidates
		exactly  bool
	}{
		{"ecs.register_task_def", "", []string{"ecs.register_task_definition"}, true},
		{"x = ecs.list_task_definition", "x = ", []string{"ecs.list_task_definition_families", "ecs.list_task_definitions"}, true},
		{"sim.adv", "", []string{"sim.advance"}, true},
		{"clus", "", []string{"cluster_name"}, true},
		{"pri", "", []string{"print"}, true},
		{"ecs.create_cluster(clu", "ecs.create_cluster(", []string{"clusterName = "}, false},
		{"ecs.create_cluster(clusterName = \"a\", ta", "ecs.create_cluster(clusterName = \"a\", ", []string{"tags = "}, false},
		{"ecs.register_task_definition(containerDefinitions = [{\"name\": \"a\"}], fam", "ecs.register_task_definition(containerDefinitions = [{\"name\": \"a\"}], ", []string{"family = "}, false},
		{"sim.advance(dur", "sim.advance(", []string{"duration = "}, false},
		{"nosuch.x", "", nil, true},
	}
	for _, c := range cases {
		head, got, tail := complete(in, c.line, len(c.line))
		if head != c.wantHead || tail != "" {
			t.Errorf("complete(%q): head %q tail %q, want head %q", c.line, head, tail, c.wantHead)
		}
		if c.exactly && !slices.Equal(got, c.want) {
			t.Errorf("complete(%q) = %v, want %v", c.line, got, c.want)
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("complete(%q) = %v, lacks %q", c.line, got, w)
			}
		}
	}
	// Completion in the middle of a line keeps the rest.
	head, got, tail := complete(in, "sim.adv(1)", 7)
	if head != "" || tail != "(1)" || !slices.Equal(got, []string{"sim.advance"}) {
		t.Errorf("mid-line completion: %q %v %q", head, got, tail)
	}
}

func TestPipedREPL(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Run(nil, strings.NewReader("x = 20\nprint(x + 22)\n"), &out, &errOut)
	if code != 0 || out.String() != "42\n" || errOut.Len() != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}

func TestIncompleteStatementAtEOF(t *testing.T) {
	var out, errOut bytes.Buffer
	code := Run(nil, strings.NewReader("def f():\n    return (1 +\n"), &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "<stdin>:") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

func TestHistoryPath(t *testing.T) {
	t.Setenv("ECSBOX_HISTORY", "/tmp/h")
	if got := historyPath(); got != "/tmp/h" {
		t.Errorf("historyPath = %q with ECSBOX_HISTORY set", got)
	}
	os.Unsetenv("ECSBOX_HISTORY")
	t.Setenv("XDG_STATE_HOME", "/state")
	if got := historyPath(); got != filepath.Join("/state", "ecsbox", "history") {
		t.Errorf("historyPath = %q with XDG_STATE_HOME set", got)
	}
}

// BenchmarkRunEmptyScript measures `ecsbox run` of an empty script in
// process: flag parsing, a new simulated account, the interpreter and its
// modules, and running the file. Process start-up comes on top; measure the
// binary with hyperfine for that.
func BenchmarkRunEmptyScript(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "empty.star")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		b.Fatal(err)
	}
	var out, errOut bytes.Buffer
	for i := 0; i < b.N; i++ {
		if code := Run([]string{"run", path}, nil, &out, &errOut); code != 0 {
			b.Fatalf("exit %d: %s", code, errOut.String())
		}
	}
}
