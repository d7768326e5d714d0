// Package autoscaling simulates Amazon EC2 Auto Scaling: groups that keep a
// desired number of EC2 instances launched from a launch template, balanced
// across Availability Zones, replaced when they die, removed by termination
// policy and scale-in protection, rolled by instance refreshes, and scaled
// by target tracking, step and simple scaling policies — all on the
// simulation's clock, each change recorded as a scaling activity with AWS's
// texts and on the timeline.
//
// Each exported method named after an API action takes that action's input
// shape (types_gen.go, generated from the botocore model, which uses the
// query protocol's names: CreateAutoScalingGroupType, ...) and returns its
// output shape, or an *awserr.Error with EC2 Auto Scaling's code and
// message. Behaviour follows sections 2 and 9.4 of
// ../shared/reference/ecs-behavior.md; [ASG-UG:page] is the Amazon EC2 Auto
// Scaling User Guide, [ASG-API:Shape] its API reference. Texts that no
// source confirms are marked "text not verified" beside them.
//
// Resources and where they live:
//
//	group.go        CreateAutoScalingGroup, UpdateAutoScalingGroup,
//	                DeleteAutoScalingGroup and their validation
//	describe.go     DescribeAutoScalingGroups, DescribeAutoScalingInstances
//	capacity.go     the loop that launches and terminates instances to meet
//	                the desired capacity; SetDesiredCapacity,
//	                SetInstanceProtection, TerminateInstanceInAutoScalingGroup
//	lifecycle.go    instances following EC2 (Pending → InService, unexpected
//	                terminations and their replacement)
//	termination.go  termination policies and AZ balance (pure, table-tested)
//	activity.go     scaling activities, their Cause texts,
//	                DescribeScalingActivities
//	policy.go       PutScalingPolicy, DescribePolicies, DeletePolicy and
//	                PutTargetTrackingPolicy (ECS managed scaling)
//	alarmfired.go   AlarmFired and ExecutePolicy: target tracking with
//	                warm-up, step scaling, simple scaling with cooldowns
//	refresh.go      StartInstanceRefresh, DescribeInstanceRefreshes,
//	                CancelInstanceRefresh: rolling replacement
//	processes.go    SuspendProcesses, ResumeProcesses
//	explain.go      Group, SetDesired, SetProtection, Explain: the Go API of
//	                ECS managed scaling
//	pagination.go   MaxRecords and NextToken
//
// How the pieces meet: instances are launched through ec2.LaunchInstance
// from ec2.ResolveLaunchTemplate and followed through ec2.OnStateChange;
// target tracking policies create their alarms through AlarmService
// (CloudWatch, behind a small interface so the packages do not import each
// other); CloudWatch calls AlarmFired each evaluation period while an alarm
// whose action is a policy ARN is in ALARM. runtime/cloud.go wires them.
package autoscaling

import (
	"sort"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// AWS defaults and ecsbox's timing choices.
const (
	// DefaultCooldown applies to simple scaling policies only
	// (reference 9.4, [ASG-UG:ec2-auto-scaling-scaling-cooldowns]).
	DefaultCooldown = 300 * time.Second
	// DefaultWarmup is the instance warm-up of a target tracking or step
	// policy when neither the policy (EstimatedInstanceWarmup) nor the
	// group (DefaultInstanceWarmup) sets one: 300 s (reference 15.2,
	// instanceWarmupPeriod; [ASG-UG:ec2-auto-scaling-default-instance-warmup]
	// says the policies then fall back to 300 s as well).
	DefaultWarmup = 300 * time.Second
	// reconcileDelay is how long after a capacity change the group acts on
	// it. AWS shows a few seconds between the two timestamps of a Cause
	// (4 to 16 s in the examples-1.json and user reports); ecsbox takes 10 s.
	reconcileDelay = 10 * time.Second
	// launchRetryMin and launchRetryMax bound the back-off after a failed
	// launch (ecsbox's choice; AWS retries with an undocumented back-off).
	launchRetryMin = 10 * time.Second
	launchRetryMax = 10 * time.Minute
)

// AlarmService is what Auto Scaling needs of CloudWatch: creating and
// deleting the metric alarms of target tracking policies.
type AlarmService interface {
	// PutAlarm creates or replaces a metric alarm and returns its ARN.
	PutAlarm(spec AlarmSpec) (arn string, err error)
	// DeleteAlarm deletes an alarm; deleting one that does not exist is
	// not an error.
	DeleteAlarm(name string) error
}

// AlarmLookup is optionally implemented by the AlarmService: step scaling
// chooses its step by the distance between the metric and the threshold of
// the alarm that fired [ASG-API:StepAdjustment], which only CloudWatch
// knows. Without it, step policies use their alarm's breach as 0 above the
// threshold (documented in Explain).
type AlarmLookup interface {
	Alarm(name string) (AlarmSpec, bool)
}

// AlarmSpec is a CloudWatch metric alarm, in the terms of PutMetricAlarm.
type AlarmSpec struct {
	Name, Namespace, MetricName, Statistic string
	// Dimensions are name/value pairs.
	Dimensions        [][2]string
	Period            time.Duration
	EvaluationPeriods int
	DatapointsToAlarm int
	Threshold         float64
	// Comparison is a ComparisonOperator: GreaterThanThreshold, ...
	Comparison       string
	TreatMissingData string
	AlarmActions     []string
	Unit             string
}

// Config configures the service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
	// EC2 launches and terminates the instances. Required.
	EC2 *ec2.EC2
	// Alarms is CloudWatch. Without it, target tracking policies still
	// name their alarms (as AWS would) but nothing fires them.
	Alarms AlarmService
}

// AutoScaling is the simulated EC2 Auto Scaling of one account and region.
type AutoScaling struct {
	sim    *sim.Sim
	id     aws.Identity
	ec2    *ec2.EC2
	alarms AlarmService

	groups map[string]*group
	// byInstance finds the group of an instance, while it is a member.
	byInstance  map[string]*group
	policyByARN map[string]*policy
	// activities holds every scaling activity, oldest first, of live and
	// deleted groups.
	activities []*activity
	// decisions holds each group's explanation lines; they outlive the
	// group.
	decisions map[string][]decision
	seq       int
}

// New returns an Auto Scaling service with no groups. It registers with
// EC2's state changes, so that group members follow their instances.
func New(cfg Config) *AutoScaling {
	if cfg.Sim == nil {
		cfg.Sim = sim.New(sim.Config{})
	}
	if cfg.Identity.AccountID == "" {
		cfg.Identity = aws.DefaultIdentity()
	}
	if cfg.EC2 == nil {
		cfg.EC2 = ec2.New(ec2.Config{Sim: cfg.Sim, Identity: cfg.Identity})
	}
	a := &AutoScaling{
		sim:         cfg.Sim,
		id:          cfg.Identity,
		ec2:         cfg.EC2,
		alarms:      cfg.Alarms,
		groups:      map[string]*group{},
		byInstance:  map[string]*group{},
		policyByARN: map[string]*policy{},
		decisions:   map[string][]decision{},
	}
	a.ec2.OnStateChange(a.instanceChanged)
	return a
}

func (a *AutoScaling) now() time.Time { return a.sim.Now() }

// timelineService is the service name of this package's timeline events.
const timelineService = "autoscaling"

func (a *AutoScaling) record(kind, resource, message string) {
	a.sim.Record(timelineService, kind, resource, message)
}

// stamp formats a time as the Cause texts do: 2013-08-19T20:53:25Z.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

// sortedGroups returns the groups by name, the order of the Describe
// operations (AWS lists groups alphabetically).
func (a *AutoScaling) sortedGroups() []*group {
	out := make([]*group, 0, len(a.groups))
	for _, g := range a.groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func clamp(n, lo, hi int) int { return max(lo, min(hi, n)) }
