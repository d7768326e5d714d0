// Package sim is the discrete-event kernel under the simulated AWS account:
// a virtual clock, an event queue ordered by (time, sequence), one seeded
// random generator, deterministic AWS-format IDs, and the timeline of what
// happened.
//
// Nothing in ecsbox reads the wall clock to decide what the account does;
// services ask the Sim what time it is and schedule their future work on it.
// Events that fall on the same instant fire in the order they were scheduled,
// so a run is a pure function of the script and the seed.
//
// The one exception is real-time mode (realtime.go, FollowWallClock), for
// runs whose tasks are real containers: there the clock follows the wall
// clock, and other goroutines reach the simulation only through Inject.
package sim

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"
)

// DefaultSeed is the seed of a run that names none (ecsbox run --seed).
const DefaultSeed = 1

// DefaultStart is the instant a new simulation starts at (design.md).
var DefaultStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Config configures a Sim. Zero fields take the defaults.
type Config struct {
	// Seed seeds the generator behind IDs and every random choice.
	Seed uint64
	// Start is the virtual clock's first instant.
	Start time.Time
}

// Sim is one simulation: clock, queue, generator and timeline. It is not safe
// for concurrent use; the interpreter goroutine owns it.
type Sim struct {
	start    time.Time
	now      int64 // nanoseconds since start
	seq      uint64
	queue    queue
	rand     *rand.Rand
	seed     uint64
	timeline []Event
	fired    uint64
	rt       realTime // real-time mode (realtime.go)
	// nowTime is Now() for the clock at nowAt: services ask the time millions
	// of times a simulated day, mostly at the same instant, and computing it
	// (time.Time.Add) each time was 4% of a day of 200 services.
	nowTime time.Time
	nowAt   int64
}

// New returns a Sim configured by cfg.
func New(cfg Config) *Sim {
	if cfg.Start.IsZero() {
		cfg.Start = DefaultStart
	}
	if cfg.Seed == 0 {
		cfg.Seed = DefaultSeed
	}
	return &Sim{
		start: cfg.Start.UTC(),
		rand:  rand.New(rand.NewPCG(cfg.Seed, 0x65637362_6f78)), // "ecsbox"
		seed:  cfg.Seed,
	}
}

// Seed returns the seed the Sim was made with.
func (s *Sim) Seed() uint64 { return s.seed }

// Now returns the virtual time.
func (s *Sim) Now() time.Time {
	if s.nowAt != s.now || s.nowTime.IsZero() {
		s.nowTime, s.nowAt = s.start.Add(time.Duration(s.now)), s.now
	}
	return s.nowTime
}

// Start returns the instant the simulation started at.
func (s *Sim) Start() time.Time { return s.start }

// Elapsed returns the virtual time since the start.
func (s *Sim) Elapsed() time.Duration { return time.Duration(s.now) }

// Rand returns the run's seeded generator. Every random choice the
// simulation makes must come from it, in a deterministic order.
func (s *Sim) Rand() *rand.Rand { return s.rand }

// Fired returns how many scheduled events have fired so far.
func (s *Sim) Fired() uint64 { return s.fired }

// After schedules fn to run d from now. A negative d means now. name says
// what the event is, for debugging.
func (s *Sim) After(d time.Duration, name string, fn func()) {
	if d < 0 {
		d = 0
	}
	s.schedule(s.now+int64(d), name, fn)
}

// At schedules fn to run at t, or now if t has passed.
func (s *Sim) At(t time.Time, name string, fn func()) {
	at := int64(t.Sub(s.start))
	if at < s.now {
		at = s.now
	}
	s.schedule(at, name, fn)
}

func (s *Sim) schedule(at int64, name string, fn func()) {
	s.seq++
	s.queue.push(timer{at: at, seq: s.seq, name: name, fn: fn})
}

// Timer is a scheduled event that can be stopped before it fires.
type Timer struct {
	stopped, fired bool
}

// AfterFunc is After for events that may need stopping (a cooldown that a
// new alarm resets, a health check of a task that stopped). Plain After is
// cheaper and enough for everything else.
func (s *Sim) AfterFunc(d time.Duration, name string, fn func()) *Timer {
	t := new(Timer)
	s.After(d, name, func() {
		if !t.stopped {
			t.fired = true
			fn()
		}
	})
	return t
}

// Stop keeps the timer from firing and reports whether it was still pending.
// A stopped timer keeps its place in the queue until its time, and fires as
// a no-op.
func (t *Timer) Stop() bool {
	pending := !t.stopped && !t.fired
	t.stopped = true
	return pending
}

// Pending returns the number of scheduled events that have not fired,
// stopped timers included.
func (s *Sim) Pending() int { return s.queue.len() }

// NextAt returns the time of the next pending event.
func (s *Sim) NextAt() (time.Time, bool) {
	if s.queue.len() == 0 {
		return time.Time{}, false
	}
	return s.start.Add(time.Duration(s.queue.next())), true
}

// Step fires the next pending event, moving the clock to its time. It
// reports whether there was one.
func (s *Sim) Step() bool {
	if s.queue.len() == 0 {
		return false
	}
	t := s.queue.pop()
	s.now = t.at
	s.fired++
	t.fn()
	return true
}

// checkEvery is how many events fire between looks at the context, so that
// Ctrl-C and --timeout stop a long advance without slowing the loop.
const checkEvery = 1024

// Advance runs the simulation for d: every event due up to now+d fires in
// order, then the clock rests at now+d. It stops early, with the context's
// error, when ctx is done; the clock then rests at the last event fired.
// In real-time mode (realtime.go) it first catches up with the wall clock,
// then waits d for real.
func (s *Sim) Advance(ctx context.Context, d time.Duration) error {
	if d < 0 {
		return fmt.Errorf("cannot advance by a negative duration (%s)", d)
	}
	if s.rt.on {
		_, err := s.runReal(ctx, max(s.now, s.wallVirtual())+int64(d), nil)
		return err
	}
	return s.advanceTo(ctx, s.now+int64(d))
}

func (s *Sim) advanceTo(ctx context.Context, target int64) error {
	for n := 0; ; n++ {
		if n%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if s.queue.len() == 0 || s.queue.next() > target {
			break
		}
		s.Step()
	}
	s.now = target
	return ctx.Err()
}

// RunUntil advances event by event until cond reports true, and reports
// whether it did before timeout of virtual time passed. cond is checked
// first, then after every event. When it never holds, the clock rests at
// now+timeout. In real-time mode the timeout is wall-clock time.
func (s *Sim) RunUntil(ctx context.Context, timeout time.Duration, cond func() (bool, error)) (bool, error) {
	if timeout < 0 {
		return false, fmt.Errorf("cannot run for a negative duration (%s)", timeout)
	}
	if s.rt.on {
		if ok, err := cond(); ok || err != nil {
			return ok, err
		}
		ok, err := s.runReal(ctx, max(s.now, s.wallVirtual())+int64(timeout), cond)
		if err != nil || ok {
			return ok, err
		}
		return cond()
	}
	deadline := s.now + int64(timeout)
	for n := 0; ; n++ {
		ok, err := cond()
		if err != nil || ok {
			return ok, err
		}
		if n%checkEvery == checkEvery-1 {
			if err := ctx.Err(); err != nil {
				return false, err
			}
		}
		if s.queue.len() == 0 || s.queue.next() > deadline {
			s.now = deadline
			ok, err := cond()
			return ok, err
		}
		s.Step()
	}
}
