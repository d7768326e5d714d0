package cloudwatch

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Dim is one dimension of a metric, for the Go API.
type Dim struct{ Name, Value string }

// series is one metric: a namespace, a name and a set of dimensions. AWS
// treats each unique combination of dimensions as a separate metric
// [API:GetMetricStatistics] (Dimensions), so the dimension order does not
// matter: the key sorts them by name.
type series struct {
	key       string
	namespace string
	name      string
	// dims are the dimensions in the order of the first publication.
	dims []Dim
	// samples are the raw datapoints in time order; newest is the time of
	// the last, kept here so that an append does not read the end of the
	// samples, which is out of the cache by the next minute's datapoint.
	samples sampleLog
	newest  int64
	// lastPut is when data was last published (simulated time), for
	// ListMetrics RecentlyActive and its two-week horizon.
	lastPut time.Time
	// highResolution is set once data is published with StorageResolution 1.
	highResolution bool
	// inserts counts the samples inserted before the newest (see window).
	inserts int
	// nextPublished is the metric Publish was last called for after this one.
	nextPublished *series
}

// sample is one published datapoint, or one value of a Values/Counts datum:
// a statistic set of count n at time t (Unix milliseconds, AWS's precision).
type sample struct {
	t              int64
	n, sum, lo, hi float64
	unit           uint8
}

// Units are stored as a byte: the index in standardUnits, plus one; 0 is
// "no unit given", which AWS reports as None [API:MetricDatum]. The table is
// fixed, so separate simulations share it safely.
var unitCodes = func() map[string]uint8 {
	m := make(map[string]uint8, len(standardUnits))
	for i, u := range standardUnits {
		m[u] = uint8(i + 1)
	}
	return m
}()

// unitCode returns the code of a unit; a unit outside the StandardUnit enum
// (which PutMetricData refuses, and Publish callers should not send) is
// stored as None.
func unitCode(u string) uint8 {
	if c, ok := unitCodes[u]; ok {
		return c
	}
	return unitCodes[StandardUnitNone]
}

func unitName(c uint8) string {
	if c == 0 {
		return StandardUnitNone
	}
	return standardUnits[c-1]
}

// standardUnits is the StandardUnit enum of the model.
var standardUnits = []string{
	StandardUnitSeconds, StandardUnitMicroseconds, StandardUnitMilliseconds, StandardUnitBytes,
	StandardUnitKilobytes, StandardUnitMegabytes, StandardUnitGigabytes, StandardUnitTerabytes,
	StandardUnitBits, StandardUnitKilobits, StandardUnitMegabits, StandardUnitGigabits,
	StandardUnitTerabits, StandardUnitPercent, StandardUnitCount, StandardUnitBytesSecond,
	StandardUnitKilobytesSecond, StandardUnitMegabytesSecond, StandardUnitGigabytesSecond,
	StandardUnitTerabytesSecond, StandardUnitBitsSecond, StandardUnitKilobitsSecond,
	StandardUnitMegabitsSecond, StandardUnitGigabitsSecond, StandardUnitTerabitsSecond,
	StandardUnitCountSecond, StandardUnitNone,
}

// metricKey identifies a metric: namespace, name and the dimensions sorted
// by name.
func metricKey(namespace, name string, dims []Dim) string {
	return string(appendMetricKey(nil, namespace, name, dims))
}

// appendMetricKey appends the key of a metric to b. Lookups build the key in
// a reused buffer and index the map with string(buf), which Go does without
// allocating: ECS publishes 400 datapoints a minute in a day of 200 services.
func appendMetricKey(b []byte, namespace, name string, dims []Dim) []byte {
	b = append(b, namespace...)
	b = append(b, 0)
	b = append(b, name...)
	sorted := dims
	if !slices.IsSortedFunc(dims, cmpDim) {
		sorted = slices.SortedFunc(slices.Values(dims), cmpDim)
	}
	for _, d := range sorted {
		b = append(b, 0)
		b = append(b, d.Name...)
		b = append(b, 1)
		b = append(b, d.Value...)
	}
	return b
}

func cmpDim(a, b Dim) int { return strings.Compare(a.Name, b.Name) }

func dimsOf(in []Dimension) []Dim {
	out := make([]Dim, 0, len(in))
	for _, d := range in {
		out = append(out, Dim{aws.ToString(d.Name), aws.ToString(d.Value)})
	}
	return out
}

func dimensionsOf(in []Dim) []Dimension {
	out := make([]Dimension, 0, len(in))
	for _, d := range in {
		out = append(out, Dimension{Name: aws.String(d.Name), Value: aws.String(d.Value)})
	}
	return out
}

// is reports whether the metric is namespace, name and dims, with dims in
// the order of its first publication (in another order it is the same
// metric, but is not recognised here).
func (s *series) is(namespace, name string, dims []Dim) bool {
	return s.name == name && s.namespace == namespace && slices.Equal(s.dims, dims)
}

// lookup returns the metric, or nil when nothing was ever published to it.
func (c *CloudWatch) lookup(namespace, name string, dims []Dim) *series {
	c.keyBuf = appendMetricKey(c.keyBuf[:0], namespace, name, dims)
	return c.series[string(c.keyBuf)]
}

func (c *CloudWatch) seriesFor(namespace, name string, dims []Dim) *series {
	if s := c.lookup(namespace, name, dims); s != nil {
		return s
	}
	key := string(c.keyBuf)
	s := &series{key: key, namespace: namespace, name: name, dims: slices.Clone(dims)}
	c.series[key] = s
	return s
}

// add inserts a sample in time order. Publishers mostly append; a datapoint
// for an earlier time is inserted at its place.
func (s *series) add(x sample) {
	n := s.samples.len()
	if n == 0 || s.newest <= x.t {
		s.samples.append(x)
		s.newest = x.t
		return
	}
	i := sort.Search(n, func(i int) bool { return s.samples.at(i).t > x.t })
	s.samples.insert(i, x)
	s.inserts++
}

// Publish records one datapoint for another simulated service (ECS publishes
// AWS/ECS metrics every minute). Unlike PutMetricData it accepts the AWS/
// namespaces and checks nothing; unit "" is None.
func (c *CloudWatch) Publish(namespace, metricName string, dims []Dim, value float64, unit string, at time.Time) {
	// A publisher publishes the same metrics in the same order every minute
	// (ECS: each service's CPU and memory, then the cluster's), so the metric
	// published after this one last time is tried before the map: it is
	// found without building and hashing its key.
	var s *series
	if p := c.published; p != nil && p.nextPublished != nil && p.nextPublished.is(namespace, metricName, dims) {
		s = p.nextPublished
	} else {
		s = c.seriesFor(namespace, metricName, dims)
		if p != nil {
			p.nextPublished = s
		}
	}
	c.published = s
	s.add(sample{t: at.UnixMilli(), n: 1, sum: value, lo: value, hi: value, unit: unitCode(unit)})
	s.lastPut = c.now()
}

// PutMetricData limits [API:PutMetricData], [API:MetricDatum].
const (
	maxMetricData      = 1000 // "Each request is also limited to no more than 1000 different metrics"
	maxDimensions      = 30   // Dimensions max 30 (service-2.json)
	maxDistinctValues  = 150  // "You can include up to 150 unique values in each PutMetricData action"
	valueLimitExponent = 360  // "Values must be in the range of -2^360 to 2^360"
)

// PutMetricData publishes datapoints [API:PutMetricData]. Each datum carries
// exactly one of Value, StatisticValues, or Values (with optional Counts).
func (c *CloudWatch) PutMetricData(in *PutMetricDataInput) (*struct{}, error) {
	if in == nil {
		in = &PutMetricDataInput{}
	}
	ns := aws.ToString(in.Namespace)
	if ns == "" {
		// text not verified
		return nil, missingParameter("The parameter Namespace is required.")
	}
	// AWS reserves the AWS/ prefix for its own services: "The value AWS/ for
	// parameter Namespace is invalid." (Eucalyptus, which mirrors AWS's
	// messages, in its CloudWatch PutMetricData and its AWS-compatibility
	// test testAwsReservedNamspaces).
	if strings.HasPrefix(ns, "AWS/") {
		return nil, invalidValue("The value AWS/ for parameter Namespace is invalid.")
	}
	if strings.HasPrefix(ns, ":") {
		// pattern [^:].* of the Namespace shape; text not verified
		return nil, invalidValue("The value %s for parameter Namespace is invalid.", ns)
	}
	if len(in.EntityMetricData) > 0 {
		return nil, notSimulated("the CloudWatch member EntityMetricData yet")
	}
	if len(in.MetricData) > maxMetricData {
		// text not verified
		return nil, invalidValue("The collection MetricData must not contain more than %d items.", maxMetricData)
	}
	now := c.now()
	type put struct {
		name    string
		dims    []Dim
		samples []sample
		hires   bool
	}
	puts := make([]put, 0, len(in.MetricData))
	for i, d := range in.MetricData {
		p := fmt.Sprintf("MetricData.member.%d", i+1)
		samples, err := datumSamples(p, d, now)
		if err != nil {
			return nil, err
		}
		if len(d.Dimensions) > maxDimensions {
			// text not verified
			return nil, invalidValue("The collection %s.Dimensions must not contain more than %d items.", p, maxDimensions)
		}
		if u := aws.ToString(d.Unit); u != "" && !oneOf(u, standardUnits) {
			return nil, enumError(lowerFirst(p)+".unit", u, standardUnits)
		}
		hires := false
		if r := d.StorageResolution; r != nil {
			if *r != 1 && *r != 60 {
				// "The parameter MetricData.member.1.StorageResolution must be
				// a value in the set [ 1, 60 ]." (boto/botocore#1671)
				return nil, invalidValue("The parameter %s.StorageResolution must be a value in the set [ 1, 60 ].", p)
			}
			hires = *r == 1
		}
		puts = append(puts, put{name: aws.ToString(d.MetricName), dims: dimsOf(d.Dimensions), samples: samples, hires: hires})
	}
	// Only a request that is valid as a whole changes the store.
	for _, p := range puts {
		s := c.seriesFor(ns, p.name, p.dims)
		for _, x := range p.samples {
			s.add(x)
		}
		s.lastPut = now
		s.highResolution = s.highResolution || p.hires
	}
	return nil, nil
}

// datumSamples checks one MetricDatum and turns it into samples.
func datumSamples(p string, d MetricDatum, now time.Time) ([]sample, error) {
	t := now
	if d.Timestamp != nil {
		t = d.Timestamp.Time
	}
	// AWS accepts timestamps up to two weeks old and up to two hours in the
	// future [API:MetricDatum] ("Data points with time stamps from 24 hours
	// ago or longer can take at least 48 hours to become available..."; the
	// two-week/two-hour window is in [CW-UG:publishingMetrics]); text not
	// verified.
	if t.Before(now.Add(-14*24*time.Hour)) || t.After(now.Add(2*time.Hour)) {
		return nil, invalidValue("The parameter %s.Timestamp must specify a time no more than two weeks in the past and no more than two hours in the future.", p)
	}
	unit := unitCode(aws.ToString(d.Unit))
	ms := t.UnixMilli()
	given := 0
	for _, b := range []bool{d.Value != nil, d.StatisticValues != nil, len(d.Values) > 0} {
		if b {
			given++
		}
	}
	if given > 1 {
		// text not verified
		return nil, invalidCombination("The parameters %[1]s.Value, %[1]s.StatisticValues and %[1]s.Values are mutually exclusive and you have specified more than one.", p)
	}
	switch {
	case d.Value != nil:
		if err := checkValue(p+".Value", *d.Value); err != nil {
			return nil, err
		}
		v := *d.Value
		return []sample{{t: ms, n: 1, sum: v, lo: v, hi: v, unit: unit}}, nil
	case d.StatisticValues != nil:
		sv := d.StatisticValues
		if sv.SampleCount == nil || sv.Sum == nil || sv.Minimum == nil || sv.Maximum == nil {
			// every member of StatisticSet is required in the model; text not verified
			return nil, missingParameter("The parameter %s.StatisticValues must contain SampleCount, Sum, Minimum and Maximum.", p)
		}
		for _, f := range []struct {
			m string
			v float64
		}{{"SampleCount", *sv.SampleCount}, {"Sum", *sv.Sum}, {"Minimum", *sv.Minimum}, {"Maximum", *sv.Maximum}} {
			if err := checkValue(p+".StatisticValues."+f.m, f.v); err != nil {
				return nil, err
			}
		}
		if *sv.SampleCount <= 0 || *sv.Minimum > *sv.Maximum {
			// text not verified
			return nil, invalidValue("The parameter %s.StatisticValues is invalid: SampleCount must be positive and Minimum not greater than Maximum.", p)
		}
		return []sample{{t: ms, n: *sv.SampleCount, sum: *sv.Sum, lo: *sv.Minimum, hi: *sv.Maximum, unit: unit}}, nil
	case len(d.Values) > 0:
		if len(d.Values) > maxDistinctValues {
			// text not verified
			return nil, invalidValue("The collection %s.Values must not contain more than %d items.", p, maxDistinctValues)
		}
		if len(d.Counts) > 0 && len(d.Counts) != len(d.Values) {
			// "If you include a Counts array, it must include the same amount
			// of values as the Values array." [API:MetricDatum]; text not verified
			return nil, invalidValue("The parameters %[1]s.Values and %[1]s.Counts must be arrays of the same length.", p)
		}
		out := make([]sample, 0, len(d.Values))
		for k, v := range d.Values {
			if err := checkValue(fmt.Sprintf("%s.Values.member.%d", p, k+1), v); err != nil {
				return nil, err
			}
			n := 1.0 // "If you omit the Counts array, the default of 1 is used"
			if len(d.Counts) > 0 {
				n = d.Counts[k]
			}
			if n <= 0 {
				continue
			}
			out = append(out, sample{t: ms, n: n, sum: v * n, lo: v, hi: v, unit: unit})
		}
		return out, nil
	}
	// text not verified
	return nil, missingParameter("At least one of the parameters %[1]s.Value, %[1]s.StatisticValues or %[1]s.Values must be specified.", p)
}

// checkValue refuses what AWS rejects: NaN, infinities, and magnitudes
// outside ±2^360 [API:MetricDatum] ("special values (for example, NaN,
// +Infinity, -Infinity) are not supported"); text not verified.
func checkValue(member string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > math.Ldexp(1, valueLimitExponent) || (v != 0 && math.Abs(v) < math.Ldexp(1, -valueLimitExponent)) {
		return invalidValue("The value %s for parameter %s is invalid.", javaDouble(v), member)
	}
	return nil
}

// Metric listing horizons [API:ListMetrics]: RecentlyActive PT3H keeps
// metrics with data published in the past three hours; metrics with no new
// data for two weeks no longer appear ("If you don't publish data for a
// metric for two weeks, it expires" — [CW-UG:cloudwatch_concepts], text of
// the limit paraphrased). ListMetrics returns up to 500 results a call
// [API:ListMetrics].
const (
	recentlyActiveWindow = 3 * time.Hour
	metricExpiry         = 14 * 24 * time.Hour
	listMetricsPageSize  = 500
)

// ListMetrics lists the metrics that match the filters, in ecsbox's stable
// order: by namespace, name, then dimensions (AWS does not document its
// order).
func (c *CloudWatch) ListMetrics(in *ListMetricsInput) (*ListMetricsOutput, error) {
	if in == nil {
		in = &ListMetricsInput{}
	}
	if r := aws.ToString(in.RecentlyActive); r != "" && r != RecentlyActivePT3H {
		return nil, enumError("recentlyActive", r, []string{RecentlyActivePT3H})
	}
	if len(in.Dimensions) > 10 {
		// DimensionFilters max 10 (service-2.json); text not verified
		return nil, invalidValue("The collection Dimensions must not contain more than 10 items.")
	}
	now := c.now()
	keys := make([]string, 0, len(c.series))
	for key, s := range c.series {
		if !s.matches(in) {
			continue
		}
		age := now.Sub(s.lastPut)
		if age > metricExpiry || (in.RecentlyActive != nil && age > recentlyActiveWindow) {
			continue
		}
		keys = append(keys, key)
	}
	sort.Strings(keys)
	start, end, next, err := paginate("ListMetrics", keys, in.NextToken, listMetricsPageSize)
	if err != nil {
		return nil, err
	}
	out := &ListMetricsOutput{Metrics: []Metric{}, NextToken: next}
	for _, key := range keys[start:end] {
		s := c.series[key]
		out.Metrics = append(out.Metrics, Metric{
			Namespace:  aws.String(s.namespace),
			MetricName: aws.String(s.name),
			Dimensions: dimensionsOf(s.dims),
		})
	}
	return out, nil
}

// matches applies ListMetrics's filters: namespace and name match exactly;
// each dimension filter needs a dimension of that name (and value, when the
// filter has one), and the metric may have others [API:ListMetrics].
func (s *series) matches(in *ListMetricsInput) bool {
	if in.Namespace != nil && *in.Namespace != s.namespace {
		return false
	}
	if in.MetricName != nil && *in.MetricName != s.name {
		return false
	}
	for _, f := range in.Dimensions {
		found := false
		for _, d := range s.dims {
			if d.Name == aws.ToString(f.Name) && (f.Value == nil || d.Value == *f.Value) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
