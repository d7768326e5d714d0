package logs

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestCreateLogStream(t *testing.T) {
	tests := []struct {
		group, stream, code, message string
	}{
		{"g", "ecs/web/0123456789abcdef", "", ""},
		{"g", "2025/01/01/[$LATEST]abc", "", ""},
		{"g", "has:colon", InvalidParameterException, "1 validation error detected: Value 'has:colon' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"},
		{"g", "star*", InvalidParameterException, ""},
		{"g", strings.Repeat("s", 513), InvalidParameterException, ""},
		{"nope", "s", ResourceNotFoundException, "The specified log group does not exist."},
		{"g", "dup", ResourceAlreadyExistsException, "The specified log stream already exists"},
	}
	for _, tt := range tests {
		l, _ := newTestLogs()
		mustStream(t, l, "g", "dup")
		_, err := l.CreateLogStream(&CreateLogStreamRequest{LogGroupName: aws.String(tt.group), LogStreamName: aws.String(tt.stream)})
		wantErr(t, err, tt.code, tt.message)
	}
}

func TestDescribeLogStreams(t *testing.T) {
	l, s := newTestLogs()
	mustStream(t, l, "g", "b")
	advance(t, s, time.Second)
	mustStream(t, l, "g", "a")
	mustStream(t, l, "g", "c")
	advance(t, s, time.Minute)
	put(t, l, "g", "c", ev(10*time.Second, "one"))
	put(t, l, "g", "a", ev(20*time.Second, "two"), ev(30*time.Second, "three"))

	names := func(in *DescribeLogStreamsRequest) string {
		t.Helper()
		in.LogGroupName = aws.String("g")
		out, err := l.DescribeLogStreams(in)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, st := range out.LogStreams {
			ns = append(ns, *st.LogStreamName)
		}
		return strings.Join(ns, " ")
	}
	tests := []struct {
		in   DescribeLogStreamsRequest
		want string
	}{
		{DescribeLogStreamsRequest{}, "a b c"},
		{DescribeLogStreamsRequest{Descending: aws.Bool(true)}, "c b a"},
		{DescribeLogStreamsRequest{LogStreamNamePrefix: aws.String("b")}, "b"},
		{DescribeLogStreamsRequest{OrderBy: aws.String(OrderByLastEventTime)}, "b c a"},
		{DescribeLogStreamsRequest{OrderBy: aws.String(OrderByLastEventTime), Descending: aws.Bool(true)}, "a c b"},
	}
	for _, tt := range tests {
		in := tt.in
		if got := names(&in); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.in, got, tt.want)
		}
	}

	out, _ := l.DescribeLogStreams(&DescribeLogStreamsRequest{LogGroupIdentifier: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:g:*"), LogStreamNamePrefix: aws.String("a")})
	out.LogStreams[0].UploadSequenceToken = nil
	b, _ := json.Marshal(out.LogStreams[0])
	want := `{"logStreamName":"a","creationTime":1735689601000,"firstEventTimestamp":1735689620000,` +
		`"lastEventTimestamp":1735689630000,"lastIngestionTime":1735689661000,` +
		`"arn":"arn:aws:logs:us-east-1:123456789012:log-group:g:log-stream:a","storedBytes":0}`
	if string(b) != want {
		t.Errorf("stream:\n got %s\nwant %s", b, want)
	}

	_, err := l.DescribeLogStreams(&DescribeLogStreamsRequest{LogGroupName: aws.String("g"), OrderBy: aws.String(OrderByLastEventTime), LogStreamNamePrefix: aws.String("a")})
	wantErr(t, err, InvalidParameterException, "Cannot order by LastEventTime with a logStreamNamePrefix.")
	_, err = l.DescribeLogStreams(&DescribeLogStreamsRequest{LogGroupName: aws.String("g"), OrderBy: aws.String("Size")})
	wantErr(t, err, InvalidParameterException, "")
	_, err = l.DescribeLogStreams(&DescribeLogStreamsRequest{LogGroupName: aws.String("nope")})
	wantErr(t, err, ResourceNotFoundException, "The specified log group does not exist.")
	_, err = l.DescribeLogStreams(&DescribeLogStreamsRequest{LogGroupName: aws.String("g"), LogGroupIdentifier: aws.String("g")})
	wantErr(t, err, InvalidParameterException, "")
	_, err = l.DescribeLogStreams(&DescribeLogStreamsRequest{})
	wantErr(t, err, InvalidParameterException, "")

	// Pages of one, descending by last event time.
	var got []string
	var token *string
	for range 5 {
		out, err := l.DescribeLogStreams(&DescribeLogStreamsRequest{LogGroupName: aws.String("g"), OrderBy: aws.String(OrderByLastEventTime), Descending: aws.Bool(true), Limit: aws.Int(1), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range out.LogStreams {
			got = append(got, *st.LogStreamName)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if strings.Join(got, " ") != "a c b" {
		t.Errorf("paged = %v", got)
	}

	_, err = l.DeleteLogStream(&DeleteLogStreamRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("a")})
	wantErr(t, err, "", "")
	_, err = l.DeleteLogStream(&DeleteLogStreamRequest{LogGroupName: aws.String("g"), LogStreamName: aws.String("a")})
	wantErr(t, err, ResourceNotFoundException, "The specified log stream does not exist.")
	if l.Events("g", "a") != nil {
		t.Error("events of a deleted stream remain")
	}
}
