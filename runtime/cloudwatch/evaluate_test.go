package cloudwatch

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// rangeOf turns AWS's table notation ("0 - X - X": oldest first, 0 not
// breaching, X breaching, - missing) into the datapoints of an evaluation
// range.
func rangeOf(s string) ([]point, int) {
	cells := strings.Fields(s)
	var ps []point
	for i, c := range cells {
		switch c {
		case "0":
			ps = append(ps, point{t: int64(i) * 60_000, value: 0, n: 1, idx: i})
		case "X":
			ps = append(ps, point{t: int64(i) * 60_000, value: 1, n: 1, idx: i})
		}
	}
	return ps, len(cells)
}

// TestDecideAWSTables reproduces the two tables of "How alarm state is
// evaluated when data is missing" [CW-UG:AlarmThatSendsEmail]: five periods
// retrieved, 3 of 3 and then 2 of 3. "" is "Retain current state". The
// "X - - - -" row is from the later version of the page.
func TestDecideAWSTables(t *testing.T) {
	const ok, alarm, insufficient, retain = StateValueOK, StateValueALARM, StateValueINSUFFICIENTDATA, ""
	for _, tc := range []struct {
		m    int
		data string
		want [4]string // missing, ignore, breaching, notBreaching
	}{
		{3, "0 - X - X", [4]string{ok, ok, ok, ok}},
		{3, "0 - - - -", [4]string{ok, ok, ok, ok}},
		{3, "- - - - -", [4]string{insufficient, retain, alarm, ok}},
		{3, "0 X X - X", [4]string{alarm, alarm, alarm, alarm}},
		{3, "- - - - X", [4]string{insufficient, retain, alarm, ok}},
		{3, "X - - - -", [4]string{alarm, retain, alarm, ok}},
		{2, "0 - X - X", [4]string{alarm, alarm, alarm, alarm}},
		{2, "0 0 X 0 X", [4]string{alarm, alarm, alarm, alarm}},
		{2, "0 - X - -", [4]string{ok, ok, alarm, ok}},
		{2, "- - - - 0", [4]string{ok, ok, alarm, ok}},
		{2, "- - - - X", [4]string{insufficient, retain, alarm, ok}},
	} {
		ps, r := rangeOf(tc.data)
		for i, treat := range []string{treatMissing, treatIgnore, treatBreaching, treatNotBreaching} {
			o := decide(ps, r, 3, tc.m, treat, func(v float64) bool { return v > 0.5 }, nil)
			if o.state != tc.want[i] {
				t.Errorf("%d of 3, %q, %s: got %q, want %q", tc.m, tc.data, treat, o.state, tc.want[i])
			}
		}
	}
}

// TestDecideMOfN checks M out of N with complete data, and that the
// most recent N of more datapoints decide.
func TestDecideMOfN(t *testing.T) {
	for _, tc := range []struct {
		n, m int
		data string
		want string
	}{
		{3, 3, "X X X", StateValueALARM},
		{3, 3, "X 0 X", StateValueOK},
		{3, 2, "X 0 X", StateValueALARM},
		{5, 4, "X X 0 X X", StateValueALARM},
		{5, 4, "X 0 0 X X", StateValueOK},
		{1, 1, "0 0 0 0 X", StateValueALARM},
		{2, 2, "X X X 0 X", StateValueOK},
		{15, 15, strings.Repeat("X ", 15), StateValueALARM},
	} {
		ps, r := rangeOf(tc.data)
		o := decide(ps, r, tc.n, tc.m, treatMissing, func(v float64) bool { return v > 0.5 }, nil)
		if o.state != tc.want {
			t.Errorf("%d of %d, %q: got %q, want %q", tc.m, tc.n, tc.data, o.state, tc.want)
		}
	}
}

// run publishes one value per minute (as ECS does: at the end of each
// minute, for the minute that ended) and advances the clock.
func run(t *testing.T, c *CloudWatch, minutes map[int]float64, until time.Duration) {
	t.Helper()
	for m, v := range minutes {
		c.sim.At(t0.Add(time.Duration(m+1)*time.Minute), "publish", func() { publishMinute(c, m, v) })
	}
	advance(t, c.sim, until-c.sim.Elapsed())
}

func state(t *testing.T, c *CloudWatch, name string) AlarmInfo {
	t.Helper()
	a, ok := c.Alarm(name)
	if !ok {
		t.Fatalf("no alarm %s", name)
	}
	return a
}

func TestAlarmGoesToAlarmWithAWSReason(t *testing.T) {
	c, s := newTest()
	_, err := c.PutMetricAlarm(cpuAlarm("cpu-high", 50, 3, nil, ""))
	mustOK(t, err)
	if a := state(t, c, "cpu-high"); a.State != StateValueINSUFFICIENTDATA || a.Reason != "Unchecked: Initial alarm creation" {
		t.Fatalf("new alarm: %+v", a)
	}
	run(t, c, map[int]float64{0: 72.5, 1: 80, 2: 90}, 3*time.Minute+4*time.Second)
	if a := state(t, c, "cpu-high"); a.State != StateValueINSUFFICIENTDATA {
		t.Fatalf("before the evaluation at 00:03:05: %s", a.State)
	}
	advance(t, s, time.Second)
	a := state(t, c, "cpu-high")
	wantReason := "Threshold Crossed: 3 datapoints [90.0 (01/01/25 00:02:00), 80.0 (01/01/25 00:01:00), 72.5 (01/01/25 00:00:00)] were greater than the threshold (50.0)."
	if a.State != StateValueALARM || a.Reason != wantReason || !a.StateUpdated.Equal(t0.Add(3*time.Minute+5*time.Second)) {
		t.Fatalf("got %s %q at %s\nwant ALARM %q", a.State, a.Reason, a.StateUpdated, wantReason)
	}
	wantData := `{"version":"1.0","queryDate":"2025-01-01T00:03:05.000+0000","startDate":"2025-01-01T00:00:00.000+0000",` +
		`"statistic":"Average","period":60,"recentDatapoints":[72.5,80.0,90.0],"threshold":50.0,"evaluatedDatapoints":[` +
		`{"timestamp":"2025-01-01T00:02:00.000+0000","sampleCount":1.0,"value":90.0},` +
		`{"timestamp":"2025-01-01T00:01:00.000+0000","sampleCount":1.0,"value":80.0},` +
		`{"timestamp":"2025-01-01T00:00:00.000+0000","sampleCount":1.0,"value":72.5}]}`
	if a.ReasonData != wantData {
		t.Errorf("StateReasonData\n got %s\nwant %s", a.ReasonData, wantData)
	}
	var last string
	for _, e := range s.Timeline() {
		if e.Kind == "AlarmStateChange" {
			last = e.Message
		}
	}
	if last != "alarm cpu-high: INSUFFICIENT_DATA → ALARM: "+wantReason {
		t.Errorf("timeline: %q", last)
	}

	// A datapoint at or below the threshold brings it back to OK.
	run(t, c, map[int]float64{3: 50}, 4*time.Minute+5*time.Second)
	a = state(t, c, "cpu-high")
	if a.State != StateValueOK || a.Reason != "Threshold Crossed: 1 datapoint [50.0 (01/01/25 00:03:00)] was not greater than the threshold (50.0)." {
		t.Errorf("got %s %q", a.State, a.Reason)
	}
}

func TestMOfNReasons(t *testing.T) {
	c, _ := newTest()
	_, err := c.PutMetricAlarm(cpuAlarm("m-of-n", 50, 3, aws.Int(2), ""))
	mustOK(t, err)
	run(t, c, map[int]float64{0: 60, 1: 40, 2: 70}, 3*time.Minute+5*time.Second)
	a := state(t, c, "m-of-n")
	want := "Threshold Crossed: 2 out of the last 3 datapoints [70.0 (01/01/25 00:02:00), 60.0 (01/01/25 00:00:00)] were greater than the threshold (50.0) (minimum 2 datapoints for OK -> ALARM transition)."
	if a.State != StateValueALARM || a.Reason != want {
		t.Fatalf("got %s %q\nwant %q", a.State, a.Reason, want)
	}
	// 40, 70, 10: one breaching datapoint is not enough.
	run(t, c, map[int]float64{3: 10}, 4*time.Minute+5*time.Second)
	a = state(t, c, "m-of-n")
	want = "Threshold Crossed: 2 out of the last 3 datapoints [10.0 (01/01/25 00:03:00), 40.0 (01/01/25 00:01:00)] were not greater than the threshold (50.0) (minimum 2 datapoints for ALARM -> OK transition)."
	if a.State != StateValueOK || a.Reason != want {
		t.Fatalf("got %s %q\nwant %q", a.State, a.Reason, want)
	}
}

func TestTreatMissingDataOnTheClock(t *testing.T) {
	for _, tc := range []struct {
		treat, state, reason string
	}{
		{treatBreaching, StateValueALARM, "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [Breaching]."},
		{treatNotBreaching, StateValueOK, "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint was treated as [NonBreaching]."},
		{treatMissing, StateValueINSUFFICIENTDATA, initialReason},
		{treatIgnore, StateValueINSUFFICIENTDATA, initialReason},
	} {
		c, _ := newTest()
		_, err := c.PutMetricAlarm(cpuAlarm("a", 50, 1, nil, tc.treat))
		mustOK(t, err)
		run(t, c, nil, 2*time.Minute)
		if a := state(t, c, "a"); a.State != tc.state || a.Reason != tc.reason {
			t.Errorf("%s: got %s %q", tc.treat, a.State, a.Reason)
		}
	}
	// missing, after data stops: the last datapoints are evaluated again
	// while they are in the evaluation range (N+2 periods), then the alarm
	// has no data.
	c, _ := newTest()
	_, err := c.PutMetricAlarm(cpuAlarm("a", 50, 1, nil, ""))
	mustOK(t, err)
	run(t, c, map[int]float64{0: 90}, 3*time.Minute+5*time.Second)
	if a := state(t, c, "a"); a.State != StateValueALARM {
		t.Fatalf("00:03:05: %s %q", a.State, a.Reason)
	}
	run(t, c, nil, 4*time.Minute+5*time.Second)
	a := state(t, c, "a")
	if a.State != StateValueINSUFFICIENTDATA || a.Reason != "Insufficient Data: 1 datapoint was unknown." {
		t.Fatalf("00:04:05: %s %q", a.State, a.Reason)
	}
}

func TestAutoScalingActionsRepeatEveryPeriod(t *testing.T) {
	c, _ := newTest()
	const policy = "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1a2b:resource/ecs/service/demo/web:policyName/out"
	const topic = "arn:aws:sns:us-east-1:123456789012:ops"
	var got []ActionEvent
	c.OnAction("arn:aws:autoscaling:", func(e ActionEvent) { got = append(got, e) })
	in := cpuAlarm("high", 50, 1, nil, "")
	in.AlarmActions = []string{policy, topic}
	_, err := c.PutMetricAlarm(in)
	mustOK(t, err)
	minutes := map[int]float64{}
	for m := range 5 {
		minutes[m] = 90 + float64(m)
	}
	run(t, c, minutes, 5*time.Minute+5*time.Second)
	// ALARM from 00:01:05, then again at 00:02:05 ... 00:05:05.
	if len(got) != 5 {
		t.Fatalf("%d invocations, want 5: %+v", len(got), got)
	}
	if got[0].PreviousState != StateValueINSUFFICIENTDATA || got[1].PreviousState != StateValueALARM ||
		got[0].State != StateValueALARM || got[4].Time != t0.Add(5*time.Minute+5*time.Second) ||
		got[4].Datapoints[0] != 94 || got[0].ActionARN != policy || got[0].AlarmARN != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:high" {
		t.Errorf("events %+v", got)
	}
	var sns, asg int
	for _, h := range c.AlarmHistory("high") {
		if aws.ToString(h.HistoryItemType) != HistoryItemTypeAction {
			continue
		}
		switch sum := aws.ToString(h.HistorySummary); {
		case strings.HasPrefix(sum, "Successfully executed action "+policy):
			asg++
		case strings.HasPrefix(sum, "Failed to execute action "+topic+": ecsbox does not deliver"):
			sns++
		default:
			t.Errorf("history %q", sum)
		}
	}
	if asg != 5 || sns != 1 {
		t.Errorf("history: %d Auto Scaling and %d SNS actions, want 5 and 1", asg, sns)
	}
	// Disabled actions: the alarm keeps evaluating but invokes nothing.
	_, err = c.DisableAlarmActions(&DisableAlarmActionsInput{AlarmNames: []string{"high"}})
	mustOK(t, err)
	run(t, c, map[int]float64{5: 99, 6: 99}, 7*time.Minute+5*time.Second)
	if len(got) != 5 {
		t.Errorf("%d invocations with actions disabled", len(got))
	}
	_, err = c.EnableAlarmActions(&EnableAlarmActionsInput{AlarmNames: []string{"high"}})
	mustOK(t, err)
	run(t, c, map[int]float64{7: 99}, 8*time.Minute+5*time.Second)
	if len(got) != 6 {
		t.Errorf("%d invocations after enabling, want 6", len(got))
	}
}

func TestSetAlarmStateLastsUntilTheNextEvaluation(t *testing.T) {
	c, s := newTest()
	var got []ActionEvent
	c.OnAction("arn:aws:autoscaling:", func(e ActionEvent) { got = append(got, e) })
	in := cpuAlarm("a", 50, 1, nil, "")
	in.AlarmActions = []string{"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x"}
	_, err := c.PutMetricAlarm(in)
	mustOK(t, err)
	run(t, c, map[int]float64{0: 10, 1: 10, 2: 10}, 2*time.Minute+30*time.Second)
	if a := state(t, c, "a"); a.State != StateValueOK {
		t.Fatalf("got %s", a.State)
	}
	_, err = c.SetAlarmState(&SetAlarmStateInput{AlarmName: aws.String("a"), StateValue: aws.String(StateValueALARM),
		StateReason: aws.String("testing"), StateReasonData: aws.String(`{"why":"test"}`)})
	mustOK(t, err)
	if a := state(t, c, "a"); a.State != StateValueALARM || a.Reason != "testing" || len(got) != 1 || got[0].Reason != "testing" {
		t.Fatalf("after SetAlarmState: %+v, actions %+v", a, got)
	}
	advance(t, s, 35*time.Second) // 00:03:05
	if a := state(t, c, "a"); a.State != StateValueOK || !strings.HasPrefix(a.Reason, "Threshold Crossed: 1 datapoint [10.0") {
		t.Fatalf("after the next evaluation: %s %q", a.State, a.Reason)
	}
	var summaries []string
	out, err := c.DescribeAlarmHistory(&DescribeAlarmHistoryInput{AlarmName: aws.String("a"), HistoryItemType: aws.String(HistoryItemTypeStateUpdate)})
	mustOK(t, err)
	for _, h := range out.AlarmHistoryItems {
		summaries = append(summaries, aws.ToString(h.HistorySummary))
	}
	want := []string{"Alarm updated from ALARM to OK", "Alarm updated from OK to ALARM", "Alarm updated from INSUFFICIENT_DATA to OK"}
	if strings.Join(summaries, "|") != strings.Join(want, "|") {
		t.Errorf("history (newest first) %q, want %q", summaries, want)
	}
	if d := aws.ToString(out.AlarmHistoryItems[1].HistoryData); !strings.Contains(d, `"newState":{"stateValue":"ALARM","stateReason":"testing","stateReasonData":{"why":"test"}}`) {
		t.Errorf("HistoryData %s", d)
	}

	_, err = c.SetAlarmState(&SetAlarmStateInput{AlarmName: aws.String("nope"), StateValue: aws.String(StateValueOK), StateReason: aws.String("x")})
	wantAWSError(t, err, ResourceNotFound, "")
	_, err = c.SetAlarmState(&SetAlarmStateInput{AlarmName: aws.String("a"), StateValue: aws.String(StateValueOK), StateReason: aws.String("x"), StateReasonData: aws.String("{")})
	wantAWSError(t, err, InvalidFormat, "Data was not syntactically valid JSON.")
}

func TestEvaluationTimingFollowsPeriods(t *testing.T) {
	c, s := newTest()
	advance(t, s, 90*time.Second) // created at 00:01:30
	in := cpuAlarm("five", 50, 1, nil, treatBreaching)
	in.Period = aws.Int(300)
	_, err := c.PutMetricAlarm(in)
	mustOK(t, err)
	var at []time.Time
	c.OnAction("arn:", func(e ActionEvent) { at = append(at, e.Time) })
	_, err = c.PutMetricAlarm(func() *PutMetricAlarmInput {
		in.AlarmActions = []string{"arn:aws:autoscaling:us-east-1:1:scalingPolicy:p"}
		return in
	}())
	mustOK(t, err)
	advance(t, s, 15*time.Minute)
	// First evaluation at the next minute + 5 s, then every 5 minutes.
	want := []time.Duration{2*time.Minute + 5*time.Second, 5*time.Minute + 5*time.Second, 10*time.Minute + 5*time.Second, 15*time.Minute + 5*time.Second}
	if len(at) != len(want) {
		t.Fatalf("evaluations at %v", at)
	}
	for i, w := range want {
		if !at[i].Equal(t0.Add(w)) {
			t.Errorf("evaluation %d at %s, want %s", i, at[i], t0.Add(w))
		}
	}
}
