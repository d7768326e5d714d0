package logs

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// PutLogEvents limits [API:PutLogEvents]: "The maximum batch size is
// 1,048,576 bytes. This size is calculated as the sum of all event messages
// in UTF-8, plus 26 bytes for each log event"; "Each log event can be no
// larger than 1 MB"; "The maximum number of log events in a batch is
// 10,000"; events more than 2 hours in the future, older than 14 days or
// older than the retention are rejected while the others are stored; the
// valid events of a batch may not span more than 24 hours.
const (
	maxBatchBytes  = 1048576
	eventOverhead  = 26
	maxEventBytes  = 1048576
	maxBatchEvents = 10000
	maxFuture      = 2 * time.Hour
	maxAge         = 14 * day
	maxBatchSpan   = 24 * time.Hour
)

// PutLogEvents stores a batch of events in a stream. The sequence token is
// accepted and ignored, as AWS does since January 2023 [API:PutLogEvents].
func (l *Logs) PutLogEvents(in *PutLogEventsRequest) (*PutLogEventsResponse, error) {
	if in == nil {
		in = &PutLogEventsRequest{}
	}
	g, err := l.lookupGroup(aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	s, err := lookupStream(g, aws.ToString(in.LogStreamName))
	if err != nil {
		return nil, err
	}
	batch := make([]event, len(in.LogEvents))
	for i, e := range in.LogEvents {
		batch[i] = event{ts: aws.ToInt64(e.Timestamp), message: aws.ToString(e.Message)}
	}
	rejected, err := l.put(g, s, batch, l.nowMS())
	if err != nil {
		return nil, err
	}
	out := &PutLogEventsResponse{NextSequenceToken: aws.String(s.sequenceToken())}
	if rejected != (RejectedLogEventsInfo{}) {
		out.RejectedLogEventsInfo = &rejected
	}
	return out, nil
}

// put validates a batch received at now (epoch ms), stores its acceptable
// events with now as their ingestion time, and says which events it
// rejected. An error refuses the whole batch.
func (l *Logs) put(g *group, s *stream, batch []event, now int64) (RejectedLogEventsInfo, error) {
	var rejected RejectedLogEventsInfo
	if len(batch) == 0 {
		// botocore checks the minimum; this guards direct Go callers.
		// text not verified
		return rejected, invalidParam("1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(batch) > maxBatchEvents {
		// text not verified (AWS's standard form; whether it quotes the list is not known)
		return rejected, invalidParam("1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to %d", maxBatchEvents)
	}
	total := 0
	for i, e := range batch {
		if e.message == "" {
			// the model's EventMessage has a minimum length of 1. text not verified
			return rejected, invalidParam("1 validation error detected: Value '' at 'logEvents.%d.member.message' failed to satisfy constraint: Member must have length greater than or equal to 1", i+1)
		}
		size := len(e.message) + eventOverhead
		if size > maxEventBytes {
			// The form is verified with the former 256 KiB limit
			// (https://github.com/aws/aws-for-fluent-bit/issues/68: "Log
			// event too large: 635616 bytes exceeds limit of 262144"); with
			// the 1 MB limit the number is not verified.
			return rejected, invalidParam("Log event too large: %d bytes exceeds limit of %d", size, maxEventBytes)
		}
		total += size
	}
	if total > maxBatchBytes {
		// https://github.com/nhs-england-tools/terraform-aws-opennext/issues/27
		return rejected, invalidParam("Upload too large: %d bytes exceeds limit of %d", total, maxBatchBytes)
	}
	for i := 1; i < len(batch); i++ {
		if batch[i].ts < batch[i-1].ts {
			// https://github.com/dibog/cloudwatch-logback-appender/issues/17
			return rejected, invalidParam("Log events in a single PutLogEvents request must be in chronological order.")
		}
	}
	tooNew := now + maxFuture.Milliseconds()
	tooOld := now - maxAge.Milliseconds()
	expired := int64(-1 << 62)
	if g.retention > 0 {
		expired = now - (time.Duration(g.retention) * day).Milliseconds()
	}
	// The batch is in order, so the too-old and expired events lead and the
	// too-new ones trail. An event older than 14 days counts as too old
	// even when it is also older than the retention (ecsbox's choice: AWS
	// does not say which index it reports then).
	first, last := 0, len(batch)
	for i, e := range batch {
		switch {
		case e.ts < tooOld:
			rejected.TooOldLogEventEndIndex = aws.Int(i)
			first = i + 1
		case e.ts < expired:
			rejected.ExpiredLogEventEndIndex = aws.Int(i)
			first = i + 1
		case e.ts > tooNew:
			if rejected.TooNewLogEventStartIndex == nil {
				rejected.TooNewLogEventStartIndex = aws.Int(i)
				last = i
			}
		}
	}
	valid := batch[first:max(first, last)]
	if len(valid) > 0 && valid[len(valid)-1].ts-valid[0].ts > maxBatchSpan.Milliseconds() {
		// https://github.com/aws-greengrass/aws-greengrass-log-manager/issues/59
		return RejectedLogEventsInfo{}, invalidParam("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
	}
	stored := make([]event, len(valid))
	for i, e := range valid {
		l.seq++
		stored[i] = event{ts: e.ts, seq: l.seq, ingest: now, message: e.message}
	}
	s.insert(stored)
	s.uploads++
	if len(stored) > 0 {
		s.lastIngestion = now
	}
	return rejected, nil
}
