package cloudwatch

import (
	"math"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestStatisticsOfOnePeriod(t *testing.T) {
	c, _ := newTest()
	// Ten values 1..10 inside one minute.
	for i := 1; i <= 10; i++ {
		c.Publish("App", "Latency", nil, float64(i), "", t0.Add(time.Duration(i)*time.Second))
	}
	for _, tc := range []struct {
		stat string
		want float64
	}{
		{StatisticSampleCount, 10}, {StatisticSum, 55}, {StatisticAverage, 5.5},
		{StatisticMinimum, 1}, {StatisticMaximum, 10},
		{"p50", 5}, {"p90", 9}, {"p100", 10}, {"p0", 1}, {"p99.9", 10},
	} {
		got := c.Series("App", "Latency", nil, tc.stat, time.Minute, t0, t0.Add(time.Minute))
		if len(got) != 1 || got[0].Value != tc.want || !got[0].Time.Equal(t0) {
			t.Errorf("%s = %v, want one point %v at %s", tc.stat, got, tc.want, t0)
		}
	}
	if got := c.Series("App", "Latency", nil, "tm90", time.Minute, t0, t0.Add(time.Minute)); got != nil {
		t.Errorf("tm90 = %v, want nil (not simulated)", got)
	}
}

func TestPeriodAlignmentAndGaps(t *testing.T) {
	c, _ := newTest()
	// One value a minute for 10 minutes, minute 4 missing.
	for m := 0; m < 10; m++ {
		if m != 4 {
			c.Publish("App", "Requests", nil, float64(m), StandardUnitCount, t0.Add(time.Duration(m)*time.Minute+30*time.Second))
		}
	}
	for _, tc := range []struct {
		period     time.Duration
		start      time.Time
		wantTimes  []int // seconds after t0
		wantValues []float64
	}{
		{5 * time.Minute, t0, []int{0, 300}, []float64{0 + 1 + 2 + 3, 5 + 6}},
		{time.Minute, t0.Add(3 * time.Minute), []int{180, 300, 360}, []float64{3, 5, 6}},
		// Periods start at the start time, not at clock boundaries.
		{2 * time.Minute, t0.Add(time.Minute), []int{60, 180, 300}, []float64{1 + 2, 3, 5 + 6}},
	} {
		got := c.Series("App", "Requests", nil, StatisticSum, tc.period, tc.start, t0.Add(7*time.Minute))
		if len(got) != len(tc.wantTimes) {
			t.Fatalf("period %s from %s: got %v", tc.period, tc.start, got)
		}
		for i, p := range got {
			if p.Time != t0.Add(time.Duration(tc.wantTimes[i])*time.Second) || p.Value != tc.wantValues[i] {
				t.Errorf("period %s: point %d = %v, want %ds %v", tc.period, i, p, tc.wantTimes[i], tc.wantValues[i])
			}
		}
	}
}

func TestGetMetricStatistics(t *testing.T) {
	c, s := newTest()
	advance(t, s, time.Hour)
	for m := 0; m < 10; m++ {
		c.Publish("App", "CPU", []Dim{{"Host", "a"}, {"Env", "prod"}}, float64(10*m), StandardUnitPercent, t0.Add(time.Duration(m)*time.Minute))
	}
	out, err := c.GetMetricStatistics(&GetMetricStatisticsInput{
		Namespace: aws.String("App"), MetricName: aws.String("CPU"),
		// the dimension order does not matter, the set does
		Dimensions: []Dimension{{Name: aws.String("Env"), Value: aws.String("prod")}, {Name: aws.String("Host"), Value: aws.String("a")}},
		StartTime:  aws.NewTime(t0.Add(20 * time.Second)), // rounded down to the minute
		EndTime:    aws.NewTime(t0.Add(10 * time.Minute)),
		Period:     aws.Int(300), Statistics: []string{StatisticAverage, StatisticMaximum}, ExtendedStatistics: nil,
	})
	mustOK(t, err)
	if len(out.Datapoints) != 2 || aws.ToString(out.Label) != "CPU" {
		t.Fatalf("got %+v", out)
	}
	d0, d1 := out.Datapoints[0], out.Datapoints[1]
	if !d0.Timestamp.Equal(t0) || *d0.Average != 20 || *d0.Maximum != 40 || *d0.Unit != StandardUnitPercent || d0.Sum != nil {
		t.Errorf("first datapoint %+v", d0)
	}
	if !d1.Timestamp.Equal(t0.Add(5*time.Minute)) || *d1.Average != 70 {
		t.Errorf("second datapoint %+v", d1)
	}

	// A subset of the dimensions is another metric: no data.
	out, err = c.GetMetricStatistics(&GetMetricStatisticsInput{
		Namespace: aws.String("App"), MetricName: aws.String("CPU"),
		Dimensions: []Dimension{{Name: aws.String("Host"), Value: aws.String("a")}},
		StartTime:  aws.NewTime(t0), EndTime: aws.NewTime(t0.Add(10 * time.Minute)),
		Period: aws.Int(60), Statistics: []string{StatisticSum},
	})
	mustOK(t, err)
	if len(out.Datapoints) != 0 {
		t.Errorf("subset of dimensions returned %v", out.Datapoints)
	}

	// A unit that does not match gives nothing; percentiles come in ExtendedStatistics.
	out, err = c.GetMetricStatistics(&GetMetricStatisticsInput{
		Namespace: aws.String("App"), MetricName: aws.String("CPU"), Dimensions: dimensionsOf([]Dim{{"Host", "a"}, {"Env", "prod"}}),
		StartTime: aws.NewTime(t0), EndTime: aws.NewTime(t0.Add(10 * time.Minute)),
		Period: aws.Int(600), ExtendedStatistics: []string{"p50"},
	})
	mustOK(t, err)
	if len(out.Datapoints) != 1 || out.Datapoints[0].ExtendedStatistics["p50"] != 40 {
		t.Errorf("p50: %+v", out.Datapoints)
	}
}

func TestGetMetricStatisticsErrors(t *testing.T) {
	c, s := newTest()
	advance(t, s, 24*time.Hour)
	base := func() *GetMetricStatisticsInput {
		return &GetMetricStatisticsInput{
			Namespace: aws.String("App"), MetricName: aws.String("CPU"),
			StartTime: aws.NewTime(t0), EndTime: aws.NewTime(t0.Add(24 * time.Hour)),
			Period: aws.Int(60), Statistics: []string{StatisticAverage},
		}
	}
	_, err := c.GetMetricStatistics(base()) // exactly 1,440 is allowed
	mustOK(t, err)
	in := base()
	in.EndTime = aws.NewTime(t0.Add(24*time.Hour + time.Minute))
	_, err = c.GetMetricStatistics(in)
	wantAWSError(t, err, InvalidParameterCombination, "You have requested up to 1441 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.")
	in = base()
	in.Period = aws.Int(90)
	_, err = c.GetMetricStatistics(in)
	wantAWSError(t, err, InvalidParameterValue, "The parameter Period must be a multiple of 60.")
	in = base()
	in.ExtendedStatistics = []string{"p90"}
	_, err = c.GetMetricStatistics(in)
	wantAWSError(t, err, InvalidParameterCombination, "")
	in = base()
	in.Statistics = []string{"Median"}
	_, err = c.GetMetricStatistics(in)
	wantAWSError(t, err, ValidationError, "")
}

func TestPutMetricData(t *testing.T) {
	c, s := newTest()
	advance(t, s, time.Hour)
	now := s.Now()
	mustOK(t, put(c, "App", MetricDatum{MetricName: aws.String("Latency"), Value: aws.Float64(3)}))
	mustOK(t, put(c, "App", MetricDatum{MetricName: aws.String("Latency"), Values: []float64{1, 10}, Counts: []float64{3, 1}}))
	mustOK(t, put(c, "App", MetricDatum{MetricName: aws.String("Latency"),
		StatisticValues: &StatisticSet{SampleCount: aws.Float64(2), Sum: aws.Float64(8), Minimum: aws.Float64(2), Maximum: aws.Float64(6)}}))
	a := c.Series("App", "Latency", nil, StatisticSampleCount, time.Minute, now.Truncate(time.Minute), now.Add(time.Minute))
	sum := c.Series("App", "Latency", nil, StatisticSum, time.Minute, now.Truncate(time.Minute), now.Add(time.Minute))
	lo := c.Series("App", "Latency", nil, StatisticMinimum, time.Minute, now.Truncate(time.Minute), now.Add(time.Minute))
	if a[0].Value != 7 || sum[0].Value != 3+3+10+8 || lo[0].Value != 1 {
		t.Errorf("count %v sum %v min %v", a, sum, lo)
	}

	for _, tc := range []struct {
		ns   string
		d    MetricDatum
		code string
		msg  string
	}{
		{"AWS/ECS", MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(1)}, InvalidParameterValue, "The value AWS/ for parameter Namespace is invalid."},
		{"App", MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(1), StorageResolution: aws.Int(5)}, InvalidParameterValue,
			"The parameter MetricData.member.1.StorageResolution must be a value in the set [ 1, 60 ]."},
		{"App", MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(1), Values: []float64{1}}, InvalidParameterCombination, ""},
		{"App", MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(math.NaN())}, InvalidParameterValue, ""},
		{"App", MetricDatum{MetricName: aws.String("x"), Values: []float64{1, 2}, Counts: []float64{1}}, InvalidParameterValue, ""},
		{"App", MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(1), Timestamp: aws.NewTime(now.Add(3 * time.Hour))}, InvalidParameterValue, ""},
		{"App", MetricDatum{MetricName: aws.String("x"), Value: aws.Float64(1), Unit: aws.String("Furlongs")}, ValidationError, ""},
		{"App", MetricDatum{MetricName: aws.String("x")}, MissingParameter, ""},
	} {
		wantAWSError(t, put(c, tc.ns, tc.d), tc.code, tc.msg)
	}
	// A refused request stores nothing, not even its valid data.
	err := c.putMany("App", MetricDatum{MetricName: aws.String("ok"), Value: aws.Float64(1)}, MetricDatum{MetricName: aws.String("bad")})
	wantAWSError(t, err, MissingParameter, "")
	if c.lookup("App", "ok", nil) != nil {
		t.Error("a refused request stored data")
	}
}

func put(c *CloudWatch, ns string, d MetricDatum) error { return c.putMany(ns, d) }

func (c *CloudWatch) putMany(ns string, d ...MetricDatum) error {
	_, err := c.PutMetricData(&PutMetricDataInput{Namespace: aws.String(ns), MetricData: d})
	return err
}

func TestOutOfOrderPublishing(t *testing.T) {
	c, _ := newTest()
	for _, m := range []int{3, 1, 2, 0, 5} {
		c.Publish("App", "X", nil, float64(m), "", t0.Add(time.Duration(m)*time.Minute))
	}
	got := c.Series("App", "X", nil, StatisticSum, time.Minute, t0, t0.Add(time.Hour))
	for i, want := range []float64{0, 1, 2, 3, 5} {
		if got[i].Value != want {
			t.Fatalf("got %v", got)
		}
	}
}
