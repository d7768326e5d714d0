package cloudwatch

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Timing of alarm evaluation (ecsbox's choice; AWS documents none of it):
//
//   - Periods are aligned to multiples of the alarm's Period since the Unix
//     epoch (so a 60 s alarm's periods start on whole minutes, a 300 s
//     alarm's at :00, :05, ...).
//   - An alarm is evaluated EvaluationDelay after each period boundary, and
//     then looks at the periods that ended at that boundary: a datapoint
//     timestamped in [B-Period, B) and published by B+EvaluationDelay counts
//     in the evaluation at B+EvaluationDelay. ECS publishing at B the
//     datapoint of the minute that just ended is therefore seen at once.
//   - A new or updated alarm is first evaluated EvaluationDelay after the next
//     whole minute (the next 10 s boundary for periods under a minute): AWS
//     says "The alarm is then evaluated" [API:PutMetricAlarm] without saying
//     when. Evaluations then follow the period boundaries.
//
// Alarms evaluated at the same instant go in the order their evaluations were
// scheduled, which depends only on the script.
const EvaluationDelay = 5 * time.Second

// evaluationRangeExtra: CloudWatch "attempts to retrieve a higher number of
// data points than specified by Evaluation Periods", the evaluation range;
// its example retrieves 5 for 3 evaluation periods [CW-UG:AlarmThatSendsEmail]
// ("How alarm state is evaluated when data is missing"). The exact number
// "depends on the length of the alarm period"; ecsbox always retrieves
// EvaluationPeriods + 2 periods.
const evaluationRangeExtra = 2

// resolve sets the fields evaluations read from cfg; PutMetricAlarm and
// the actions switches call it after changing cfg.
func (a *alarm) resolve() {
	a.periodMs = int64(a.period()) * 1000
	a.n, a.m = a.evaluationPeriods(), a.datapointsToAlarm()
	a.treat = a.treatMissing()
	if i := slices.Index(treatMissingValues, a.treat); i >= 0 {
		a.treat = treatMissingValues[i] // the constant's bytes, not cfg's
	}
	a.math = len(a.cfg.Metrics) > 0
	for i, state := range stateValues {
		a.repeats[i] = false
		for _, arn := range a.actionsFor(state) {
			if a.actionsEnabled() && strings.HasPrefix(arn, autoScalingActionPrefix) {
				a.repeats[i] = true
			}
		}
	}
	a.breach = a.breaches()
	a.stat, a.unit = statOf(a.statistic()), -1
	if u := aws.ToString(a.cfg.Unit); u != "" {
		a.unit = int(unitCode(u))
	}
}

// stateIndex is the index of a state in stateValues.
func stateIndex(state string) int {
	switch state {
	case StateValueOK:
		return 0
	case StateValueALARM:
		return 1
	}
	return 2
}

// schedule plans the first evaluation of the alarm's current configuration.
func (c *CloudWatch) schedule(a *alarm) {
	step := int64(60_000)
	if p := int64(a.period()) * 1000; p < step {
		step = 10_000
	}
	now := c.now().UnixMilli()
	boundary := (now + step - 1) / step * step
	c.scheduleAt(a, boundary)
}

func (c *CloudWatch) scheduleAt(a *alarm, boundaryMs int64) {
	a.boundary = boundaryMs
	gen := a.gen
	// One closure per configuration, reused for every evaluation of it.
	tick := func() {
		if a.deleted || a.gen != gen {
			return
		}
		c.evaluate(a)
		if a.deleted || a.gen != gen {
			return // an action handler deleted or replaced the alarm
		}
		p := a.periodMs
		a.boundary = (a.boundary/p + 1) * p
		c.sim.At(time.UnixMilli(a.boundary).Add(EvaluationDelay), a.eventName, a.tick)
	}
	a.tick, a.eventName = tick, "cloudwatch: evaluate alarm "+a.name
	c.sim.At(time.UnixMilli(boundaryMs).Add(EvaluationDelay), a.eventName, tick)
}

// point is the statistic of one period that has data.
type point struct {
	t     int64 // period start, Unix ms
	value float64
	n     float64 // sample count
	idx   int     // period index in the evaluation range, 0 = oldest
}

// outcome is the result of one evaluation.
type outcome struct {
	// state is the new state, or "" to keep the current one (ignore).
	state string
	// evaluated are the real datapoints evaluated, oldest first.
	evaluated []point
	// filled missing datapoints were counted as breaching (fillBreaching) or
	// not; unknown is the count of unknown datapoints (INSUFFICIENT_DATA).
	filled        int
	fillBreaching bool
	unknown       int
	// deciding are the evaluated datapoints that agree with the new state,
	// newest first; needed the ones the transition required.
	deciding, needed []point
}

// decide applies AWS's evaluation rules to the real datapoints of the
// evaluation range (oldest first) [CW-UG:AlarmThatSendsEmail]:
//
//   - With at least N datapoints in the range, the most recent N decide and
//     TreatMissingData is not used.
//   - With fewer, every real datapoint is evaluated and the N-k missing ones
//     are filled as TreatMissingData says ("CloudWatch uses missing data
//     points only as few times as possible"): breaching and notBreaching
//     count them as such; with missing and ignore they count as neither, so
//     the alarm goes to ALARM with M breaching datapoints, to OK when a
//     real datapoint is not breaching, and otherwise to INSUFFICIENT_DATA
//     (missing) or stays as it is (ignore). With nothing in the range,
//     missing gives INSUFFICIENT_DATA and ignore keeps the state.
//   - One more rule for missing, from AWS's knowledge center ("Why did my
//     CloudWatch alarm send me a notification after a single breached data
//     point?"): when every datapoint is breaching or missing and the oldest
//     breaching one is at least M periods old, the alarm goes to ALARM "even
//     when missing data is being treated as missing".
//
// Both of AWS's tables (3 of 3 and 2 of 3 with five periods retrieved) come
// out as documented; they are the table tests of this function. deciding is
// built in buf, which may be nil.
func decide(points []point, rangeLen, n, m int, treat string, breaches func(float64) bool, buf []point) outcome {
	o := judge(points, rangeLen, n, m, treat, breaches)
	o.listDeciding(n, m, breaches, buf)
	return o
}

// judge is decide without deciding and needed: the state and what was
// evaluated, filled and unknown.
func judge(points []point, rangeLen, n, m int, treat string, breaches func(float64) bool) outcome {
	var o outcome
	if len(points) >= n {
		o.evaluated = points[len(points)-n:]
	} else {
		o.evaluated = points
	}
	b := 0
	for _, p := range o.evaluated {
		if breaches(p.value) {
			b++
		}
	}
	nb := len(o.evaluated) - b
	k := n - len(o.evaluated) // missing datapoints to fill
	state := ""
	switch {
	case k == 0:
		state = pick(b >= m)
	case treat == treatBreaching:
		o.filled, o.fillBreaching = k, true
		state = pick(b+k >= m)
	case treat == treatNotBreaching:
		o.filled = k
		state = pick(b >= m)
	case b >= m:
		state = StateValueALARM
	case nb > 0:
		state = StateValueOK
	case treat == treatMissing && b > 0 && rangeLen-o.evaluated[0].idx >= m:
		state = StateValueALARM
	case treat == treatMissing:
		state, o.unknown = StateValueINSUFFICIENTDATA, k
	}
	o.state = state
	return o
}

// listDeciding lists in buf the evaluated datapoints that agree with the new
// state (deciding) and the ones the transition needed.
func (o *outcome) listDeciding(n, m int, breaches func(float64) bool, buf []point) {
	o.deciding = buf[:0]
	if state := o.state; state == StateValueALARM || state == StateValueOK {
		want := state == StateValueALARM
		for i := len(o.evaluated) - 1; i >= 0; i-- {
			if breaches(o.evaluated[i].value) == want {
				o.deciding = append(o.deciding, o.evaluated[i])
			}
		}
		need := m
		if !want {
			need = n - m + 1
		}
		o.needed = o.deciding[:min(need, len(o.deciding))]
	}
}

func pick(alarm bool) string {
	if alarm {
		return StateValueALARM
	}
	return StateValueOK
}

// breaches returns the comparison of the alarm: the statistic is the first
// operand, the threshold the second [API:PutMetricAlarm] (ComparisonOperator).
func (a *alarm) breaches() func(float64) bool {
	t := a.threshold()
	switch a.comparison() {
	case ComparisonOperatorGreaterThanOrEqualToThreshold:
		return func(v float64) bool { return v >= t }
	case ComparisonOperatorGreaterThanThreshold:
		return func(v float64) bool { return v > t }
	case ComparisonOperatorLessThanThreshold:
		return func(v float64) bool { return v < t }
	case ComparisonOperatorLessThanOrEqualToThreshold:
		return func(v float64) bool { return v <= t }
	}
	return func(float64) bool { return false }
}

// points returns the statistic of each period of [start, end) that has data.
func (c *CloudWatch) points(a *alarm, start, end, period int64) []point {
	out := c.pointBuf[:0]
	defer func() { c.pointBuf = out[:0] }()
	if a.math {
		q, err := compileQueries(a.cfg.Metrics)
		if err != nil {
			return nil
		}
		for _, r := range c.runQueries(q, start, end) {
			if r.returned {
				for i := range r.ts {
					out = append(out, point{t: r.ts[i], value: r.vs[i], n: 1, idx: int((r.ts[i] - start) / period)})
				}
			}
		}
		return out
	}
	s := a.series
	if s == nil {
		s = c.lookup(aws.ToString(a.cfg.Namespace), aws.ToString(a.cfg.MetricName), a.dims)
		a.series = s
	}
	if s == nil {
		return out
	}
	return a.window.points(a, s, start, end, period)
}

// window keeps the points of a single-metric alarm's last evaluation. The
// next evaluation, a period later, looks at a range moved by one period:
// the points it shares with the last one are kept and only the new periods
// are computed, unless data has arrived since for a period already computed
// (an insert before the newest sample, or an append before the end of the
// last range), which recomputes them all.
type window struct {
	gen             int // the alarm configuration the points are for
	start, end      int64
	samples, insert int // s.samples.len() and s.inserts when computed
	pts             []point
}

// points returns the points of [start, end), as alarmPoints computes them.
func (w *window) points(a *alarm, s *series, start, end, period int64) []point {
	from := start
	valid := w.gen == a.gen && w.start <= start && start <= w.end && w.end <= end && s.inserts == w.insert &&
		(s.samples.len() == w.samples || s.samples.at(w.samples).t >= w.end)
	if valid {
		drop := 0
		for drop < len(w.pts) && w.pts[drop].t < start {
			drop++
		}
		w.pts = w.pts[:copy(w.pts, w.pts[drop:])]
		shift := int((start - w.start) / period)
		for i := range w.pts {
			w.pts[i].idx -= shift
		}
		from = w.end
	} else {
		w.pts = w.pts[:0]
	}
	w.pts = s.alarmPoints(w.pts, a.stat, a.unit, start, from, end, period)
	w.gen, w.start, w.end, w.samples, w.insert = a.gen, start, end, s.samples.len(), s.inserts
	return w.pts
}

// evaluate runs one evaluation of the alarm at the current time.
func (c *CloudWatch) evaluate(a *alarm) {
	now := c.now()
	period := a.periodMs
	end := now.UnixMilli() / period * period
	n, m := a.n, a.m
	rangeLen := n + evaluationRangeExtra
	start := end - int64(rangeLen)*period
	o := judge(c.points(a, start, end, period), rangeLen, n, m, a.treat, a.breach)
	if (o.state == "" || o.state == a.state) && !a.repeatsActions() {
		// No transition and no action to invoke again (most evaluations):
		// the datapoints that decided need not be listed.
		return
	}
	o.listDeciding(n, m, a.breach, c.decideBuf)
	defer func() { c.decideBuf = o.deciding[:0] }()

	values := c.valueBuf[:0]
	defer func() { c.valueBuf = values[:0] }()
	for i := len(o.deciding) - 1; i >= 0; i-- {
		values = append(values, o.deciding[i].value)
	}
	if o.state == "" || o.state == a.state {
		// No transition: Auto Scaling actions are invoked again.
		if len(values) == 0 {
			for _, p := range o.evaluated {
				values = append(values, p.value)
			}
		}
		c.invokeActions(a, a.state, values, true)
		return
	}
	c.textBuf = a.appendStateReasonData(c.textBuf[:0], o, now)
	c.transition(a, o.state, a.stateReason(o), string(c.textBuf), values)
}

// transition moves the alarm to a new state: history, timeline, actions.
// The StateUpdate HistoryData nests the old and new states:
// {"version":"1.0","oldState":{"stateValue":"OK","stateReason":"..."},
// "newState":{"stateValue":"ALARM","stateReason":"...","stateReasonData":{...}}}
// (DescribeAlarmHistory output in AWS CLI transcripts).
func (c *CloudWatch) transition(a *alarm, state, reason, reasonData string, values []float64) {
	now := c.now()
	previous, oldReason, oldData := a.state, a.reason, a.reasonData
	a.state, a.reason, a.reasonData = state, reason, reasonData
	a.stateUpdated, a.stateTransitioned = now, now
	c.addStateHistory(a, &stateRecord{previous, oldReason, oldData}, &stateRecord{state, reason, reasonData})
	c.sim.Record("cloudwatch", "AlarmStateChange", a.arn, "alarm "+a.name+": "+previous+" → "+state+": "+reason)
	c.invokeActions(a, previous, values, false)
}

// json is the state as HistoryData nests it. Reason data is JSON already:
// ecsbox writes it, and SetAlarmState refuses anything else.
func (r *stateRecord) json() string {
	reason, _ := json.Marshal(r.reason)
	s := `{"stateValue":"` + r.value + `","stateReason":` + string(reason)
	if r.data != "" {
		s += `,"stateReasonData":` + r.data
	}
	return s + "}"
}

// SetAlarmState sets an alarm's state for testing [API:SetAlarmState]: "When
// the updated state differs from the previous value, the action configured
// for the appropriate state is invoked." The state lasts until the next
// evaluation ("Metric alarms returns to their actual state quickly"; "This
// temporary state change lasts only until the next alarm comparison occurs"
// [CW-UG:AlarmThatSendsEmail]). Setting the state an alarm is already in
// updates its reason only.
func (c *CloudWatch) SetAlarmState(in *SetAlarmStateInput) (*struct{}, error) {
	if in == nil {
		in = &SetAlarmStateInput{}
	}
	name := aws.ToString(in.AlarmName)
	a, ok := c.alarms[name]
	if !ok {
		// text not verified
		return nil, awserr.Newf(ResourceNotFound, "Alarm %s not found", name)
	}
	state := aws.ToString(in.StateValue)
	if !oneOf(state, stateValues) {
		return nil, enumError("stateValue", state, stateValues)
	}
	reason := aws.ToString(in.StateReason)
	if len(reason) > 1023 {
		return nil, validationError("1 validation error detected: Value at 'stateReason' failed to satisfy constraint: Member must have length less than or equal to 1023")
	}
	data := aws.ToString(in.StateReasonData)
	if len(data) > 4000 {
		return nil, validationError("1 validation error detected: Value at 'stateReasonData' failed to satisfy constraint: Member must have length less than or equal to 4000")
	}
	if data != "" && !json.Valid([]byte(data)) {
		// InvalidFormatFault: "Data was not syntactically valid JSON."
		// (service-2.json documentation of the error shape)
		return nil, awserr.New(InvalidFormat, "Data was not syntactically valid JSON.")
	}
	if state == a.state {
		a.reason, a.reasonData, a.stateUpdated = reason, data, c.now()
		return nil, nil
	}
	c.transition(a, state, reason, data, nil)
	return nil, nil
}
