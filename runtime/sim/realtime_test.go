package sim

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRealTimeAdvanceWaitsForTheWallClock(t *testing.T) {
	s := New(Config{})
	s.FollowWallClock()
	var firedAfter time.Duration
	began := time.Now()
	s.After(30*time.Millisecond, "tick", func() { firedAfter = time.Since(began) })
	if err := s.Advance(context.Background(), 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	if firedAfter < 30*time.Millisecond {
		t.Errorf("event due in 30ms fired after %s", firedAfter)
	}
	if took < 50*time.Millisecond || took > time.Second {
		t.Errorf("Advance(50ms) took %s", took)
	}
	if e := s.Elapsed(); e < 50*time.Millisecond || e > time.Second {
		t.Errorf("virtual clock at %s after a 50ms advance", e)
	}
}

func TestRealTimeInjectRunsOnTheAdvancingGoroutineAndWakesIt(t *testing.T) {
	s := New(Config{})
	s.FollowWallClock()
	done := false
	go func() {
		time.Sleep(20 * time.Millisecond)
		s.Inject(func() { done = true })
	}()
	began := time.Now()
	ok, err := s.RunUntil(context.Background(), 5*time.Second, func() (bool, error) { return done, nil })
	if err != nil || !ok {
		t.Fatalf("RunUntil = %v, %v", ok, err)
	}
	if took := time.Since(began); took > time.Second {
		t.Errorf("an injected function took %s to end the wait", took)
	}
	if e := s.Elapsed(); e < 20*time.Millisecond {
		t.Errorf("the clock is at %s, before the injection", e)
	}
}

func TestRealTimeAdvanceStopsWhenTheContextEnds(t *testing.T) {
	s := New(Config{})
	s.FollowWallClock()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	began := time.Now()
	err := s.Advance(ctx, time.Hour)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Advance = %v, want context.Canceled", err)
	}
	if took := time.Since(began); took > time.Second {
		t.Errorf("cancelling took %s to stop the advance", took)
	}
}

func TestRealTimeCatchesUpAfterIdleTime(t *testing.T) {
	s := New(Config{})
	s.FollowWallClock()
	fired := false
	s.After(10*time.Millisecond, "due while idle", func() { fired = true })
	time.Sleep(30 * time.Millisecond)
	if err := s.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !fired {
		t.Error("an event that fell due while idle did not fire on Sync")
	}
	if e := s.Elapsed(); e < 30*time.Millisecond {
		t.Errorf("clock at %s after 30ms idle and Sync", e)
	}
}

func TestVirtualTimeIgnoresInjectedUntilAdvance(t *testing.T) {
	s := New(Config{})
	n := 0
	s.Inject(func() { n++ })
	if err := s.Sync(context.Background()); err != nil || n != 0 {
		t.Fatalf("Sync in virtual time ran injected functions (n=%d, err=%v)", n, err)
	}
	// Virtual time never sleeps, even for long advances.
	began := time.Now()
	if err := s.Advance(context.Background(), 24*time.Hour); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(began); took > time.Second {
		t.Errorf("a virtual day took %s", took)
	}
}
