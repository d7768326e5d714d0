package cloudwatch

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// BenchmarkDayOf200ServicesWithAlarms is one simulated day of what ECS and
// service auto scaling put on CloudWatch: 200 services publish
// CPUUtilization and MemoryUtilization every minute (576,000 datapoints),
// and 400 target-tracking-like alarms (an AlarmHigh of 3 of 3 and an
// AlarmLow of 15 of 15 per service, with Auto Scaling actions) evaluate
// every minute.
func BenchmarkDayOf200ServicesWithAlarms(b *testing.B) {
	for b.Loop() {
		s := sim.New(sim.Config{})
		c := New(Config{Sim: s, Identity: aws.DefaultIdentity()})
		invoked := 0
		c.OnAction("arn:aws:autoscaling:", func(ActionEvent) { invoked++ })
		type svc struct{ dims []Dim }
		services := make([]svc, 200)
		for i := range services {
			services[i].dims = []Dim{{"ClusterName", "prod"}, {"ServiceName", fmt.Sprintf("svc-%03d", i)}}
			for _, spec := range []struct {
				suffix string
				n      int
				op     string
				thr    float64
			}{{"AlarmHigh", 3, ComparisonOperatorGreaterThanThreshold, 70}, {"AlarmLow", 15, ComparisonOperatorLessThanThreshold, 40}} {
				_, err := c.PutMetricAlarm(&PutMetricAlarmInput{
					AlarmName: aws.String(fmt.Sprintf("TargetTracking-service/prod/svc-%03d-%s", i, spec.suffix)),
					Namespace: aws.String("AWS/ECS"), MetricName: aws.String("CPUUtilization"),
					Dimensions: dimensionsOf(services[i].dims), Statistic: aws.String(StatisticAverage),
					Period: aws.Int(60), EvaluationPeriods: aws.Int(spec.n), Threshold: aws.Float64(spec.thr),
					ComparisonOperator: aws.String(spec.op),
					AlarmActions:       []string{"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:" + spec.suffix},
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		}
		var tick func(m int)
		tick = func(m int) {
			at := t0.Add(time.Duration(m) * time.Minute)
			for i, sv := range services {
				cpu := float64((i*7+m*13)%100) + 0.5
				c.Publish("AWS/ECS", "CPUUtilization", sv.dims, cpu, StandardUnitPercent, at)
				c.Publish("AWS/ECS", "MemoryUtilization", sv.dims, 50, StandardUnitPercent, at)
			}
			if m < 1439 {
				s.At(at.Add(2*time.Minute), "publish", func() { tick(m + 1) })
			}
		}
		s.At(t0.Add(time.Minute), "publish", func() { tick(0) })
		if err := s.Advance(context.Background(), 24*time.Hour); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(invoked), "actions/day")
		b.ReportMetric(float64(c.history.len()), "history/day")
	}
}

// benchServices publishes 400 metrics (CPU and memory of 200 services), as
// ECS does every minute.
func benchServices() [][]Dim {
	dims := make([][]Dim, 200)
	for i := range dims {
		dims[i] = []Dim{{"ClusterName", "prod"}, {"ServiceName", fmt.Sprintf("svc-%03d", i)}}
	}
	return dims
}

// BenchmarkPublish is one Publish of ECS's minute: each op publishes one
// datapoint to one of 400 metrics, a minute later every 400 ops, so the
// metrics grow as they do over a run.
func BenchmarkPublish(b *testing.B) {
	c, _ := newTest()
	dims := benchServices()
	names := []string{"CPUUtilization", "MemoryUtilization"}
	i := 0
	for b.Loop() {
		k := i % 400
		at := t0.Add(time.Duration(i/400) * time.Minute)
		c.Publish("AWS/ECS", names[k%2], dims[k/2], float64(i%100), StandardUnitPercent, at)
		i++
	}
}

// benchAlarm is a day of CPU data below 40 % and the AlarmLow of a target
// tracking policy on it (15 of 15 below 45), with an Auto Scaling action.
func benchAlarm(b *testing.B, value func(m int) float64) (*CloudWatch, *alarm) {
	c, s := newTest()
	c.OnAction("arn:aws:autoscaling:", func(ActionEvent) {})
	for m := range 24 * 60 {
		publishMinute(c, m, value(m))
	}
	in := cpuAlarm("AlarmLow", 45, 15, aws.Int(15), "")
	in.ComparisonOperator = aws.String(ComparisonOperatorLessThanThreshold)
	in.AlarmActions = []string{"arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x:resource/ecs/service/demo/web:policyName/cpu"}
	if _, err := c.PutMetricAlarm(in); err != nil {
		b.Fatal(err)
	}
	if err := s.Advance(context.Background(), 24*time.Hour); err != nil {
		b.Fatal(err)
	}
	return c, c.alarms["AlarmLow"]
}

// BenchmarkEvaluate is one evaluation of an alarm that stays in ALARM: the
// 17 periods of its evaluation range, and its Auto Scaling action invoked
// again with its history item, as every minute of a target tracking alarm.
func BenchmarkEvaluate(b *testing.B) {
	c, a := benchAlarm(b, func(m int) float64 { return float64(20 + m%10) })
	if a.state != StateValueALARM {
		b.Fatalf("state %s, want ALARM", a.state)
	}
	for b.Loop() {
		c.evaluate(a)
	}
}

// BenchmarkEvaluateOK is one evaluation of an alarm that stays OK and has
// no OK actions: most evaluations of a day of target tracking.
func BenchmarkEvaluateOK(b *testing.B) {
	c, a := benchAlarm(b, func(m int) float64 { return float64(60 + m%10) })
	if a.state != StateValueOK {
		b.Fatalf("state %s, want OK", a.state)
	}
	for b.Loop() {
		c.evaluate(a)
	}
}

// BenchmarkTransition is one state change of that alarm, with its reason,
// reason data, history item and timeline event: the threshold alternates so
// that every evaluation moves the alarm.
func BenchmarkTransition(b *testing.B) {
	c, a := benchAlarm(b, func(m int) float64 { return 20 + float64(m%10)/7 })
	for b.Loop() {
		if a.state == StateValueALARM {
			*a.cfg.Threshold = 10
		} else {
			*a.cfg.Threshold = 45
		}
		a.breach = a.breaches()
		c.evaluate(a)
	}
}
