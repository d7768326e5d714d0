package logs

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// twoStreams makes web/1 and web/2 and api/1 with interleaved events.
func twoStreams(t *testing.T) *Logs {
	l, s := newTestLogs()
	for _, st := range []string{"web/1", "web/2", "api/1"} {
		mustStream(t, l, "g", st)
	}
	advance(t, s, time.Hour)
	put(t, l, "g", "web/1", ev(1*time.Second, "GET / 200"), ev(4*time.Second, "GET /x 404"))
	put(t, l, "g", "web/2", ev(2*time.Second, "GET /y 200"), ev(5*time.Second, "ERROR boom"))
	put(t, l, "g", "api/1", ev(3*time.Second, "POST /z 500"))
	return l
}

func filterMessages(t *testing.T, l *Logs, in FilterLogEventsRequest) (string, *FilterLogEventsResponse) {
	t.Helper()
	in.LogGroupName = aws.String("g")
	out, err := l.FilterLogEvents(&in)
	if err != nil {
		t.Fatal(err)
	}
	var ms []string
	for _, e := range out.Events {
		ms = append(ms, *e.LogStreamName+":"+*e.Message)
	}
	return strings.Join(ms, " | "), out
}

func TestFilterLogEvents(t *testing.T) {
	l := twoStreams(t)
	at := func(s int) *int64 { return aws.Int64(msAt(time.Duration(s) * time.Second)) }
	tests := []struct {
		name string
		in   FilterLogEventsRequest
		want string
	}{
		{"all, interleaved oldest first", FilterLogEventsRequest{},
			"web/1:GET / 200 | web/2:GET /y 200 | api/1:POST /z 500 | web/1:GET /x 404 | web/2:ERROR boom"},
		{"pattern", FilterLogEventsRequest{FilterPattern: aws.String("GET 200")}, "web/1:GET / 200 | web/2:GET /y 200"},
		{"alternatives", FilterLogEventsRequest{FilterPattern: aws.String("?404 ?500")}, "api/1:POST /z 500 | web/1:GET /x 404"},
		{"prefix", FilterLogEventsRequest{LogStreamNamePrefix: aws.String("web/"), FilterPattern: aws.String("-GET")}, "web/2:ERROR boom"},
		{"names", FilterLogEventsRequest{LogStreamNames: []string{"api/1", "web/2", "missing"}}, "web/2:GET /y 200 | api/1:POST /z 500 | web/2:ERROR boom"},
		{"time range, both ends inclusive", FilterLogEventsRequest{StartTime: at(2), EndTime: at(4)}, "web/2:GET /y 200 | api/1:POST /z 500 | web/1:GET /x 404"},
		{"newest first", FilterLogEventsRequest{StartFromHead: aws.Bool(false), Limit: aws.Int(2)}, "web/2:ERROR boom | web/1:GET /x 404"},
		{"delimited", FilterLogEventsRequest{FilterPattern: aws.String("[method, path, code >= 400]")}, "api/1:POST /z 500 | web/1:GET /x 404"},
	}
	for _, tt := range tests {
		if got, _ := filterMessages(t, l, tt.in); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}

	_, out := filterMessages(t, l, FilterLogEventsRequest{Limit: aws.Int(1)})
	b, _ := json.Marshal(out.Events[0])
	want := `{"logStreamName":"web/1","timestamp":1735689601000,"message":"GET / 200","ingestionTime":1735693200000,"eventId":"17356896010000000000000000000000000000000000000000000001"}`
	if string(b) != want {
		t.Errorf("event:\n got %s\nwant %s", b, want)
	}
	if out.SearchedLogStreams == nil || len(out.SearchedLogStreams) != 0 || out.NextToken == nil {
		t.Errorf("searchedLogStreams %v, nextToken %v", out.SearchedLogStreams, out.NextToken)
	}
}

func TestFilterLogEventsPaging(t *testing.T) {
	l := twoStreams(t)
	for _, head := range []bool{true, false} {
		var pages []string
		in := FilterLogEventsRequest{Limit: aws.Int(2), StartFromHead: aws.Bool(head)}
		for range 5 {
			got, out := filterMessages(t, l, in)
			pages = append(pages, got)
			if out.NextToken == nil {
				break
			}
			// The token's direction wins over startFromHead.
			in.NextToken, in.StartFromHead = out.NextToken, aws.Bool(!head)
		}
		want := "web/1:GET / 200 | web/2:GET /y 200 || api/1:POST /z 500 | web/1:GET /x 404 || web/2:ERROR boom"
		if !head {
			want = "web/2:ERROR boom | web/1:GET /x 404 || api/1:POST /z 500 | web/2:GET /y 200 || web/1:GET / 200"
		}
		if got := strings.Join(pages, " || "); got != want {
			t.Errorf("startFromHead=%v pages:\n got %q\nwant %q", head, got, want)
		}
	}
}

func TestFilterLogEventsRefusals(t *testing.T) {
	l := twoStreams(t)
	tests := []struct {
		name          string
		in            FilterLogEventsRequest
		code, message string
	}{
		{"names and prefix", FilterLogEventsRequest{LogGroupName: aws.String("g"), LogStreamNames: []string{"a"}, LogStreamNamePrefix: aws.String("a")}, InvalidParameterException, ""},
		{"bad pattern", FilterLogEventsRequest{LogGroupName: aws.String("g"), FilterPattern: aws.String("a:b")}, InvalidParameterException, "Invalid character(s) in term ':'"},
		{"bad token", FilterLogEventsRequest{LogGroupName: aws.String("g"), NextToken: aws.String("zz")}, InvalidParameterException, "The specified nextToken is invalid."},
		{"missing group", FilterLogEventsRequest{LogGroupName: aws.String("nope")}, ResourceNotFoundException, "The specified log group does not exist."},
		{"identifier", FilterLogEventsRequest{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:g")}, "", ""},
		{"descending before 2024", FilterLogEventsRequest{LogGroupName: aws.String("g"), StartFromHead: aws.Bool(false), StartTime: aws.Int64(0)}, InvalidParameterException, ""},
		{"limit", FilterLogEventsRequest{LogGroupName: aws.String("g"), Limit: aws.Int(0)}, InvalidParameterException, ""},
	}
	for _, tt := range tests {
		_, err := l.FilterLogEvents(&tt.in)
		wantErr(t, err, tt.code, tt.message)
	}
}
