package appscaling

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// Predefined metric types that apply to ECS services
// [AAS-API:PredefinedMetricSpecification], reference 8.2.
var ecsMetricTypes = []string{
	MetricTypeECSServiceAverageCPUUtilization,
	MetricTypeECSServiceAverageMemoryUtilization,
	MetricTypeALBRequestCountPerTarget,
}

var allMetricTypes = []string{
	MetricTypeDynamoDBReadCapacityUtilization, MetricTypeDynamoDBWriteCapacityUtilization,
	MetricTypeALBRequestCountPerTarget, MetricTypeRDSReaderAverageCPUUtilization,
	MetricTypeRDSReaderAverageDatabaseConnections, MetricTypeEC2SpotFleetRequestAverageCPUUtilization,
	MetricTypeEC2SpotFleetRequestAverageNetworkIn, MetricTypeEC2SpotFleetRequestAverageNetworkOut,
	MetricTypeSageMakerVariantInvocationsPerInstance, MetricTypeECSServiceAverageCPUUtilization,
	MetricTypeECSServiceAverageMemoryUtilization, MetricTypeAppStreamAverageCapacityUtilization,
	MetricTypeComprehendInferenceUtilization, MetricTypeLambdaProvisionedConcurrencyUtilization,
	MetricTypeCassandraReadCapacityUtilization, MetricTypeCassandraWriteCapacityUtilization,
	MetricTypeKafkaBrokerStorageUtilization, MetricTypeElastiCacheEngineCPUUtilization,
	MetricTypeElastiCacheDatabaseMemoryUsagePercentage, MetricTypeElastiCachePrimaryEngineCPUUtilization,
	MetricTypeElastiCacheReplicaEngineCPUUtilization, MetricTypeElastiCacheDatabaseMemoryUsageCountedForEvictPercentage,
	MetricTypeNeptuneReaderAverageCPUUtilization, MetricTypeSageMakerVariantProvisionedConcurrencyUtilization,
	MetricTypeElastiCacheDatabaseCapacityUsageCountedForEvictPercentage,
	MetricTypeSageMakerInferenceComponentInvocationsPerCopy,
	MetricTypeWorkSpacesAverageUserSessionsCapacityUtilization,
	MetricTypeSageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution,
	MetricTypeSageMakerVariantConcurrentRequestsPerModelHighResolution,
	MetricTypeECSServiceAverageCPUUtilizationHighResolution,
	MetricTypeECSServiceAverageMemoryUtilizationHighResolution,
}

var statistics = []string{MetricStatisticAverage, MetricStatisticMinimum, MetricStatisticMaximum, MetricStatisticSampleCount, MetricStatisticSum}

// checkTargetTracking validates a target tracking configuration. The rules
// are the API reference's; where AWS's wording is not known the text is
// ecsbox's and marked so.
func checkTargetTracking(t *target, cfg *TargetTrackingScalingPolicyConfiguration) error {
	if cfg.TargetValue == nil {
		// botocore checks the required member first; text not verified.
		return validation("TargetValue is required")
	}
	if v := *cfg.TargetValue; v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		// The capacity formula divides by the target (reference 8.2), so
		// ecsbox needs a positive one. AWS's own lower limit and wording
		// are not known; text not verified.
		return validation("TargetValue must be greater than 0")
	}
	for _, c := range []struct {
		name string
		v    *int
	}{{"ScaleOutCooldown", cfg.ScaleOutCooldown}, {"ScaleInCooldown", cfg.ScaleInCooldown}} {
		if c.v != nil && *c.v < 0 {
			// text not verified
			return validation("%s must be greater than or equal to 0", c.name)
		}
	}
	pre, cus := cfg.PredefinedMetricSpecification, cfg.CustomizedMetricSpecification
	if (pre == nil) == (cus == nil) {
		// "You can specify either a predefined metric or a customized
		// metric" [AAS-API:TargetTrackingScalingPolicyConfiguration]; text
		// not verified.
		return validation("Exactly one of PredefinedMetricSpecification or CustomizedMetricSpecification must be specified")
	}
	if pre != nil {
		return checkPredefined(pre)
	}
	return checkCustomized(cus)
}

func checkPredefined(pre *PredefinedMetricSpecification) error {
	mt := aws.ToString(pre.PredefinedMetricType)
	switch {
	case !oneOf(mt, allMetricTypes):
		return enumError("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType", mt, allMetricTypes)
	case mt == MetricTypeECSServiceAverageCPUUtilizationHighResolution || mt == MetricTypeECSServiceAverageMemoryUtilizationHighResolution:
		return notSimulated("ecsbox does not simulate high-resolution ECS metrics yet (%s)", mt)
	case !oneOf(mt, ecsMetricTypes):
		// text not verified
		return validation("Unsupported predefined metric type %s for service namespace ecs", mt)
	}
	label := aws.ToString(pre.ResourceLabel)
	if mt == MetricTypeALBRequestCountPerTarget {
		// The label is app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>
		// [AAS-API:PredefinedMetricSpecification]; texts not verified.
		if label == "" {
			return validation("ResourceLabel is required for predefined metric type ALBRequestCountPerTarget")
		}
		p := strings.Split(label, "/")
		if len(p) != 6 || p[0] != "app" || p[3] != "targetgroup" || p[1] == "" || p[2] == "" || p[4] == "" || p[5] == "" {
			return validation("Invalid ResourceLabel %s: expected app/<load-balancer-name>/<load-balancer-id>/targetgroup/<target-group-name>/<target-group-id>", label)
		}
		return nil
	}
	if pre.ResourceLabel != nil {
		// "You can't specify a resource label unless the metric type is
		// ALBRequestCountPerTarget" [AAS-API:PredefinedMetricSpecification];
		// text not verified.
		return validation("ResourceLabel can only be specified for predefined metric type ALBRequestCountPerTarget")
	}
	return nil
}

func checkCustomized(c *CustomizedMetricSpecification) error {
	if len(c.Metrics) > 0 {
		if c.MetricName != nil || c.Namespace != nil || c.Statistic != nil || len(c.Dimensions) > 0 {
			// text not verified
			return validation("Metrics cannot be specified together with MetricName, Namespace, Dimensions or Statistic")
		}
		_, err := returnedQuery(c.Metrics)
		return err
	}
	if c.MetricName == nil || c.Namespace == nil || c.Statistic == nil {
		// text not verified
		return validation("CustomizedMetricSpecification requires MetricName, Namespace and Statistic, or Metrics")
	}
	if !oneOf(*c.Statistic, statistics) {
		return enumError("targetTrackingScalingPolicyConfiguration.customizedMetricSpecification.statistic", *c.Statistic, statistics)
	}
	return nil
}

// returnedQuery picks the query whose value the policy tracks: the one with
// ReturnData (or the only one). Metric math expressions are not simulated:
// the alarm interface carries one metric.
func returnedQuery(qs []TargetTrackingMetricDataQuery) (*TargetTrackingMetricDataQuery, error) {
	var ret []*TargetTrackingMetricDataQuery
	for i := range qs {
		if qs[i].Expression != nil {
			return nil, notSimulated("ecsbox does not simulate metric math in target tracking policies yet (expression %q)", aws.ToString(qs[i].Expression))
		}
		if qs[i].ReturnData == nil || *qs[i].ReturnData || len(qs) == 1 {
			ret = append(ret, &qs[i])
		}
	}
	if len(ret) != 1 {
		// text not verified
		return nil, validation("Exactly one metric data query must have ReturnData set to true")
	}
	q := ret[0]
	if q.MetricStat == nil || q.MetricStat.Metric == nil || q.MetricStat.Metric.MetricName == nil || q.MetricStat.Metric.Namespace == nil {
		// text not verified
		return nil, validation("The metric data query %s must specify a MetricStat with a Metric, its MetricName and Namespace", aws.ToString(q.Id))
	}
	if !oneOf(aws.ToString(q.MetricStat.Stat), statistics) {
		// CloudWatch accepts extended statistics here too; ecsbox's
		// alarms take the five standard ones.
		return nil, notSimulated("ecsbox supports only the statistics %s in target tracking metric queries", strings.Join(statistics, ", "))
	}
	return q, nil
}

// checkStep validates a step scaling configuration by the rules of
// [AAS-API:StepAdjustment]: ranges may not overlap or leave gaps, at most one
// null lower bound and one null upper bound, a negative lower bound needs a
// step with a null lower bound, a positive upper bound needs a step with a
// null upper bound, and the two bounds of one step cannot both be null. The
// texts are ecsbox's (not verified), built from those sentences.
func checkStep(c *StepScalingPolicyConfiguration) error {
	adjTypes := []string{AdjustmentTypeChangeInCapacity, AdjustmentTypePercentChangeInCapacity, AdjustmentTypeExactCapacity}
	if c.AdjustmentType == nil {
		return validation("AdjustmentType is required for a new step scaling policy configuration")
	}
	if !oneOf(*c.AdjustmentType, adjTypes) {
		return enumError("stepScalingPolicyConfiguration.adjustmentType", *c.AdjustmentType, adjTypes)
	}
	if len(c.StepAdjustments) == 0 {
		return validation("At least one step adjustment is required for a new step scaling policy configuration")
	}
	if c.MetricAggregationType != nil {
		aggs := []string{MetricAggregationTypeAverage, MetricAggregationTypeMinimum, MetricAggregationTypeMaximum}
		if !oneOf(*c.MetricAggregationType, aggs) {
			return enumError("stepScalingPolicyConfiguration.metricAggregationType", *c.MetricAggregationType, aggs)
		}
	}
	if c.Cooldown != nil && *c.Cooldown < 0 {
		return validation("Cooldown must be greater than or equal to 0")
	}
	if m := c.MinAdjustmentMagnitude; m != nil {
		if *c.AdjustmentType != AdjustmentTypePercentChangeInCapacity {
			// "The minimum value to scale by when the adjustment type is
			// PercentChangeInCapacity" [AAS-API:StepScalingPolicyConfiguration].
			return validation("MinAdjustmentMagnitude is only supported with AdjustmentType PercentChangeInCapacity")
		}
		if *m < 1 {
			return validation("MinAdjustmentMagnitude must be greater than or equal to 1")
		}
	}
	nullLower, nullUpper, negLower, posUpper := 0, 0, false, false
	for _, s := range c.StepAdjustments {
		lo, hi := s.MetricIntervalLowerBound, s.MetricIntervalUpperBound
		if s.ScalingAdjustment == nil {
			return validation("ScalingAdjustment is required in each step adjustment")
		}
		if lo == nil && hi == nil {
			return validation("The upper and lower bound can't be null in the same step adjustment")
		}
		if lo != nil && hi != nil && *hi <= *lo {
			return validation("The upper bound must be greater than the lower bound (step [%s, %s])", fmtNum(*lo), fmtNum(*hi))
		}
		if *c.AdjustmentType == AdjustmentTypeExactCapacity && *s.ScalingAdjustment < 0 {
			return validation("For ExactCapacity, ScalingAdjustment must be a non-negative value (got %d)", *s.ScalingAdjustment)
		}
		if lo == nil {
			nullLower++
		} else if *lo < 0 {
			negLower = true
		}
		if hi == nil {
			nullUpper++
		} else if *hi > 0 {
			posUpper = true
		}
	}
	switch {
	case nullLower > 1:
		return validation("At most one step adjustment can have a null lower bound")
	case nullUpper > 1:
		return validation("At most one step adjustment can have a null upper bound")
	case negLower && nullLower == 0:
		return validation("A step adjustment has a negative lower bound, so there must be a step adjustment with a null lower bound")
	case posUpper && nullUpper == 0:
		return validation("A step adjustment has a positive upper bound, so there must be a step adjustment with a null upper bound")
	}
	steps := sortedSteps(c.StepAdjustments)
	for i := 0; i+1 < len(steps); i++ {
		hi, lo := upperOf(steps[i]), lowerOf(steps[i+1])
		switch {
		case hi > lo:
			return validation("The ranges of step adjustments can't overlap: [%s, %s) and [%s, %s)",
				fmtBound(lowerOf(steps[i])), fmtBound(hi), fmtBound(lo), fmtBound(upperOf(steps[i+1])))
		case hi < lo:
			return validation("The ranges of step adjustments can't have a gap: between %s and %s", fmtBound(hi), fmtBound(lo))
		}
	}
	return nil
}

// sortedSteps orders steps by lower bound, a null lower bound (−∞) first.
func sortedSteps(in []StepAdjustment) []StepAdjustment {
	s := append([]StepAdjustment{}, in...)
	sort.SliceStable(s, func(i, j int) bool { return lowerOf(s[i]) < lowerOf(s[j]) })
	return s
}

func lowerOf(s StepAdjustment) float64 {
	if s.MetricIntervalLowerBound == nil {
		return math.Inf(-1)
	}
	return *s.MetricIntervalLowerBound
}

func upperOf(s StepAdjustment) float64 {
	if s.MetricIntervalUpperBound == nil {
		return math.Inf(1)
	}
	return *s.MetricIntervalUpperBound
}

func fmtBound(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	return fmtNum(v)
}

// fmtNum prints a number the short way: 50, 82.4, 0.25.
func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// fmtMetric writes a metric value for explanations, to two decimals
// (51.99999999999997 reads 52): the decisions use the exact value.
func fmtMetric(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
