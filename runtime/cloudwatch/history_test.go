package cloudwatch

import "testing"

// TestHistoryLog checks the chunked history against a plain slice through
// appends and drops that cross chunk boundaries.
func TestHistoryLog(t *testing.T) {
	var l historyLog
	var want []int
	next := 0
	steps := []struct{ add, drop int }{
		{10, 3}, {historyChunk, 0}, {historyChunk - 7, historyChunk + 5}, {1, 0}, {0, historyChunk - 100},
		{3 * historyChunk, 2 * historyChunk}, {5, 0}, {0, 0},
	}
	for _, st := range steps {
		for range st.add {
			next++
			l.append(historyItem{seq: next})
			want = append(want, next)
		}
		l.dropOldest(st.drop)
		want = want[st.drop:]
		if l.len() != len(want) {
			t.Fatalf("after +%d -%d: len %d, want %d", st.add, st.drop, l.len(), len(want))
		}
		for i, seq := range want {
			if got := l.at(i).seq; got != seq {
				t.Fatalf("after +%d -%d: item %d is %d, want %d", st.add, st.drop, i, got, seq)
			}
		}
		if len(l.chunks) > len(want)/historyChunk+2 {
			t.Errorf("after +%d -%d: %d chunks kept for %d items", st.add, st.drop, len(l.chunks), len(want))
		}
	}
}
