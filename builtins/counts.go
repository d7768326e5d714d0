package builtins

import (
	"strings"
	gotime "time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// The counts sim.plot draws beside CloudWatch metrics are not metrics in
// AWS: a service's desiredCount, runningCount and pendingCount, an Auto
// Scaling group's DesiredCapacity and InService instances. The count
// recorder samples them every simulated minute, on whole minutes, and keeps
// each value only when it changed, so a plot draws them as steps.
//
// A series is named by its count and resource, as the string form of a
// plot spec writes it: "desiredCount service/demo/web",
// "DesiredCapacity web-asg".

// countSampleInterval is how often the counts are sampled.
const countSampleInterval = gotime.Minute

// Count names, as sim.plot accepts them.
var (
	serviceCounts = []string{"desiredCount", "runningCount", "pendingCount"}
	groupCounts   = []string{"DesiredCapacity", "InService"}
)

// countPoint is a count from its time on.
type countPoint struct {
	t gotime.Time
	v int
}

type countRecorder struct {
	series map[string][]countPoint
}

// startCountRecorder takes a first sample now and schedules one every
// whole minute. Sampling only reads the account, so it changes nothing
// the simulation does.
func (in *Interp) startCountRecorder() {
	in.counts = &countRecorder{series: map[string][]countPoint{}}
	var tick func()
	tick = func() {
		in.sampleCounts()
		in.cloud.Sim.After(countSampleInterval, "ecsbox: sample counts for sim.plot", tick)
	}
	in.sampleCounts()
	now := in.cloud.Sim.Now()
	next := now.Truncate(countSampleInterval).Add(countSampleInterval)
	in.cloud.Sim.At(next, "ecsbox: sample counts for sim.plot", tick)
}

func (in *Interp) sampleCounts() {
	now := in.cloud.Sim.Now()
	for _, svc := range in.allServices() {
		cluster := aws.ToString(svc.ClusterArn)
		id := "service/" + cluster[strings.LastIndexByte(cluster, '/')+1:] + "/" + aws.ToString(svc.ServiceName)
		in.counts.add("desiredCount "+id, now, aws.ToInt(svc.DesiredCount))
		in.counts.add("runningCount "+id, now, aws.ToInt(svc.RunningCount))
		in.counts.add("pendingCount "+id, now, aws.ToInt(svc.PendingCount))
	}
	for _, g := range in.allGroups() {
		in.counts.add("DesiredCapacity "+g.Name, now, g.Desired)
		inService := 0
		for _, m := range g.Instances {
			if m.LifecycleState == "InService" {
				inService++
			}
		}
		in.counts.add("InService "+g.Name, now, inService)
	}
}

func (r *countRecorder) add(key string, t gotime.Time, v int) {
	s := r.series[key]
	if n := len(s); n > 0 && s[n-1].v == v {
		return
	}
	r.series[key] = append(s, countPoint{t, v})
}

// steps returns the count as (time, value) points from since to until: the
// value in force at since, every change, and the value at until, so that a
// line through them, drawn as steps, is the count over time.
func (r *countRecorder) steps(key string, since, until gotime.Time) ([]point, bool) {
	s, ok := r.series[key]
	if !ok {
		return nil, false
	}
	var out []point
	for i, p := range s {
		if p.t.After(until) {
			break
		}
		if p.t.Before(since) {
			if i+1 < len(s) && !s[i+1].t.After(since) {
				continue
			}
			out = append(out, point{since, float64(p.v)})
			continue
		}
		if n := len(out); n > 0 {
			out = append(out, point{p.t, out[n-1].v}) // the step
		}
		out = append(out, point{p.t, float64(p.v)})
	}
	if n := len(out); n > 0 && out[n-1].t.Before(until) {
		out = append(out, point{until, out[n-1].v})
	}
	return out, true
}
