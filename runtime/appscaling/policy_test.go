package appscaling

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestTargetTrackingAlarms(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 10)
	out := f.put(t, ttRequest(web, "cpu75", 75))
	arnRe := regexp.MustCompile(`^arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:[0-9a-f-]{36}:resource/ecs/service/demo/web:policyName/cpu75$`)
	if !arnRe.MatchString(*out.PolicyARN) {
		t.Fatalf("PolicyARN = %s", *out.PolicyARN)
	}
	if len(out.Alarms) != 2 {
		t.Fatalf("alarms: %+v", out.Alarms)
	}
	nameRe := regexp.MustCompile(`^TargetTracking-service/demo/web-Alarm(High|Low)-[0-9a-f-]{36}$`)
	high, low := f.alarms.alarms[*out.Alarms[0].AlarmName], f.alarms.alarms[*out.Alarms[1].AlarmName]
	if !nameRe.MatchString(high.Name) || !strings.Contains(high.Name, "AlarmHigh") || !strings.Contains(low.Name, "AlarmLow") {
		t.Fatalf("names: %s %s", high.Name, low.Name)
	}
	if *out.Alarms[0].AlarmARN != "arn:aws:cloudwatch:us-east-1:123456789012:alarm:"+high.Name {
		t.Errorf("ARN = %s", *out.Alarms[0].AlarmARN)
	}
	wantHigh := AlarmSpec{Name: high.Name, Namespace: "AWS/ECS", MetricName: "CPUUtilization", Statistic: "Average",
		Dimensions: [][2]string{{"ClusterName", "demo"}, {"ServiceName", "web"}}, Period: time.Minute,
		EvaluationPeriods: 3, DatapointsToAlarm: 3, Threshold: 75, Comparison: "GreaterThanThreshold", TreatMissingData: "missing",
		AlarmActions: []string{*out.PolicyARN}, Description: "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + *out.PolicyARN + ".", Unit: "Percent"}
	if fmt.Sprint(high) != fmt.Sprint(wantHigh) {
		t.Errorf("AlarmHigh\n got %+v\nwant %+v", high, wantHigh)
	}
	if low.Threshold != 67.5 || low.EvaluationPeriods != 15 || low.DatapointsToAlarm != 15 || low.Comparison != "LessThanThreshold" {
		t.Errorf("AlarmLow: %+v", low)
	}
	// Updating replaces the pair; the ARN and creation time stay.
	before := f.a.policyByARN[*out.PolicyARN].created
	f.advance(t, time.Minute)
	up := ttRequest(web, "cpu75", 60)
	up.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType = aws.String(MetricTypeECSServiceAverageMemoryUtilization)
	out2 := f.put(t, up)
	if *out2.PolicyARN != *out.PolicyARN || f.a.policyByARN[*out.PolicyARN].created != before {
		t.Fatalf("update changed the ARN or creation time")
	}
	if len(f.alarms.alarms) != 2 || f.alarms.alarms[*out2.Alarms[0].AlarmName].MetricName != "MemoryUtilization" || *out2.Alarms[0].AlarmName == high.Name {
		t.Fatalf("alarms after update: %v", f.alarms.names())
	}
	// Deleting the policy deletes its alarms.
	if _, err := f.a.DeleteScalingPolicy(&DeleteScalingPolicyRequest{PolicyName: aws.String("cpu75"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS)}); err != nil {
		t.Fatal(err)
	}
	if len(f.alarms.alarms) != 0 {
		t.Fatalf("alarms after delete: %v", f.alarms.names())
	}
	_, err := f.a.DeleteScalingPolicy(&DeleteScalingPolicyRequest{PolicyName: aws.String("cpu75"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS)})
	wantAWSError(t, err, ObjectNotFoundException, "No scaling policy found for service namespace: ecs, resource ID: service/demo/web, scalable dimension: ecs:service:DesiredCount, policy name: cpu75")
}

func TestPolicyARNSharesTheTargetUUID(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 10)
	a := f.put(t, ttRequest(web, "a", 50))
	b := f.put(t, ttRequest(web, "b", 50))
	uuidOf := func(arn string) string { return strings.Split(arn, ":")[6] }
	if uuidOf(*a.PolicyARN) != uuidOf(*b.PolicyARN) {
		t.Fatalf("%s and %s", *a.PolicyARN, *b.PolicyARN)
	}
}

func TestCustomizedAndALBMetrics(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 10)
	in := ttRequest(web, "custom", 100)
	in.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification = nil
	in.TargetTrackingScalingPolicyConfiguration.CustomizedMetricSpecification = &CustomizedMetricSpecification{
		MetricName: aws.String("QueueDepth"), Namespace: aws.String("App"), Statistic: aws.String("Sum"),
		Dimensions: []MetricDimension{{Name: aws.String("Queue"), Value: aws.String("jobs")}},
	}
	out := f.put(t, in)
	if s := f.alarms.alarms[*out.Alarms[0].AlarmName]; s.Namespace != "App" || s.MetricName != "QueueDepth" || s.Statistic != "Sum" || fmt.Sprint(s.Dimensions) != "[[Queue jobs]]" {
		t.Fatalf("custom alarm: %+v", s)
	}
	alb := ttRequest(web, "alb", 1000)
	alb.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification = &PredefinedMetricSpecification{
		PredefinedMetricType: aws.String(MetricTypeALBRequestCountPerTarget),
		ResourceLabel:        aws.String("app/my-alb/778d41231b141a0f/targetgroup/my-tg/943f017f100becff"),
	}
	out = f.put(t, alb)
	if s := f.alarms.alarms[*out.Alarms[0].AlarmName]; s.Namespace != "AWS/ApplicationELB" || fmt.Sprint(s.Dimensions) != "[[TargetGroup targetgroup/my-tg/943f017f100becff]]" {
		t.Fatalf("ALB alarm: %+v", s)
	}
}

func TestPutScalingPolicyRefusals(t *testing.T) {
	mod := func(fn func(c *TargetTrackingScalingPolicyConfiguration)) *PutScalingPolicyRequest {
		in := ttRequest(web, "p", 50)
		fn(in.TargetTrackingScalingPolicyConfiguration)
		return in
	}
	tests := []struct {
		name      string
		in        *PutScalingPolicyRequest
		code, msg string
	}{
		{"no type", &PutScalingPolicyRequest{PolicyName: aws.String("p"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS)},
			ValidationException, "PolicyType is required when creating a scaling policy"},
		{"predictive", &PutScalingPolicyRequest{PolicyName: aws.String("p"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS), PolicyType: aws.String("PredictiveScaling")},
			awserr.NotSimulated, "ecsbox does not simulate PredictiveScaling policies yet"},
		{"no configuration", &PutScalingPolicyRequest{PolicyName: aws.String("p"), ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), ScalableDimension: aws.String(dimensionECS), PolicyType: aws.String(PolicyTypeTargetTrackingScaling)},
			ValidationException, "TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling"},
		{"both metrics", mod(func(c *TargetTrackingScalingPolicyConfiguration) {
			c.CustomizedMetricSpecification = &CustomizedMetricSpecification{MetricName: aws.String("m"), Namespace: aws.String("n"), Statistic: aws.String("Average")}
		}), ValidationException, "Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified"},
		{"other service's metric", mod(func(c *TargetTrackingScalingPolicyConfiguration) {
			c.PredefinedMetricSpecification.PredefinedMetricType = aws.String(MetricTypeDynamoDBReadCapacityUtilization)
		}), ValidationException, "Unsupported predefined metric type DynamoDBReadCapacityUtilization for service namespace ecs"},
		{"ALB without label", mod(func(c *TargetTrackingScalingPolicyConfiguration) {
			c.PredefinedMetricSpecification.PredefinedMetricType = aws.String(MetricTypeALBRequestCountPerTarget)
		}), ValidationException, "ResourceLabel is required for predefined metric type ALBRequestCountPerTarget"},
		{"label on CPU", mod(func(c *TargetTrackingScalingPolicyConfiguration) {
			c.PredefinedMetricSpecification.ResourceLabel = aws.String("app/a/1/targetgroup/t/2")
		}), ValidationException, "ResourceLabel can only be specified for predefined metric type ALBRequestCountPerTarget"},
		{"zero target", mod(func(c *TargetTrackingScalingPolicyConfiguration) { c.TargetValue = aws.Float64(0) }),
			ValidationException, "TargetValue must be greater than 0"},
		{"negative cooldown", mod(func(c *TargetTrackingScalingPolicyConfiguration) { c.ScaleInCooldown = aws.Int(-1) }),
			ValidationException, "ScaleInCooldown must be greater than or equal to 0"},
		{"metric math", mod(func(c *TargetTrackingScalingPolicyConfiguration) {
			c.PredefinedMetricSpecification = nil
			c.CustomizedMetricSpecification = &CustomizedMetricSpecification{Metrics: []TargetTrackingMetricDataQuery{{Id: aws.String("e"), Expression: aws.String("m1/m2")}}}
		}), awserr.NotSimulated, `ecsbox does not simulate metric math in target tracking policies yet (expression "m1/m2")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.register(t, web, 1, 10)
			_, err := f.a.PutScalingPolicy(tt.in)
			wantAWSError(t, err, tt.code, tt.msg)
		})
	}
}

func step(lo, hi *float64, adj int) StepAdjustment {
	return StepAdjustment{MetricIntervalLowerBound: lo, MetricIntervalUpperBound: hi, ScalingAdjustment: aws.Int(adj)}
}

// TestCheckStep checks the step rules of [AAS-API:StepAdjustment].
func TestCheckStep(t *testing.T) {
	change := aws.String(AdjustmentTypeChangeInCapacity)
	tests := []struct {
		name string
		cfg  StepScalingPolicyConfiguration
		msg  string // "" for valid
	}{
		{"valid scale-out", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(0), bound(10), 1), step(bound(10), nil, 3)}}, ""},
		{"valid both sides", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(nil, bound(0), -1), step(bound(0), nil, 1)}}, ""},
		{"valid unsorted", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(10), nil, 3), step(bound(0), bound(10), 1)}}, ""},
		{"no adjustment type", StepScalingPolicyConfiguration{StepAdjustments: []StepAdjustment{step(bound(0), nil, 1)}}, "AdjustmentType is required for a new step scaling policy configuration"},
		{"no steps", StepScalingPolicyConfiguration{AdjustmentType: change}, "At least one step adjustment is required for a new step scaling policy configuration"},
		{"both bounds null", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(nil, nil, 1)}}, "The upper and lower bound can't be null in the same step adjustment"},
		{"upper not above lower", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(10), bound(10), 1), step(bound(10), nil, 2)}}, "The upper bound must be greater than the lower bound (step [10, 10])"},
		{"overlap", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(0), bound(15), 1), step(bound(10), nil, 2)}}, "The ranges of step adjustments can't overlap: [0, 15) and [10, +∞)"},
		{"gap", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(0), bound(10), 1), step(bound(20), nil, 2)}}, "The ranges of step adjustments can't have a gap: between 10 and 20"},
		{"two null lower", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(nil, bound(-10), 1), step(nil, bound(0), 2)}}, "At most one step adjustment can have a null lower bound"},
		{"two null upper", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(0), nil, 1), step(bound(10), nil, 2)}}, "At most one step adjustment can have a null upper bound"},
		{"negative lower needs null lower", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(-10), bound(0), -1)}}, "A step adjustment has a negative lower bound, so there must be a step adjustment with a null lower bound"},
		{"positive upper needs null upper", StepScalingPolicyConfiguration{AdjustmentType: change, StepAdjustments: []StepAdjustment{step(bound(0), bound(10), 1)}}, "A step adjustment has a positive upper bound, so there must be a step adjustment with a null upper bound"},
		{"exact capacity negative", StepScalingPolicyConfiguration{AdjustmentType: aws.String(AdjustmentTypeExactCapacity), StepAdjustments: []StepAdjustment{step(bound(0), nil, -1)}}, "For ExactCapacity, ScalingAdjustment must be a non-negative value (got -1)"},
		{"magnitude without percent", StepScalingPolicyConfiguration{AdjustmentType: change, MinAdjustmentMagnitude: aws.Int(2), StepAdjustments: []StepAdjustment{step(bound(0), nil, 1)}}, "MinAdjustmentMagnitude is only supported with AdjustmentType PercentChangeInCapacity"},
		{"bad aggregation", StepScalingPolicyConfiguration{AdjustmentType: change, MetricAggregationType: aws.String("Sum"), StepAdjustments: []StepAdjustment{step(bound(0), nil, 1)}},
			"1 validation error detected: Value 'Sum' at 'stepScalingPolicyConfiguration.metricAggregationType' failed to satisfy constraint: Member must satisfy enum value set: [Average, Minimum, Maximum]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkStep(&tt.cfg)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantAWSError(t, err, ValidationException, tt.msg)
		})
	}
}

func TestDescribeScalingPolicies(t *testing.T) {
	f := newFixture(t)
	f.register(t, web, 1, 10)
	f.register(t, "service/demo/api", 1, 10)
	for _, n := range []string{"c", "a", "b"} {
		f.put(t, ttRequest(web, n, 50))
	}
	f.put(t, ttRequest("service/demo/api", "z", 50))
	out, err := f.a.DescribeScalingPolicies(&DescribeScalingPoliciesRequest{ServiceNamespace: aws.String("ecs"), MaxResults: aws.Int(3)})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range out.ScalingPolicies {
		names = append(names, *p.PolicyName)
	}
	if strings.Join(names, ",") != "z,a,b" || out.NextToken == nil {
		t.Fatalf("page 1: %v %v", names, out.NextToken)
	}
	out, _ = f.a.DescribeScalingPolicies(&DescribeScalingPoliciesRequest{ServiceNamespace: aws.String("ecs"), NextToken: out.NextToken})
	if len(out.ScalingPolicies) != 1 || *out.ScalingPolicies[0].PolicyName != "c" || out.NextToken != nil {
		t.Fatalf("page 2: %+v", out)
	}
	out, _ = f.a.DescribeScalingPolicies(&DescribeScalingPoliciesRequest{ServiceNamespace: aws.String("ecs"), ResourceId: aws.String(web), PolicyNames: []string{"b"}})
	p := out.ScalingPolicies
	if len(p) != 1 || *p[0].PolicyType != PolicyTypeTargetTrackingScaling || len(p[0].Alarms) != 2 || *p[0].TargetTrackingScalingPolicyConfiguration.TargetValue != 50 {
		t.Fatalf("filtered: %+v", p)
	}
}
