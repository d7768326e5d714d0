package sim

// timer is one scheduled event.
type timer struct {
	at   int64  // nanoseconds since the start
	seq  uint64 // order of scheduling, the tie-breaker
	name string
	fn   func()
}

// queue holds the pending events in (at, seq) order. Events are grouped by
// instant: a heap orders the distinct instants, and each instant keeps its
// events first in, first out, which is seq order because seq only grows. A
// day of 200 services has some 4,000 events pending on fewer than 50
// instants (the 400 alarm evaluations of a minute share one), so most pops
// take the next event of the current instant without touching the heap,
// where one heap of events sifted each pop through six levels.
type queue struct {
	instants instantHeap
	byAt     map[int64]*instant
	// last is the instant of the last push: events scheduled one after the
	// other mostly share it.
	last *instant
	n    int
	// free are emptied instants, kept with their capacity for reuse.
	free []*instant
}

// instant is the events due at one time, oldest first from head on.
type instant struct {
	at     int64
	events []timer
	head   int
}

func (q *queue) len() int { return q.n }

// next returns the time of the first event; the queue must not be empty.
func (q *queue) next() int64 { return q.instants[0].at }

func (q *queue) push(t timer) {
	in := q.last
	if in == nil || in.at != t.at {
		in = q.byAt[t.at]
		if in == nil {
			in = q.newInstant(t.at)
		}
		q.last = in
	}
	in.events = append(in.events, t)
	q.n++
}

func (q *queue) newInstant(at int64) *instant {
	var in *instant
	if k := len(q.free); k > 0 {
		in, q.free = q.free[k-1], q.free[:k-1]
		in.at = at
	} else {
		in = &instant{at: at}
	}
	if q.byAt == nil {
		q.byAt = map[int64]*instant{}
	}
	q.byAt[at] = in
	q.instants.push(instantRef{at, in})
	return in
}

// pop removes and returns the first event; the queue must not be empty.
func (q *queue) pop() timer {
	in := q.instants[0].in
	t := in.events[in.head]
	in.events[in.head] = timer{} // let the closure be collected
	in.head++
	q.n--
	if in.head == len(in.events) {
		q.instants.pop()
		delete(q.byAt, in.at)
		if q.last == in {
			q.last = nil
		}
		in.events, in.head = in.events[:0], 0
		q.free = append(q.free, in)
	}
	return t
}

// instantRef is an instant in the heap, with its time beside it so that
// comparisons do not follow the pointer.
type instantRef struct {
	at int64
	in *instant
}

// instantHeap is a 4-ary min-heap of instants by time (all distinct). A
// 4-ary heap is shallower than a binary one and keeps children on one cache
// line.
type instantHeap []instantRef

func (h *instantHeap) push(r instantRef) {
	*h = append(*h, r)
	q := *h
	// Move parents down into the hole until r's place is found, then write
	// r once.
	i := len(q) - 1
	for i > 0 {
		parent := (i - 1) / 4
		if r.at >= q[parent].at {
			break
		}
		q[i] = q[parent]
		i = parent
	}
	q[i] = r
}

func (h *instantHeap) pop() {
	q := *h
	last := len(q) - 1
	x := q[last]
	q[last] = instantRef{}
	q = q[:last]
	*h = q
	if last == 0 {
		return
	}
	// Sift the hole at the root down, moving the smallest child up, until
	// x fits.
	i := 0
	for {
		first := 4*i + 1
		if first >= len(q) {
			break
		}
		m := first
		for c := first + 1; c < first+4 && c < len(q); c++ {
			if q[c].at < q[m].at {
				m = c
			}
		}
		if q[m].at >= x.at {
			break
		}
		q[i] = q[m]
		i = m
	}
	q[i] = x
}
