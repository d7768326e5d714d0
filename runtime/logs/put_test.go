package logs

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestPutLogEventsRejections(t *testing.T) {
	h := time.Hour
	d := 24 * h
	tests := []struct {
		name      string
		retention int
		events    []time.Duration // offsets from now (now = start + 20 days)
		rejected  string          // JSON of rejectedLogEventsInfo, "" for none
		stored    int
	}{
		{"all valid", 0, []time.Duration{-h, 0, h}, "", 3},
		{"too new from index 2", 0, []time.Duration{0, 2 * h, 2*h + time.Millisecond, 3 * h}, `{"tooNewLogEventStartIndex":2}`, 2},
		{"too old up to index 1", 0, []time.Duration{-15 * d, -14*d - time.Millisecond, -h, 0}, `{"tooOldLogEventEndIndex":1}`, 2},
		{"expired before a 3-day retention", 3, []time.Duration{-5 * d, -3*d - time.Second, -h, 0}, `{"expiredLogEventEndIndex":1}`, 2},
		{"older than 14 days and than retention counts as too old", 7, []time.Duration{-15 * d, -10 * d, -h}, `{"tooOldLogEventEndIndex":0,"expiredLogEventEndIndex":1}`, 1},
		{"all three", 1, []time.Duration{-20 * d, -2 * d, 0, 3 * h}, `{"tooNewLogEventStartIndex":3,"tooOldLogEventEndIndex":0,"expiredLogEventEndIndex":1}`, 1},
		{"span of exactly 24 hours of valid events is fine", 0, []time.Duration{-24 * h, 0}, "", 2},
		{"rejected events do not count in the span", 0, []time.Duration{-15 * d, -h, 0}, `{"tooOldLogEventEndIndex":0}`, 2},
		{"everything rejected", 0, []time.Duration{-15 * d}, `{"tooOldLogEventEndIndex":0}`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, s := newTestLogs()
			advance(t, s, 20*d)
			mustStream(t, l, "g", "s")
			l.groups["g"].retention = tt.retention
			var evs []InputLogEvent
			for i, off := range tt.events {
				evs = append(evs, ev(20*d+off, "m"+strings.Repeat("x", i)))
			}
			out := put(t, l, "g", "s", evs...)
			got := ""
			if out.RejectedLogEventsInfo != nil {
				b, _ := json.Marshal(out.RejectedLogEventsInfo)
				got = string(b)
			}
			if got != tt.rejected {
				t.Errorf("rejectedLogEventsInfo = %s, want %s", got, tt.rejected)
			}
			if n := len(l.Events("g", "s")); n != tt.stored {
				t.Errorf("stored %d events, want %d", n, tt.stored)
			}
		})
	}
}

func TestPutLogEventsRefusals(t *testing.T) {
	big := strings.Repeat("x", 1048576-26)
	tests := []struct {
		name          string
		group, stream string
		events        []InputLogEvent
		code, message string
	}{
		{"missing group", "nope", "s", []InputLogEvent{ev(0, "a")}, ResourceNotFoundException, "The specified log group does not exist."},
		{"missing stream", "g", "nope", []InputLogEvent{ev(0, "a")}, ResourceNotFoundException, "The specified log stream does not exist."},
		{"out of order", "g", "s", []InputLogEvent{ev(time.Second, "a"), ev(0, "b")}, InvalidParameterException, "Log events in a single PutLogEvents request must be in chronological order."},
		{"equal timestamps are in order", "g", "s", []InputLogEvent{ev(0, "a"), ev(0, "b")}, "", ""},
		{"span over 24 hours", "g", "s", []InputLogEvent{ev(0, "a"), ev(24*time.Hour+time.Millisecond, "b")}, InvalidParameterException, "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."},
		{"largest event", "g", "s", []InputLogEvent{ev(0, big)}, "", ""},
		{"event too large", "g", "s", []InputLogEvent{ev(0, big+"y")}, InvalidParameterException, "Log event too large: 1048577 bytes exceeds limit of 1048576"},
		{"batch too large", "g", "s", []InputLogEvent{ev(0, big[:600000]), ev(0, big[:600000])}, InvalidParameterException, "Upload too large: 1200052 bytes exceeds limit of 1048576"},
		{"empty message", "g", "s", []InputLogEvent{ev(0, "")}, InvalidParameterException, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, s := newTestLogs()
			advance(t, s, 23*time.Hour) // ev(0) is 23 hours old
			mustStream(t, l, "g", "s")
			_, err := l.PutLogEvents(&PutLogEventsRequest{LogGroupName: aws.String(tt.group), LogStreamName: aws.String(tt.stream), LogEvents: tt.events})
			wantErr(t, err, tt.code, tt.message)
			if tt.code != "" && len(l.Events("g", "s")) != 0 {
				t.Error("a refused batch stored events")
			}
		})
	}
}

func TestPutLogEventsBatchCount(t *testing.T) {
	l, _ := newTestLogs()
	mustStream(t, l, "g", "s")
	evs := make([]InputLogEvent, 10001)
	for i := range evs {
		evs[i] = ev(0, "x")
	}
	_, err := l.PutLogEvents(&PutLogEventsRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), LogEvents: evs})
	wantErr(t, err, InvalidParameterException, "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000")
	out := put(t, l, "g", "s", evs[:10000]...)
	if out.RejectedLogEventsInfo != nil || len(l.Events("g", "s")) != 10000 {
		t.Errorf("10,000 events: rejected %v, stored %d", out.RejectedLogEventsInfo, len(l.Events("g", "s")))
	}
}

func TestPutLogEventsIgnoresSequenceToken(t *testing.T) {
	l, s := newTestLogs()
	mustStream(t, l, "g", "s")
	advance(t, s, time.Minute)
	for _, tok := range []*string{nil, aws.String("bogus"), aws.String("49039859")} {
		out, err := l.PutLogEvents(&PutLogEventsRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"),
			LogEvents: []InputLogEvent{ev(time.Minute, "hello")}, SequenceToken: tok})
		wantErr(t, err, "", "")
		if out.NextSequenceToken == nil || len(*out.NextSequenceToken) != 56 {
			t.Errorf("nextSequenceToken = %v", out.NextSequenceToken)
		}
	}
	if n := len(l.Events("g", "s")); n != 3 {
		t.Errorf("stored %d events, want 3", n)
	}
	// Events arriving out of order across batches are kept in time order.
	put(t, l, "g", "s", ev(30*time.Second, "earlier"))
	if got := l.Events("g", "s")[0].Message; got != "earlier" {
		t.Errorf("first event = %q, want the earlier one", got)
	}
}
