package logs

import (
	"testing"
	"time"
)

func TestDriverAPI(t *testing.T) {
	l, s := newTestLogs()
	if l.GroupExists("/ecs/web") {
		t.Fatal("group exists before creation")
	}
	wantErr(t, l.EnsureStream("/ecs/web", "ecs/web/abc"), ResourceNotFoundException, "The specified log group does not exist.")
	wantErr(t, l.Write("/ecs/web", "ecs/web/abc", s.Now(), "x"), ResourceNotFoundException, "The specified log group does not exist.")
	wantErr(t, l.EnsureGroup("bad name"), InvalidParameterException, "")
	wantErr(t, l.EnsureGroup("/ecs/web"), "", "")
	wantErr(t, l.EnsureGroup("/ecs/web"), "", "")
	wantErr(t, l.Write("/ecs/web", "ecs/web/abc", s.Now(), "x"), ResourceNotFoundException, "The specified log stream does not exist.")
	wantErr(t, l.EnsureStream("/ecs/web", "ecs/web/abc"), "", "")
	wantErr(t, l.EnsureStream("/ecs/web", "ecs/web/abc"), "", "")
	wantErr(t, l.EnsureStream("/ecs/web", "a:b"), InvalidParameterException, "")

	advance(t, s, time.Minute)
	at := s.Now()
	wantErr(t, l.Write("/ecs/web", "ecs/web/abc", at, "hello"), "", "")
	advance(t, s, time.Second)
	wantErr(t, l.Write("/ecs/web", "ecs/web/abc", s.Now(), "world"), "", "")
	wantErr(t, l.Write("/ecs/web", "ecs/web/abc", s.Now(), ""), InvalidParameterException, "")
	if err := l.Write("/ecs/web", "ecs/web/abc", s.Now().Add(3*time.Hour), "future"); err == nil {
		t.Error("an event 3 hours ahead was accepted")
	}
	if err := l.Write("/ecs/web", "ecs/web/abc", s.Now().Add(-15*24*time.Hour), "ancient"); err == nil {
		t.Error("an event 15 days old was accepted")
	}

	evs := l.Events("/ecs/web", "ecs/web/abc")
	if len(evs) != 2 || evs[0] != (Event{Time: at, Message: "hello"}) || evs[1].Message != "world" {
		t.Errorf("events = %+v", evs)
	}
	if l.Events("/ecs/web", "nope") != nil || l.Events("nope", "x") != nil {
		t.Error("events of missing streams are not nil")
	}
	// Write's ingestion time is the event's time.
	out, _ := l.GetLogEvents(&GetLogEventsRequest{LogGroupName: &[]string{"/ecs/web"}[0], LogStreamName: &[]string{"ecs/web/abc"}[0]})
	if *out.Events[0].IngestionTime != at.UnixMilli() || *out.Events[0].Timestamp != at.UnixMilli() {
		t.Errorf("first event = %+v", out.Events[0])
	}
}
