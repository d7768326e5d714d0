package cloudwatch

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// TestPublishInAnyOrder: Publish tries the metric published after the last
// one last time before its map; whatever the order, dimensions in either
// order included, each datapoint lands in its own metric.
func TestPublishInAnyOrder(t *testing.T) {
	c, _ := newTest()
	r := rand.New(rand.NewPCG(7, 8))
	type metric struct {
		name string
		dims []Dim
	}
	var metrics []metric
	for i := range 6 {
		for _, name := range []string{"CPUUtilization", "MemoryUtilization"} {
			metrics = append(metrics, metric{name, []Dim{{"ClusterName", "c"}, {"ServiceName", fmt.Sprint("s", i)}}})
		}
	}
	want := map[string]int{}
	order := r.Perm(len(metrics))
	for minute := range 200 {
		if r.IntN(5) == 0 {
			order = r.Perm(len(metrics)) // the publisher changes its order
		}
		for _, k := range order {
			if r.IntN(10) == 0 {
				continue // and sometimes skips a metric
			}
			m := metrics[k]
			dims := m.dims
			if r.IntN(4) == 0 {
				dims = []Dim{dims[1], dims[0]}
			}
			c.Publish("AWS/ECS", m.name, dims, float64(k), StandardUnitPercent, t0.Add(time.Duration(minute)*time.Minute))
			want[m.name+m.dims[1].Value]++
		}
	}
	if len(c.series) != len(metrics) {
		t.Fatalf("%d metrics, want %d", len(c.series), len(metrics))
	}
	for k, m := range metrics {
		s := c.lookup("AWS/ECS", m.name, m.dims)
		if got := s.samples.len(); got != want[m.name+m.dims[1].Value] {
			t.Errorf("%s %v: %d datapoints, want %d", m.name, m.dims, got, want[m.name+m.dims[1].Value])
		}
		for i := range s.samples.len() {
			if v := s.samples.at(i).sum; v != float64(k) {
				t.Fatalf("%s %v holds a datapoint of metric %v", m.name, m.dims, v)
			}
		}
	}
}
