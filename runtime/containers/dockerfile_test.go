package containers

import (
	"reflect"
	"testing"
)

func TestParseDockerfile(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\n" +
		"ARG BASE=python:3.12-slim\n" +
		"FROM ${BASE} AS app\n" +
		"\n" +
		"RUN apt-get update && \\\n" +
		"    # a comment inside a continuation\n" +
		"    apt-get install -y curl\n" +
		"copy --chown=app:app app.py /srv/\n" +
		"CMD [\"python\", \"/srv/app.py\"]\n"
	got, err := parseDockerfile(src)
	if err != nil {
		t.Fatal(err)
	}
	var cmds []string
	for _, in := range got {
		cmds = append(cmds, in.cmd)
	}
	if !reflect.DeepEqual(cmds, []string{"ARG", "FROM", "RUN", "COPY", "CMD"}) {
		t.Errorf("instructions = %v", cmds)
	}
	if got[2].args != "apt-get update &&  apt-get install -y curl" || got[2].line != 5 {
		t.Errorf("RUN = %q (line %d)", got[2].args, got[2].line)
	}
	if got[3].flags["chown"] != "app:app" || got[3].args != "app.py /srv/" {
		t.Errorf("COPY = %+v", got[3])
	}
	for _, tt := range []struct{ src, want string }{
		{"FROM alpine\nCOPPY a b\n", "dockerfile parse error on line 2: unknown instruction: COPPY"},
		{"FROM alpine\nWORKDIR\n", "dockerfile parse error on line 2: WORKDIR requires at least one argument"},
		{"# nothing\n", "the Dockerfile cannot be empty"},
	} {
		if _, err := parseDockerfile(tt.src); err == nil || err.Error() != tt.want {
			t.Errorf("parse(%q) = %v, want %s", tt.src, err, tt.want)
		}
	}
}

func TestExpand(t *testing.T) {
	vars := map[string]string{"NAME": "web", "EMPTY": "", "V": "1.2"}
	tests := []struct{ in, want string }{
		{"$NAME", "web"},
		{"${NAME}-x", "web-x"},
		{"app-$V.tar", "app-1.2.tar"},
		{"${MISSING:-def}", "def"},
		{"${EMPTY:-def}", "def"},
		{"${NAME:-def}", "web"},
		{"${NAME:+set}", "set"},
		{"${MISSING:+set}", ""},
		{`\$NAME`, "$NAME"},
		{"$", "$"},
		{"a $1 b", "a  b"},
	}
	for _, tt := range tests {
		if got := expand(tt.in, vars); got != tt.want {
			t.Errorf("expand(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWordsAndKeyValues(t *testing.T) {
	if got := words(`a "b c" 'd e' f\ g`); !reflect.DeepEqual(got, []string{"a", "b c", "d e", "f g"}) {
		t.Errorf("words = %q", got)
	}
	kv, err := keyValues(`A=1 B="two words" C=`, true)
	if err != nil || !reflect.DeepEqual(kv, [][2]string{{"A", "1"}, {"B", "two words"}, {"C", ""}}) {
		t.Errorf("keyValues = %q, %v", kv, err)
	}
	kv, _ = keyValues(`GREETING hello world`, true)
	if !reflect.DeepEqual(kv, [][2]string{{"GREETING", "hello world"}}) {
		t.Errorf("legacy ENV = %q", kv)
	}
	if _, err := keyValues(`version`, false); err == nil {
		t.Error("LABEL without = accepted")
	}
	if got := commandForm(`["nginx", "-g", "daemon off;"]`); !reflect.DeepEqual(got, []string{"nginx", "-g", "daemon off;"}) {
		t.Errorf("exec form = %q", got)
	}
	if got := commandForm(`python app.py`); !reflect.DeepEqual(got, []string{"/bin/sh", "-c", "python app.py"}) {
		t.Errorf("shell form = %q", got)
	}
}
