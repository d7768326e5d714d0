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
		b.ReportMetric(float64(len(c.history)), "history/day")
	}
}
