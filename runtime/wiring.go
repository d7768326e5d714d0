package runtime

import (
	"math"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/appscaling"
	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ecs"
)

// The adapters through which services reach each other, as AWS services do
// through each other's APIs: ECS publishes to CloudWatch directly; Application Auto
// Scaling manages CloudWatch alarms and sets ECS desired counts, and
// CloudWatch alarm actions (ARNs) reach the scaling policies they name.

// alarmsIn lets Application Auto Scaling manage its alarms in CloudWatch.
type alarmsIn struct{ cw *cloudwatch.CloudWatch }

func (a alarmsIn) PutAlarm(spec appscaling.AlarmSpec) (string, error) {
	in := &cloudwatch.PutMetricAlarmInput{
		AlarmName:          aws.String(spec.Name),
		AlarmDescription:   aws.String(spec.Description),
		AlarmActions:       spec.AlarmActions,
		MetricName:         aws.String(spec.MetricName),
		Namespace:          aws.String(spec.Namespace),
		Statistic:          aws.String(spec.Statistic),
		Period:             aws.Int(int(spec.Period / time.Second)),
		EvaluationPeriods:  aws.Int(spec.EvaluationPeriods),
		DatapointsToAlarm:  aws.Int(spec.DatapointsToAlarm),
		Threshold:          aws.Float64(spec.Threshold),
		ComparisonOperator: aws.String(spec.Comparison),
	}
	if spec.TreatMissingData != "" {
		in.TreatMissingData = aws.String(spec.TreatMissingData)
	}
	if spec.Unit != "" {
		in.Unit = aws.String(spec.Unit)
	}
	for _, d := range spec.Dimensions {
		in.Dimensions = append(in.Dimensions, cloudwatch.Dimension{Name: aws.String(d[0]), Value: aws.String(d[1])})
	}
	if _, err := a.cw.PutMetricAlarm(in); err != nil {
		return "", err
	}
	info, _ := a.cw.Alarm(spec.Name)
	return info.ARN, nil
}

func (a alarmsIn) DeleteAlarm(name string) error {
	_, err := a.cw.DeleteAlarms(&cloudwatch.DeleteAlarmsInput{AlarmNames: []string{name}})
	return err
}

func (a alarmsIn) Alarm(name string) (appscaling.AlarmSpec, bool) {
	info, ok := a.cw.Alarm(name)
	if !ok {
		return appscaling.AlarmSpec{}, false
	}
	spec := appscaling.AlarmSpec{
		Name: info.Name, Namespace: info.Namespace, MetricName: info.MetricName, Statistic: info.Statistic,
		Period: info.Period, EvaluationPeriods: info.EvaluationPeriods, DatapointsToAlarm: info.DatapointsToAlarm,
		Threshold: info.Threshold, Comparison: info.ComparisonOperator, TreatMissingData: info.TreatMissingData,
		AlarmActions: info.AlarmActions, Description: info.Description, Unit: info.Unit,
	}
	for _, d := range info.Dims {
		spec.Dimensions = append(spec.Dimensions, [2]string{d.Name, d.Value})
	}
	return spec, true
}

// scalableResources are the targets Application Auto Scaling scales: ECS
// services (namespace ecs).
type scalableResources struct{ ecs *ecs.ECS }

func (r scalableResources) Capacity(namespace, resourceID, dimension string) (int, int, error) {
	return r.ecs.ServiceCapacity(resourceID)
}

func (r scalableResources) SetCapacity(namespace, resourceID, dimension string, desired int, cause string) error {
	return r.ecs.SetServiceDesiredCount(resourceID, desired, cause)
}

func (r scalableResources) ScaleInSuspended(namespace, resourceID, dimension string) bool {
	return r.ecs.DeploymentInProgress(resourceID)
}

// routeAutoScalingActions delivers alarm actions naming Auto Scaling
// policies: Application Auto Scaling's (":resource/...") and EC2 Auto
// Scaling's (":autoScalingGroupName/...").
func (c *Cloud) routeAutoScalingActions(ev cloudwatch.ActionEvent) {
	value := math.NaN()
	if n := len(ev.Datapoints); n > 0 {
		value = ev.Datapoints[n-1]
	}
	switch {
	case strings.Contains(ev.ActionARN, ":resource/"):
		c.AppScaling.AlarmFired(ev.ActionARN, ev.AlarmName, ev.AlarmARN, ev.State, ev.Time, value)
	case strings.Contains(ev.ActionARN, ":autoScalingGroupName/"):
		c.AutoScaling.AlarmFired(ev.ActionARN, ev.AlarmName, ev.AlarmARN, ev.State, ev.Time, value)
	}
}

// asgAlarms lets EC2 Auto Scaling manage its alarms in CloudWatch, through
// the same adapter as Application Auto Scaling.
type asgAlarms struct{ alarmsIn }

func (a asgAlarms) PutAlarm(s autoscaling.AlarmSpec) (string, error) {
	return a.alarmsIn.PutAlarm(appscaling.AlarmSpec{
		Name: s.Name, Namespace: s.Namespace, MetricName: s.MetricName, Statistic: s.Statistic, Dimensions: s.Dimensions,
		Period: s.Period, EvaluationPeriods: s.EvaluationPeriods, DatapointsToAlarm: s.DatapointsToAlarm, Threshold: s.Threshold,
		Comparison: s.Comparison, TreatMissingData: s.TreatMissingData, AlarmActions: s.AlarmActions, Unit: s.Unit,
	})
}

func (a asgAlarms) Alarm(name string) (autoscaling.AlarmSpec, bool) {
	s, ok := a.alarmsIn.Alarm(name)
	return autoscaling.AlarmSpec{
		Name: s.Name, Namespace: s.Namespace, MetricName: s.MetricName, Statistic: s.Statistic, Dimensions: s.Dimensions,
		Period: s.Period, EvaluationPeriods: s.EvaluationPeriods, DatapointsToAlarm: s.DatapointsToAlarm, Threshold: s.Threshold,
		Comparison: s.Comparison, TreatMissingData: s.TreatMissingData, AlarmActions: s.AlarmActions, Unit: s.Unit,
	}, ok
}
