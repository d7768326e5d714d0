package logs

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// tokenForm is the shape of AWS's GetLogEvents tokens.
var tokenForm = regexp.MustCompile(`^[fb]/[0-9]{56}/s$`)

// tenEvents makes a stream with events m0..m9, one second apart.
func tenEvents(t *testing.T) *Logs {
	l, s := newTestLogs()
	mustStream(t, l, "g", "s")
	advance(t, s, time.Hour)
	var evs []InputLogEvent
	for i := range 10 {
		evs = append(evs, ev(time.Duration(i)*time.Second, "m"+string(rune('0'+i))))
	}
	put(t, l, "g", "s", evs...)
	return l
}

func getPage(t *testing.T, l *Logs, in GetLogEventsRequest) (string, *GetLogEventsResponse) {
	t.Helper()
	in.LogGroupName, in.LogStreamName = aws.String("g"), aws.String("s")
	out, err := l.GetLogEvents(&in)
	if err != nil {
		t.Fatal(err)
	}
	if !tokenForm.MatchString(*out.NextForwardToken) || !tokenForm.MatchString(*out.NextBackwardToken) {
		t.Errorf("tokens %s %s are not in AWS's form", *out.NextForwardToken, *out.NextBackwardToken)
	}
	var ms []string
	for _, e := range out.Events {
		ms = append(ms, *e.Message)
	}
	return strings.Join(ms, " "), out
}

func TestGetLogEventsWindows(t *testing.T) {
	l := tenEvents(t)
	at := func(s int) *int64 { return aws.Int64(msAt(time.Duration(s) * time.Second)) }
	tests := []struct {
		name string
		in   GetLogEventsRequest
		want string
	}{
		{"newest first by default", GetLogEventsRequest{Limit: aws.Int(3)}, "m7 m8 m9"},
		{"from the head", GetLogEventsRequest{Limit: aws.Int(3), StartFromHead: aws.Bool(true)}, "m0 m1 m2"},
		{"all", GetLogEventsRequest{}, "m0 m1 m2 m3 m4 m5 m6 m7 m8 m9"},
		{"startTime inclusive, endTime exclusive", GetLogEventsRequest{StartTime: at(2), EndTime: at(5)}, "m2 m3 m4"},
		{"range from the head", GetLogEventsRequest{StartTime: at(2), EndTime: at(8), StartFromHead: aws.Bool(true), Limit: aws.Int(2)}, "m2 m3"},
		{"range from the tail", GetLogEventsRequest{StartTime: at(2), EndTime: at(8), Limit: aws.Int(2)}, "m6 m7"},
		{"empty range", GetLogEventsRequest{StartTime: at(20)}, ""},
	}
	for _, tt := range tests {
		if got, _ := getPage(t, l, tt.in); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGetLogEventsPaging(t *testing.T) {
	l := tenEvents(t)
	// Forward from the head in pages of 4: m0-3, m4-7, m8-9, then an empty
	// page that returns the token passed in.
	var pages []string
	in := GetLogEventsRequest{Limit: aws.Int(4), StartFromHead: aws.Bool(true)}
	for range 6 {
		got, out := getPage(t, l, in)
		if got == "" {
			if *out.NextForwardToken != *in.NextToken {
				t.Errorf("at the end the forward token changed: %s -> %s", *in.NextToken, *out.NextForwardToken)
			}
			break
		}
		pages = append(pages, got)
		in.NextToken = out.NextForwardToken
	}
	if got := strings.Join(pages, " | "); got != "m0 m1 m2 m3 | m4 m5 m6 m7 | m8 m9" {
		t.Errorf("forward pages = %q", got)
	}

	// The forward token at the end tails the stream.
	end := in.NextToken
	put(t, l, "g", "s", ev(20*time.Second, "late"))
	if got, _ := getPage(t, l, GetLogEventsRequest{NextToken: end}); got != "late" {
		t.Errorf("tailing with the end token = %q", got)
	}

	// Backward from the tail in pages of 4 (the token's direction wins over
	// startFromHead).
	pages = nil
	in = GetLogEventsRequest{Limit: aws.Int(4)}
	for range 6 {
		got, out := getPage(t, l, in)
		if got == "" {
			if *out.NextBackwardToken != *in.NextToken {
				t.Errorf("at the start the backward token changed")
			}
			break
		}
		pages = append(pages, got)
		in.NextToken = out.NextBackwardToken
		in.StartFromHead = aws.Bool(true)
	}
	if got := strings.Join(pages, " | "); got != "m7 m8 m9 late | m3 m4 m5 m6 | m0 m1 m2" {
		t.Errorf("backward pages = %q", got)
	}

	// A page's forward and backward tokens lead to its neighbours.
	_, mid := getPage(t, l, GetLogEventsRequest{Limit: aws.Int(2), StartFromHead: aws.Bool(true), StartTime: aws.Int64(msAt(4 * time.Second))})
	if got, _ := getPage(t, l, GetLogEventsRequest{Limit: aws.Int(2), NextToken: mid.NextBackwardToken}); got != "m2 m3" {
		t.Errorf("back from m4 m5 = %q", got)
	}
	if got, _ := getPage(t, l, GetLogEventsRequest{Limit: aws.Int(2), NextToken: mid.NextForwardToken}); got != "m6 m7" {
		t.Errorf("forward from m4 m5 = %q", got)
	}

	for _, bad := range []string{"x", "f/12", "f/abc", "q/" + strings.Repeat("1", 56)} {
		_, err := l.GetLogEvents(&GetLogEventsRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), NextToken: aws.String(bad)})
		wantErr(t, err, InvalidParameterException, "The specified nextToken is invalid.")
	}
	// Tokens without the "/s" of current AWS outputs are read too.
	tok := strings.TrimSuffix(*mid.NextForwardToken, "/s")
	if got, _ := getPage(t, l, GetLogEventsRequest{Limit: aws.Int(2), NextToken: &tok}); got != "m6 m7" {
		t.Errorf("token without /s = %q", got)
	}
}

func TestGetLogEventsEmptyStream(t *testing.T) {
	l, _ := newTestLogs()
	mustStream(t, l, "g", "s")
	got, out := getPage(t, l, GetLogEventsRequest{})
	if got != "" || out.Events == nil {
		t.Errorf("empty stream: %q, events %v", got, out.Events)
	}
	_, again := getPage(t, l, GetLogEventsRequest{NextToken: out.NextForwardToken})
	if *again.NextForwardToken != *out.NextForwardToken {
		t.Error("forward token of an empty stream changed")
	}
	_, err := l.GetLogEvents(&GetLogEventsRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("nope")})
	wantErr(t, err, ResourceNotFoundException, "The specified log stream does not exist.")
	_, err = l.GetLogEvents(&GetLogEventsRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("s"), Limit: aws.Int(10001)})
	wantErr(t, err, InvalidParameterException, "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000")
}

func TestGetLogEventsPageBytes(t *testing.T) {
	l, s := newTestLogs()
	mustStream(t, l, "g", "s")
	advance(t, s, time.Hour)
	msg := strings.Repeat("x", 400000)
	put(t, l, "g", "s", ev(0, msg), ev(time.Second, msg))
	put(t, l, "g", "s", ev(2*time.Second, msg))
	_, out := getPage(t, l, GetLogEventsRequest{StartFromHead: aws.Bool(true)})
	if len(out.Events) != 2 {
		t.Errorf("a 1 MB page holds %d events of 400 kB, want 2", len(out.Events))
	}
}
