package cloudwatch

import (
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// historyItem is one entry of an alarm's history. Action items keep the
// action ARN and outcome and word their summary when described, because
// Auto Scaling actions repeat every period and their items are many.
type historyItem struct {
	seq     int
	t       time.Time
	name    string
	typ     string
	summary string
	data    string
	// state updates: the states and reasons before and after, worded into
	// HistoryData when described
	old, new *stateRecord
	// action items
	actionARN   string
	delivered   bool
	actionState string
}

// historyRetention: "CloudWatch preserves alarm history for two weeks"
// [CW-UG:AlarmThatSendsEmail] (Common features of CloudWatch alarms).
const historyRetention = 14 * 24 * time.Hour

func (c *CloudWatch) appendHistory(h historyItem) {
	h.seq = 1
	if n := c.history.len(); n > 0 {
		h.seq = c.history.at(n-1).seq + 1
	}
	c.history.append(h)
	// Drop what is older than two weeks, in batches so that the cost stays
	// proportional to the items added.
	if old := h.t.Add(-historyRetention); c.history.at(0).t.Before(old) && c.history.len()%1024 == 0 {
		i := 0
		for i < c.history.len() && c.history.at(i).t.Before(old) {
			i++
		}
		c.history.dropOldest(i)
	}
}

// historyChunk is the size of historyLog's chunks.
const historyChunk = 4096

// historyLog holds the history items, oldest first, in chunks of fixed size:
// Auto Scaling actions repeat every minute, so a day of 400 target tracking
// alarms adds some 90,000 items, and a single growing slice copied them over
// and over. Dropping old items frees whole chunks.
type historyLog struct {
	chunks [][]historyItem
	// first is the index in chunks[0] of the oldest item kept; n counts the
	// items kept.
	first, n int
}

func (l *historyLog) len() int { return l.n }

// at returns the i-th oldest item.
func (l *historyLog) at(i int) *historyItem {
	i += l.first
	return &l.chunks[i/historyChunk][i%historyChunk]
}

func (l *historyLog) append(h historyItem) {
	if k := len(l.chunks); k == 0 || len(l.chunks[k-1]) == historyChunk {
		l.chunks = append(l.chunks, make([]historyItem, 0, historyChunk))
	}
	last := &l.chunks[len(l.chunks)-1]
	*last = append(*last, h)
	l.n++
}

// dropOldest drops the k oldest items.
func (l *historyLog) dropOldest(k int) {
	l.first += k
	l.n -= k
	full := l.first / historyChunk
	clear(l.chunks[:full]) // let the dropped chunks be collected
	l.chunks = l.chunks[full:]
	l.first %= historyChunk
}

func (c *CloudWatch) addHistory(a *alarm, typ, summary, data string) {
	c.appendHistory(historyItem{t: c.now(), name: a.name, typ: typ, summary: summary, data: data})
}

// stateRecord is an alarm state with its reason, as HistoryData shows it.
type stateRecord struct{ value, reason, data string }

func (c *CloudWatch) addStateHistory(a *alarm, old, new *stateRecord) {
	c.appendHistory(historyItem{t: c.now(), name: a.name, typ: HistoryItemTypeStateUpdate, old: old, new: new})
}

func (c *CloudWatch) addActionHistory(a *alarm, arn string, delivered bool) {
	c.appendHistory(historyItem{t: c.now(), name: a.name, typ: HistoryItemTypeAction, actionARN: arn, delivered: delivered, actionState: a.state})
}

// item returns the AlarmHistoryItem shape. Summaries: "Alarm updated from
// INSUFFICIENT_DATA to ALARM" (StateUpdate), "Alarm \"x\" created" /
// "updated" / "deleted" (ConfigurationUpdate; Eucalyptus, which mirrors
// AWS), "Successfully executed action arn:..." (Action). An action that no
// simulated service handles is recorded as not executed, in ecsbox's words.
func (h historyItem) item() AlarmHistoryItem {
	summary, data := h.summary, h.data
	if h.typ == HistoryItemTypeStateUpdate && h.new != nil {
		summary = "Alarm updated from " + h.old.value + " to " + h.new.value
		data = `{"version":"1.0","oldState":` + h.old.json() + `,"newState":` + h.new.json() + `}`
	}
	if h.typ == HistoryItemTypeAction {
		ms := strconv.FormatInt(h.t.UnixMilli(), 10)
		if h.delivered {
			summary = "Successfully executed action " + h.actionARN
			data = `{"actionState":"Succeeded","stateUpdateTimestamp":` + ms + `,"notificationResource":"` + h.actionARN + `"}`
		} else {
			summary = "Failed to execute action " + h.actionARN + ": ecsbox does not deliver this action (no simulated service handles it)"
			data = `{"actionState":"Failed","stateUpdateTimestamp":` + ms + `,"notificationResource":"` + h.actionARN +
				`","error":"ecsbox does not deliver actions to ` + actionService(h.actionARN) + `"}`
		}
	}
	return AlarmHistoryItem{
		AlarmName:       aws.String(h.name),
		AlarmType:       aws.String(AlarmTypeMetricAlarm),
		Timestamp:       aws.NewTime(h.t),
		HistoryItemType: aws.String(h.typ),
		HistorySummary:  aws.String(summary),
		HistoryData:     aws.String(data),
	}
}

func actionService(arn string) string {
	parts := strings.SplitN(arn, ":", 4)
	if len(parts) < 3 {
		return arn
	}
	return parts[2]
}

var historyItemTypes = []string{
	HistoryItemTypeConfigurationUpdate, HistoryItemTypeStateUpdate, HistoryItemTypeAction,
	HistoryItemTypeAlarmContributorStateUpdate, HistoryItemTypeAlarmContributorAction,
}

// DescribeAlarmHistory returns history items, newest first unless ScanBy is
// TimestampAscending [API:DescribeAlarmHistory]; StartDate and EndDate are
// inclusive. Without AlarmTypes only metric alarms' history is returned,
// which is all ecsbox has.
func (c *CloudWatch) DescribeAlarmHistory(in *DescribeAlarmHistoryInput) (*DescribeAlarmHistoryOutput, error) {
	if in == nil {
		in = &DescribeAlarmHistoryInput{}
	}
	if t := aws.ToString(in.HistoryItemType); t != "" && !oneOf(t, historyItemTypes) {
		return nil, enumError("historyItemType", t, historyItemTypes)
	}
	scan := aws.ToString(in.ScanBy)
	if scan == "" {
		scan = ScanByTimestampDescending
	}
	if scan != ScanByTimestampDescending && scan != ScanByTimestampAscending {
		return nil, enumError("scanBy", scan, []string{ScanByTimestampDescending, ScanByTimestampAscending})
	}
	wantMetric := len(in.AlarmTypes) == 0
	for _, t := range in.AlarmTypes {
		if !oneOf(t, alarmTypes) {
			return nil, enumError("alarmTypes.member", t, alarmTypes)
		}
		wantMetric = wantMetric || t == AlarmTypeMetricAlarm
	}
	size := 100 // ecsbox's default page; MaxRecords is 1 to 100 (service-2.json)
	if in.MaxRecords != nil {
		var err error
		if size, err = maxRecords(in.MaxRecords); err != nil {
			return nil, err
		}
	}
	after := -1
	if tok := aws.ToString(in.NextToken); tok != "" {
		last, err := decodeToken("DescribeAlarmHistory", tok)
		if err != nil {
			return nil, err
		}
		if after, err = strconv.Atoi(last); err != nil {
			return nil, awserr.New(InvalidNextToken, "The next token specified is invalid.")
		}
	}
	out := &DescribeAlarmHistoryOutput{AlarmHistoryItems: []AlarmHistoryItem{}}
	if !wantMetric {
		return out, nil
	}
	match := func(h *historyItem) bool {
		switch {
		case in.AlarmName != nil && h.name != *in.AlarmName:
			return false
		case in.HistoryItemType != nil && h.typ != *in.HistoryItemType:
			return false
		case in.StartDate != nil && h.t.Before(in.StartDate.Time):
			return false
		case in.EndDate != nil && h.t.After(in.EndDate.Time):
			return false
		}
		return true
	}
	last := 0
	n := c.history.len()
	for k := range n {
		i := n - 1 - k
		if scan == ScanByTimestampAscending {
			i = k
		}
		h := c.history.at(i)
		if after >= 0 && ((scan == ScanByTimestampDescending && h.seq >= after) || (scan == ScanByTimestampAscending && h.seq <= after)) {
			continue
		}
		if !match(h) {
			continue
		}
		if len(out.AlarmHistoryItems) == size {
			tok := encodeToken("DescribeAlarmHistory", strconv.Itoa(last))
			out.NextToken = &tok
			break
		}
		out.AlarmHistoryItems = append(out.AlarmHistoryItems, h.item())
		last = h.seq
	}
	return out, nil
}

// AlarmHistory returns an alarm's history, oldest first, for other
// services and sim.explain. It includes the history of a deleted alarm of
// that name.
func (c *CloudWatch) AlarmHistory(name string) []AlarmHistoryItem {
	var out []AlarmHistoryItem
	for i := range c.history.len() {
		if h := c.history.at(i); h.name == name {
			out = append(out, h.item())
		}
	}
	return out
}
