package cloudwatch

import (
	"encoding/json"
	"slices"
	"strconv"
)

// Stored configurations are deep copies, made on the way in and on the way
// out, so that a caller who changes a request or response afterwards cannot
// change the simulated account. A JSON round trip is simple and exact for
// these generated shapes (no NaN can reach them: PutMetricAlarm's Threshold
// comes from JSON, and Go callers get NaN refused below).
func clonePutMetricAlarm(in *PutMetricAlarmInput) PutMetricAlarmInput {
	var out PutMetricAlarmInput
	raw, err := json.Marshal(in)
	if err == nil {
		err = json.Unmarshal(raw, &out)
	}
	if err != nil {
		return *in
	}
	return out
}

func cloneTags(tags []Tag) []Tag {
	out := make([]Tag, 0, len(tags))
	for _, t := range tags {
		out = append(out, Tag{Key: cloneString(t.Key), Value: cloneString(t.Value)})
	}
	return slices.Clip(out)
}

func cloneString(p *string) *string {
	if p == nil {
		return nil
	}
	s := *p
	return &s
}

// configJSON is the alarm's configuration as HistoryData shows it.
func (a *alarm) configJSON() []byte {
	m := a.describe()
	m.StateValue, m.StateReason, m.StateReasonData = nil, nil, nil
	m.StateUpdatedTimestamp, m.StateTransitionedTimestamp = nil, nil
	raw, err := json.Marshal(m)
	if err != nil {
		return []byte("{}")
	}
	return raw
}

func itoa(n int) string { return strconv.Itoa(n) }
