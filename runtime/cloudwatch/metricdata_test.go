package cloudwatch

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func stat(id, metric string, period int, s string) MetricDataQuery {
	return MetricDataQuery{Id: aws.String(id), MetricStat: &MetricStat{
		Metric: &Metric{Namespace: aws.String("App"), MetricName: aws.String(metric)},
		Period: aws.Int(period), Stat: aws.String(s),
	}}
}

func TestGetMetricData(t *testing.T) {
	c, s := newTest()
	advance(t, s, time.Hour)
	for m := range 4 {
		c.Publish("App", "Errors", nil, float64(m), StandardUnitCount, t0.Add(time.Duration(m)*time.Minute))
		if m != 2 {
			c.Publish("App", "Requests", nil, 10, StandardUnitCount, t0.Add(time.Duration(m)*time.Minute))
		}
	}
	hide := stat("r", "Requests", 60, StatisticSum)
	hide.ReturnData = aws.Bool(false)
	out, err := c.GetMetricData(&GetMetricDataInput{
		MetricDataQueries: []MetricDataQuery{
			stat("e", "Errors", 60, StatisticSum),
			hide,
			{Id: aws.String("rate"), Expression: aws.String("100 * e / r"), Label: aws.String("Error rate")},
		},
		StartTime: aws.NewTime(t0), EndTime: aws.NewTime(t0.Add(4 * time.Minute)),
	})
	mustOK(t, err)
	if len(out.MetricDataResults) != 2 {
		t.Fatalf("results %+v", out.MetricDataResults)
	}
	e, rate := out.MetricDataResults[0], out.MetricDataResults[1]
	if *e.Label != "Errors" || *e.StatusCode != StatusCodeComplete || len(e.Values) != 4 || e.Values[0] != 3 || !e.Timestamps[0].Equal(t0.Add(3*time.Minute)) {
		t.Errorf("errors (newest first): %+v", e)
	}
	if *rate.Label != "Error rate" || len(rate.Values) != 3 || rate.Values[0] != 30 || rate.Values[1] != 10 || rate.Values[2] != 0 {
		t.Errorf("rate: %+v", rate)
	}
	// Ascending, one page of two datapoints at a time.
	var values []float64
	var token *string
	for range 5 {
		out, err := c.GetMetricData(&GetMetricDataInput{
			MetricDataQueries: []MetricDataQuery{stat("e", "Errors", 60, StatisticSum)},
			StartTime:         aws.NewTime(t0), EndTime: aws.NewTime(t0.Add(4 * time.Minute)),
			ScanBy: aws.String(ScanByTimestampAscending), MaxDatapoints: aws.Int(3), NextToken: token,
		})
		mustOK(t, err)
		values = append(values, out.MetricDataResults[0].Values...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	if len(values) != 4 || values[0] != 0 || values[3] != 3 {
		t.Errorf("paged values %v", values)
	}
	for _, tc := range []struct {
		q    []MetricDataQuery
		code string
	}{
		{[]MetricDataQuery{{Id: aws.String("x"), Expression: aws.String("SUM(METRICS())")}}, awserr.NotSimulated},
		{[]MetricDataQuery{{Id: aws.String("x"), Expression: aws.String("y * 2")}}, ValidationError},
		{[]MetricDataQuery{{Id: aws.String("x"), Expression: aws.String("x + 1")}}, ValidationError},
		{[]MetricDataQuery{{Id: aws.String("Bad")}}, ValidationError},
		{[]MetricDataQuery{stat("e", "Errors", 60, "Avg")}, awserr.NotSimulated},
		{[]MetricDataQuery{stat("e", "Errors", 90, StatisticSum)}, InvalidParameterValue},
	} {
		_, err := c.GetMetricData(&GetMetricDataInput{MetricDataQueries: tc.q, StartTime: aws.NewTime(t0), EndTime: aws.NewTime(t0.Add(time.Hour))})
		wantAWSError(t, err, tc.code, "")
	}
}

func TestMetricMathAlarm(t *testing.T) {
	c, _ := newTest()
	e, r := stat("e", "Errors", 60, StatisticSum), stat("r", "Requests", 60, StatisticSum)
	e.ReturnData, r.ReturnData = aws.Bool(false), aws.Bool(false)
	_, err := c.PutMetricAlarm(&PutMetricAlarmInput{
		AlarmName: aws.String("error-rate"),
		Metrics: []MetricDataQuery{e, r,
			{Id: aws.String("rate"), Expression: aws.String("100*e/r"), ReturnData: aws.Bool(true)}},
		EvaluationPeriods: aws.Int(2), Threshold: aws.Float64(5),
		ComparisonOperator: aws.String(ComparisonOperatorGreaterThanOrEqualToThreshold),
	})
	mustOK(t, err)
	for m, v := range []float64{1, 8, 9} {
		c.sim.At(t0.Add(time.Duration(m+1)*time.Minute), "publish", func() {
			c.Publish("App", "Errors", nil, v, "", t0.Add(time.Duration(m)*time.Minute))
			c.Publish("App", "Requests", nil, 100, "", t0.Add(time.Duration(m)*time.Minute))
		})
	}
	advance(t, c.sim, 3*time.Minute+5*time.Second)
	a := state(t, c, "error-rate")
	if a.State != StateValueALARM || a.Reason != "Threshold Crossed: 2 datapoints [9.0 (01/01/25 00:02:00), 8.0 (01/01/25 00:01:00)] were greater than or equal to the threshold (5.0)." {
		t.Errorf("got %s %q", a.State, a.Reason)
	}
	if strings.Contains(a.ReasonData, `"statistic"`) {
		t.Errorf("reason data of a math alarm names a statistic: %s", a.ReasonData)
	}
	_, err = c.PutMetricAlarm(&PutMetricAlarmInput{
		AlarmName: aws.String("two-returns"), Metrics: []MetricDataQuery{stat("a", "Errors", 60, "Sum"), stat("b", "Errors", 60, "Sum")},
		EvaluationPeriods: aws.Int(1), Threshold: aws.Float64(1), ComparisonOperator: aws.String(ComparisonOperatorGreaterThanThreshold),
	})
	wantAWSError(t, err, ValidationError, "Exactly one element of the metrics list should return data.")
}

func TestListMetrics(t *testing.T) {
	c, s := newTest()
	c.Publish("AWS/ECS", "CPUUtilization", []Dim{{"ClusterName", "demo"}}, 1, "", t0)
	c.Publish("AWS/ECS", "CPUUtilization", cpuDims, 1, "", t0)
	c.Publish("AWS/ECS", "MemoryUtilization", cpuDims, 1, "", t0)
	advance(t, s, 4*time.Hour)
	mustOK(t, put(c, "App", MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(1),
		Dimensions: []Dimension{{Name: aws.String("ServiceName"), Value: aws.String("api")}}}))
	list := func(in *ListMetricsInput) string {
		t.Helper()
		out, err := c.ListMetrics(in)
		mustOK(t, err)
		var parts []string
		for _, m := range out.Metrics {
			p := *m.Namespace + " " + *m.MetricName
			for _, d := range m.Dimensions {
				p += " " + *d.Name + "=" + *d.Value
			}
			parts = append(parts, p)
		}
		return strings.Join(parts, "; ")
	}
	for _, tc := range []struct {
		in   *ListMetricsInput
		want string
	}{
		{&ListMetricsInput{}, "AWS/ECS CPUUtilization ClusterName=demo; AWS/ECS CPUUtilization ClusterName=demo ServiceName=web; AWS/ECS MemoryUtilization ClusterName=demo ServiceName=web; App Latency ServiceName=api"},
		{&ListMetricsInput{Namespace: aws.String("AWS/ECS"), MetricName: aws.String("CPUUtilization")}, "AWS/ECS CPUUtilization ClusterName=demo; AWS/ECS CPUUtilization ClusterName=demo ServiceName=web"},
		{&ListMetricsInput{Dimensions: []DimensionFilter{{Name: aws.String("ServiceName")}}}, "AWS/ECS CPUUtilization ClusterName=demo ServiceName=web; AWS/ECS MemoryUtilization ClusterName=demo ServiceName=web; App Latency ServiceName=api"},
		{&ListMetricsInput{Dimensions: []DimensionFilter{{Name: aws.String("ServiceName"), Value: aws.String("web")}, {Name: aws.String("ClusterName")}}}, "AWS/ECS CPUUtilization ClusterName=demo ServiceName=web; AWS/ECS MemoryUtilization ClusterName=demo ServiceName=web"},
		{&ListMetricsInput{RecentlyActive: aws.String(RecentlyActivePT3H)}, "App Latency ServiceName=api"},
	} {
		if got := list(tc.in); got != tc.want {
			t.Errorf("%+v:\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
	advance(t, s, 15*24*time.Hour)
	if got := list(&ListMetricsInput{}); got != "" {
		t.Errorf("after two weeks without data: %s", got)
	}
}
