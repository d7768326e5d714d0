package appscaling

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// target is a registered scalable target.
type target struct {
	namespace, resourceID, dimension string
	min, max                         int
	roleARN                          string
	created                          time.Time
	// arnID is the UUID in the ARNs of the target's policies and scheduled
	// actions. AWS's examples show one UUID shared by all policies of a
	// target (examples-1.json: web-app-cpu-gt-75 and
	// cpu75-target-tracking-scaling-policy both carry 6d8972f3-...) and by
	// all its scheduled actions ([AAS-UG:scheduled-scaling-additional-cli-commands]:
	// my-one-time-action and my-recurring-action both carry 493a6261-...).
	arnID     string
	arn       string
	tags      map[string]string
	suspended SuspendedState

	policies  map[string]*policy
	scheduled map[string]*scheduledAction

	// Cooldown state. lastOut and lastIn are when the last dynamic scale-out
	// and scale-in happened; outFrom is the desired count before the last
	// scale-out, so that a step scale-out during its cooldown counts the
	// capacity already added [AAS-UG:application-auto-scaling-step-scaling-policies].
	lastOut, lastIn time.Time
	outFrom         int

	// lastActivity is the target's newest scaling activity, so a run of
	// identical not-scaled activities collapses without a search.
	lastActivity *activity
}

func (t *target) key() string { return targetKey(t.namespace, t.resourceID, t.dimension) }

// ECS is the only simulated namespace: its one dimension, and the role AAS
// uses for it (examples-1.json, DescribeScalableTargets: the
// AWSServiceRoleForApplicationAutoScaling_ECSService service-linked role
// [DG:service-auto-scaling]).
const (
	namespaceECS   = ServiceNamespaceEcs
	dimensionECS   = ScalableDimensionEcsServiceDesiredCount
	ecsRoleARNPath = "role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService"
)

var allNamespaces = []string{
	ServiceNamespaceEcs, ServiceNamespaceElasticmapreduce, ServiceNamespaceEc2, ServiceNamespaceAppstream,
	ServiceNamespaceDynamodb, ServiceNamespaceRds, ServiceNamespaceSagemaker, ServiceNamespaceCustomResource,
	ServiceNamespaceComprehend, ServiceNamespaceLambda, ServiceNamespaceCassandra, ServiceNamespaceKafka,
	ServiceNamespaceElasticache, ServiceNamespaceNeptune, ServiceNamespaceWorkspaces,
}

var allDimensions = []string{
	ScalableDimensionEcsServiceDesiredCount, ScalableDimensionEc2SpotFleetRequestTargetCapacity,
	ScalableDimensionElasticmapreduceInstancegroupInstanceCount, ScalableDimensionAppstreamFleetDesiredCapacity,
	ScalableDimensionDynamodbTableReadCapacityUnits, ScalableDimensionDynamodbTableWriteCapacityUnits,
	ScalableDimensionDynamodbIndexReadCapacityUnits, ScalableDimensionDynamodbIndexWriteCapacityUnits,
	ScalableDimensionRdsClusterReadReplicaCount, ScalableDimensionSagemakerVariantDesiredInstanceCount,
	ScalableDimensionCustomResourceResourceTypeProperty,
	ScalableDimensionComprehendDocumentClassifierEndpointDesiredInferenceUnits,
	ScalableDimensionComprehendEntityRecognizerEndpointDesiredInferenceUnits,
	ScalableDimensionLambdaFunctionProvisionedConcurrency, ScalableDimensionCassandraTableReadCapacityUnits,
	ScalableDimensionCassandraTableWriteCapacityUnits, ScalableDimensionKafkaBrokerStorageVolumeSize,
	ScalableDimensionElasticacheCacheClusterNodes, ScalableDimensionElasticacheReplicationGroupNodeGroups,
	ScalableDimensionElasticacheReplicationGroupReplicas, ScalableDimensionNeptuneClusterReadReplicaCount,
	ScalableDimensionSagemakerVariantDesiredProvisionedConcurrency,
	ScalableDimensionSagemakerInferenceComponentDesiredCopyCount,
	ScalableDimensionWorkspacesWorkspacespoolDesiredUserSessions,
}

// checkNamespace refuses namespaces outside the model's enum, and the ones
// ecsbox does not simulate.
func checkNamespace(ns string) error {
	if !oneOf(ns, allNamespaces) {
		return enumError("serviceNamespace", ns, allNamespaces)
	}
	if ns != namespaceECS {
		return notSimulated("ecsbox does not simulate Application Auto Scaling for service namespace %s yet; only ecs (ECS services) is simulated", ns)
	}
	return nil
}

// checkTriple validates the namespace, resource ID and dimension that name a
// scalable target. The resource ID of an ECS service is
// service/<cluster-name>/<service-name> [AAS-API:RegisterScalableTarget].
func checkTriple(ns, resourceID, dimension string) error {
	if err := checkNamespace(ns); err != nil {
		return err
	}
	if !oneOf(dimension, allDimensions) {
		return enumError("scalableDimension", dimension, allDimensions)
	}
	parts := strings.Split(resourceID, "/")
	if dimension != dimensionECS || len(parts) != 3 || parts[0] != "service" || parts[1] == "" || parts[2] == "" {
		// The wording moto and users quote for a namespace, resource type
		// and dimension that do not go together (getmoto/moto#3304); text
		// not verified against AWS for a malformed ECS resource ID.
		return validation("Unsupported service namespace, resource type or scalable dimension")
	}
	return nil
}

// noTarget is the refusal of an operation on a target that is not
// registered. Users have recorded it from PutScalingPolicy
// (cloudposse/terraform-aws-ecs-cloudwatch-autoscaling#36,
// ansible/ansible#35632).
func noTarget(ns, resourceID, dimension string) error {
	return notFound("No scalable target registered for service namespace: %s, resource ID: %s, scalable dimension: %s", ns, resourceID, dimension)
}

// lookupTarget validates the triple and returns its target, or the
// ObjectNotFoundException of operations that need one.
func (a *AppScaling) lookupTarget(ns, resourceID, dimension *string) (*target, error) {
	n, r, d := aws.ToString(ns), aws.ToString(resourceID), aws.ToString(dimension)
	if err := checkTriple(n, r, d); err != nil {
		return nil, err
	}
	t := a.targets[targetKey(n, r, d)]
	if t == nil {
		return nil, noTarget(n, r, d)
	}
	return t, nil
}

// capacity asks the resource's owner for its desired and running counts.
func (a *AppScaling) capacity(t *target) (desired, running int, err error) {
	if a.resources == nil {
		return 0, 0, awserr.New(ValidationException, "ECS service doesn't exist: "+t.resourceID)
	}
	return a.resources.Capacity(t.namespace, t.resourceID, t.dimension)
}

// RegisterScalableTarget registers a scalable target, or updates the one the
// triple names: parameters left out of an update keep their values
// [AAS-API:RegisterScalableTarget]. The resource's desired count is then
// brought inside [min, max] ("Otherwise, it changes the resource's current
// capacity to a value that is inside of this range").
func (a *AppScaling) RegisterScalableTarget(in *RegisterScalableTargetRequest) (*RegisterScalableTargetResponse, error) {
	if in == nil {
		in = &RegisterScalableTargetRequest{}
	}
	ns, rid, dim := aws.ToString(in.ServiceNamespace), aws.ToString(in.ResourceId), aws.ToString(in.ScalableDimension)
	if err := checkTriple(ns, rid, dim); err != nil {
		return nil, err
	}
	existing := a.targets[targetKey(ns, rid, dim)]
	if existing == nil && (in.MinCapacity == nil || in.MaxCapacity == nil) {
		// The requirement is [AAS-API:RegisterScalableTargetRequest]
		// ("This property is required when registering a new scalable
		// target"); text not verified.
		return nil, validation("MinCapacity and MaxCapacity are required for registering a new scalable target")
	}
	lo, hi := 0, 0
	if existing != nil {
		lo, hi = existing.min, existing.max
	}
	if in.MinCapacity != nil {
		lo = *in.MinCapacity
	}
	if in.MaxCapacity != nil {
		hi = *in.MaxCapacity
	}
	if lo < 0 {
		// ECS services accept 0 [AAS-API:RegisterScalableTargetRequest]; text not verified.
		return nil, validation("Minimum capacity cannot be less than 0")
	}
	if hi < 0 {
		// text not verified
		return nil, validation("Maximum capacity cannot be less than 0")
	}
	if lo > hi {
		// text not verified
		return nil, validation("Minimum capacity cannot be greater than maximum capacity")
	}
	// The service must exist. Users have recorded this text
	// (hashicorp/terraform-provider-aws retries on "ECS service doesn't
	// exist"; moto adds ": <resource ID>").
	if _, _, err := a.capacity(&target{namespace: ns, resourceID: rid, dimension: dim}); err != nil {
		return nil, validation("ECS service doesn't exist: %s", rid)
	}
	t := existing
	if t == nil {
		t = &target{
			namespace: ns, resourceID: rid, dimension: dim,
			created:   a.now(),
			arnID:     a.sim.UUID(),
			roleARN:   "arn:aws:iam::" + a.id.AccountID + ":" + ecsRoleARNPath,
			policies:  map[string]*policy{},
			scheduled: map[string]*scheduledAction{},
		}
		// The scalable target ARN's resource is scalable-target/ and an
		// ID of 36 characters, as in AWS's example
		// arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/1234abcd56ab78cd901ef1234567890ab123
		// [AAS-UG:security_iam_service-with-iam].
		t.arn = "arn:aws:application-autoscaling:" + a.id.Region + ":" + a.id.AccountID + ":scalable-target/" + a.sim.Hex(36)
		a.targets[t.key()] = t
	}
	if in.RoleARN != nil && existing == nil {
		t.roleARN = *in.RoleARN
	}
	t.min, t.max = lo, hi
	if s := in.SuspendedState; s != nil {
		if s.DynamicScalingInSuspended != nil {
			t.suspended.DynamicScalingInSuspended = aws.Bool(*s.DynamicScalingInSuspended)
		}
		if s.DynamicScalingOutSuspended != nil {
			t.suspended.DynamicScalingOutSuspended = aws.Bool(*s.DynamicScalingOutSuspended)
		}
		if s.ScheduledScalingSuspended != nil {
			t.suspended.ScheduledScalingSuspended = aws.Bool(*s.ScheduledScalingSuspended)
		}
	}
	if len(in.Tags) > 0 {
		if t.tags == nil {
			t.tags = map[string]string{}
		}
		for k, v := range in.Tags {
			t.tags[k] = v
		}
	}
	verb := "registered"
	if existing != nil {
		verb = "updated"
	}
	a.record("ScalableTargetRegistered", rid, fmt.Sprintf("scalable target %s %s: min %d, max %d%s", rid, verb, lo, hi, suspendedText(t)))
	a.clampToRange(t, in.MinCapacity != nil, in.MaxCapacity != nil)
	return &RegisterScalableTargetResponse{ScalableTargetARN: aws.String(t.arn)}, nil
}

// clampToRange brings the resource's desired count inside the target's range,
// as a scaling activity whose cause names the bound that moved it: "minimum
// capacity was set to 15" ([AAS-UG:scheduled-scaling-additional-cli-commands]).
func (a *AppScaling) clampToRange(t *target, minSet, maxSet bool) {
	desired, _, err := a.capacity(t)
	if err != nil {
		return
	}
	switch {
	case desired < t.min:
		a.setDesired(t, desired, t.min, fmt.Sprintf("minimum capacity was set to %d", t.min), "")
	case desired > t.max:
		a.setDesired(t, desired, t.max, fmt.Sprintf("maximum capacity was set to %d", t.max), "")
	}
}

func suspendedText(t *target) string {
	var s []string
	if aws.ToBool(t.suspended.DynamicScalingInSuspended) {
		s = append(s, "dynamic scale-in")
	}
	if aws.ToBool(t.suspended.DynamicScalingOutSuspended) {
		s = append(s, "dynamic scale-out")
	}
	if aws.ToBool(t.suspended.ScheduledScalingSuspended) {
		s = append(s, "scheduled scaling")
	}
	if len(s) == 0 {
		return ""
	}
	return "; suspended: " + strings.Join(s, ", ")
}

// DeregisterScalableTarget deletes a scalable target with its scaling
// policies (and the alarms of its target tracking policies) and its
// scheduled actions [AAS-API:DeregisterScalableTarget].
func (a *AppScaling) DeregisterScalableTarget(in *DeregisterScalableTargetRequest) (*DeregisterScalableTargetResponse, error) {
	if in == nil {
		in = &DeregisterScalableTargetRequest{}
	}
	ns, rid, dim := aws.ToString(in.ServiceNamespace), aws.ToString(in.ResourceId), aws.ToString(in.ScalableDimension)
	if err := checkTriple(ns, rid, dim); err != nil {
		return nil, err
	}
	t := a.targets[targetKey(ns, rid, dim)]
	if t == nil {
		// The wording emulators and a comparison against AWS record
		// (floci lab "Application Auto Scaling in .NET"); text not verified
		// against AWS directly.
		return nil, notFound("No scalable target found for service namespace: %s, resource ID: %s, scalable dimension: %s", ns, rid, dim)
	}
	for _, name := range sortedKeys(t.policies) {
		a.removePolicy(t, t.policies[name])
	}
	for _, name := range sortedKeys(t.scheduled) {
		a.removeScheduled(t, t.scheduled[name])
	}
	delete(a.targets, t.key())
	a.record("ScalableTargetDeregistered", rid, "scalable target "+rid+" deregistered")
	return &DeregisterScalableTargetResponse{}, nil
}

// DescribeScalableTargets lists the targets of a namespace, optionally only
// some resource IDs and one dimension.
func (a *AppScaling) DescribeScalableTargets(in *DescribeScalableTargetsRequest) (*DescribeScalableTargetsResponse, error) {
	if in == nil {
		in = &DescribeScalableTargetsRequest{}
	}
	ns := aws.ToString(in.ServiceNamespace)
	if !oneOf(ns, allNamespaces) {
		return nil, enumError("serviceNamespace", ns, allNamespaces)
	}
	if in.ScalableDimension != nil && !oneOf(*in.ScalableDimension, allDimensions) {
		return nil, enumError("scalableDimension", *in.ScalableDimension, allDimensions)
	}
	if len(in.ResourceIds) > 50 {
		// The limit is the model's (ResourceIdsMaxLen1600 max 50); the
		// wording is AWS's standard one, text not verified.
		return nil, validation("1 validation error detected: Value at 'resourceIds' failed to satisfy constraint: Member must have length less than or equal to 50")
	}
	var keys []string
	byKey := map[string]*target{}
	for _, t := range a.sortedTargets() {
		if t.namespace != ns || (in.ScalableDimension != nil && t.dimension != *in.ScalableDimension) {
			continue
		}
		if len(in.ResourceIds) > 0 && !oneOf(t.resourceID, in.ResourceIds) {
			continue
		}
		keys = append(keys, t.key())
		byKey[t.key()] = t
	}
	page, next, err := paginate("DescribeScalableTargets", keys, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &DescribeScalableTargetsResponse{ScalableTargets: []ScalableTarget{}, NextToken: next}
	for _, k := range page {
		out.ScalableTargets = append(out.ScalableTargets, byKey[k].describe())
	}
	return out, nil
}

func (t *target) describe() ScalableTarget {
	return ScalableTarget{
		ServiceNamespace:  aws.String(t.namespace),
		ResourceId:        aws.String(t.resourceID),
		ScalableDimension: aws.String(t.dimension),
		MinCapacity:       aws.Int(t.min),
		MaxCapacity:       aws.Int(t.max),
		RoleARN:           aws.String(t.roleARN),
		CreationTime:      aws.NewTime(t.created),
		// Every flag shows, false by default, as in examples-1.json.
		SuspendedState: &SuspendedState{
			DynamicScalingInSuspended:  aws.Bool(aws.ToBool(t.suspended.DynamicScalingInSuspended)),
			DynamicScalingOutSuspended: aws.Bool(aws.ToBool(t.suspended.DynamicScalingOutSuspended)),
			ScheduledScalingSuspended:  aws.Bool(aws.ToBool(t.suspended.ScheduledScalingSuspended)),
		},
		ScalableTargetARN: aws.String(t.arn),
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
