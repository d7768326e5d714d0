package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestWorkloadScriptRunsCommandsInOrder(t *testing.T) {
	for _, tc := range []struct {
		script string
		want   int
		out    string
	}{
		{"exit 3", 3, "exiting with code 3"},
		{"sleep 0.01; exit 4", 4, "sleeping 10ms"},
		{"sleep 0.01 ; exit 5", 5, "exiting with code 5"},
		{"false && exit 6; exit 7", 1, ""},
		{"true && exit 8", 8, ""},
		{"'exit' \"9\"", 9, ""},
	} {
		var out, errs bytes.Buffer
		if got := workloadScript(tc.script, &out, &errs); got != tc.want || !strings.Contains(out.String(), tc.out) {
			t.Errorf("sh -c %q = %d, %q; want %d and %q", tc.script, got, out.String(), tc.want, tc.out)
		}
	}
}

func TestWorkloadNameAnswersToTheImageLinks(t *testing.T) {
	for argv0, want := range map[string]bool{"/bin/sh": true, "/usr/bin/stress": true, "sleep": true, "/usr/local/bin/ecsbox": false, "ecsbox.test": false} {
		if _, got := WorkloadName(argv0); got != want {
			t.Errorf("WorkloadName(%q) = %v, want %v", argv0, got, want)
		}
	}
}

func TestStressRefusesUnknownOptions(t *testing.T) {
	var out, errs bytes.Buffer
	if got := stressWorkload([]string{"--frobnicate"}, &out, &errs); got != 1 || !strings.Contains(errs.String(), "unrecognized option") {
		t.Errorf("stress --frobnicate = %d, %q", got, errs.String())
	}
	if got := stressWorkload([]string{"--cpu", "0", "--timeout", "0.01"}, &out, &errs); got != 0 || !strings.Contains(out.String(), "successful run completed") {
		t.Errorf("stress --cpu 0 --timeout 0.01 = %d, %q", got, out.String())
	}
}
