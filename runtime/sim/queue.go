package sim

// timer is one scheduled event.
type timer struct {
	at   int64  // nanoseconds since the start
	seq  uint64 // order of scheduling, the tie-breaker
	name string
	fn   func()
}

func (a *timer) before(b *timer) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

// timerHeap is a 4-ary min-heap of timers by (at, seq). A 4-ary heap is
// shallower than a binary one and keeps children on one cache line, which
// matters at millions of events per second (see BenchmarkQueue).
type timerHeap []timer

func (h *timerHeap) push(t timer) {
	*h = append(*h, t)
	q := *h
	// Move parents down into the hole until t's place is found, then write
	// t once: half the writes of swapping.
	i := len(q) - 1
	for i > 0 {
		parent := (i - 1) / 4
		if !t.before(&q[parent]) {
			break
		}
		q[i] = q[parent]
		i = parent
	}
	q[i] = t
}

func (h *timerHeap) pop() timer {
	q := *h
	top := q[0]
	last := len(q) - 1
	x := q[last]
	q[last] = timer{} // let the closure be collected
	q = q[:last]
	*h = q
	if last == 0 {
		return top
	}
	// Sift the hole at the root down, moving the smallest child up, until
	// x fits; x is written once at the end.
	i := 0
	for {
		first := 4*i + 1
		if first >= len(q) {
			break
		}
		m := first
		for c := first + 1; c < first+4 && c < len(q); c++ {
			if q[c].before(&q[m]) {
				m = c
			}
		}
		if !q[m].before(&x) {
			break
		}
		q[i] = q[m]
		i = m
	}
	q[i] = x
	return top
}
