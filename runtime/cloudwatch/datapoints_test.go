package cloudwatch

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestDatapointsAreSortedByMetricThenTime(t *testing.T) {
	c, _ := newTest()
	// Published out of order, dimensions in either order.
	c.Publish("AWS/ECS", "MemoryUtilization", []Dim{{"ServiceName", "web"}, {"ClusterName", "demo"}}, 25, StandardUnitPercent, t0.Add(time.Minute))
	c.Publish("AWS/ECS", "CPUUtilization", []Dim{{"ServiceName", "web"}, {"ClusterName", "demo"}}, 40, StandardUnitPercent, t0.Add(time.Minute))
	c.Publish("AWS/ECS", "CPUUtilization", []Dim{{"ClusterName", "demo"}, {"ServiceName", "web"}}, 30, StandardUnitPercent, t0)
	c.Publish("AWS/ECS", "CPUUtilization", []Dim{{"ClusterName", "demo"}}, 10, "", t0)
	var got []string
	c.Datapoints(func(d StoredDatapoint) {
		var dims []string
		for _, x := range d.Dims {
			dims = append(dims, x.Name+"="+x.Value)
		}
		got = append(got, fmt.Sprintf("%s %s %s %s %g %s", d.Time.Format("15:04"), d.Namespace, d.MetricName, strings.Join(dims, ";"), d.Value(), d.Unit))
	})
	want := []string{
		"00:00 AWS/ECS CPUUtilization ClusterName=demo 10 None",
		"00:00 AWS/ECS CPUUtilization ClusterName=demo;ServiceName=web 30 Percent",
		"00:01 AWS/ECS CPUUtilization ClusterName=demo;ServiceName=web 40 Percent",
		"00:01 AWS/ECS MemoryUtilization ClusterName=demo;ServiceName=web 25 Percent",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDatapointValueIsTheMeanOfAStatisticSet(t *testing.T) {
	d := StoredDatapoint{SampleCount: 4, Sum: 10, Minimum: 1, Maximum: 4}
	if d.Value() != 2.5 {
		t.Errorf("Value() = %g, want 2.5", d.Value())
	}
}
