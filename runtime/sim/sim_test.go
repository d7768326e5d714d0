package sim

import (
	"context"
	"regexp"
	"testing"
	"time"
)

func TestEventsFireInTimeThenScheduleOrder(t *testing.T) {
	s := New(Config{})
	var got []string
	add := func(d time.Duration, name string) {
		s.After(d, name, func() { got = append(got, name) })
	}
	add(2*time.Second, "c")
	add(time.Second, "a")
	add(2*time.Second, "d")
	add(time.Second, "b")
	add(0, "now")
	if err := s.Advance(context.Background(), 2*time.Second); err != nil {
		t.Fatal(err)
	}
	want := []string{"now", "a", "b", "c", "d"}
	if len(got) != len(want) {
		t.Fatalf("fired %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("fired %v, want %v", got, want)
		}
	}
}

func TestAdvanceLeavesLaterEventsAndMovesClock(t *testing.T) {
	s := New(Config{})
	fired := false
	s.After(91*time.Second, "later", func() { fired = true })
	if err := s.Advance(context.Background(), 90*time.Second); err != nil {
		t.Fatal(err)
	}
	if fired {
		t.Fatal("event due at 91s fired during a 90s advance")
	}
	if got, want := s.Now(), DefaultStart.Add(90*time.Second); !got.Equal(want) {
		t.Fatalf("now = %s, want %s", got, want)
	}
	if err := s.Advance(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	if !fired {
		t.Fatal("event due at 91s did not fire by 91s")
	}
}

func TestEventScheduledDuringAdvanceFiresIfDue(t *testing.T) {
	s := New(Config{})
	n := 0
	var tick func()
	tick = func() {
		n++
		s.After(time.Minute, "tick", tick)
	}
	s.After(time.Minute, "tick", tick)
	if err := s.Advance(context.Background(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if n != 60 {
		t.Fatalf("ticked %d times in an hour, want 60", n)
	}
}

func TestRunUntil(t *testing.T) {
	s := New(Config{})
	done := false
	s.After(5*time.Minute, "done", func() { done = true })
	s.After(30*time.Minute, "never reached", func() { t.Error("ran past the condition") })
	ok, err := s.RunUntil(context.Background(), 10*time.Minute, func() (bool, error) { return done, nil })
	if err != nil || !ok {
		t.Fatalf("RunUntil = %v, %v; want true", ok, err)
	}
	if got := s.Elapsed(); got != 5*time.Minute {
		t.Fatalf("clock at %s, want 5m0s", got)
	}
	ok, err = s.RunUntil(context.Background(), 10*time.Minute, func() (bool, error) { return false, nil })
	if err != nil || ok {
		t.Fatalf("RunUntil = %v, %v; want false", ok, err)
	}
	if got := s.Elapsed(); got != 15*time.Minute {
		t.Fatalf("clock at %s after a timeout, want 15m0s", got)
	}
}

func TestTimerStop(t *testing.T) {
	s := New(Config{})
	fired := false
	tm := s.AfterFunc(time.Second, "stopped", func() { fired = true })
	if !tm.Stop() {
		t.Fatal("Stop of a pending timer reported false")
	}
	if tm.Stop() {
		t.Fatal("second Stop reported true")
	}
	s.Advance(context.Background(), time.Minute)
	if fired {
		t.Fatal("stopped timer fired")
	}
}

func TestAdvanceStopsWhenContextEnds(t *testing.T) {
	s := New(Config{})
	var tick func()
	tick = func() { s.After(time.Millisecond, "tick", tick) }
	s.After(0, "tick", tick)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Advance(ctx, 24*time.Hour); err != context.Canceled {
		t.Fatalf("Advance = %v, want context.Canceled", err)
	}
	if s.Elapsed() >= 24*time.Hour {
		t.Fatal("a cancelled advance still reached its end")
	}
}

func TestIDsAreDeterministicAndWellFormed(t *testing.T) {
	a, b := New(Config{Seed: 7}), New(Config{Seed: 7})
	for i := 0; i < 3; i++ {
		if x, y := a.TaskID(), b.TaskID(); x != y {
			t.Fatalf("same seed gave %s and %s", x, y)
		}
	}
	if New(Config{Seed: 1}).TaskID() == New(Config{Seed: 2}).TaskID() {
		t.Fatal("different seeds gave the same task ID")
	}
	checks := []struct {
		id, pattern string
	}{
		{a.TaskID(), `^[0-9a-f]{32}$`},
		{a.EC2ID("i"), `^i-[0-9a-f]{17}$`},
		{a.UUID(), `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`},
	}
	for _, c := range checks {
		if !regexp.MustCompile(c.pattern).MatchString(c.id) {
			t.Errorf("%q does not match %s", c.id, c.pattern)
		}
	}
}

// BenchmarkQueue measures the event loop: each event fired schedules
// another, with 1000 events pending, so every op is one push and one pop at
// a realistic queue depth. Events per second = 1e9 / ns/op.
func BenchmarkQueue(b *testing.B) {
	s := New(Config{})
	var tick func()
	tick = func() { s.After(time.Duration(1+s.rand.IntN(1000))*time.Millisecond, "tick", tick) }
	for i := 0; i < 1000; i++ {
		s.After(time.Duration(i)*time.Millisecond, "tick", tick)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkQueueSharedInstants is the event loop as a day of service auto
// scaling has it: 4,000 events pending on 50 instants, each rescheduling
// itself a minute later (as 400 alarms, evaluated at the same second of
// every minute, do).
func BenchmarkQueueSharedInstants(b *testing.B) {
	s := New(Config{})
	for i := range 4000 {
		var tick func()
		tick = func() { s.After(time.Minute, "tick", tick) }
		s.After(time.Duration(i%50)*time.Second, "tick", tick)
	}
	for b.Loop() {
		s.Step()
	}
}

// BenchmarkRecord is one timeline event, as a run of a day of 200 services
// records some 78,000.
func BenchmarkRecord(b *testing.B) {
	s := New(Config{})
	for b.Loop() {
		s.Record("ecs", "TaskRunning", "arn:aws:ecs:us-east-1:123456789012:task/bench/0", "task 0 is RUNNING")
	}
}
