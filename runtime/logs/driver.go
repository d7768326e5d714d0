package logs

import (
	"fmt"
	"time"
)

// The Go API of the ECS awslogs log driver [DG:using_awslogs]. ECS checks
// the group when a container starts (GroupExists, or EnsureGroup with
// awslogs-create-group=true), creates the container's stream
// <prefix>/<container-name>/<ecs-task-id> (EnsureStream), and sends each
// line the container writes (Write). Events serves tests and scenarios.

// Event is one stored log event, as Events returns it.
type Event struct {
	Time    time.Time
	Message string
}

// GroupExists reports whether a log group exists.
func (l *Logs) GroupExists(name string) bool {
	_, ok := l.groups[name]
	return ok
}

// EnsureGroup creates a log group (class STANDARD, no retention) unless it
// exists, as the awslogs driver does with awslogs-create-group=true. An
// invalid name fails with CreateLogGroup's validation error.
func (l *Logs) EnsureGroup(name string) error {
	if l.GroupExists(name) {
		return nil
	}
	if _, err := l.CreateLogGroup(&CreateLogGroupRequest{LogGroupName: &name}); err != nil {
		return err
	}
	return nil
}

// EnsureStream creates a log stream unless it exists. A missing group fails
// with ResourceNotFoundException ("The specified log group does not
// exist."), as CreateLogStream does.
func (l *Logs) EnsureStream(group, stream string) error {
	g, err := l.lookupGroup(group)
	if err != nil {
		return err
	}
	if _, ok := g.streams[stream]; ok {
		return nil
	}
	if err := checkStreamName("logStreamName", stream); err != nil {
		return err
	}
	l.createStream(g, stream)
	return nil
}

// Write stores one event with timestamp and ingestion time at. It applies
// PutLogEvents's rules: a missing group or stream, an empty or too large
// message fail with the AWS error; an event that PutLogEvents would reject
// (more than 2 hours after the simulated now, older than 14 days or than the
// group's retention) fails with a plain error that says so.
func (l *Logs) Write(group, stream string, at time.Time, message string) error {
	g, err := l.lookupGroup(group)
	if err != nil {
		return err
	}
	s, err := lookupStream(g, stream)
	if err != nil {
		return err
	}
	// Judge the time against the simulated clock, as PutLogEvents at this
	// instant would; put then sees an event that arrives when it happens.
	now, ts := l.nowMS(), ms(at)
	when := at.UTC().Format(time.RFC3339)
	switch {
	case ts > now+maxFuture.Milliseconds():
		return fmt.Errorf("log event at %s is more than 2 hours in the future", when)
	case ts < now-maxAge.Milliseconds():
		return fmt.Errorf("log event at %s is older than 14 days", when)
	case g.retention > 0 && ts < now-(time.Duration(g.retention)*day).Milliseconds():
		return fmt.Errorf("log event at %s is older than the %d-day retention of log group %s", when, g.retention, g.name)
	}
	_, err = l.put(g, s, []event{{ts: ts, message: message}}, ts)
	return err
}

// Events returns a stream's events in order, or nil when the group or the
// stream does not exist.
func (l *Logs) Events(group, stream string) []Event {
	g, ok := l.groups[group]
	if !ok {
		return nil
	}
	s, ok := g.streams[stream]
	if !ok {
		return nil
	}
	out := make([]Event, len(s.events))
	for i, e := range s.events {
		out[i] = Event{Time: time.UnixMilli(e.ts).UTC(), Message: e.message}
	}
	return out
}
