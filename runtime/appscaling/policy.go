package appscaling

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// policy is a scaling policy of a target.
type policy struct {
	t          *target
	name, arn  string
	policyType string
	created    time.Time
	tt         *TargetTrackingScalingPolicyConfiguration
	step       *StepScalingPolicyConfiguration
	// alarms are the alarms of the policy: for target tracking the pair it
	// created (high first), for step scaling the alarms seen invoking it.
	alarms []Alarm
	// highAlarm and lowAlarm name the target tracking pair ("" for none).
	highAlarm, lowAlarm string
	// desire is the policy's latest wish, for combining several target
	// tracking policies on one target.
	desire desire
	// cause is the Cause of the activities causeAlarm starts, kept because
	// an alarm in ALARM invokes the policy every minute (causeOf).
	cause, causeAlarm string
}

// causeOf returns the Cause of the activities an alarm of the policy starts:
// "monitor alarm <alarm> in state ALARM triggered policy <policy>".
func (p *policy) causeOf(alarmName string) string {
	if p.cause == "" || p.causeAlarm != alarmName {
		p.cause, p.causeAlarm = fmt.Sprintf("monitor alarm %s in state ALARM triggered policy %s", alarmName, p.name), alarmName
	}
	return p.cause
}

// desire is what a target tracking policy last asked for.
type desire struct {
	at       time.Time
	dir      int // +1 scale out, -1 scale in, 0 stay
	capacity int
}

// Cooldown defaults: 300 seconds for ECS services, for both target tracking
// cooldowns (reference 8.2: CDK's "Duration.seconds(300) for ... ECS
// services") and for step scaling's Cooldown
// [AAS-API:StepScalingPolicyConfiguration] ("If not specified, the default
// value is 300").
const defaultCooldown = 300 * time.Second

func (p *policy) scaleOutCooldown() time.Duration {
	if p.tt != nil && p.tt.ScaleOutCooldown != nil {
		return time.Duration(*p.tt.ScaleOutCooldown) * time.Second
	}
	if p.step != nil && p.step.Cooldown != nil {
		return time.Duration(*p.step.Cooldown) * time.Second
	}
	return defaultCooldown
}

func (p *policy) scaleInCooldown() time.Duration {
	if p.tt != nil && p.tt.ScaleInCooldown != nil {
		return time.Duration(*p.tt.ScaleInCooldown) * time.Second
	}
	if p.step != nil && p.step.Cooldown != nil {
		return time.Duration(*p.step.Cooldown) * time.Second
	}
	return defaultCooldown
}

func (p *policy) scaleInDisabled() bool { return p.tt != nil && aws.ToBool(p.tt.DisableScaleIn) }

// policyARN is arn:aws:autoscaling:<region>:<account>:scalingPolicy:<uuid>:
// resource/<namespace>/<resource ID>:policyName/<name>, as in examples-1.json
// (PutScalingPolicy, DescribeScalingPolicies).
func (a *AppScaling) policyARN(t *target, name string) string {
	return fmt.Sprintf("arn:aws:autoscaling:%s:%s:scalingPolicy:%s:resource/%s/%s:policyName/%s",
		a.id.Region, a.id.AccountID, t.arnID, t.namespace, t.resourceID, name)
}

// PutScalingPolicy creates or replaces a scaling policy of a registered
// target. A target tracking policy gets its AlarmHigh/AlarmLow pair from
// CloudWatch (alarms.go); updating it replaces the pair with new alarms,
// while the policy keeps its ARN and creation time. A step scaling policy is
// invoked by alarms the user creates.
func (a *AppScaling) PutScalingPolicy(in *PutScalingPolicyRequest) (*PutScalingPolicyResponse, error) {
	if in == nil {
		in = &PutScalingPolicyRequest{}
	}
	t, err := a.lookupTarget(in.ServiceNamespace, in.ResourceId, in.ScalableDimension)
	if err != nil {
		return nil, err
	}
	name := aws.ToString(in.PolicyName)
	if err := checkName("policyName", name); err != nil {
		return nil, err
	}
	old := t.policies[name]
	ptype := aws.ToString(in.PolicyType)
	if ptype == "" && old != nil {
		ptype = old.policyType
	}
	switch ptype {
	case PolicyTypeTargetTrackingScaling, PolicyTypeStepScaling:
	case PolicyTypePredictiveScaling:
		return nil, notSimulated("ecsbox does not simulate PredictiveScaling policies yet")
	case "":
		// The requirement is [AAS-API:PutScalingPolicyRequest] ("This
		// parameter is required if you are creating a scaling policy");
		// text not verified.
		return nil, validation("PolicyType is required when creating a scaling policy")
	default:
		return nil, enumError("policyType", ptype, []string{PolicyTypeStepScaling, PolicyTypeTargetTrackingScaling, PolicyTypePredictiveScaling})
	}
	p := &policy{t: t, name: name, policyType: ptype, arn: a.policyARN(t, name), created: a.now()}
	if old != nil {
		p.created = old.created
		p.arn = old.arn
	}
	switch ptype {
	case PolicyTypeTargetTrackingScaling:
		cfg := in.TargetTrackingScalingPolicyConfiguration
		if cfg == nil {
			// text not verified
			return nil, validation("TargetTrackingScalingPolicyConfiguration is required for a policy of type TargetTrackingScaling")
		}
		if err := checkTargetTracking(t, cfg); err != nil {
			return nil, err
		}
		p.tt = clone(cfg)
	case PolicyTypeStepScaling:
		cfg := in.StepScalingPolicyConfiguration
		if cfg == nil && (old == nil || old.step == nil) {
			// [AAS-API:PutScalingPolicyRequest] ("This parameter is required
			// if you are creating a policy and the policy type is
			// StepScaling"); text not verified.
			return nil, validation("StepScalingPolicyConfiguration is required for a policy of type StepScaling")
		}
		merged := mergeStep(old, cfg)
		if err := checkStep(merged); err != nil {
			return nil, err
		}
		p.step = merged
	}
	// Replace: the old policy's alarms go, the new ones come.
	if old != nil {
		a.deletePolicyAlarms(old)
		if old.policyType == PolicyTypeStepScaling && p.policyType == PolicyTypeStepScaling {
			p.alarms = old.alarms
		}
		delete(a.policyByARN, old.arn)
	}
	if p.tt != nil {
		if err := a.createTargetTrackingAlarms(p); err != nil {
			return nil, err
		}
	}
	t.policies[name] = p
	a.policyByARN[p.arn] = p
	verb := "created"
	if old != nil {
		verb = "updated"
	}
	a.record("ScalingPolicyPut", t.resourceID, fmt.Sprintf("%s policy %s %s for %s%s", ptype, name, verb, t.resourceID, policySummary(p)))
	// Only target tracking policies answer with the alarms they created
	// (examples-1.json, PutScalingPolicy).
	out := &PutScalingPolicyResponse{PolicyARN: aws.String(p.arn)}
	if p.tt != nil {
		out.Alarms = append([]Alarm{}, p.alarms...)
	}
	return out, nil
}

// mergeStep applies an update to a step configuration: members present in
// the update replace the old ones ("AdjustmentType is required if you are
// adding a new step scaling policy configuration" implies updates may leave
// it out, [AAS-API:StepScalingPolicyConfiguration]).
func mergeStep(old *policy, cfg *StepScalingPolicyConfiguration) *StepScalingPolicyConfiguration {
	var base StepScalingPolicyConfiguration
	if old != nil && old.step != nil {
		base = *clone(old.step)
	}
	if cfg == nil {
		return &base
	}
	c := clone(cfg)
	if c.AdjustmentType != nil {
		base.AdjustmentType = c.AdjustmentType
	}
	if c.StepAdjustments != nil {
		base.StepAdjustments = c.StepAdjustments
	}
	if c.MinAdjustmentMagnitude != nil {
		base.MinAdjustmentMagnitude = c.MinAdjustmentMagnitude
	}
	if c.Cooldown != nil {
		base.Cooldown = c.Cooldown
	}
	if c.MetricAggregationType != nil {
		base.MetricAggregationType = c.MetricAggregationType
	}
	return &base
}

func policySummary(p *policy) string {
	if p.tt != nil {
		return fmt.Sprintf(": %s target %s", metricLabel(p.tt), fmtNum(aws.ToFloat64(p.tt.TargetValue)))
	}
	return fmt.Sprintf(": %s, %d steps", aws.ToString(p.step.AdjustmentType), len(p.step.StepAdjustments))
}

// DeleteScalingPolicy deletes a policy and, for target tracking, its alarms.
// A step scaling policy's alarms belong to the user and stay
// [AAS-API:DeleteScalingPolicy]; their actions then name a policy that no
// longer exists, and AlarmFired ignores them.
func (a *AppScaling) DeleteScalingPolicy(in *DeleteScalingPolicyRequest) (*DeleteScalingPolicyResponse, error) {
	if in == nil {
		in = &DeleteScalingPolicyRequest{}
	}
	ns, rid, dim := aws.ToString(in.ServiceNamespace), aws.ToString(in.ResourceId), aws.ToString(in.ScalableDimension)
	if err := checkTriple(ns, rid, dim); err != nil {
		return nil, err
	}
	name := aws.ToString(in.PolicyName)
	t := a.targets[targetKey(ns, rid, dim)]
	var p *policy
	if t != nil {
		p = t.policies[name]
	}
	if p == nil {
		// The wording emulators share (moto, floci, fakecloud); text not
		// verified against AWS.
		return nil, notFound("No scaling policy found for service namespace: %s, resource ID: %s, scalable dimension: %s, policy name: %s", ns, rid, dim, name)
	}
	a.removePolicy(t, p)
	return &DeleteScalingPolicyResponse{}, nil
}

func (a *AppScaling) removePolicy(t *target, p *policy) {
	a.deletePolicyAlarms(p)
	delete(t.policies, p.name)
	delete(a.policyByARN, p.arn)
	a.record("ScalingPolicyDeleted", t.resourceID, fmt.Sprintf("policy %s of %s deleted", p.name, t.resourceID))
}

// DescribeScalingPolicies lists the policies of a namespace, optionally of one
// resource and dimension and with given names. Policies are listed by
// resource ID, dimension, then name; AWS does not document its order.
func (a *AppScaling) DescribeScalingPolicies(in *DescribeScalingPoliciesRequest) (*DescribeScalingPoliciesResponse, error) {
	if in == nil {
		in = &DescribeScalingPoliciesRequest{}
	}
	ns := aws.ToString(in.ServiceNamespace)
	if !oneOf(ns, allNamespaces) {
		return nil, enumError("serviceNamespace", ns, allNamespaces)
	}
	var keys []string
	byKey := map[string]*policy{}
	for _, t := range a.sortedTargets() {
		if t.namespace != ns || (in.ResourceId != nil && t.resourceID != *in.ResourceId) ||
			(in.ScalableDimension != nil && t.dimension != *in.ScalableDimension) {
			continue
		}
		for _, name := range sortedKeys(t.policies) {
			if len(in.PolicyNames) > 0 && !oneOf(name, in.PolicyNames) {
				continue
			}
			k := t.key() + "\x00" + name
			keys = append(keys, k)
			byKey[k] = t.policies[name]
		}
	}
	page, next, err := paginate("DescribeScalingPolicies", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &DescribeScalingPoliciesResponse{ScalingPolicies: []ScalingPolicy{}, NextToken: next}
	for _, k := range page {
		out.ScalingPolicies = append(out.ScalingPolicies, byKey[k].describe())
	}
	return out, nil
}

func (p *policy) describe() ScalingPolicy {
	sp := ScalingPolicy{
		PolicyARN:         aws.String(p.arn),
		PolicyName:        aws.String(p.name),
		ServiceNamespace:  aws.String(p.t.namespace),
		ResourceId:        aws.String(p.t.resourceID),
		ScalableDimension: aws.String(p.t.dimension),
		PolicyType:        aws.String(p.policyType),
		Alarms:            append([]Alarm{}, p.alarms...),
		CreationTime:      aws.NewTime(p.created),
	}
	if p.tt != nil {
		sp.TargetTrackingScalingPolicyConfiguration = clone(p.tt)
	}
	if p.step != nil {
		sp.StepScalingPolicyConfiguration = clone(p.step)
	}
	return sp
}

// clone deep-copies an API struct through JSON, so that stored resources are
// never shared with callers.
func clone[T any](v *T) *T {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(err)
	}
	return out
}

// checkName validates a policy or scheduled action name: 1 to 256 printable
// characters ([AAS-API:PutScalingPolicyRequest] pattern \p{Print}+); botocore
// has checked the minimum length.
func checkName(member, name string) error {
	if len(name) > 256 {
		// The standard wording of AWS JSON validation; text not verified.
		return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to 256", name, member)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			// text not verified
			return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: \\p{Print}+", name, member)
		}
	}
	return nil
}
