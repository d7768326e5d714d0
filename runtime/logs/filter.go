package logs

import (
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// descendingSince is the earliest startTime with which FilterLogEvents
// returns the newest events first: "Setting startFromHead to false is
// supported only when startTime is on or after Jan 1, 2024 00:00:00 UTC"
// [API:FilterLogEventsRequest].
var descendingSince = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

// maxFilterStreams is the model's maximum of logStreamNames.
const maxFilterStreams = 100

// FilterLogEvents searches the events of a group's streams, interleaved in
// timestamp order (the interleaved member is ignored, as AWS has ignored it
// since 2019), oldest first unless startFromHead is false
// [API:FilterLogEvents]. startTime and endTime are both inclusive ("Events
// with a timestamp later than this time are not returned").
// searchedLogStreams is always empty, as AWS has returned it since May 2020.
func (l *Logs) FilterLogEvents(in *FilterLogEventsRequest) (*FilterLogEventsResponse, error) {
	if in == nil {
		in = &FilterLogEventsRequest{}
	}
	if in.LogStreamNames != nil && in.LogStreamNamePrefix != nil {
		// The model says the action returns InvalidParameterException;
		// text not verified
		return nil, invalidParam("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
	}
	if len(in.LogStreamNames) > maxFilterStreams {
		// text not verified: the standard validation form
		return nil, invalidParam("1 validation error detected: Value at 'logStreamNames' failed to satisfy constraint: Member must have length less than or equal to %d", maxFilterStreams)
	}
	limit, err := checkLimit(in.Limit, maxPageEvents, maxPageEvents)
	if err != nil {
		return nil, err
	}
	forward := in.StartFromHead == nil || *in.StartFromHead
	var resume *eventKey
	if t := aws.ToString(in.NextToken); t != "" {
		dir, k, err := decodeFilterToken(t)
		if err != nil {
			return nil, err
		}
		forward, resume = dir, &k
	} else if !forward && in.StartTime != nil && *in.StartTime < descendingSince {
		// text not verified
		return nil, invalidParam("startFromHead set to false is supported only when startTime is on or after Jan 1, 2024 00:00:00 UTC.")
	}
	match, err := parsePattern(aws.ToString(in.FilterPattern))
	if err != nil {
		return nil, err
	}
	g, err := l.resolveGroup(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	names := g.streamNames()
	if in.LogStreamNames != nil {
		wanted := map[string]bool{}
		for _, n := range in.LogStreamNames {
			wanted[n] = true
		}
		var keep []string
		for _, n := range names {
			if wanted[n] {
				keep = append(keep, n)
			}
		}
		names = keep
	}
	type hit struct {
		event
		stream string
	}
	var hits []hit
	for _, n := range names {
		if !strings.HasPrefix(n, aws.ToString(in.LogStreamNamePrefix)) {
			continue
		}
		for _, e := range g.streams[n].events {
			if in.StartTime != nil && e.ts < *in.StartTime || in.EndTime != nil && e.ts > *in.EndTime {
				continue
			}
			if resume != nil && (forward && !resume.less(e.key()) || !forward && !e.key().less(*resume)) {
				continue
			}
			if match(e.message) {
				hits = append(hits, hit{e, n})
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		if forward {
			return hits[i].key().less(hits[j].key())
		}
		return hits[j].key().less(hits[i].key())
	})
	out := &FilterLogEventsResponse{Events: []FilteredLogEvent{}, SearchedLogStreams: []SearchedLogStream{}}
	bytes := 0
	for i, h := range hits {
		size := len(h.message) + eventOverhead
		if i == limit || i > 0 && bytes+size > maxPageBytes {
			t := encodeFilterToken(forward, hits[i-1].key())
			out.NextToken = &t
			break
		}
		bytes += size
		out.Events = append(out.Events, FilteredLogEvent{
			LogStreamName: aws.String(h.stream),
			Timestamp:     aws.Int64(h.ts),
			Message:       aws.String(h.message),
			IngestionTime: aws.Int64(h.ingest),
			EventId:       aws.String(h.key().digits()),
		})
	}
	return out, nil
}

// A FilterLogEvents token carries the direction and the key of the last
// event returned; the next page continues after it. AWS's tokens are opaque.
func encodeFilterToken(forward bool, k eventKey) string {
	dir := "b"
	if forward {
		dir = "f"
	}
	return encodeToken("FilterLogEvents", dir+k.digits())
}

func decodeFilterToken(t string) (bool, eventKey, error) {
	rest, err := decodeToken("FilterLogEvents", t)
	if err != nil || rest == "" {
		return false, eventKey{}, badToken()
	}
	k, ok := parseDigits(rest[1:])
	if !ok || (rest[0] != 'f' && rest[0] != 'b') {
		return false, eventKey{}, badToken()
	}
	return rest[0] == 'f', k, nil
}
