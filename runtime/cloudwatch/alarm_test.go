package cloudwatch

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestPutMetricAlarmRefusals(t *testing.T) {
	c, _ := newTest()
	for _, tc := range []struct {
		name   string
		change func(in *PutMetricAlarmInput)
		code   string
		msg    string
	}{
		{"M > N", func(in *PutMetricAlarmInput) { in.DatapointsToAlarm = aws.Int(4) }, ValidationError, "DatapointsToAlarm must be less than or equal to EvaluationPeriods"},
		{"period", func(in *PutMetricAlarmInput) { in.Period = aws.Int(45) }, ValidationError, "The parameter Period must be 10, 20, 30 or a multiple of 60."},
		{"one day", func(in *PutMetricAlarmInput) { in.Period = aws.Int(3600); in.EvaluationPeriods = aws.Int(25) }, ValidationError, ""},
		{"anomaly", func(in *PutMetricAlarmInput) {
			in.ComparisonOperator = aws.String(ComparisonOperatorGreaterThanUpperThreshold)
		}, awserr.NotSimulated, ""},
		{"comparison", func(in *PutMetricAlarmInput) { in.ComparisonOperator = aws.String("Above") }, ValidationError, ""},
		{"both metric forms", func(in *PutMetricAlarmInput) { in.Metrics = []MetricDataQuery{{Id: aws.String("m1")}} }, ValidationError, ""},
		{"no statistic", func(in *PutMetricAlarmInput) { in.Statistic = nil }, MissingParameter, ""},
		{"both statistics", func(in *PutMetricAlarmInput) { in.ExtendedStatistic = aws.String("p90") }, InvalidParameterCombination, ""},
		{"trimmed mean", func(in *PutMetricAlarmInput) { in.Statistic = nil; in.ExtendedStatistic = aws.String("tm90") }, awserr.NotSimulated, ""},
		{"treat", func(in *PutMetricAlarmInput) { in.TreatMissingData = aws.String("zero") }, ValidationError, ""},
		{"no threshold", func(in *PutMetricAlarmInput) { in.Threshold = nil }, ValidationError, "Threshold must not be null"},
		{"six actions", func(in *PutMetricAlarmInput) {
			for i := range 6 {
				in.AlarmActions = append(in.AlarmActions, fmt.Sprintf("arn:aws:sns:us-east-1:1:t%d", i))
			}
		}, ValidationError, ""},
		{"not an ARN", func(in *PutMetricAlarmInput) { in.OKActions = []string{"my-topic"} }, ValidationError, ""},
	} {
		in := cpuAlarm("x", 50, 3, nil, "")
		tc.change(in)
		_, err := c.PutMetricAlarm(in)
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		wantAWSError(t, err, tc.code, tc.msg)
	}
	if len(c.alarms) != 0 {
		t.Errorf("refused alarms were stored")
	}
}

func TestUpdateKeepsStateAndTags(t *testing.T) {
	c, s := newTest()
	in := cpuAlarm("a", 50, 1, nil, treatBreaching)
	in.Tags = []Tag{{Key: aws.String("team"), Value: aws.String("web")}}
	_, err := c.PutMetricAlarm(in)
	mustOK(t, err)
	advance(t, s, 2*time.Minute)
	if a := state(t, c, "a"); a.State != StateValueALARM {
		t.Fatalf("got %s", a.State)
	}
	up := cpuAlarm("a", 70, 2, nil, treatBreaching)
	up.Tags = []Tag{{Key: aws.String("ignored"), Value: aws.String("on update")}}
	_, err = c.PutMetricAlarm(up)
	mustOK(t, err)
	a := state(t, c, "a")
	if a.State != StateValueALARM || a.Threshold != 70 || a.EvaluationPeriods != 2 {
		t.Errorf("after update: %+v", a)
	}
	tags, err := c.ListTagsForResource(&ListTagsForResourceInput{ResourceARN: aws.String(a.ARN)})
	mustOK(t, err)
	if len(tags.Tags) != 1 || *tags.Tags[0].Key != "team" {
		t.Errorf("tags %+v", tags.Tags)
	}
	h := c.AlarmHistory("a")
	if got := aws.ToString(h[len(h)-1].HistorySummary); got != `Alarm "a" updated` {
		t.Errorf("last history item %q", got)
	}
	if got := aws.ToString(h[0].HistoryData); !strings.HasPrefix(got, `{"version":"1.0","type":"Create","createdAlarm":{"AlarmName":"a",`) {
		t.Errorf("create history data %s", got)
	}
}

func TestDeleteAlarmsKeepsHistoryAndStopsEvaluation(t *testing.T) {
	c, s := newTest()
	_, err := c.PutMetricAlarm(cpuAlarm("a", 50, 1, nil, treatBreaching))
	mustOK(t, err)
	advance(t, s, 2*time.Minute)
	_, err = c.DeleteAlarms(&DeleteAlarmsInput{AlarmNames: []string{"a", "never-existed"}})
	mustOK(t, err)
	if _, ok := c.Alarm("a"); ok {
		t.Fatal("alarm still there")
	}
	n := len(c.AlarmHistory("a"))
	advance(t, s, 10*time.Minute)
	h := c.AlarmHistory("a")
	if len(h) != n || aws.ToString(h[len(h)-1].HistorySummary) != `Alarm "a" deleted` {
		t.Errorf("history after delete: %d items, then %d; last %q", n, len(h), aws.ToString(h[len(h)-1].HistorySummary))
	}
	// A new alarm of the same name starts over.
	_, err = c.PutMetricAlarm(cpuAlarm("a", 50, 1, nil, ""))
	mustOK(t, err)
	if a := state(t, c, "a"); a.State != StateValueINSUFFICIENTDATA {
		t.Errorf("recreated alarm in %s", a.State)
	}
}

func TestDescribeAlarmsFilters(t *testing.T) {
	c, s := newTest()
	for _, name := range []string{"web-high", "web-low", "api-high", "db"} {
		in := cpuAlarm(name, 50, 1, nil, "")
		if strings.HasSuffix(name, "high") {
			in.TreatMissingData = aws.String(treatBreaching)
			in.AlarmActions = []string{"arn:aws:autoscaling:us-east-1:1:scalingPolicy:" + name}
		}
		_, err := c.PutMetricAlarm(in)
		mustOK(t, err)
	}
	advance(t, s, 2*time.Minute)
	names := func(in *DescribeAlarmsInput) string {
		t.Helper()
		out, err := c.DescribeAlarms(in)
		mustOK(t, err)
		var n []string
		for _, a := range out.MetricAlarms {
			n = append(n, *a.AlarmName)
		}
		return strings.Join(n, ",")
	}
	for _, tc := range []struct {
		in   *DescribeAlarmsInput
		want string
	}{
		{&DescribeAlarmsInput{}, "api-high,db,web-high,web-low"},
		{&DescribeAlarmsInput{AlarmNamePrefix: aws.String("web-")}, "web-high,web-low"},
		{&DescribeAlarmsInput{AlarmNames: []string{"db", "web-low", "nope"}}, "db,web-low"},
		{&DescribeAlarmsInput{StateValue: aws.String(StateValueALARM)}, "api-high,web-high"},
		{&DescribeAlarmsInput{ActionPrefix: aws.String("arn:aws:autoscaling:us-east-1:1:scalingPolicy:web")}, "web-high"},
		{&DescribeAlarmsInput{AlarmTypes: []string{AlarmTypeCompositeAlarm}}, ""},
	} {
		if got := names(tc.in); got != tc.want {
			t.Errorf("%+v: got %s, want %s", tc.in, got, tc.want)
		}
	}
	// Pagination: 3 pages of at most 2... then 1.
	var all []string
	var token *string
	for range 5 {
		out, err := c.DescribeAlarms(&DescribeAlarmsInput{MaxRecords: aws.Int(3), NextToken: token})
		mustOK(t, err)
		for _, a := range out.MetricAlarms {
			all = append(all, *a.AlarmName)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	if strings.Join(all, ",") != "api-high,db,web-high,web-low" {
		t.Errorf("paged: %v", all)
	}
	_, err := c.DescribeAlarms(&DescribeAlarmsInput{MaxRecords: aws.Int(101)})
	wantAWSError(t, err, ValidationError, "")
	_, err = c.DescribeAlarms(&DescribeAlarmsInput{NextToken: aws.String("garbage")})
	wantAWSError(t, err, InvalidNextToken, "")
	_, err = c.DescribeAlarms(&DescribeAlarmsInput{AlarmNames: []string{"a"}, AlarmNamePrefix: aws.String("a")})
	wantAWSError(t, err, InvalidParameterCombination, "")

	out, err := c.DescribeAlarms(&DescribeAlarmsInput{AlarmNames: []string{"web-high"}})
	mustOK(t, err)
	m := out.MetricAlarms[0]
	if *m.AlarmArn != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:web-high" || !*m.ActionsEnabled ||
		m.OKActions == nil || len(m.Dimensions) != 2 || m.DatapointsToAlarm != nil || *m.StateReasonData == "" {
		t.Errorf("MetricAlarm %+v", m)
	}

	fm, err := c.DescribeAlarmsForMetric(&DescribeAlarmsForMetricInput{Namespace: aws.String("AWS/ECS"), MetricName: aws.String("CPUUtilization"),
		Dimensions: dimensionsOf([]Dim{cpuDims[1], cpuDims[0]}), Period: aws.Int(60)})
	mustOK(t, err)
	if len(fm.MetricAlarms) != 4 {
		t.Errorf("DescribeAlarmsForMetric: %d alarms", len(fm.MetricAlarms))
	}
	fm, err = c.DescribeAlarmsForMetric(&DescribeAlarmsForMetricInput{Namespace: aws.String("AWS/ECS"), MetricName: aws.String("CPUUtilization"),
		Dimensions: dimensionsOf(cpuDims[:1])})
	mustOK(t, err)
	if len(fm.MetricAlarms) != 0 {
		t.Errorf("DescribeAlarmsForMetric with another dimension set: %d alarms", len(fm.MetricAlarms))
	}
}

func TestDescribeAlarmHistoryOrderAndPages(t *testing.T) {
	c, s := newTest()
	_, err := c.PutMetricAlarm(cpuAlarm("a", 50, 1, nil, ""))
	mustOK(t, err)
	run(t, c, map[int]float64{0: 90, 1: 10, 2: 90}, 3*time.Minute+5*time.Second)
	_ = s
	var got []string
	var token *string
	for range 10 {
		out, err := c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{AlarmName: aws.String("a"), MaxRecords: aws.Int(2), NextToken: token})
		mustOK(t, err)
		for _, h := range out.AlarmHistoryItems {
			got = append(got, h.Timestamp.Format("15:04:05")+" "+*h.HistorySummary)
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	want := []string{
		"00:03:05 Alarm updated from OK to ALARM",
		"00:02:05 Alarm updated from ALARM to OK",
		"00:01:05 Alarm updated from INSUFFICIENT_DATA to ALARM",
		`00:00:00 Alarm "a" created`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	out, err := c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{ScanBy: aws.String(ScanByTimestampAscending),
		StartDate: aws.NewTime(t0.Add(time.Minute)), EndDate: aws.NewTime(t0.Add(2*time.Minute + 5*time.Second))})
	mustOK(t, err)
	if len(out.AlarmHistoryItems) != 2 || *out.AlarmHistoryItems[0].HistorySummary != "Alarm updated from INSUFFICIENT_DATA to ALARM" {
		t.Errorf("date range, ascending: %+v", out.AlarmHistoryItems)
	}
}

// TestDeterministicTimeline runs the same scenario twice.
func TestDeterministicTimeline(t *testing.T) {
	runOnce := func() string {
		c, s := newTest()
		c.OnAction("arn:aws:autoscaling:", func(ActionEvent) {})
		for i := range 20 {
			in := cpuAlarm(fmt.Sprintf("alarm-%02d", i), float64(i*5), 1+i%3, nil, treatMissingValues[i%4])
			in.AlarmActions = []string{"arn:aws:autoscaling:us-east-1:1:scalingPolicy:p", "arn:aws:sns:us-east-1:1:t"}
			_, err := c.PutMetricAlarm(in)
			mustOK(t, err)
		}
		for m := range 30 {
			if m%7 != 3 {
				s.At(t0.Add(time.Duration(m+1)*time.Minute), "publish", func() { publishMinute(c, m, float64((m*37)%100)) })
			}
		}
		advance(t, s, time.Hour)
		var b strings.Builder
		for _, e := range s.Timeline() {
			b.WriteString(e.String() + "\n")
		}
		for _, name := range c.alarmNames() {
			for _, h := range c.AlarmHistory(name) {
				fmt.Fprintf(&b, "%s %s %s\n", h.Timestamp, *h.HistorySummary, *h.HistoryData)
			}
		}
		return b.String()
	}
	if a, b := runOnce(), runOnce(); a != b {
		t.Error("two runs differ")
	}
}
