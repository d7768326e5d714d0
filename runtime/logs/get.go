package logs

import (
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// A page of GetLogEvents or FilterLogEvents holds up to 10,000 events and
// up to 1 MB [API:GetLogEvents]; ecsbox counts a page's bytes as
// PutLogEvents counts a batch's (message bytes plus 26 per event), and
// always returns at least one event when one is due.
const (
	maxPageEvents = 10000
	maxPageBytes  = 1048576
)

// GetLogEvents tokens. AWS's look like
// "f/37244585198894018719737368029837252154619475174123241475/s" and
// "b/37244584240118080399310287254134392811324946061492486144/s" (56
// digits; older outputs, such as the API reference's example, have no
// "/s"). In ecsbox the digits name a boundary between events, as an event
// key (eventKey.digits): a forward token returns the events at or after the
// boundary, a backward token those before it. Boundaries do not move when
// events arrive, so a forward token also tails a stream. At either end the
// token that comes back is the one passed in: "As long as the
// nextBackwardToken or nextForwardToken returned is NOT equal to the
// nextToken that you passed into the API call, there might be more log
// events available" [API:GetLogEvents].
func forwardToken(b eventKey) string  { return "f/" + b.digits() + "/s" }
func backwardToken(b eventKey) string { return "b/" + b.digits() + "/s" }

func parseEventsToken(tok string) (forward bool, b eventKey, err error) {
	if len(tok) < 2 || (tok[:2] != "f/" && tok[:2] != "b/") {
		return false, b, badToken()
	}
	k, ok := parseDigits(strings.TrimSuffix(tok[2:], "/s"))
	if !ok {
		return false, b, badToken()
	}
	return tok[0] == 'f', k, nil
}

// GetLogEvents reads a stream's events in a time range, a page at a time:
// the newest events first unless startFromHead is true, each page in
// chronological order [API:GetLogEvents]. startTime is inclusive and
// endTime exclusive.
func (l *Logs) GetLogEvents(in *GetLogEventsRequest) (*GetLogEventsResponse, error) {
	if in == nil {
		in = &GetLogEventsRequest{}
	}
	limit, err := checkLimit(in.Limit, maxPageEvents, maxPageEvents)
	if err != nil {
		return nil, err
	}
	forward := aws.ToBool(in.StartFromHead)
	var boundary eventKey
	token := aws.ToString(in.NextToken)
	if token != "" {
		if forward, boundary, err = parseEventsToken(token); err != nil {
			return nil, err
		}
	}
	g, err := l.resolveGroup(in.LogGroupName, in.LogGroupIdentifier)
	if err != nil {
		return nil, err
	}
	s, err := lookupStream(g, aws.ToString(in.LogStreamName))
	if err != nil {
		return nil, err
	}
	var evs []event
	for _, e := range s.events {
		if (in.StartTime == nil || e.ts >= *in.StartTime) && (in.EndTime == nil || e.ts < *in.EndTime) {
			evs = append(evs, e)
		}
	}
	// at is the index of the first event at or after the boundary.
	var at int
	switch {
	case token != "":
		at = sort.Search(len(evs), func(i int) bool { return !evs[i].key().less(boundary) })
	case forward:
		at = 0
		if len(evs) > 0 {
			boundary = evs[0].key()
		}
	default:
		at = len(evs)
		if len(evs) > 0 {
			boundary = after(evs[len(evs)-1].key())
		}
	}
	var page []event
	if forward {
		page = takePage(evs[at:], limit, false)
	} else {
		page = takePage(evs[:at], limit, true)
	}
	out := &GetLogEventsResponse{Events: []OutputLogEvent{}}
	for _, e := range page {
		out.Events = append(out.Events, OutputLogEvent{
			Timestamp:     aws.Int64(e.ts),
			Message:       aws.String(e.message),
			IngestionTime: aws.Int64(e.ingest),
		})
	}
	if len(page) > 0 {
		out.NextForwardToken = aws.String(forwardToken(after(page[len(page)-1].key())))
		out.NextBackwardToken = aws.String(backwardToken(page[0].key()))
		return out, nil
	}
	out.NextForwardToken = aws.String(forwardToken(boundary))
	out.NextBackwardToken = aws.String(backwardToken(boundary))
	// At an end, the token passed in comes back unchanged.
	if token != "" && forward {
		out.NextForwardToken = aws.String(token)
	} else if token != "" {
		out.NextBackwardToken = aws.String(token)
	}
	return out, nil
}

// after is the boundary just after the event with key k.
func after(k eventKey) eventKey { return eventKey{k.ts, k.seq + 1} }

// takePage takes up to limit events and maxPageBytes from the start of evs,
// or from its end when fromEnd is true; the page is in chronological order.
func takePage(evs []event, limit int, fromEnd bool) []event {
	n, bytes := 0, 0
	for n < len(evs) && n < limit {
		e := evs[n]
		if fromEnd {
			e = evs[len(evs)-1-n]
		}
		size := len(e.message) + eventOverhead
		if n > 0 && bytes+size > maxPageBytes {
			break
		}
		bytes += size
		n++
	}
	if fromEnd {
		return evs[len(evs)-n:]
	}
	return evs[:n]
}
