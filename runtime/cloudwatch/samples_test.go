package cloudwatch

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSampleLog checks the blocks against a plain slice through appends and
// inserts, and every segment that straddles a block boundary.
func TestSampleLog(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var l sampleLog
	var want []sample
	for n := range 3*sampleBlock + 100 {
		x := sample{t: int64(n), sum: float64(n)}
		if i := r.IntN(len(want) + 1); r.IntN(8) == 0 && len(want) > 0 {
			l.insert(i, x)
			want = slices.Insert(want, i, x)
		} else {
			l.append(x)
			want = append(want, x)
		}
		if l.len() != len(want) {
			t.Fatalf("after %d: len %d, want %d", n, l.len(), len(want))
		}
	}
	for i := range want {
		if *l.at(i) != want[i] {
			t.Fatalf("sample %d: %+v, want %+v", i, *l.at(i), want[i])
		}
	}
	for _, i := range []int{0, 1, sampleBlock - 3, sampleBlock - 1, sampleBlock, 2*sampleBlock - 1, len(want) - 5} {
		for _, j := range []int{i, i + 1, i + 2, i + 5} {
			if got := l.segment(i, j); !slices.Equal(got, want[i:j]) {
				t.Errorf("segment(%d, %d) = %v, want %v", i, j, got, want[i:j])
			}
		}
	}
	for k, b := range l.full {
		if len(b) != sampleBlock {
			t.Errorf("block %d holds %d samples", k, len(b))
		}
	}
}
