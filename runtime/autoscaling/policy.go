package autoscaling

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Policy types [ASG-API:PutScalingPolicy].
const (
	policyTargetTracking = "TargetTrackingScaling"
	policyStep           = "StepScaling"
	policySimple         = "SimpleScaling"
	policyPredictive     = "PredictiveScaling"
)

// Adjustment types [ASG-API:PutScalingPolicy].
const (
	adjustChange  = "ChangeInCapacity"
	adjustExact   = "ExactCapacity"
	adjustPercent = "PercentChangeInCapacity"
)

// The alarms of a target tracking policy: AlarmHigh fires on 3 of 3
// one-minute datapoints above the target, AlarmLow on 15 of 15 below 90 %
// of it (reference 9.4 and 15.2; the 0.9 is observed on real alarms, AWS
// says only "far enough below the target"). ECS managed scaling asks for
// 1 and 15 datapoints (reference 2.3) through PutTargetTrackingPolicy.
const (
	alarmPeriod           = 60 * time.Second
	alarmHighDatapoints   = 3
	alarmLowDatapoints    = 15
	alarmLowThresholdRate = 0.9
)

// TargetTrackingSpec is a target tracking policy in Go terms, for ECS
// managed scaling (and what PutScalingPolicy's TargetTrackingConfiguration
// becomes).
type TargetTrackingSpec struct {
	Namespace, MetricName string
	Dimensions            [][2]string
	Statistic             string
	// Unit is the metric's unit for the alarms; optional.
	Unit        string
	TargetValue float64
	// HighDatapoints and LowDatapoints are the evaluation periods (all
	// must breach) of AlarmHigh and AlarmLow; 0 means 3 and 15.
	HighDatapoints, LowDatapoints int
	// LowThreshold is AlarmLow's threshold; 0 means 0.9 × TargetValue.
	LowThreshold   float64
	DisableScaleIn bool
	// Warmup is the instance warm-up; 0 means the group's
	// DefaultInstanceWarmup, else 300 s.
	Warmup time.Duration
	// Compute, if set, replaces the desired-capacity formula: it gets the
	// metric of the alarm that fired and the group's current capacity and
	// returns the capacity wanted (before clamping to [min, max]).
	Compute func(metric float64, current int) int
}

// policy is a scaling policy of a group.
type policy struct {
	g         *group
	name, arn string
	typ       string
	// in is the request that made (or last replaced) the policy, for
	// DescribePolicies.
	in      PutScalingPolicyType
	tt      *TargetTrackingSpec
	alarms  []Alarm
	high    string
	low     string
	enabled bool
}

func (p *policy) warmup() time.Duration {
	if p.tt != nil && p.tt.Warmup > 0 {
		return p.tt.Warmup
	}
	if w := p.in.EstimatedInstanceWarmup; w != nil {
		return time.Duration(*w) * time.Second
	}
	if w := p.g.defaultWarmup; w != nil {
		return time.Duration(*w) * time.Second
	}
	return DefaultWarmup
}

// PutScalingPolicy creates or replaces a policy. Target tracking policies
// get their AlarmHigh and AlarmLow (none when scale-in is disabled), named
// TargetTracking-<group>-AlarmHigh-<uuid> (examples-1.json) and made through
// CloudWatch. Predictive scaling is not simulated.
func (a *AutoScaling) PutScalingPolicy(in *PutScalingPolicyType) (*PolicyARNType, error) {
	if in == nil {
		in = &PutScalingPolicyType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	typ := aws.ToString(in.PolicyType)
	if typ == "" {
		typ = policySimple // "If the policy type is null, the value is treated as SimpleScaling."
	}
	var tt *TargetTrackingSpec
	switch typ {
	case policyTargetTracking:
		if tt, err = a.specOf(g, in.TargetTrackingConfiguration); err != nil {
			return nil, err
		}
	case policySimple:
		if in.ScalingAdjustment == nil {
			// text not verified
			return nil, validation("ScalingAdjustment is required for SimpleScaling policies")
		}
		if err := checkAdjustmentType(in.AdjustmentType); err != nil {
			return nil, err
		}
	case policyStep:
		if len(in.StepAdjustments) == 0 {
			// text not verified
			return nil, validation("StepAdjustments is required for StepScaling policies")
		}
		if err := checkAdjustmentType(in.AdjustmentType); err != nil {
			return nil, err
		}
	case policyPredictive:
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate PredictiveScaling policies yet")
	default:
		// text not verified
		return nil, validation("Invalid policy type: %s", typ)
	}
	name := aws.ToString(in.PolicyName)
	req := *in
	req.PolicyType = aws.String(typ)
	p := g.policies[name]
	if p == nil {
		p = &policy{g: g, name: name, arn: a.policyARN(g, name)}
	}
	p.typ, p.in, p.tt, p.enabled = typ, req, tt, in.Enabled == nil || *in.Enabled
	if err := a.putPolicy(g, p); err != nil {
		return nil, err
	}
	return &PolicyARNType{PolicyARN: aws.String(p.arn), Alarms: slices.Clone(p.alarms)}, nil
}

func checkAdjustmentType(t *string) error {
	switch aws.ToString(t) {
	case adjustChange, adjustExact, adjustPercent:
		return nil
	}
	// text not verified
	return validation("Invalid adjustment type: %s", aws.ToString(t))
}

func (a *AutoScaling) policyARN(g *group, name string) string {
	return awserr.MakeARN("autoscaling", a.id.Region, a.id.AccountID,
		"scalingPolicy:"+a.sim.UUID()+":autoScalingGroupName/"+g.name+":policyName/"+name)
}

// specOf turns a TargetTrackingConfiguration into a spec: the predefined
// metrics of an Auto Scaling group are AWS/EC2 CPUUtilization, NetworkIn
// and NetworkOut (Average, by AutoScalingGroupName) and the ALB's
// RequestCountPerTarget (Sum, by TargetGroup)
// [ASG-UG:as-scaling-target-tracking]; a customized metric is taken as
// given (with Metrics, the query that returns data).
func (a *AutoScaling) specOf(g *group, c *TargetTrackingConfiguration) (*TargetTrackingSpec, error) {
	if c == nil || c.TargetValue == nil {
		// text not verified
		return nil, validation("TargetTrackingConfiguration with a TargetValue is required for TargetTrackingScaling policies")
	}
	s := &TargetTrackingSpec{TargetValue: *c.TargetValue, DisableScaleIn: aws.ToBool(c.DisableScaleIn)}
	asg := [][2]string{{"AutoScalingGroupName", g.name}}
	switch {
	case c.PredefinedMetricSpecification != nil:
		pre := c.PredefinedMetricSpecification
		switch t := aws.ToString(pre.PredefinedMetricType); t {
		case MetricTypeASGAverageCPUUtilization:
			s.Namespace, s.MetricName, s.Statistic, s.Unit, s.Dimensions = "AWS/EC2", "CPUUtilization", "Average", "Percent", asg
		case MetricTypeASGAverageNetworkIn:
			s.Namespace, s.MetricName, s.Statistic, s.Unit, s.Dimensions = "AWS/EC2", "NetworkIn", "Average", "Bytes", asg
		case MetricTypeASGAverageNetworkOut:
			s.Namespace, s.MetricName, s.Statistic, s.Unit, s.Dimensions = "AWS/EC2", "NetworkOut", "Average", "Bytes", asg
		case MetricTypeALBRequestCountPerTarget:
			label := aws.ToString(pre.ResourceLabel)
			tg := label
			if i := strings.Index(label, "/targetgroup/"); i >= 0 {
				tg = label[i+1:]
			}
			s.Namespace, s.MetricName, s.Statistic, s.Dimensions = "AWS/ApplicationELB", "RequestCountPerTarget", "Sum", [][2]string{{"TargetGroup", tg}}
		default:
			// text not verified
			return nil, validation("Invalid PredefinedMetricType: %s", t)
		}
	case c.CustomizedMetricSpecification != nil:
		cm := c.CustomizedMetricSpecification
		if len(cm.Metrics) > 0 {
			for _, q := range cm.Metrics {
				if q.MetricStat != nil && q.MetricStat.Metric != nil && (q.ReturnData == nil || *q.ReturnData) {
					m := q.MetricStat.Metric
					s.Namespace, s.MetricName, s.Statistic, s.Unit = aws.ToString(m.Namespace), aws.ToString(m.MetricName), aws.ToString(q.MetricStat.Stat), aws.ToString(q.MetricStat.Unit)
					s.Dimensions = dims(m.Dimensions)
				}
			}
			if s.MetricName == "" {
				return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate metric math in target tracking policies yet")
			}
		} else {
			s.Namespace, s.MetricName, s.Statistic, s.Unit = aws.ToString(cm.Namespace), aws.ToString(cm.MetricName), aws.ToString(cm.Statistic), aws.ToString(cm.Unit)
			s.Dimensions = dims(cm.Dimensions)
		}
	default:
		// text not verified
		return nil, validation("Either PredefinedMetricSpecification or CustomizedMetricSpecification must be specified")
	}
	return s, nil
}

func dims(ds []MetricDimension) [][2]string {
	var out [][2]string
	for _, d := range ds {
		out = append(out, [2]string{aws.ToString(d.Name), aws.ToString(d.Value)})
	}
	return out
}

// PutTargetTrackingPolicy creates or replaces a target tracking policy from
// Go, with the evaluation counts of its alarms as parameters: ECS managed
// scaling asks for AlarmHigh on 1 datapoint and AlarmLow on 15 (reference
// 2.3). It returns the policy ARN and the names of the alarms made.
func (a *AutoScaling) PutTargetTrackingPolicy(groupName, policyName string, spec TargetTrackingSpec) (string, []string, error) {
	g, err := a.group(&groupName)
	if err != nil {
		return "", nil, err
	}
	p := g.policies[policyName]
	if p == nil {
		p = &policy{g: g, name: policyName, arn: a.policyARN(g, policyName)}
	}
	s := spec
	p.typ, p.tt, p.enabled = policyTargetTracking, &s, true
	p.in = PutScalingPolicyType{
		AutoScalingGroupName: aws.String(g.name), PolicyName: aws.String(policyName), PolicyType: aws.String(policyTargetTracking),
		TargetTrackingConfiguration: &TargetTrackingConfiguration{
			CustomizedMetricSpecification: &CustomizedMetricSpecification{
				Namespace: aws.String(s.Namespace), MetricName: aws.String(s.MetricName), Statistic: aws.String(s.Statistic), Dimensions: metricDims(s.Dimensions),
			},
			TargetValue:    aws.Float64(s.TargetValue),
			DisableScaleIn: aws.Bool(s.DisableScaleIn),
		},
	}
	if s.Unit != "" {
		p.in.TargetTrackingConfiguration.CustomizedMetricSpecification.Unit = aws.String(s.Unit)
	}
	if s.Warmup > 0 {
		p.in.EstimatedInstanceWarmup = aws.Int(int(s.Warmup.Seconds()))
	}
	if err := a.putPolicy(g, p); err != nil {
		return "", nil, err
	}
	var names []string
	for _, al := range p.alarms {
		names = append(names, aws.ToString(al.AlarmName))
	}
	return p.arn, names, nil
}

func metricDims(ds [][2]string) []MetricDimension {
	out := []MetricDimension{}
	for _, d := range ds {
		out = append(out, MetricDimension{Name: aws.String(d[0]), Value: aws.String(d[1])})
	}
	return out
}

// putPolicy stores a policy and, for target tracking, replaces its alarms.
func (a *AutoScaling) putPolicy(g *group, p *policy) error {
	a.deleteAlarms(p)
	if p.tt != nil {
		if err := a.createAlarms(p); err != nil {
			return err
		}
	}
	g.policies[p.name] = p
	a.policyByARN[p.arn] = p
	a.record("PolicyPut", g.name, fmt.Sprintf("%s: %s policy %s", g.name, p.typ, p.name))
	a.explain(g.name, "policy "+p.name+": "+p.describe())
	return nil
}

// createAlarms makes the AlarmHigh/AlarmLow pair of a target tracking
// policy through CloudWatch. Without an AlarmService the names are still
// made, with ARNs built from them.
func (a *AutoScaling) createAlarms(p *policy) error {
	s := p.tt
	hi, lo := s.HighDatapoints, s.LowDatapoints
	if hi <= 0 {
		hi = alarmHighDatapoints
	}
	if lo <= 0 {
		lo = alarmLowDatapoints
	}
	base := AlarmSpec{
		Namespace: s.Namespace, MetricName: s.MetricName, Statistic: s.Statistic, Dimensions: s.Dimensions,
		Period: alarmPeriod, TreatMissingData: "missing", AlarmActions: []string{p.arn}, Unit: s.Unit,
	}
	high := base
	high.Name = fmt.Sprintf("TargetTracking-%s-AlarmHigh-%s", p.g.name, a.sim.UUID())
	high.EvaluationPeriods, high.DatapointsToAlarm = hi, hi
	high.Threshold, high.Comparison = s.TargetValue, "GreaterThanThreshold"
	specs := []AlarmSpec{high}
	if !s.DisableScaleIn {
		low := base
		low.Name = fmt.Sprintf("TargetTracking-%s-AlarmLow-%s", p.g.name, a.sim.UUID())
		low.EvaluationPeriods, low.DatapointsToAlarm = lo, lo
		low.Threshold, low.Comparison = s.TargetValue*alarmLowThresholdRate, "LessThanThreshold"
		if s.LowThreshold > 0 {
			low.Threshold = s.LowThreshold
		}
		specs = append(specs, low)
	}
	p.alarms, p.high, p.low = []Alarm{}, "", ""
	for i, spec := range specs {
		arn := awserr.MakeARN("cloudwatch", a.id.Region, a.id.AccountID, "alarm:"+spec.Name)
		if a.alarms != nil {
			got, err := a.alarms.PutAlarm(spec)
			if err != nil {
				a.deleteAlarms(p)
				return err
			}
			if got != "" {
				arn = got
			}
		}
		p.alarms = append(p.alarms, Alarm{AlarmName: aws.String(spec.Name), AlarmARN: aws.String(arn)})
		if i == 0 {
			p.high = spec.Name
		} else {
			p.low = spec.Name
		}
	}
	return nil
}

func (a *AutoScaling) deleteAlarms(p *policy) {
	if p.tt != nil && a.alarms != nil {
		for _, al := range p.alarms {
			_ = a.alarms.DeleteAlarm(aws.ToString(al.AlarmName))
		}
	}
	p.alarms = nil
}

// describe says what a policy does, for explanations.
func (p *policy) describe() string {
	switch {
	case p.tt != nil:
		in := "scale-in enabled"
		if p.tt.DisableScaleIn {
			in = "scale-in disabled"
		}
		return fmt.Sprintf("target tracking %s/%s at %s, warm-up %s, %s", p.tt.Namespace, p.tt.MetricName, fmtNum(p.tt.TargetValue), p.warmup(), in)
	case p.typ == policyStep:
		return fmt.Sprintf("step scaling %s, %d steps", aws.ToString(p.in.AdjustmentType), len(p.in.StepAdjustments))
	}
	return fmt.Sprintf("simple scaling %s %d, cooldown %s", aws.ToString(p.in.AdjustmentType), aws.ToInt(p.in.ScalingAdjustment), p.cooldown())
}

func (p *policy) cooldown() time.Duration {
	if c := p.in.Cooldown; c != nil {
		return time.Duration(*c) * time.Second
	}
	return p.g.defaultCooldown
}

// DescribePolicies lists policies by group, then name; of one group, of
// some names or types. MaxRecords defaults to 50 and is at most 50
// [ASG-API:DescribePolicies]. An unknown group gives an empty list.
func (a *AutoScaling) DescribePolicies(in *DescribePoliciesType) (*PoliciesType, error) {
	if in == nil {
		in = &DescribePoliciesType{}
	}
	var keys []string
	byKey := map[string]*policy{}
	for _, g := range a.sortedGroups() {
		if in.AutoScalingGroupName != nil && g.name != *in.AutoScalingGroupName {
			continue
		}
		for _, name := range sortedKeys(g.policies) {
			p := g.policies[name]
			if len(in.PolicyNames) > 0 && !slices.Contains(in.PolicyNames, p.name) && !slices.Contains(in.PolicyNames, p.arn) {
				continue
			}
			if len(in.PolicyTypes) > 0 && !slices.Contains(in.PolicyTypes, p.typ) {
				continue
			}
			k := g.name + "\x00" + name
			keys = append(keys, k)
			byKey[k] = p
		}
	}
	page, next, err := paginate("DescribePolicies", keys, in.MaxRecords, in.NextToken, 50, 50)
	if err != nil {
		return nil, err
	}
	out := &PoliciesType{ScalingPolicies: []ScalingPolicy{}, NextToken: next}
	for _, k := range page {
		out.ScalingPolicies = append(out.ScalingPolicies, byKey[k].shape())
	}
	return out, nil
}

func (p *policy) shape() ScalingPolicy {
	in := p.in
	out := ScalingPolicy{
		AutoScalingGroupName:        aws.String(p.g.name),
		PolicyName:                  aws.String(p.name),
		PolicyARN:                   aws.String(p.arn),
		PolicyType:                  aws.String(p.typ),
		AdjustmentType:              in.AdjustmentType,
		MinAdjustmentStep:           in.MinAdjustmentStep,
		MinAdjustmentMagnitude:      in.MinAdjustmentMagnitude,
		ScalingAdjustment:           in.ScalingAdjustment,
		Cooldown:                    in.Cooldown,
		StepAdjustments:             slices.Clone(in.StepAdjustments),
		MetricAggregationType:       in.MetricAggregationType,
		EstimatedInstanceWarmup:     in.EstimatedInstanceWarmup,
		Alarms:                      slices.Clone(p.alarms),
		TargetTrackingConfiguration: in.TargetTrackingConfiguration,
		Enabled:                     aws.Bool(p.enabled),
	}
	if out.Alarms == nil {
		out.Alarms = []Alarm{}
	}
	if p.typ == policyStep && out.MetricAggregationType == nil {
		out.MetricAggregationType = aws.String("Average") // the default [ASG-API:PutScalingPolicy]
	}
	return out
}

// DeletePolicy deletes a policy (by name or ARN) and the alarms of a target
// tracking policy; alarms the user made for a step or simple policy stay
// [ASG-API:DeletePolicy]. An unknown policy is refused (text not verified).
func (a *AutoScaling) DeletePolicy(in *DeletePolicyType) (*struct{}, error) {
	if in == nil {
		in = &DeletePolicyType{}
	}
	p, err := a.policyRef(in.AutoScalingGroupName, in.PolicyName)
	if err != nil {
		return nil, err
	}
	a.deletePolicy(p)
	return nil, nil
}

func (a *AutoScaling) deletePolicy(p *policy) {
	a.deleteAlarms(p)
	delete(p.g.policies, p.name)
	delete(a.policyByARN, p.arn)
	a.record("PolicyDeleted", p.g.name, fmt.Sprintf("%s: policy %s deleted", p.g.name, p.name))
}

// fmtNum prints a metric value without noise: 70, 72.5, 0.333.
func fmtNum(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return fmt.Sprintf("%d", int64(f))
	}
	return fmt.Sprintf("%.3g", f)
}

// policyRef finds a policy by ARN, or by name in the group, as
// DeletePolicy and ExecutePolicy take it; an unknown one is refused (text
// not verified).
func (a *AutoScaling) policyRef(group, policyName *string) (*policy, error) {
	name := aws.ToString(policyName)
	if p := a.policyByARN[name]; p != nil {
		return p, nil
	}
	g, err := a.group(group)
	if err != nil {
		return nil, err
	}
	if p := g.policies[name]; p != nil {
		return p, nil
	}
	return nil, validation("Policy not found: %s", name)
}
