package sim

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQueueOrder pushes and pops events at random, many sharing instants
// and some pushed at the instant being drained, and checks every pop
// against the (at, seq) order.
func TestQueueOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	var q queue
	var want []timer // pending, kept sorted by (at, seq)
	var seq uint64
	now := int64(0)
	for range 200_000 {
		if r.IntN(2) == 0 || len(want) == 0 {
			at := now + int64(r.IntN(20))*1000 // few distinct instants
			if r.IntN(4) == 0 {
				at = now // at the instant being drained
			}
			if r.IntN(50) == 0 {
				at = now + int64(r.IntN(1<<30)) // far apart
			}
			seq++
			tm := timer{at: at, seq: seq}
			q.push(tm)
			i, _ := slices.BinarySearchFunc(want, tm, func(a, b timer) int {
				if a.at != b.at {
					return cmpInt(a.at, b.at)
				}
				return cmpInt(int64(a.seq), int64(b.seq))
			})
			want = slices.Insert(want, i, tm)
		} else {
			if got := q.next(); got != want[0].at {
				t.Fatalf("next %d, want %d", got, want[0].at)
			}
			got := q.pop()
			if got.at != want[0].at || got.seq != want[0].seq {
				t.Fatalf("popped (%d, %d), want (%d, %d)", got.at, got.seq, want[0].at, want[0].seq)
			}
			now = got.at
			want = want[1:]
		}
		if q.len() != len(want) {
			t.Fatalf("len %d, want %d", q.len(), len(want))
		}
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
