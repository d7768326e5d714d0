package appscaling

import (
	"fmt"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// The alarms of a target tracking policy, as AWS creates them for ECS
// services. Observed on real alarms (a Terraform import of an ECS target
// tracking policy's alarms, target 50: AlarmHigh GreaterThanThreshold 50,
// 3 periods of 60 s; AlarmLow LessThanThreshold 45, 15 periods of 60 s;
// Average; treat_missing_data "missing"; unit Percent; description "DO NOT
// EDIT OR DELETE. For TargetTrackingScaling policy <policy ARN>."), and
// reference 8.2 ([CR#1208]: "3 out of 3 datapoints for scale out rule and 15
// out of 15 for scale in"). The AlarmLow threshold of 0.9 × target is
// observed, not documented: AWS says only that it sits "far enough below the
// target value" [AAS-UG:application-auto-scaling-target-tracking].
const (
	alarmPeriod           = 60 * time.Second
	alarmHighPeriods      = 3
	alarmLowPeriods       = 15
	alarmLowThresholdRate = 0.9
)

// trackedMetric is the CloudWatch metric a target tracking policy follows.
type trackedMetric struct {
	namespace, name, statistic, unit string
	dimensions                       [][2]string
}

// metricOf returns the metric of a target tracking policy of an ECS service
// service/<cluster>/<service>: AWS/ECS CPUUtilization or MemoryUtilization
// with ClusterName and ServiceName (reference 8.5), the ALB's
// RequestCountPerTarget of the labelled target group (a Sum, per target, per
// minute [AAS-API:TargetTrackingScalingPolicyConfiguration]), or the
// customized metric.
func metricOf(t *target, cfg *TargetTrackingScalingPolicyConfiguration) trackedMetric {
	parts := strings.Split(t.resourceID, "/")
	cluster, service := "", ""
	if len(parts) == 3 {
		cluster, service = parts[1], parts[2]
	}
	ecsDims := [][2]string{{"ClusterName", cluster}, {"ServiceName", service}}
	if pre := cfg.PredefinedMetricSpecification; pre != nil {
		switch aws.ToString(pre.PredefinedMetricType) {
		case MetricTypeECSServiceAverageCPUUtilization:
			return trackedMetric{"AWS/ECS", "CPUUtilization", MetricStatisticAverage, "Percent", ecsDims}
		case MetricTypeECSServiceAverageMemoryUtilization:
			return trackedMetric{"AWS/ECS", "MemoryUtilization", MetricStatisticAverage, "Percent", ecsDims}
		case MetricTypeALBRequestCountPerTarget:
			label := aws.ToString(pre.ResourceLabel)
			tg := label
			if i := strings.Index(label, "/targetgroup/"); i >= 0 {
				tg = label[i+1:]
			}
			return trackedMetric{"AWS/ApplicationELB", "RequestCountPerTarget", MetricStatisticSum, "", [][2]string{{"TargetGroup", tg}}}
		}
	}
	c := cfg.CustomizedMetricSpecification
	if c == nil {
		return trackedMetric{}
	}
	if len(c.Metrics) > 0 {
		q, err := returnedQuery(c.Metrics)
		if err != nil {
			return trackedMetric{}
		}
		m := q.MetricStat.Metric
		var dims [][2]string
		for _, d := range m.Dimensions {
			dims = append(dims, [2]string{aws.ToString(d.Name), aws.ToString(d.Value)})
		}
		return trackedMetric{aws.ToString(m.Namespace), aws.ToString(m.MetricName), aws.ToString(q.MetricStat.Stat), aws.ToString(q.MetricStat.Unit), dims}
	}
	var dims [][2]string
	for _, d := range c.Dimensions {
		dims = append(dims, [2]string{aws.ToString(d.Name), aws.ToString(d.Value)})
	}
	return trackedMetric{aws.ToString(c.Namespace), aws.ToString(c.MetricName), aws.ToString(c.Statistic), aws.ToString(c.Unit), dims}
}

// metricLabel names the metric of a target tracking configuration for
// explanations: "CPUUtilization".
func metricLabel(cfg *TargetTrackingScalingPolicyConfiguration) string {
	if pre := cfg.PredefinedMetricSpecification; pre != nil {
		switch aws.ToString(pre.PredefinedMetricType) {
		case MetricTypeECSServiceAverageCPUUtilization:
			return "CPUUtilization"
		case MetricTypeECSServiceAverageMemoryUtilization:
			return "MemoryUtilization"
		case MetricTypeALBRequestCountPerTarget:
			return "RequestCountPerTarget"
		}
	}
	if c := cfg.CustomizedMetricSpecification; c != nil {
		if c.MetricName != nil {
			return *c.MetricName
		}
		if q, err := returnedQuery(c.Metrics); err == nil {
			return aws.ToString(q.MetricStat.Metric.MetricName)
		}
	}
	return "metric"
}

// ttAlarmSpecs returns the AlarmHigh and AlarmLow specs of a target tracking
// policy. Their names are TargetTracking-<resource ID>-AlarmHigh-<uuid> and
// -AlarmLow-<uuid> (examples-1.json, PutScalingPolicy). AlarmLow is left out
// when scale-in is disabled: it would have nothing to do.
func (a *AppScaling) ttAlarmSpecs(p *policy) []AlarmSpec {
	m := metricOf(p.t, p.tt)
	target := aws.ToFloat64(p.tt.TargetValue)
	base := AlarmSpec{
		Namespace:        m.namespace,
		MetricName:       m.name,
		Statistic:        m.statistic,
		Dimensions:       m.dimensions,
		Period:           alarmPeriod,
		TreatMissingData: "missing",
		AlarmActions:     []string{p.arn},
		Description:      "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + p.arn + ".",
		Unit:             m.unit,
	}
	high := base
	high.Name = fmt.Sprintf("TargetTracking-%s-AlarmHigh-%s", p.t.resourceID, a.sim.UUID())
	high.EvaluationPeriods, high.DatapointsToAlarm = alarmHighPeriods, alarmHighPeriods
	high.Threshold = target
	high.Comparison = "GreaterThanThreshold"
	specs := []AlarmSpec{high}
	if !p.scaleInDisabled() {
		low := base
		low.Name = fmt.Sprintf("TargetTracking-%s-AlarmLow-%s", p.t.resourceID, a.sim.UUID())
		low.EvaluationPeriods, low.DatapointsToAlarm = alarmLowPeriods, alarmLowPeriods
		low.Threshold = target * alarmLowThresholdRate
		low.Comparison = "LessThanThreshold"
		specs = append(specs, low)
	}
	return specs
}

// createTargetTrackingAlarms puts the policy's alarms through CloudWatch and
// remembers them. Without an AlarmService the names are still minted (so the
// response and Describe look as in AWS) with ARNs built from them.
func (a *AppScaling) createTargetTrackingAlarms(p *policy) error {
	p.alarms, p.highAlarm, p.lowAlarm = nil, "", ""
	for i, spec := range a.ttAlarmSpecs(p) {
		arn := "arn:aws:cloudwatch:" + a.id.Region + ":" + a.id.AccountID + ":alarm:" + spec.Name
		if a.alarms != nil {
			got, err := a.alarms.PutAlarm(spec)
			if err != nil {
				// Leave no half-made pair behind.
				for _, made := range p.alarms {
					_ = a.alarms.DeleteAlarm(aws.ToString(made.AlarmName))
				}
				p.alarms = nil
				return err
			}
			if got != "" {
				arn = got
			}
		}
		p.alarms = append(p.alarms, Alarm{AlarmName: aws.String(spec.Name), AlarmARN: aws.String(arn)})
		if i == 0 {
			p.highAlarm = spec.Name
		} else {
			p.lowAlarm = spec.Name
		}
	}
	return nil
}

// deletePolicyAlarms deletes the alarms a target tracking policy created.
// Step scaling alarms are the user's and stay.
func (a *AppScaling) deletePolicyAlarms(p *policy) {
	if p.tt == nil || a.alarms == nil {
		return
	}
	for _, al := range p.alarms {
		_ = a.alarms.DeleteAlarm(aws.ToString(al.AlarmName))
	}
}
