package builtins

import (
	"fmt"
	"sort"
	"strings"
	gotime "time"

	"go.starlark.net/lib/time"
	"go.starlark.net/starlark"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// eventFilter selects timeline events for sim.events and sim.timeline:
//
//   - since and until (timestamps, both inclusive) bound the window;
//   - service keeps the events of one service ("ecs", "ec2", "cloudwatch",
//     "autoscaling", "application-autoscaling", ...);
//   - filter, a string or a list of strings, keeps an event when any of
//     them is its service or a prefix of its kind: "ServiceEvent" (the
//     service events), "Task" (every task state change), "Alarm" (alarm
//     state changes and actions), "Instance" (EC2 and Auto Scaling
//     instances), ["ecs", "autoscaling"].
type eventFilter struct {
	since, until gotime.Time // zero: unbounded
	service      string
	terms        []string
}

func (f eventFilter) match(e sim.Event) bool {
	if f.service != "" && e.Service != f.service {
		return false
	}
	if !f.since.IsZero() && e.Time.Before(f.since) {
		return false
	}
	if !f.until.IsZero() && e.Time.After(f.until) {
		return false
	}
	if len(f.terms) == 0 {
		return true
	}
	for _, t := range f.terms {
		if termMatches(t, e) {
			return true
		}
	}
	return false
}

func termMatches(term string, e sim.Event) bool {
	return e.Service == term || strings.HasPrefix(e.Kind, term)
}

// instant accepts a timestamp string (as sim.now() and API responses give)
// or a time value; None leaves it zero.
type instant gotime.Time

func (t *instant) Unpack(v starlark.Value) error {
	switch x := v.(type) {
	case starlark.NoneType:
		*t = instant{}
	case starlark.String:
		parsed, err := aws.ParseTime(string(x))
		if err != nil {
			return fmt.Errorf("invalid timestamp %s: write it as sim.now() returns it, \"2025-01-01T00:30:00.000Z\"", x)
		}
		*t = instant(parsed)
	case time.Time:
		*t = instant(x)
	default:
		return fmt.Errorf("got %s, want a timestamp such as sim.now() returns", v.Type())
	}
	return nil
}

// filterTerms accepts a string or a list or tuple of strings.
type filterTerms []string

func (l *filterTerms) Unpack(v starlark.Value) error {
	if s, ok := v.(starlark.String); ok {
		*l = []string{string(s)}
		return nil
	}
	if v == starlark.None {
		*l = nil
		return nil
	}
	seq, ok := v.(starlark.Indexable)
	if !ok {
		return fmt.Errorf("got %s, want a string or a list of strings", v.Type())
	}
	*l = nil
	for i := 0; i < seq.Len(); i++ {
		s, ok := starlark.AsString(seq.Index(i))
		if !ok {
			return fmt.Errorf("item %d: got %s, want a string", i, seq.Index(i).Type())
		}
		*l = append(*l, s)
	}
	return nil
}

func (in *Interp) unpackFilter(b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (eventFilter, error) {
	var f eventFilter
	var since, until instant
	var terms filterTerms
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "since?", &since, "service?", &f.service, "filter?", &terms, "until?", &until); err != nil {
		return f, err
	}
	f.since, f.until, f.terms = gotime.Time(since), gotime.Time(until), terms
	return f, nil
}

// unknownTerms returns a note for filter terms that match no event of the
// whole timeline, with the closest service or kind recorded so far, so that
// filter="ServiceEvnet" does not just print "(no events)".
func unknownTerms(f eventFilter, timeline []sim.Event) string {
	var notes []string
	for _, t := range f.terms {
		seen := map[string]bool{}
		found := false
		for _, e := range timeline {
			if termMatches(t, e) {
				found = true
				break
			}
			seen[e.Service], seen[e.Kind] = true, true
		}
		if found {
			continue
		}
		names := make([]string, 0, len(seen))
		for n := range seen {
			names = append(names, n)
		}
		sort.Strings(names)
		note := fmt.Sprintf("%q matches no service or kind so far", t)
		if s := closest(t, names); s != "" {
			note += fmt.Sprintf(" (did you mean %q?)", s)
		}
		notes = append(notes, note)
	}
	return strings.Join(notes, "; ")
}
