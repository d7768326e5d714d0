package cloudwatch

import (
	"testing"
	"time"
)

func TestJavaDouble(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0.0"}, {1, "1.0"}, {72.5, "72.5"}, {0.06, "0.06"}, {20000, "20000.0"},
		{0.35220499833424884, "0.35220499833424884"}, {1e7, "1.0E7"}, {1.5e-4, "1.5E-4"},
		{-3, "-3.0"}, {9999999, "9999999.0"}, {0.001, "0.001"},
	} {
		if got := javaDouble(tc.v); got != tc.want {
			t.Errorf("javaDouble(%v) = %s, want %s", tc.v, got, tc.want)
		}
	}
}

func TestReasonForms(t *testing.T) {
	pts := func(vals ...float64) []point {
		var ps []point
		for i, v := range vals {
			ps = append(ps, point{t: t0.Add(time.Duration(i) * time.Minute).UnixMilli(), value: v, n: 1, idx: i})
		}
		return ps
	}
	for _, tc := range []struct {
		alarm *alarm
		o     outcome
		want  string
	}{
		{alarmOf(cpuAlarm("a", 0, 24, nil, "")), decide(pts(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), 26, 24, 24, "", func(v float64) bool { return v > 0 }, nil),
			"Threshold Crossed: 24 datapoints were greater than the threshold (0.0). The most recent datapoints which crossed the threshold: [1.0 (01/01/25 00:23:00), 1.0 (01/01/25 00:22:00), 1.0 (01/01/25 00:21:00), 1.0 (01/01/25 00:20:00), 1.0 (01/01/25 00:19:00)]."},
		{alarmOf(cpuAlarm("a", 1, 3, nil, "")), decide(pts(0), 5, 3, 3, treatBreaching, func(v float64) bool { return v > 1 }, nil),
			"Threshold Crossed: 1 datapoint [0.0 (01/01/25 00:00:00)] was not greater than the threshold (1.0) and 2 missing datapoints were treated as [Breaching]."},
		{alarmOf(cpuAlarm("a", 1, 3, nil, "")), decide(nil, 5, 3, 3, treatMissing, func(v float64) bool { return v > 1 }, nil),
			"Insufficient Data: 3 datapoints were unknown."},
	} {
		if got := tc.alarm.stateReason(tc.o); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

func alarmOf(in *PutMetricAlarmInput) *alarm { return &alarm{cfg: *in} }
