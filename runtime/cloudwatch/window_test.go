package cloudwatch

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// TestWindowMatchesFullEvaluation: the points an alarm keeps from one
// evaluation to the next are always those a fresh computation finds, while
// data arrives in order, late, several per period, with gaps and in other
// units, evaluations are skipped and the alarm is reconfigured.
func TestWindowMatchesFullEvaluation(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	reused := 0
	for run := range 40 {
		c, _ := newTest()
		put := func() {
			in := cpuAlarm("a", 50, 1+r.IntN(20), nil, "")
			in.Period = aws.Int([]int{10, 60, 60, 300}[r.IntN(4)])
			in.Statistic = aws.String([]string{StatisticAverage, StatisticMaximum, StatisticSampleCount, StatisticSum}[r.IntN(4)])
			if r.IntN(4) == 0 {
				in.Statistic, in.ExtendedStatistic = nil, aws.String("p90")
			}
			if r.IntN(4) == 0 {
				in.Unit = aws.String(StandardUnitPercent)
			}
			if _, err := c.PutMetricAlarm(in); err != nil {
				t.Fatal(err)
			}
		}
		put()
		a := c.alarms["a"]
		now := t0.UnixMilli()
		for range 600 {
			now += int64(1+r.IntN(40)) * 1000
			for range r.IntN(3) {
				at := now - int64(r.IntN(5000))
				if r.IntN(10) == 0 {
					at = now - int64(r.IntN(30*60_000)) // late: an insert, or an append into computed periods
				}
				unit := StandardUnitPercent
				if r.IntN(5) == 0 {
					unit = StandardUnitCount
				}
				c.Publish("AWS/ECS", "CPUUtilization", cpuDims, r.Float64()*100, unit, time.UnixMilli(at))
			}
			if r.IntN(100) == 0 {
				put()
			}
			if r.IntN(3) > 0 {
				continue // no evaluation at this instant
			}
			s := c.lookup("AWS/ECS", "CPUUtilization", cpuDims)
			if s == nil {
				continue
			}
			period := int64(a.period()) * 1000
			end := now / period * period
			start := end - int64(a.evaluationPeriods()+evaluationRangeExtra)*period
			before := a.window
			got := slices.Clone(a.window.points(a, s, start, end, period))
			want := s.alarmPoints(nil, a.stat, a.unit, start, start, end, period)
			if !slices.Equal(got, want) {
				t.Fatalf("run %d at %d: window points\n%v\nwant\n%v", run, now, got, want)
			}
			if before.gen == a.gen && before.end > start && before.end <= end {
				reused++
			}
		}
	}
	if reused < 1000 {
		t.Errorf("only %d evaluations could reuse points", reused)
	}
}
