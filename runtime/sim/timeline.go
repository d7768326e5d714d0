package sim

import (
	"fmt"
	"slices"
	"time"
)

// Event is one entry of the timeline: something that happened in the
// account, at a virtual time.
type Event struct {
	// Time is when it happened.
	Time time.Time
	// Service is the AWS service it belongs to ("ecs", "ec2", ...), or "sim".
	Service string
	// Kind names what happened, in the service's words ("ClusterCreated").
	Kind string
	// Resource is the ARN or ID of the resource concerned.
	Resource string
	// Message says it in a sentence.
	Message string
}

// String formats the event as one timeline line.
func (e Event) String() string {
	return fmt.Sprintf("%s  %-4s %s", e.Time.UTC().Format("2006-01-02T15:04:05.000Z"), e.Service, e.Message)
}

// Record adds an event at the current virtual time.
func (s *Sim) Record(service, kind, resource, message string) {
	if n := len(s.timeline); n == cap(s.timeline) {
		// Double the storage: append grows large slices by only a quarter,
		// which copied the timeline of a busy day some 20 times.
		s.timeline = slices.Grow(s.timeline, max(n, 256))
	}
	s.timeline = append(s.timeline, Event{Time: s.Now(), Service: service, Kind: kind, Resource: resource, Message: message})
}

// Recordf is Record with a formatted message.
func (s *Sim) Recordf(service, kind, resource, format string, args ...any) {
	s.Record(service, kind, resource, fmt.Sprintf(format, args...))
}

// Timeline returns the events recorded so far, oldest first. The slice is
// the Sim's own; callers must not change it.
func (s *Sim) Timeline() []Event { return s.timeline }
