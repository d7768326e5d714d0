package ecs

import (
	"regexp"
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Capacity providers [DG:cluster-capacity-providers], reference 1: FARGATE
// and FARGATE_SPOT exist in every account; Auto Scaling group providers are
// created by the user and hold one group with its managed scaling, managed
// termination protection and managed draining settings.

// Capacity provider statuses [API:CapacityProviderStatus].
const (
	providerActive   = "ACTIVE"
	providerInactive = "INACTIVE"
)

// Managed scaling defaults [API:ManagedScaling], reference 2.1.
const (
	defaultTargetCapacity = 100
	defaultMinStep        = 1
	defaultMaxStep        = 10000
	defaultWarmupSeconds  = 300
)

// providerNamePattern: up to 255 letters, digits, underscores and hyphens,
// not starting with aws, ecs or fargate (reference 1.1).
var providerNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// capacityProvider is one capacity provider.
type capacityProvider struct {
	name, arn    string
	status       string
	updateStatus string
	fargate      bool // FARGATE or FARGATE_SPOT
	spot         bool // FARGATE_SPOT
	tags         []Tag

	// Auto Scaling group providers.
	asgName, asgARN       string
	scaling               ManagedScaling // with defaults filled in
	terminationProtection string
	draining              string
	// cluster is the cluster the provider is associated with, and
	// policyARN the target tracking policy managed scaling put on the group.
	cluster   *cluster
	policyARN string
	cas       casState

	// available: Fargate capacity can be taken away (sim.set_fargate_capacity).
	available bool
}

func (cp *capacityProvider) managedScaling() bool {
	return !cp.fargate && deref(cp.scaling.Status) == ManagedScalingStatusENABLED
}

// newBuiltinProviders makes FARGATE and FARGATE_SPOT.
func (e *ECS) newBuiltinProviders() {
	for _, name := range []string{"FARGATE", "FARGATE_SPOT"} {
		e.providers[name] = &capacityProvider{
			name: name, arn: e.arn("capacity-provider/" + name), status: providerActive,
			fargate: true, spot: name == "FARGATE_SPOT", available: true,
		}
	}
}

// providerByName finds a capacity provider of the cluster's account.
func (c *cluster) providerByName(name string) *capacityProvider { return c.ecs.providers[name] }

// knownCapacityProvider reports whether an ACTIVE provider has that name.
func (e *ECS) knownCapacityProvider(name string) bool {
	cp, ok := e.providers[name]
	return ok && cp.status == providerActive
}

// SetAutoScaling gives ECS the account's EC2 Auto Scaling, which Auto
// Scaling group capacity providers and managed scaling act on.
func (e *ECS) SetAutoScaling(a *autoscaling.AutoScaling) { e.asg = a }

// CreateCapacityProvider creates an Auto Scaling group capacity provider
// [API:CreateCapacityProvider].
func (e *ECS) CreateCapacityProvider(in *CreateCapacityProviderRequest) (*CreateCapacityProviderResponse, error) {
	if in == nil {
		in = &CreateCapacityProviderRequest{}
	}
	name := deref(in.Name)
	lower := strings.ToLower(name)
	if !providerNamePattern.MatchString(name) || strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ecs") || strings.HasPrefix(lower, "fargate") {
		// reference 1.1 (https://github.com/aws-samples/aws-cdk-examples/issues/628)
		return nil, invalidParam(`The specified capacity provider name is invalid. Up to 255 characters are allowed, including letters (upper and lowercase), numbers, underscores, and hyphens. The name cannot be prefixed with "aws", "ecs", or "fargate".`)
	}
	if cp, ok := e.providers[name]; ok && cp.status == providerActive {
		// text not verified
		return nil, invalidParam("The specified capacity provider already exists. To change the configuration of an existing capacity provider, update the capacity provider.")
	}
	if in.ManagedInstancesProvider != nil {
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate ECS Managed Instances capacity providers yet")
	}
	p := in.AutoScalingGroupProvider
	if p == nil {
		// text not verified
		return nil, invalidParam("An Auto Scaling group provider must be specified.")
	}
	if e.asg == nil {
		return nil, awserr.New(awserr.NotSimulated, "this account has no EC2 Auto Scaling")
	}
	group := deref(p.AutoScalingGroupArn)
	if i := strings.LastIndex(group, "autoScalingGroupName/"); i >= 0 {
		group = group[i+len("autoScalingGroupName/"):]
	}
	info, ok := e.asg.Group(group)
	if !ok {
		// text not verified
		return nil, invalidParam("The specified Auto Scaling group ARN is invalid: %s", deref(p.AutoScalingGroupArn))
	}
	for _, other := range e.providers {
		if other.status == providerActive && other.asgName == info.Name {
			// text not verified
			return nil, invalidParam("The specified Auto Scaling group is already being used by another capacity provider (%s).", other.name)
		}
	}
	cp := &capacityProvider{
		name: name, arn: e.arn("capacity-provider/" + name), status: providerActive,
		asgName: info.Name, asgARN: info.ARN, tags: clone(in.Tags),
		terminationProtection: ManagedTerminationProtectionDISABLED, draining: ManagedDrainingENABLED,
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	if err := e.applyProviderSettings(cp, p.ManagedScaling, p.ManagedTerminationProtection, p.ManagedDraining); err != nil {
		return nil, err
	}
	e.providers[name] = cp
	e.sim.Recordf("ecs", "CapacityProviderCreated", cp.arn, "capacity provider %s created for Auto Scaling group %s (managed scaling %s, target %d%%)",
		name, info.Name, deref(cp.scaling.Status), aws.ToInt(cp.scaling.TargetCapacity))
	out := e.describeProvider(cp, true)
	return &CreateCapacityProviderResponse{CapacityProvider: &out}, nil
}

// applyProviderSettings validates and applies managed scaling, managed
// termination protection and managed draining.
func (e *ECS) applyProviderSettings(cp *capacityProvider, ms *ManagedScaling, protection, draining *string) error {
	if ms != nil {
		s := clone(*ms)
		if s.Status == nil {
			s.Status = aws.String(ManagedScalingStatusENABLED)
		}
		if deref(s.Status) != ManagedScalingStatusENABLED && deref(s.Status) != ManagedScalingStatusDISABLED {
			return enumError("autoScalingGroupProvider.managedScaling.status", deref(s.Status), []string{ManagedScalingStatusENABLED, ManagedScalingStatusDISABLED})
		}
		fill := func(p **int, def, lo, hi int, member string) error {
			if *p == nil {
				*p = aws.Int(def)
			}
			if v := **p; v < lo || v > hi {
				// text not verified; the ranges are [API:ManagedScaling]
				return invalidParam("The %s value must be between %d and %d.", member, lo, hi)
			}
			return nil
		}
		if err := fill(&s.TargetCapacity, defaultTargetCapacity, 1, 100, "targetCapacity"); err != nil {
			return err
		}
		if err := fill(&s.MinimumScalingStepSize, defaultMinStep, 1, 10000, "minimumScalingStepSize"); err != nil {
			return err
		}
		if err := fill(&s.MaximumScalingStepSize, defaultMaxStep, 1, 10000, "maximumScalingStepSize"); err != nil {
			return err
		}
		if err := fill(&s.InstanceWarmupPeriod, defaultWarmupSeconds, 0, 10000, "instanceWarmupPeriod"); err != nil {
			return err
		}
		if *s.MinimumScalingStepSize > *s.MaximumScalingStepSize {
			// text not verified
			return invalidParam("The minimumScalingStepSize value must be less than or equal to the maximumScalingStepSize value.")
		}
		cp.scaling = s
	} else if cp.scaling.Status == nil {
		// With no managedScaling block, managed scaling is off (ecsbox's
		// reading: the API gives no default; the console enables it).
		cp.scaling = ManagedScaling{Status: aws.String(ManagedScalingStatusDISABLED), TargetCapacity: aws.Int(defaultTargetCapacity),
			MinimumScalingStepSize: aws.Int(defaultMinStep), MaximumScalingStepSize: aws.Int(defaultMaxStep), InstanceWarmupPeriod: aws.Int(defaultWarmupSeconds)}
	}
	if protection != nil {
		cp.terminationProtection = *protection
	}
	if draining != nil {
		cp.draining = *draining
	}
	if cp.terminationProtection == ManagedTerminationProtectionENABLED {
		if !cp.managedScaling() {
			// text not verified; the rule is [API:AutoScalingGroupProvider]
			return invalidParam("The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the capacity provider must have managed scaling enabled.")
		}
		out, _ := e.asg.DescribeAutoScalingGroups(&autoscaling.AutoScalingGroupNamesType{AutoScalingGroupNames: []string{cp.asgName}})
		if out == nil || len(out.AutoScalingGroups) == 0 || !aws.ToBool(out.AutoScalingGroups[0].NewInstancesProtectedFromScaleIn) {
			// The text users report (e.g. https://github.com/aws/containers-roadmap/issues/632).
			return invalidParam("The managed termination protection setting for the capacity provider is invalid. To enable managed termination protection for a capacity provider, the Auto Scaling group must have instance protection from scale in enabled.")
		}
	}
	return nil
}

// UpdateCapacityProvider changes an Auto Scaling group provider's settings
// [API:UpdateCapacityProvider].
func (e *ECS) UpdateCapacityProvider(in *UpdateCapacityProviderRequest) (*UpdateCapacityProviderResponse, error) {
	if in == nil {
		in = &UpdateCapacityProviderRequest{}
	}
	cp, err := e.userProvider(deref(in.Name))
	if err != nil {
		return nil, err
	}
	if p := in.AutoScalingGroupProvider; p != nil {
		if err := e.applyProviderSettings(cp, p.ManagedScaling, p.ManagedTerminationProtection, p.ManagedDraining); err != nil {
			return nil, err
		}
	}
	cp.updateStatus = CapacityProviderUpdateStatusUPDATECOMPLETE
	if cp.cluster != nil {
		e.manageScaling(cp)
	}
	out := e.describeProvider(cp, true)
	return &UpdateCapacityProviderResponse{CapacityProvider: &out}, nil
}

// userProvider finds an ACTIVE Auto Scaling group provider by name or ARN.
func (e *ECS) userProvider(ref string) (*capacityProvider, error) {
	name := ref[strings.LastIndexByte(ref, '/')+1:]
	cp, ok := e.providers[name]
	if !ok || cp.status != providerActive {
		// text not verified
		return nil, invalidParam("The specified capacity provider does not exist. Specify a valid name or ARN and try again.")
	}
	if cp.fargate {
		// text not verified
		return nil, invalidParam("The specified capacity provider is reserved and cannot be modified.")
	}
	return cp, nil
}

// DeleteCapacityProvider deletes an Auto Scaling group provider that no
// cluster uses [API:DeleteCapacityProvider].
func (e *ECS) DeleteCapacityProvider(in *DeleteCapacityProviderRequest) (*DeleteCapacityProviderResponse, error) {
	if in == nil {
		in = &DeleteCapacityProviderRequest{}
	}
	cp, err := e.userProvider(deref(in.CapacityProvider))
	if err != nil {
		return nil, err
	}
	if cp.cluster != nil {
		// text not verified
		return nil, awsErr("ResourceInUseException", "The specified capacity provider is in use and cannot be removed.")
	}
	cp.status = providerInactive
	cp.updateStatus = CapacityProviderUpdateStatusDELETECOMPLETE
	e.sim.Recordf("ecs", "CapacityProviderDeleted", cp.arn, "capacity provider %s deleted", cp.name)
	out := e.describeProvider(cp, true)
	return &DeleteCapacityProviderResponse{CapacityProvider: &out}, nil
}

// DescribeCapacityProviders describes providers by name or ARN, or all of
// them (FARGATE and FARGATE_SPOT first) [API:DescribeCapacityProviders].
func (e *ECS) DescribeCapacityProviders(in *DescribeCapacityProvidersRequest) (*DescribeCapacityProvidersResponse, error) {
	if in == nil {
		in = &DescribeCapacityProvidersRequest{}
	}
	withTags := false
	for _, f := range in.Include {
		if f != CapacityProviderFieldTAGS {
			return nil, enumError("include", f, []string{CapacityProviderFieldTAGS})
		}
		withTags = true
	}
	out := &DescribeCapacityProvidersResponse{CapacityProviders: []CapacityProvider{}, Failures: []Failure{}}
	if len(in.CapacityProviders) > 0 {
		for _, ref := range in.CapacityProviders {
			name := ref[strings.LastIndexByte(ref, '/')+1:]
			if cp, ok := e.providers[name]; ok {
				out.CapacityProviders = append(out.CapacityProviders, e.describeProvider(cp, withTags))
			} else {
				out.Failures = append(out.Failures, Failure{Arn: aws.String(e.arn("capacity-provider/" + name)), Reason: aws.String("MISSING")})
			}
		}
		return out, nil
	}
	names := []string{"FARGATE", "FARGATE_SPOT"}
	var user []string
	for name, cp := range e.providers {
		if !cp.fargate {
			user = append(user, name)
		}
	}
	sort.Strings(user)
	names = append(names, user...)
	page, next, err := paginate("DescribeCapacityProviders", names, in.MaxResults, in.NextToken, func(a, b string) bool {
		return indexOf(names, a) > indexOf(names, b)
	})
	if err != nil {
		return nil, err
	}
	for _, name := range page {
		out.CapacityProviders = append(out.CapacityProviders, e.describeProvider(e.providers[name], withTags))
	}
	out.NextToken = next
	return out, nil
}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

func (e *ECS) describeProvider(cp *capacityProvider, withTags bool) CapacityProvider {
	out := CapacityProvider{
		CapacityProviderArn: aws.String(cp.arn),
		Name:                aws.String(cp.name),
		Status:              aws.String(cp.status),
		Tags:                []Tag{},
	}
	if cp.fargate {
		// CapacityProviderType has FARGATE and FARGATE_SPOT [API:CapacityProvider].
		out.Type = aws.String(cp.name)
		return out
	}
	out.Type = aws.String("EC2_AUTOSCALING")
	ms := clone(cp.scaling)
	out.AutoScalingGroupProvider = &AutoScalingGroupProvider{
		AutoScalingGroupArn:          aws.String(cp.asgARN),
		ManagedScaling:               &ms,
		ManagedTerminationProtection: aws.String(cp.terminationProtection),
		ManagedDraining:              aws.String(cp.draining),
	}
	if cp.updateStatus != "" {
		out.UpdateStatus = aws.String(cp.updateStatus)
	}
	if withTags {
		out.Tags = clone(nonNil(cp.tags))
	}
	return out
}

// PutClusterCapacityProviders replaces a cluster's capacity providers and
// default strategy: providers left out are disassociated, which only
// providers no task or service uses can be [DG:fargate-capacity-providers],
// reference 1.1.
func (e *ECS) PutClusterCapacityProviders(in *PutClusterCapacityProvidersRequest) (*PutClusterCapacityProvidersResponse, error) {
	if in == nil {
		in = &PutClusterCapacityProvidersRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if err := e.validateClusterCapacityProviders(in.CapacityProviders, in.DefaultCapacityProviderStrategy); err != nil {
		return nil, err
	}
	for _, name := range in.CapacityProviders {
		if cp := e.providers[name]; cp.managedScaling() && cp.cluster != nil && cp.cluster != c {
			// With managed scaling a provider serves one cluster
			// [DG:cluster-auto-scaling]; text not verified
			return nil, invalidParam("The capacity provider %s is already associated with cluster %s. A capacity provider with managed scaling can be associated with only one cluster.", name, cp.cluster.name)
		}
	}
	for _, name := range c.capacityProviders {
		if !oneOf(name, in.CapacityProviders) && e.providerInUse(c, name) {
			// text not verified
			return nil, awsErr("ResourceInUseException", "The specified capacity provider %s is in use and cannot be removed.", name)
		}
	}
	for _, name := range c.capacityProviders {
		if cp := e.providers[name]; !oneOf(name, in.CapacityProviders) && cp.cluster == c {
			e.stopManagingScaling(cp)
			cp.cluster = nil
			e.manageDraining(cp)
		}
	}
	c.capacityProviders = clone(nonNil(in.CapacityProviders))
	c.defaultStrategy = clone(nonNil(in.DefaultCapacityProviderStrategy))
	for _, name := range c.capacityProviders {
		if cp := e.providers[name]; !cp.fargate {
			cp.cluster = c
			e.manageScaling(cp)
		}
	}
	e.sim.Recordf("ecs", "ClusterCapacityProvidersChanged", c.arn, "cluster %s capacity providers: %s", c.name, strings.Join(c.capacityProviders, ", "))
	e.reconcileCluster(c)
	return &PutClusterCapacityProvidersResponse{Cluster: e.describeCluster(c, allClusterFields)}, nil
}

// providerInUse reports whether a task or service of c uses the provider.
func (e *ECS) providerInUse(c *cluster, name string) bool {
	for _, t := range c.tasks {
		if t.active() && t.provider != nil && t.provider.name == name {
			return true
		}
	}
	for _, s := range c.services {
		if s.status == serviceInactive {
			continue
		}
		for _, item := range s.providerStrategy {
			if deref(item.CapacityProvider) == name {
				return true
			}
		}
	}
	return false
}
