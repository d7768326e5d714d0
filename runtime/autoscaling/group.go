package autoscaling

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// group is an Auto Scaling group.
type group struct {
	name, arn string
	created   time.Time
	min, max  int
	desired   int
	lt        ltRef
	// vpcZoneIdentifier is as the user gave it; subnets is its parsed
	// form, or the default subnets of AvailabilityZones.
	vpcZoneIdentifier string
	subnets           []ec2.SubnetInfo
	defaultCooldown   time.Duration
	defaultWarmup     *int
	healthCheckType   string
	gracePeriod       int
	newProtected      bool
	terminationPolicy []string
	tags              map[string]tag
	capacityRebalance bool
	maxLifetime       *int
	suspended         map[string]string // process → reason
	policies          map[string]*policy
	refreshes         []*refresh // oldest first
	hooks             []terminationHook
	deleting          bool

	members []*member // in launch order

	// The capacity loop (capacity.go).
	timer          *sim.Timer
	timerAt        time.Time
	pendingCause   string // Cause texts of desired changes not yet acted on
	launchReason   launchReason
	launchFailures int
	stuckProtected bool // the "all remaining instances are protected" activity is shown
	cooldownUntil  time.Time
}

// ltRef is a group's launch template reference: the template (kept by ID,
// as resolved when it was set, with its name for display) and the version
// as the user gave it ($Default, $Latest or a number).
type ltRef struct {
	id, name, version string
}

func (r ltRef) spec() *LaunchTemplateSpecification {
	return &LaunchTemplateSpecification{LaunchTemplateId: aws.String(r.id), LaunchTemplateName: aws.String(r.name), Version: aws.String(r.version)}
}

type tag struct {
	value     string
	propagate bool
}

// member is an instance of a group.
type member struct {
	seq       int
	id        string
	az        string
	subnet    string
	typ       string
	imageID   string
	lt        ltRef // version is the resolved number
	launched  time.Time
	inService time.Time
	state     string // a LifecycleState
	health    string // Healthy or Unhealthy
	protected bool
	launchAct *activity
	termAct   *activity
}

// counts reports whether the member counts toward the group's capacity:
// Pending and InService do, Terminating does not.
func (m *member) counts() bool {
	return m.state == LifecycleStatePending || m.state == LifecycleStateInService
}

func (g *group) active() []*member {
	var out []*member
	for _, m := range g.members {
		if m.counts() {
			out = append(out, m)
		}
	}
	return out
}

func (g *group) member(id string) *member {
	for _, m := range g.members {
		if m.id == id {
			return m
		}
	}
	return nil
}

// zones returns the group's Availability Zones, sorted.
func (g *group) zones() []string {
	var out []string
	for _, s := range g.subnets {
		if !slices.Contains(out, s.AZ) {
			out = append(out, s.AZ)
		}
	}
	slices.Sort(out)
	return out
}

// subnetIn returns the first of the group's subnets in an AZ.
func (g *group) subnetIn(az string) string {
	for _, s := range g.subnets {
		if s.AZ == az {
			return s.ID
		}
	}
	return ""
}

// Termination policies [ASG-UG:ec2-auto-scaling-termination-policies].
var terminationPolicies = []string{"Default", "AllocationStrategy", "OldestLaunchTemplate", "OldestLaunchConfiguration",
	"ClosestToNextInstanceHour", "NewestInstance", "OldestInstance"}

// Health check types [ASG-API:CreateAutoScalingGroup]: "Valid values: EC2 |
// EBS | ELB | VPC_LATTICE".
var healthCheckTypes = []string{"EC2", "EBS", "ELB", "VPC_LATTICE"}

// checkBounds applies min ≤ desired ≤ max with AWS's refusals: "Max bound,
// 3, must be greater than or equal to min bound, 5" (UpdateAutoScalingGroup,
// quoted in public code) and "Desired capacity:2 must be between the
// specified min size:4 and max size:10" (convox/praxis#258,
// banzaicloud/pipeline#3017).
func checkBounds(minSize, maxSize, desired int) error {
	if maxSize < minSize {
		return validation("Max bound, %d, must be greater than or equal to min bound, %d", maxSize, minSize)
	}
	if desired < minSize || desired > maxSize {
		return validation("Desired capacity:%d must be between the specified min size:%d and max size:%d", desired, minSize, maxSize)
	}
	return nil
}

// checkTemplate checks a LaunchTemplateSpecification and resolves it.
// "Valid requests must contain either launchTemplateId or
// LaunchTemplateName" refuses both or neither (the both case is quoted by
// hashicorp/terraform-provider-aws; neither: same text, not verified). A
// template EC2 refuses is reported as "You must use a valid fully-formed
// launch template. " followed by EC2's message (the prefix is verified,
// ryanmurakami/hbfl#58).
func (a *AutoScaling) checkTemplate(spec *LaunchTemplateSpecification) (ltRef, ec2.LaunchSpec, error) {
	id, name := aws.ToString(spec.LaunchTemplateId), aws.ToString(spec.LaunchTemplateName)
	if (id == "") == (name == "") {
		return ltRef{}, ec2.LaunchSpec{}, validation("Valid requests must contain either launchTemplateId or LaunchTemplateName")
	}
	ref := ltRef{id: id, name: name, version: aws.ToString(spec.Version)}
	if ref.version == "" {
		ref.version = "$Default" // [ASG-API:LaunchTemplateSpecification]
	}
	key := id
	if key == "" {
		key = name
	}
	ls, _, err := a.ec2.ResolveLaunchTemplate(key, ref.version)
	if err != nil {
		return ltRef{}, ec2.LaunchSpec{}, validation("You must use a valid fully-formed launch template. %s", message(err))
	}
	info, _ := a.ec2.LaunchTemplate(key)
	ref.id, ref.name = info.ID, info.Name
	if err := a.checkLaunchable(ls); err != nil {
		return ltRef{}, ec2.LaunchSpec{}, err
	}
	return ref, ls, nil
}

// checkLaunchable refuses a template whose AMI or instance type does not
// exist (text: the prefix above and EC2's message).
func (a *AutoScaling) checkLaunchable(ls ec2.LaunchSpec) error {
	if ls.ImageID == "" {
		// text not verified
		return validation("You must use a valid fully-formed launch template. The request must contain the parameter ImageId")
	}
	if _, ok := a.ec2.Image(ls.ImageID); !ok {
		return validation("You must use a valid fully-formed launch template. The image id '[%s]' does not exist", ls.ImageID)
	}
	if ls.InstanceType != "" {
		if _, ok := a.ec2.InstanceType(ls.InstanceType); !ok {
			return validation("You must use a valid fully-formed launch template. Invalid value '%s' for InstanceType.", ls.InstanceType)
		}
	}
	return nil
}

// checkPlacement parses VPCZoneIdentifier ("subnet-1,subnet-2", spaces
// allowed, examples-1.json) or, without it, AvailabilityZones (the default
// subnet of each).
func (a *AutoScaling) checkPlacement(vpcZoneIdentifier *string, zones []string) ([]ec2.SubnetInfo, error) {
	var out []ec2.SubnetInfo
	if ids := strings.TrimSpace(aws.ToString(vpcZoneIdentifier)); ids != "" {
		for _, id := range strings.Split(ids, ",") {
			id = strings.TrimSpace(id)
			s, ok := a.ec2.Subnet(id)
			if !ok {
				// text not verified
				return nil, validation("The subnet ID '%s' does not exist", id)
			}
			out = append(out, s)
		}
		return out, nil
	}
	for _, az := range zones {
		found := false
		for _, s := range a.ec2.DefaultSubnets() {
			if s.AZ == az {
				out, found = append(out, s), true
				break
			}
		}
		if !found {
			// text not verified
			return nil, validation("Invalid Availability Zone: %s", az)
		}
	}
	if len(out) == 0 {
		// text not verified
		return nil, validation("At least one Availability Zone or VPC Subnet is required.")
	}
	return out, nil
}

func checkTerminationPolicies(ps []string) error {
	for _, p := range ps {
		if strings.HasPrefix(p, "arn:aws:lambda:") {
			return awserr.New(awserr.NotSimulated, "ecsbox does not simulate custom termination policies (Lambda functions) yet")
		}
		if !slices.Contains(terminationPolicies, p) {
			// text not verified
			return validation("Invalid termination policy: %s", p)
		}
	}
	return nil
}

func checkHealthCheckType(t *string) error {
	for _, part := range strings.Split(aws.ToString(t), ",") {
		if part = strings.TrimSpace(part); part != "" && !slices.Contains(healthCheckTypes, part) {
			// text not verified
			return validation("Invalid value '%s' for HealthCheckType", part)
		}
	}
	return nil
}

// CreateAutoScalingGroup creates a group and starts launching its desired
// capacity (MinSize when DesiredCapacity is absent [ASG-API:CreateAutoScalingGroup]).
// MixedInstancesPolicy, launch configurations and InstanceId are not
// simulated: ecsbox has launch templates only.
func (a *AutoScaling) CreateAutoScalingGroup(in *CreateAutoScalingGroupType) (*struct{}, error) {
	if in == nil {
		in = &CreateAutoScalingGroupType{}
	}
	name := aws.ToString(in.AutoScalingGroupName)
	if _, exists := a.groups[name]; exists {
		// verified: hashicorp/terraform#17489
		return nil, awserr.Newf(AlreadyExists, "AutoScalingGroup by this name already exists - A group with the name %s already exists", name)
	}
	switch {
	case in.MixedInstancesPolicy != nil:
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate MixedInstancesPolicy yet; use LaunchTemplate")
	case in.InstanceId != nil:
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate creating a group from InstanceId yet; use LaunchTemplate")
	case in.LaunchConfigurationName != nil:
		// ecsbox has no launch configurations, so every name is unknown.
		// text not verified
		return nil, validation("Launch configuration name not found - Launch configuration %s not found", *in.LaunchConfigurationName)
	case in.LaunchTemplate == nil:
		// text not verified (the form other emulators quote)
		return nil, validation("Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.")
	}
	ref, _, err := a.checkTemplate(in.LaunchTemplate)
	if err != nil {
		return nil, err
	}
	minSize, maxSize := aws.ToInt(in.MinSize), aws.ToInt(in.MaxSize)
	desired := minSize
	if in.DesiredCapacity != nil {
		desired = *in.DesiredCapacity
	}
	if err := checkBounds(minSize, maxSize, desired); err != nil {
		return nil, err
	}
	subnets, err := a.checkPlacement(in.VPCZoneIdentifier, in.AvailabilityZones)
	if err != nil {
		return nil, err
	}
	if err := checkTerminationPolicies(in.TerminationPolicies); err != nil {
		return nil, err
	}
	if err := checkHealthCheckType(in.HealthCheckType); err != nil {
		return nil, err
	}
	g := &group{
		name:              name,
		arn:               awserr.MakeARN("autoscaling", a.id.Region, a.id.AccountID, "autoScalingGroup:"+a.sim.UUID()+":autoScalingGroupName/"+name),
		created:           a.now(),
		min:               minSize,
		max:               maxSize,
		lt:                ref,
		vpcZoneIdentifier: aws.ToString(in.VPCZoneIdentifier),
		subnets:           subnets,
		defaultCooldown:   DefaultCooldown,
		defaultWarmup:     in.DefaultInstanceWarmup,
		healthCheckType:   "EC2",
		newProtected:      aws.ToBool(in.NewInstancesProtectedFromScaleIn),
		terminationPolicy: []string{"Default"},
		tags:              map[string]tag{},
		capacityRebalance: aws.ToBool(in.CapacityRebalance),
		maxLifetime:       in.MaxInstanceLifetime,
		suspended:         map[string]string{},
		policies:          map[string]*policy{},
	}
	if in.DefaultCooldown != nil {
		g.defaultCooldown = time.Duration(*in.DefaultCooldown) * time.Second
	}
	if t := aws.ToString(in.HealthCheckType); t != "" {
		g.healthCheckType = t
	}
	g.gracePeriod = aws.ToInt(in.HealthCheckGracePeriod)
	if len(in.TerminationPolicies) > 0 {
		g.terminationPolicy = slices.Clone(in.TerminationPolicies)
	}
	for _, t := range in.Tags {
		g.tags[aws.ToString(t.Key)] = tag{value: aws.ToString(t.Value), propagate: aws.ToBool(t.PropagateAtLaunch)}
	}
	a.groups[name] = g
	a.record("GroupCreated", name, fmt.Sprintf("Auto Scaling group %s created: min %d, max %d, desired %d, launch template %s (%s), AZs %s",
		name, minSize, maxSize, desired, ref.name, ref.version, strings.Join(g.zones(), ", ")))
	a.explain(name, fmt.Sprintf("group created: min %d, max %d, desired %d", minSize, maxSize, desired))
	if desired > 0 {
		a.changeDesired(g, desired, fmt.Sprintf("At %s a user request created an AutoScalingGroup changing the desired capacity from 0 to %d.", stamp(a.now()), desired))
	}
	return nil, nil
}

// UpdateAutoScalingGroup changes a group's settings. A new MinSize above
// the desired capacity raises it, a new MaxSize below lowers it, when
// DesiredCapacity is not given [ASG-API:UpdateAutoScalingGroup]. A new
// launch template or version applies to instances launched from now on;
// running instances keep theirs until an instance refresh (reference 9.4).
func (a *AutoScaling) UpdateAutoScalingGroup(in *UpdateAutoScalingGroupType) (*struct{}, error) {
	if in == nil {
		in = &UpdateAutoScalingGroupType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if in.MixedInstancesPolicy != nil {
		return nil, awserr.New(awserr.NotSimulated, "ecsbox does not simulate MixedInstancesPolicy yet; use LaunchTemplate")
	}
	if in.LaunchConfigurationName != nil {
		// text not verified
		return nil, validation("Launch configuration name not found - Launch configuration %s not found", *in.LaunchConfigurationName)
	}
	ref := g.lt
	if in.LaunchTemplate != nil {
		if ref, _, err = a.checkTemplate(in.LaunchTemplate); err != nil {
			return nil, err
		}
	}
	minSize, maxSize, desired := g.min, g.max, g.desired
	if in.MinSize != nil {
		minSize = *in.MinSize
	}
	if in.MaxSize != nil {
		maxSize = *in.MaxSize
	}
	if in.DesiredCapacity != nil {
		desired = *in.DesiredCapacity
	} else {
		desired = clamp(desired, minSize, max(minSize, maxSize))
	}
	if err := checkBounds(minSize, maxSize, desired); err != nil {
		return nil, err
	}
	subnets := g.subnets
	if in.VPCZoneIdentifier != nil || len(in.AvailabilityZones) > 0 {
		if subnets, err = a.checkPlacement(in.VPCZoneIdentifier, in.AvailabilityZones); err != nil {
			return nil, err
		}
	}
	if err := checkTerminationPolicies(in.TerminationPolicies); err != nil {
		return nil, err
	}
	if err := checkHealthCheckType(in.HealthCheckType); err != nil {
		return nil, err
	}
	if ref != g.lt {
		a.record("GroupUpdated", g.name, fmt.Sprintf("%s: launch template %s (%s) → %s (%s); running instances keep theirs until an instance refresh",
			g.name, g.lt.name, g.lt.version, ref.name, ref.version))
		g.lt = ref
	}
	g.subnets = subnets
	if in.VPCZoneIdentifier != nil {
		g.vpcZoneIdentifier = *in.VPCZoneIdentifier
	}
	if in.DefaultCooldown != nil {
		g.defaultCooldown = time.Duration(*in.DefaultCooldown) * time.Second
	}
	if in.DefaultInstanceWarmup != nil {
		g.defaultWarmup = in.DefaultInstanceWarmup
	}
	if in.HealthCheckType != nil {
		g.healthCheckType = *in.HealthCheckType
	}
	if in.HealthCheckGracePeriod != nil {
		g.gracePeriod = *in.HealthCheckGracePeriod
	}
	if in.NewInstancesProtectedFromScaleIn != nil {
		g.newProtected = *in.NewInstancesProtectedFromScaleIn
	}
	if len(in.TerminationPolicies) > 0 {
		g.terminationPolicy = slices.Clone(in.TerminationPolicies)
	}
	if in.CapacityRebalance != nil {
		g.capacityRebalance = *in.CapacityRebalance
	}
	if in.MaxInstanceLifetime != nil {
		g.maxLifetime = in.MaxInstanceLifetime
	}
	g.min, g.max = minSize, maxSize
	if desired != g.desired {
		// The form of examples in the course notes and user reports: "At
		// ... a user request update of AutoScalingGroup constraints to min:
		// 2, max: 50, desired: 8 changing the desired capacity from 6 to 8."
		a.changeDesired(g, desired, fmt.Sprintf("At %s a user request update of AutoScalingGroup constraints to min: %d, max: %d, desired: %d changing the desired capacity from %d to %d.",
			stamp(a.now()), minSize, maxSize, desired, g.desired, desired))
	} else {
		a.explain(g.name, fmt.Sprintf("group updated: min %d, max %d, desired %d (unchanged)", minSize, maxSize, desired))
		a.schedule(g, reconcileDelay)
	}
	return nil, nil
}

// DeleteAutoScalingGroup deletes a group. Without ForceDelete the group
// must be empty and idle: "You cannot delete an AutoScalingGroup while there
// are scaling activities in progress for that group."
// (cloud-custodian/cloud-custodian#1689) and "You cannot delete an
// AutoScalingGroup while there are instances or pending Spot instance
// request(s) still in the group." (ansible/ansible#8503). With ForceDelete
// its instances are terminated and the group goes when they are gone
// (Status "Delete in progress" meanwhile). Its policies and their alarms
// are deleted with it.
func (a *AutoScaling) DeleteAutoScalingGroup(in *DeleteAutoScalingGroupType) (*struct{}, error) {
	if in == nil {
		in = &DeleteAutoScalingGroupType{}
	}
	g, err := a.group(in.AutoScalingGroupName)
	if err != nil {
		return nil, err
	}
	if !aws.ToBool(in.ForceDelete) && len(g.members) > 0 {
		for _, m := range g.members {
			if m.state != LifecycleStateInService {
				return nil, awserr.New(ScalingActivityInProgress, "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.")
			}
		}
		return nil, awserr.New(ResourceInUse, "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.")
	}
	for _, name := range sortedKeys(g.policies) {
		a.deletePolicy(g.policies[name])
	}
	for _, r := range g.refreshes {
		if r.active() {
			r.finish(a, InstanceRefreshStatusCancelled, "The instance refresh was cancelled because the group was deleted.")
		}
	}
	if g.timer != nil {
		g.timer.Stop()
		g.timer = nil
	}
	g.deleting = true
	g.desired, g.min, g.max = 0, 0, 0
	for _, m := range g.members {
		if m.counts() {
			// text not verified
			a.terminate(g, m, fmt.Sprintf("At %s a user request deleted the AutoScalingGroup.  At %s instance %s was selected for termination.",
				stamp(a.now()), stamp(a.now()), m.id))
		}
	}
	a.record("GroupDeleting", g.name, fmt.Sprintf("Auto Scaling group %s is being deleted (%d instances to terminate)", g.name, len(g.members)))
	a.removeIfDone(g)
	return nil, nil
}

// removeIfDone forgets a deleted group once its last instance is gone.
func (a *AutoScaling) removeIfDone(g *group) {
	if !g.deleting || len(g.members) > 0 {
		return
	}
	if a.groups[g.name] == g {
		delete(a.groups, g.name)
		a.record("GroupDeleted", g.name, "Auto Scaling group "+g.name+" deleted")
		a.explain(g.name, "group deleted")
	}
}
