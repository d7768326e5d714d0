package testscripts

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/cmd/ecsbox/cli"
)

// TestREADMEPlotsAreWhatTheScenariosDraw reruns each scenario whose plot
// README.md shows (docs/plots/<scenario>.svg) with --out and compares the
// SVG it writes with the one in docs/plots, so the README never shows a
// plot the code no longer draws. After an intended change:
// ecsbox run scripts/<scenario>.star --out DIR and copy DIR/<scenario>.svg.
func TestREADMEPlotsAreWhatTheScenariosDraw(t *testing.T) {
	plots, err := filepath.Glob("../docs/plots/*.svg")
	if err != nil || len(plots) == 0 {
		t.Fatalf("no plots in docs/plots: %v", err)
	}
	// Plots not named after their scenario.
	drawnBy := map[string]string{"cpu_stress_fargate": "cpu_stress_autoscaling"}
	for _, plot := range plots {
		name := strings.TrimSuffix(filepath.Base(plot), ".svg")
		scenario := name
		if s, ok := drawnBy[name]; ok {
			scenario = s
		}
		script := filepath.Join("..", "scripts", scenario+".star")
		if _, err := os.Stat(script); err != nil {
			t.Errorf("docs/plots/%s.svg: no scenario scripts/%s.star draws it", name, scenario)
			continue
		}
		t.Run(name, func(t *testing.T) {
			out := t.TempDir()
			var stdout, stderr bytes.Buffer
			if code := cli.Run([]string{"run", script, "--out", out}, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			got, err := os.ReadFile(filepath.Join(out, name+".svg"))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(plot)
			if !bytes.Equal(got, want) {
				t.Errorf("docs/plots/%s.svg differs from what scripts/%s.star draws now: rerun it with --out and copy the SVG", name, scenario)
			}
		})
	}
}
