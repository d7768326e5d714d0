package builtins

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// TestStarlark runs each testdata/*.star file: the builtins' semantics are
// tested in Starlark, with assert, as go.starlark.net tests its own.
func TestStarlark(t *testing.T) {
	files, err := filepath.Glob("testdata/*.star")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var out bytes.Buffer
			in, err := New(Config{Dir: "testdata", Stdout: &out})
			if err != nil {
				t.Fatal(err)
			}
			defer in.Close()
			if _, err := in.ExecFile(context.Background(), file); err != nil {
				t.Fatalf("%s\noutput:\n%s", FormatError(err), out.String())
			}
		})
	}
}

func run(t *testing.T, src string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "main.star")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	in, err := New(Config{Dir: dir, Stdout: &out, MaxSteps: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	_, err = in.ExecFile(context.Background(), path)
	return out.String(), err
}

func TestStepLimitIsALimitError(t *testing.T) {
	_, err := run(t, "while True:\n    pass\n")
	var limit *LimitError
	if !errors.As(err, &limit) || limit.Limit != "--max-steps" {
		t.Fatalf("got %v, want a LimitError for --max-steps", err)
	}
	if !strings.Contains(FormatError(err), "the step limit (100000 steps, --max-steps) was reached") {
		t.Errorf("message does not name the limit: %s", FormatError(err))
	}
}

func TestCancelStopsALongAdvance(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "main.star")
	// An event that reschedules itself every millisecond makes a 10-year
	// advance take far longer than the test; only the cancel can end it.
	os.WriteFile(path, []byte(`sim.advance("87600h")`), 0o644)
	in, err := New(Config{Dir: dir, Stdout: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	s := in.Cloud().Sim
	var tick func()
	tick = func() { s.After(1e6, "tick", tick) }
	s.After(0, "tick", tick)
	ctx, cancel := context.WithCancelCause(context.Background())
	s.After(5e9, "interrupt", func() { cancel(errors.New("interrupted")) })
	_, err = in.ExecFile(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("got %v, want an interrupted error", err)
	}
	if in.Cloud().Sim.Elapsed().Hours() > 1 {
		t.Errorf("the advance went on to %s after the interrupt", in.Cloud().Sim.Elapsed())
	}
}

func TestFormatErrorPositionsTheInnermostLine(t *testing.T) {
	_, err := run(t, "def f():\n    return 1 // 0\n\nf()\n")
	got := FormatError(err)
	if !strings.HasSuffix(strings.SplitN(got, "\n", 2)[0], "main.star:2:14: floored division by zero") {
		t.Errorf("FormatError = %q", got)
	}
}

func TestResultsConvertWithAWSNames(t *testing.T) {
	type inner struct {
		Name *string `json:"name,omitzero"`
	}
	type resp struct {
		Count   *int              `json:"count,omitzero"`
		Absent  *string           `json:"absent,omitzero"`
		Empty   []inner           `json:"empty,omitzero"`
		Nil     []inner           `json:"nil,omitzero"`
		Labels  map[string]string `json:"labels,omitzero"`
		Flag    *bool             `json:"flag,omitzero"`
		Ratio   *float64          `json:"ratio,omitzero"`
		private int
	}
	zero, f := 0, false
	ratio := 0.5
	name := "a"
	v := fromGoValue(&resp{Count: &zero, Empty: []inner{}, Labels: map[string]string{"b": "2", "a": "1"}, Flag: &f, Ratio: &ratio, Nil: nil, private: 1})
	want := `{"count": 0, "empty": [], "labels": {"a": "1", "b": "2"}, "flag": False, "ratio": 0.5}`
	if v.String() != want {
		t.Errorf("got %s\nwant %s", v, want)
	}
	if got := fromGoValue([]inner{{Name: &name}}).String(); got != `[{"name": "a"}]` {
		t.Errorf("got %s", got)
	}
}

func TestParamNames(t *testing.T) {
	in, err := New(Config{Stdout: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	ecs := in.Predeclared()["ecs"].(starlark.HasAttrs)
	fn, _ := ecs.Attr("create_cluster")
	names := ParamNames(in, fn)
	if len(names) == 0 || names[0] != "clusterName" {
		t.Errorf("ParamNames(ecs.create_cluster) = %v", names)
	}
	sim := in.Predeclared()["sim"].(starlark.HasAttrs)
	adv, _ := sim.Attr("advance")
	if got := ParamNames(in, adv); len(got) != 1 || got[0] != "duration" {
		t.Errorf("ParamNames(sim.advance) = %v", got)
	}
}

func TestEveryOwnBuiltinIsDocumented(t *testing.T) {
	in, err := New(Config{Stdout: &bytes.Buffer{}})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range in.Predeclared() {
		switch x := v.(type) {
		case *starlark.Builtin:
			if _, ok := docs[x.Name()]; !ok {
				t.Errorf("%s has no help text", name)
			}
		case starlark.HasAttrs:
			if _, aws := v.(*awsModule); aws {
				continue
			}
			if _, ok := moduleDocs[name]; !ok {
				t.Errorf("module %s has no help text", name)
			}
			if name != "sim" && name != "assert" && name != "docker" && name != "threshold" {
				continue
			}
			checkMembersDocumented(t, x)
		}
	}
	ecr := in.Predeclared()["ecr"].(starlark.HasAttrs)
	if fn, _ := ecr.Attr("get_login_password"); fn == nil {
		t.Error("ecr.get_login_password is missing")
	} else if _, ok := docs[fn.(*starlark.Builtin).Name()]; !ok {
		t.Error("ecr.get_login_password has no help text")
	}
	img := &dockerImage{in: in}
	for _, attr := range []string{"tag", "reload"} {
		member, _ := img.Attr(attr)
		if _, ok := docs[member.(*starlark.Builtin).Name()]; !ok {
			t.Errorf("Image.%s has no help text", attr)
		}
	}
}

// checkMembersDocumented checks the builtins of a module and, for the
// docker module's collections (docker.images, ...), of its sub-modules.
func checkMembersDocumented(t *testing.T, x starlark.HasAttrs) {
	t.Helper()
	for _, attr := range x.AttrNames() {
		member, _ := x.Attr(attr)
		switch m := member.(type) {
		case *starlark.Builtin:
			if _, ok := docs[m.Name()]; !ok {
				t.Errorf("%s has no help text", m.Name())
			}
		case *starlarkstruct.Module:
			if _, ok := moduleDocs[m.Name]; !ok {
				t.Errorf("module %s has no help text", m.Name)
			}
			checkMembersDocumented(t, m)
		}
	}
}
