package cloudwatch

import (
	"slices"
	"strings"
	"time"
)

// StoredDatapoint is one stored datapoint of a metric, for exports (ecsbox run
// --out writes them to metrics.csv). A datapoint published with Value has
// SampleCount 1 and Sum, Minimum and Maximum equal to the value; one
// published with StatisticValues (or one value of Values/Counts) keeps its
// statistic set.
type StoredDatapoint struct {
	Namespace, MetricName string
	// Dims are the metric's dimensions, sorted by name.
	Dims                               []Dim
	Time                               time.Time
	SampleCount, Sum, Minimum, Maximum float64
	Unit                               string
}

// Value is the datapoint's value: the mean of its statistic set, which is
// the value itself for a datapoint published with Value.
func (d StoredDatapoint) Value() float64 {
	if d.SampleCount == 0 {
		return 0
	}
	return d.Sum / d.SampleCount
}

// Datapoints calls fn for every stored datapoint, ordered by namespace,
// metric name, dimensions (as sorted name=value pairs) and time, so that an
// export is the same bytes for the same run.
func (c *CloudWatch) Datapoints(fn func(StoredDatapoint)) {
	all := make([]*series, 0, len(c.series))
	for _, s := range c.series {
		all = append(all, s)
	}
	// The key is namespace, name and the sorted dimensions, separated by
	// bytes below any printable character: its order is the order promised.
	slices.SortFunc(all, func(a, b *series) int { return strings.Compare(a.key, b.key) })
	for _, s := range all {
		dims := slices.SortedFunc(slices.Values(s.dims), cmpDim)
		for i := range s.samples.len() {
			x := s.samples.at(i)
			fn(StoredDatapoint{
				Namespace: s.namespace, MetricName: s.name, Dims: dims,
				Time:        time.UnixMilli(x.t).UTC(),
				SampleCount: x.n, Sum: x.sum, Minimum: x.lo, Maximum: x.hi,
				Unit: unitName(x.unit),
			})
		}
	}
}
