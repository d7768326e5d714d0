package cloudwatch

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// t0 is the simulation's default start, 2025-01-01T00:00:00Z.
var t0 = sim.DefaultStart

func newTest() (*CloudWatch, *sim.Sim) {
	s := sim.New(sim.Config{})
	return New(Config{Sim: s, Identity: aws.DefaultIdentity()}), s
}

func advance(t *testing.T, s *sim.Sim, d time.Duration) {
	t.Helper()
	if err := s.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}

func wantAWSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || (msg != "" && e.Message != msg) {
		t.Fatalf("got %s: %s\nwant %s: %s", e.Code, e.Message, code, msg)
	}
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var cpuDims = []Dim{{"ClusterName", "demo"}, {"ServiceName", "web"}}

// cpuAlarm is an alarm on AWS/ECS CPUUtilization of service demo/web.
func cpuAlarm(name string, threshold float64, n int, m *int, treat string) *PutMetricAlarmInput {
	in := &PutMetricAlarmInput{
		AlarmName:          aws.String(name),
		Namespace:          aws.String("AWS/ECS"),
		MetricName:         aws.String("CPUUtilization"),
		Dimensions:         dimensionsOf(cpuDims),
		Statistic:          aws.String(StatisticAverage),
		Period:             aws.Int(60),
		EvaluationPeriods:  aws.Int(n),
		DatapointsToAlarm:  m,
		Threshold:          aws.Float64(threshold),
		ComparisonOperator: aws.String(ComparisonOperatorGreaterThanThreshold),
	}
	if treat != "" {
		in.TreatMissingData = aws.String(treat)
	}
	return in
}

// publishMinute publishes one CPU value for the minute that starts at
// minute m after t0, as ECS does at the end of that minute.
func publishMinute(c *CloudWatch, m int, v float64) {
	c.Publish("AWS/ECS", "CPUUtilization", cpuDims, v, StandardUnitPercent, t0.Add(time.Duration(m)*time.Minute))
}
