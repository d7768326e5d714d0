package cloudwatch

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Point is one value of a statistic for the Go API: the start of its period
// and the value.
type Point struct {
	Time  time.Time
	Value float64
}

// statistics is the Statistic enum of the model.
var statistics = []string{StatisticSampleCount, StatisticAverage, StatisticSum, StatisticMinimum, StatisticMaximum}

// agg is the statistic set of the samples of one period.
type agg struct {
	n, sum, lo, hi float64
}

// buckets calls emit with the samples of each period of [start, end) that
// has any, in time order; periods start at start + k·period (milliseconds).
func (s *series) buckets(start, end, period int64, emit func(t int64, seg []sample)) {
	if s == nil || period <= 0 || end <= start {
		return
	}
	ss := &s.samples
	for i := s.firstAt(start); i < ss.len() && ss.at(i).t < end; {
		t, j := s.bucketAt(i, start, end, period)
		emit(t, ss.segment(i, j))
		i = j
	}
}

// firstAt returns the index of the first sample at or after start. The
// search gallops back from the newest sample (alarms look at the last few
// periods) and then bisects, so the cost is the samples in the range, not
// the history.
func (s *series) firstAt(start int64) int {
	ss := &s.samples
	lo, step := ss.len(), 1
	for lo > 0 && ss.at(lo-1).t >= start {
		lo -= step
		step *= 2
		if lo < 0 {
			lo = 0
		}
	}
	hi := min(ss.len(), lo+step)
	return lo + sort.Search(hi-lo, func(k int) bool { return ss.at(lo+k).t >= start })
}

// bucketAt returns the start t of the period of sample i (periods of
// [start, end) as buckets has them) and the end j of its samples there.
func (s *series) bucketAt(i int, start, end, period int64) (t int64, j int) {
	ss := &s.samples
	t = start + (ss.at(i).t-start)/period*period
	stop := min(t+period, end)
	j = i + 1
	for j < ss.len() && ss.at(j).t < stop {
		j++
	}
	return t, j
}

// alarmPoints appends to out the statistic of each period of [from, end)
// that has data, the periods of an evaluation range that starts at start
// (from is a period boundary of it). It is buckets for alarms, which
// evaluate every period: there is no callback, and the few periods are
// stepped through rather than found by dividing.
func (s *series) alarmPoints(out []point, st statSpec, unit int, start, from, end, period int64) []point {
	ss := &s.samples
	k, t := int((from-start)/period), from // period index and start
	for i := s.firstAt(from); i < ss.len() && ss.at(i).t < end; {
		for ss.at(i).t >= t+period {
			k, t = k+1, t+period
		}
		stop := min(t+period, end)
		j := i + 1
		for j < ss.len() && ss.at(j).t < stop {
			j++
		}
		seg := ss.segment(i, j)
		if ag, ok := aggregate(seg, unit); ok {
			out = append(out, point{t: t, value: ag.of(st, seg, unit), n: ag.n, idx: k})
		}
		i = j
	}
	return out
}

// aggregate sums up the samples with the given unit code (any unit when
// unit < 0) and reports whether there were any.
func aggregate(seg []sample, unit int) (agg, bool) {
	var a agg
	found := false
	for k := range seg {
		x := &seg[k] // not a copy: this runs for every period of every evaluation
		if unit >= 0 && int(x.unit) != unit {
			continue
		}
		if !found {
			a = agg{n: x.n, sum: x.sum, lo: x.lo, hi: x.hi}
			found = true
			continue
		}
		a.n += x.n
		a.sum += x.sum
		a.lo = min(a.lo, x.lo)
		a.hi = max(a.hi, x.hi)
	}
	return a, found
}

// value returns a statistic of the period: one of the five Statistic values
// or a percentile pNN (seg and unit are needed for percentiles only).
func (a agg) value(stat string, seg []sample, unit int) float64 {
	return a.of(statOf(stat), seg, unit)
}

// statSpec is a statistic resolved from its name, once per alarm
// configuration rather than once per period of each evaluation.
type statSpec struct {
	kind statKind
	p    float64 // the percentile, for statPercentile
}

type statKind uint8

const (
	statPercentile statKind = iota
	statSampleCount
	statAverage
	statSum
	statMinimum
	statMaximum
)

// statOf resolves a statistic name; a name that is none of the five and no
// percentile counts as p0, as value always had it.
func statOf(stat string) statSpec {
	switch stat {
	case StatisticSampleCount:
		return statSpec{kind: statSampleCount}
	case StatisticAverage:
		return statSpec{kind: statAverage}
	case StatisticSum:
		return statSpec{kind: statSum}
	case StatisticMinimum:
		return statSpec{kind: statMinimum}
	case StatisticMaximum:
		return statSpec{kind: statMaximum}
	}
	p, _ := parsePercentile(stat)
	return statSpec{kind: statPercentile, p: p}
}

// of is value with the statistic resolved.
func (a agg) of(st statSpec, seg []sample, unit int) float64 {
	switch st.kind {
	case statSampleCount:
		return a.n
	case statAverage:
		return a.sum / a.n
	case statSum:
		return a.sum
	case statMinimum:
		return a.lo
	case statMaximum:
		return a.hi
	}
	return percentile(seg, unit, st.p)
}

// percentile is the nearest-rank percentile of the period's values, each
// sample weighing its count. Values and Values/Counts data are exact; a
// StatisticValues datum counts as SampleCount values at its average (AWS
// does not document how it estimates percentiles from statistic sets).
func percentile(seg []sample, unit int, p float64) float64 {
	type wv struct{ v, w float64 }
	vals := make([]wv, 0, len(seg))
	total := 0.0
	for _, x := range seg {
		if unit >= 0 && int(x.unit) != unit {
			continue
		}
		vals = append(vals, wv{x.sum / x.n, x.n})
		total += x.n
	}
	if len(vals) == 0 {
		return math.NaN()
	}
	slices.SortStableFunc(vals, func(a, b wv) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	rank := p / 100 * total
	acc := 0.0
	for _, x := range vals {
		acc += x.w
		if acc >= rank {
			return x.v
		}
	}
	return vals[len(vals)-1].v
}

// parsePercentile reads pNN and pNN.NN, 0 to 100 ("Specify values between
// p0.0 and p100" [API:GetMetricStatistics] ExtendedStatistics).
func parsePercentile(stat string) (float64, bool) {
	if !strings.HasPrefix(stat, "p") || len(stat) < 2 {
		return 0, false
	}
	digits := stat[1:]
	for _, r := range digits {
		if (r < '0' || r > '9') && r != '.' {
			return 0, false
		}
	}
	p, err := strconv.ParseFloat(digits, 64)
	if err != nil || p < 0 || p > 100 {
		return 0, false
	}
	return p, true
}

// validStat reports whether stat is a statistic ecsbox computes: the five
// Statistic values and percentiles. Trimmed means, IQM and the other
// extended statistics are not simulated.
func validStat(stat string) bool {
	if oneOf(stat, statistics) {
		return true
	}
	_, ok := parsePercentile(stat)
	return ok
}

// Series returns one statistic of a metric per period from start (inclusive)
// to end (exclusive), periods starting at start, for plots. Periods without
// data are left out; an unknown metric or statistic gives nil. stat is one of
// SampleCount, Average, Sum, Minimum, Maximum or a percentile such as p90.
func (c *CloudWatch) Series(namespace, metricName string, dims []Dim, stat string, period time.Duration, start, end time.Time) []Point {
	s := c.lookup(namespace, metricName, dims)
	if s == nil || !validStat(stat) || period < time.Millisecond {
		return nil
	}
	var out []Point
	s.buckets(start.UnixMilli(), end.UnixMilli(), period.Milliseconds(), func(t int64, seg []sample) {
		a, _ := aggregate(seg, -1)
		out = append(out, Point{Time: time.UnixMilli(t).UTC(), Value: a.value(stat, seg, -1)})
	})
	return out
}

// GetMetricStatistics limits [API:GetMetricStatistics]: at most 1,440
// datapoints a call; the periods that standard and high-resolution metrics
// allow; the rounding of StartTime by age.
const (
	maxDatapoints = 1440
	maxStatistics = 5
	maxExtended   = 10
)

// highResolutionPeriods are the periods under a minute that high-resolution
// metrics allow: "the period can be 1, 5, 10, 20, 30, 60, or any multiple of
// 60" [API:GetMetricStatistics] (Period).
var highResolutionPeriods = []int{1, 5, 10, 20, 30}

// checkPeriod applies the Period rules of [API:GetMetricStatistics]: a
// multiple of 60, or one of the high-resolution periods while the start time
// is less than 3 hours ago; older start times need multiples of 60 (up to
// 15 days), 300 (up to 63 days) and 3600 (older). Texts not verified.
func checkPeriod(member string, period int, start, now time.Time) error {
	if period < 1 {
		return invalidValue("The parameter %s must be greater than 0.", member)
	}
	age := now.Sub(start)
	need := 60
	switch {
	case age > 63*24*time.Hour:
		need = 3600
	case age > 15*24*time.Hour:
		need = 300
	case age <= 3*time.Hour && slices.Contains(highResolutionPeriods, period):
		return nil
	}
	if period%need != 0 {
		return invalidValue("The parameter %s must be a multiple of %d.", member, need)
	}
	return nil
}

// roundStart rounds a start time down as CloudWatch does
// [API:GetMetricStatistics] (StartTime): to the minute when it is less than
// 15 days ago, to 5 minutes up to 63 days, to the hour beyond. Periods under
// a minute keep their second.
func roundStart(start, now time.Time, period int) time.Time {
	if period < 60 {
		return start.Truncate(time.Second)
	}
	age := now.Sub(start)
	switch {
	case age > 63*24*time.Hour:
		return start.Truncate(time.Hour)
	case age > 15*24*time.Hour:
		return start.Truncate(5 * time.Minute)
	}
	return start.Truncate(time.Minute)
}

// tooManyDatapoints is CloudWatch's refusal of a request for more than 1,440
// datapoints: "You have requested up to 86400 datapoints, which exceeds the
// limit of 1440. You may reduce the datapoints requested by increasing
// Period, or decreasing the time range." (cloud-custodian/cloud-custodian
// #7683, 2022; older answers wrote the numbers with thousands separators,
// "up to 1,608 datapoints, which exceeds the limit of 1,440").
func tooManyDatapoints(n int64) error {
	return invalidCombination("You have requested up to %d datapoints, which exceeds the limit of %d. You may reduce the datapoints requested by increasing Period, or decreasing the time range.", n, maxDatapoints)
}

// GetMetricStatistics returns statistics of one metric per period
// [API:GetMetricStatistics]. The dimensions must be exactly those the data
// was published with. AWS does not promise an order; ecsbox sorts the
// datapoints by time, oldest first.
func (c *CloudWatch) GetMetricStatistics(in *GetMetricStatisticsInput) (*GetMetricStatisticsOutput, error) {
	if in == nil || in.StartTime == nil || in.EndTime == nil || in.Period == nil {
		// botocore requires these; a Go caller may omit them. Text not verified.
		return nil, missingParameter("The parameters StartTime, EndTime and Period are required.")
	}
	if len(in.Statistics) > 0 && len(in.ExtendedStatistics) > 0 {
		// "you must specify either Statistics or ExtendedStatistics, but not
		// both" [API:GetMetricStatistics]; text not verified
		return nil, invalidCombination("The parameters Statistics and ExtendedStatistics are mutually exclusive and you have specified both.")
	}
	if len(in.Statistics) == 0 && len(in.ExtendedStatistics) == 0 {
		// text not verified
		return nil, missingParameter("Must specify either Statistics or ExtendedStatistics.")
	}
	if len(in.Statistics) > maxStatistics {
		return nil, invalidValue("The collection Statistics must not contain more than %d items.", maxStatistics) // text not verified
	}
	if len(in.ExtendedStatistics) > maxExtended {
		return nil, invalidValue("The collection ExtendedStatistics must not contain more than %d items.", maxExtended) // text not verified
	}
	for _, st := range in.Statistics {
		if !oneOf(st, statistics) {
			return nil, enumError("statistics.member", st, statistics)
		}
	}
	for _, st := range in.ExtendedStatistics {
		if _, ok := parsePercentile(st); !ok {
			// text not verified
			return nil, invalidValue("The value %s for parameter ExtendedStatistics is invalid.", st)
		}
	}
	unit := -1
	if u := aws.ToString(in.Unit); u != "" {
		if !oneOf(u, standardUnits) {
			return nil, enumError("unit", u, standardUnits)
		}
		unit = int(unitCode(u))
	}
	now := c.now()
	period := *in.Period
	if err := checkPeriod("Period", period, in.StartTime.Time, now); err != nil {
		return nil, err
	}
	start := roundStart(in.StartTime.Time, now, period)
	end := in.EndTime.Time
	if !start.Before(end) {
		// text not verified
		return nil, invalidValue("The parameter StartTime must be less than the parameter EndTime.")
	}
	periodMs := int64(period) * 1000
	span := end.UnixMilli() - start.UnixMilli()
	if n := (span + periodMs - 1) / periodMs; n > maxDatapoints {
		return nil, tooManyDatapoints(n)
	}
	out := &GetMetricStatisticsOutput{Label: aws.String(aws.ToString(in.MetricName)), Datapoints: []Datapoint{}}
	s := c.lookup(aws.ToString(in.Namespace), aws.ToString(in.MetricName), dimsOf(in.Dimensions))
	s.buckets(start.UnixMilli(), end.UnixMilli(), periodMs, func(t int64, seg []sample) {
		// Without a Unit filter, data published with different units gives
		// one datapoint per unit ("all data that was collected with any unit
		// is returned, along with the corresponding units"); in code order.
		for _, u := range unitsIn(seg, unit) {
			a, _ := aggregate(seg, u)
			dp := Datapoint{Timestamp: aws.NewTime(time.UnixMilli(t)), Unit: aws.String(unitName(uint8(u)))}
			for _, st := range in.Statistics {
				v := a.value(st, seg, u)
				switch st {
				case StatisticSampleCount:
					dp.SampleCount = &v
				case StatisticAverage:
					dp.Average = &v
				case StatisticSum:
					dp.Sum = &v
				case StatisticMinimum:
					dp.Minimum = &v
				case StatisticMaximum:
					dp.Maximum = &v
				}
			}
			if len(in.ExtendedStatistics) > 0 {
				dp.ExtendedStatistics = map[string]float64{}
				for _, st := range in.ExtendedStatistics {
					dp.ExtendedStatistics[st] = a.value(st, seg, u)
				}
			}
			out.Datapoints = append(out.Datapoints, dp)
		}
	})
	return out, nil
}

// unitsIn lists the unit codes present in seg (only want, when want ≥ 0).
func unitsIn(seg []sample, want int) []int {
	if want >= 0 {
		for _, x := range seg {
			if int(x.unit) == want {
				return []int{want}
			}
		}
		return nil
	}
	var seen [256]bool
	var out []int
	for _, x := range seg {
		if !seen[x.unit] {
			seen[x.unit] = true
			out = append(out, int(x.unit))
		}
	}
	slices.Sort(out)
	return out
}
