package sim

import (
	"context"
	"sync"
	"time"
)

// Real-time mode, for ecsbox's docker mode, where ECS tasks are real
// containers: the virtual clock follows the wall clock. Advance and RunUntil
// then wait for real: an event due at virtual time T fires when the wall
// clock reaches the instant that corresponds to T, and advancing by a minute
// takes a minute. Before waiting, an advance catches up with the wall clock
// (the time that passed between two statements of a script or the REPL
// fires what fell due in it, at once), so the virtual clock never runs
// behind reality once an advance is over.
//
// The simulation stays single-threaded. What happens outside it (a
// container exits, prints a line, reports its CPU use) reaches it through
// Inject, which any goroutine may call: the function runs on the goroutine
// that advances the clock, at the virtual time that corresponds to the
// wall-clock instant it runs at. Nothing else may touch a Sim from another
// goroutine.
//
// A run in real-time mode is not deterministic: event times depend on how
// long real work takes.

// realTime is the state of real-time mode.
type realTime struct {
	on bool
	// anchorWall and anchorVirtual pair a wall-clock instant with the
	// virtual time (nanoseconds since the start) it corresponds to.
	anchorWall    time.Time
	anchorVirtual int64
	// injected are the functions Inject queued, in order; wake has a value
	// when there are some.
	mu       sync.Mutex
	injected []func()
	wake     chan struct{}
}

// FollowWallClock switches the Sim to real-time mode from now on: the
// current virtual time corresponds to the current wall-clock time. It is
// meant to be called once, before anything is scheduled in real-time terms.
func (s *Sim) FollowWallClock() {
	s.rt.on = true
	s.rt.anchorWall = time.Now()
	s.rt.anchorVirtual = s.now
	s.rt.ensureWake()
}

// RealTime reports whether the Sim follows the wall clock.
func (s *Sim) RealTime() bool { return s.rt.on }

func (r *realTime) ensureWake() {
	r.mu.Lock()
	if r.wake == nil {
		r.wake = make(chan struct{}, 1)
	}
	r.mu.Unlock()
}

// Inject queues fn to run on the simulation's goroutine: during the next
// (or current) Advance, RunUntil or Sync. It is safe to call from any
// goroutine, and never blocks.
func (s *Sim) Inject(fn func()) {
	r := &s.rt
	r.mu.Lock()
	if r.wake == nil {
		r.wake = make(chan struct{}, 1)
	}
	r.injected = append(r.injected, fn)
	wake := r.wake
	r.mu.Unlock()
	select {
	case wake <- struct{}{}:
	default:
	}
}

// drain runs the injected functions queued so far, in order, and reports
// whether there were any.
func (s *Sim) drain() bool {
	r := &s.rt
	r.mu.Lock()
	fns := r.injected
	r.injected = nil
	r.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
	return len(fns) > 0
}

// wallVirtual is the virtual time that corresponds to the wall clock now.
func (s *Sim) wallVirtual() int64 {
	return s.rt.anchorVirtual + int64(time.Since(s.rt.anchorWall))
}

// wallAt is the wall-clock instant that corresponds to virtual time at.
func (s *Sim) wallAt(at int64) time.Time {
	return s.rt.anchorWall.Add(time.Duration(at - s.rt.anchorVirtual))
}

// Sync brings a real-time Sim up to the wall clock: it runs the injected
// functions and fires the events that fell due since the last advance. It
// does nothing to a Sim in virtual time.
func (s *Sim) Sync(ctx context.Context) error {
	if !s.rt.on {
		return nil
	}
	_, err := s.runReal(ctx, max(s.now, s.wallVirtual()), nil)
	return err
}

// runReal runs a real-time Sim until virtual time target (or until cond
// holds, when cond is not nil), waiting for the wall clock, and reports
// whether cond held. Injected functions run as they arrive; events fire at
// their wall-clock instants, or at once when they are already late.
func (s *Sim) runReal(ctx context.Context, target int64, cond func() (bool, error)) (bool, error) {
	check := func() (bool, error) {
		if cond == nil {
			return false, nil
		}
		return cond()
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		now := min(s.wallVirtual(), target)
		if s.queue.len() > 0 && s.queue.next() <= now {
			s.Step()
			if ok, err := check(); ok || err != nil {
				return ok, err
			}
			continue
		}
		s.now = max(s.now, now)
		if s.drain() {
			if ok, err := check(); ok || err != nil {
				return ok, err
			}
			continue
		}
		if ok, err := check(); ok || err != nil {
			return ok, err
		}
		if s.now >= target {
			return false, nil
		}
		next := target
		if s.queue.len() > 0 && s.queue.next() < next {
			next = s.queue.next()
		}
		timer.Reset(time.Until(s.wallAt(next)))
		s.rt.mu.Lock()
		wake := s.rt.wake
		s.rt.mu.Unlock()
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-wake:
		case <-timer.C:
		}
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
	}
}
