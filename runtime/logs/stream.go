package logs

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// orderBys are the model's OrderBy values; LogStreamName is the default
// [API:DescribeLogStreams].
var orderBys = []string{OrderByLogStreamName, OrderByLastEventTime}

// CreateLogStream creates a log stream in a group [API:CreateLogStream].
func (l *Logs) CreateLogStream(in *CreateLogStreamRequest) (*struct{}, error) {
	if in == nil {
		in = &CreateLogStreamRequest{}
	}
	name := aws.ToString(in.LogStreamName)
	if err := checkGroupName("logGroupName", aws.ToString(in.LogGroupName)); err != nil {
		return nil, err
	}
	if err := checkStreamName("logStreamName", name); err != nil {
		return nil, err
	}
	g, err := l.lookupGroup(aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	if _, ok := g.streams[name]; ok {
		return nil, awserr.New(ResourceAlreadyExistsException, msgStreamExists)
	}
	l.createStream(g, name)
	return nil, nil
}

func (l *Logs) createStream(g *group, name string) *stream {
	s := &stream{name: name, created: l.sim.Now()}
	g.streams[name] = s
	l.sim.Recordf("logs", "LogStreamCreated", l.streamARN(g.name, name), "log stream %s created in log group %s", name, g.name)
	return s
}

// lookupStream finds a stream of a group, validating its name first.
func lookupStream(g *group, name string) (*stream, error) {
	if err := checkStreamName("logStreamName", name); err != nil {
		return nil, err
	}
	s, ok := g.streams[name]
	if !ok {
		return nil, noStream()
	}
	return s, nil
}

// DeleteLogStream deletes a stream and its events [API:DeleteLogStream].
func (l *Logs) DeleteLogStream(in *DeleteLogStreamRequest) (*struct{}, error) {
	if in == nil {
		in = &DeleteLogStreamRequest{}
	}
	g, err := l.lookupGroup(aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	s, err := lookupStream(g, aws.ToString(in.LogStreamName))
	if err != nil {
		return nil, err
	}
	if g.protection {
		// text not verified; see DeleteLogGroup
		return nil, awserr.Newf(ValidationException, "Cannot delete log stream %s because deletion protection is enabled on log group %s.", s.name, g.name)
	}
	delete(g.streams, s.name)
	l.sim.Recordf("logs", "LogStreamDeleted", l.streamARN(g.name, s.name), "log stream %s deleted from log group %s", s.name, g.name)
	return nil, nil
}

// DescribeLogStreams lists a group's streams by name (the default) or by
// the time of their last event, ascending unless descending is true
// [API:DescribeLogStreams].
func (l *Logs) DescribeLogStreams(in *DescribeLogStreamsRequest) (*DescribeLogStreamsResponse, error) {
	if in == nil {
		in = &DescribeLogStreamsRequest{}
	}
	order := OrderByLogStreamName
	if in.OrderBy != nil {
		order = *in.OrderBy
		if !oneOf(order, orderBys) {
			return nil, enumError("orderBy", order, orderBys)
		}
	}
	prefix := aws.ToString(in.LogStreamNamePrefix)
	if order == OrderByLastEventTime && in.LogStreamNamePrefix != nil {
		// https://github.com/turbot/steampipe-plugin-aws/issues/1949 (the
		// SDK error from AWS)
		return nil, invalidParam("Cannot order by LastEventTime with a logStreamNamePrefix.")
	}
	limit, err := checkLimit(in.Limit, describeLimit, describeLimit)
	if err != nil {
		return nil, err
	}
	g, err := l.resolveGroup(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	// Keys sort as strings in the listing order: the name, or the last event
	// time in fixed width followed by the name.
	byKey := map[string]*stream{}
	var keys []string
	for _, name := range g.streamNames() {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		s := g.streams[name]
		key := name
		if order == OrderByLastEventTime {
			key = fmt.Sprintf("%020d\x00%s", s.lastEventTS(), name)
		}
		byKey[key] = s
		keys = append(keys, key)
	}
	after := ascending
	if aws.ToBool(in.Descending) {
		after = descending
		sort.Sort(sort.Reverse(sort.StringSlice(keys)))
	} else {
		sort.Strings(keys)
	}
	page, next, err := paginate("DescribeLogStreams", keys, limit, in.NextToken, after)
	if err != nil {
		return nil, err
	}
	out := &DescribeLogStreamsResponse{LogStreams: []LogStream{}, NextToken: next}
	for _, k := range page {
		out.LogStreams = append(out.LogStreams, l.describeStream(g, byKey[k]))
	}
	return out, nil
}

// lastEventTS is the timestamp of the stream's latest event, or 0.
func (s *stream) lastEventTS() int64 {
	if len(s.events) == 0 {
		return 0
	}
	return s.events[len(s.events)-1].ts
}

func (l *Logs) describeStream(g *group, s *stream) LogStream {
	ls := LogStream{
		LogStreamName: aws.String(s.name),
		CreationTime:  aws.Int64(ms(s.created)),
		Arn:           aws.String(l.streamARN(g.name, s.name)),
		// Always zero for streams since June 2019 [API:LogStream].
		StoredBytes: aws.Int64(0),
	}
	if len(s.events) > 0 {
		ls.FirstEventTimestamp = aws.Int64(s.events[0].ts)
		ls.LastEventTimestamp = aws.Int64(s.lastEventTS())
	}
	if s.lastIngestion != 0 {
		ls.LastIngestionTime = aws.Int64(s.lastIngestion)
		ls.UploadSequenceToken = aws.String(s.sequenceToken())
	}
	return ls
}

// sequenceToken is the stream's upload sequence token. AWS ignores sequence
// tokens since January 2023 [API:PutLogEvents] but still returns them; it
// counts the stream's PutLogEvents calls in AWS's 56-digit form.
func (s *stream) sequenceToken() string {
	return fmt.Sprintf("%056d", s.uploads)
}
