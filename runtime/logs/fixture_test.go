package logs

import (
	"context"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// start is the simulated clock's first instant (2025-01-01T00:00:00Z).
var start = sim.DefaultStart

func newTestLogs() (*Logs, *sim.Sim) {
	s := sim.New(sim.Config{})
	return New(Config{Sim: s, Identity: aws.DefaultIdentity()}), s
}

func advance(t *testing.T, s *sim.Sim, d time.Duration) {
	t.Helper()
	if err := s.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

// mustGroup creates a group and a stream in it.
func mustStream(t *testing.T, l *Logs, group, stream string) {
	t.Helper()
	if err := l.EnsureGroup(group); err != nil {
		t.Fatal(err)
	}
	if err := l.EnsureStream(group, stream); err != nil {
		t.Fatal(err)
	}
}

// wantErr checks an error's code and message; an empty code wants no error.
func wantErr(t *testing.T, err error, code, message string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return
	}
	if err == nil {
		t.Fatalf("no error, want %s: %s", code, message)
	}
	e, ok := err.(*awserr.Error)
	if !ok || e.Code != code || (message != "" && e.Message != message) {
		t.Fatalf("error %v, want %s: %s", err, code, message)
	}
}

func msAt(d time.Duration) int64 { return start.Add(d).UnixMilli() }

func put(t *testing.T, l *Logs, group, stream string, evs ...InputLogEvent) *PutLogEventsResponse {
	t.Helper()
	out, err := l.PutLogEvents(&PutLogEventsRequest{LogGroupName: &group, LogStreamName: &stream, LogEvents: evs})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ev(d time.Duration, msg string) InputLogEvent {
	return InputLogEvent{Timestamp: aws.Int64(msAt(d)), Message: aws.String(msg)}
}
