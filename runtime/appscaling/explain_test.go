package appscaling

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestExplainKeepsTheLastDecisions: Explain shows the last 50 decisions,
// oldest first, worded as they were taken even when the policy changes
// afterwards (target tracking lines are worded only when read).
func TestExplainKeepsTheLastDecisions(t *testing.T) {
	f, arn, _, low := ttFixture(t, 1, 10, 50)
	for i := range 60 {
		f.advance(t, time.Minute)
		f.fire(arn, low, 40+float64(i)/10)
	}
	f.put(t, ttRequest(web, "cpu", 60)) // a new target must not reword the old lines
	var lines []string
	for _, l := range strings.Split(f.a.Explain(web), "\n") {
		if strings.Contains(l, "→ AlarmLow") {
			lines = append(lines, l)
		}
	}
	if len(lines) != maxDecisions {
		t.Fatalf("%d decisions shown, want %d", len(lines), maxDecisions)
	}
	for k, i := range []int{10, 59} {
		m := fmt.Sprint(40 + float64(i)/10)
		want := fmt.Sprintf("2025-01-01T%02d:%02d:00.000Z  cpu: CPUUtilization %s < 45 for 15 minutes → AlarmLow → "+
			"desired = max(min 1, ceil(2 × %s / 50) = 2) = 2 → no change: 2 would not remove a task from the 2 running", (i+1)/60, (i+1)%60, m, m)
		if got := lines[k*(maxDecisions-1)]; got != want {
			t.Errorf("decision %d:\n got %s\nwant %s", i, got, want)
		}
	}
}
