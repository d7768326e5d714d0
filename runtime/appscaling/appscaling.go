// Package appscaling simulates Application Auto Scaling for Amazon ECS
// services: scalable targets, target tracking and step scaling policies,
// scheduled actions, and the scaling activities they cause, on the
// simulation's clock.
//
// Each exported method named after an API action takes that action's request
// struct (types_gen.go, generated from the botocore model) and returns its
// response struct, or an *awserr.Error with Application Auto Scaling's code
// and message. Behaviour follows section 8 of
// ../shared/reference/ecs-behavior.md ([AAS-UG:page] is the Application Auto
// Scaling User Guide, [AAS-API:Shape] its API reference, [DG:page] the ECS
// Developer Guide). Texts that no source confirms are marked
// "text not verified" beside them.
//
// Only the ecs service namespace is simulated; the other namespaces of the
// model are refused with a NotSimulated error that says so.
//
// Resources and where they live:
//
//	target.go     RegisterScalableTarget, DeregisterScalableTarget,
//	              DescribeScalableTargets
//	policy.go     PutScalingPolicy, DeleteScalingPolicy, DescribeScalingPolicies
//	policy_validate.go  the refusals of PutScalingPolicy (metrics, steps)
//	alarms.go     the AlarmHigh/AlarmLow pair of a target tracking policy
//	scaling.go    the formulas: target tracking capacity, step selection,
//	              percent rounding (pure functions, table-tested)
//	alarmfired.go AlarmFired: how an alarm action becomes a scaling decision
//	              (cooldowns, several policies, suspension, clamping)
//	activity.go   scaling activities and DescribeScalingActivities
//	schedule.go   at(), rate() and cron() expressions and their next fire time
//	scheduled.go  PutScheduledAction, DescribeScheduledActions,
//	              DeleteScheduledAction, and running them on the clock
//	explain.go    Explain: the recent decisions of a target, with their inputs
//	pagination.go NextToken/MaxResults shared by the Describe operations
//
// How the pieces meet: appscaling creates the alarms of target tracking
// policies through AlarmService (CloudWatch, behind a small interface so the
// two packages do not import each other); CloudWatch calls AlarmFired each
// evaluation period while an alarm whose action is a policy ARN is in ALARM;
// appscaling reads and sets the service's desired count through Resources
// (ECS). runtime/cloud.go wires the three.
package appscaling

import (
	"sort"
	"time"

	_ "time/tzdata" // scheduled actions' time zones must not depend on the host's tz database

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// AlarmService is what appscaling needs of CloudWatch: creating, replacing,
// reading and deleting metric alarms.
type AlarmService interface {
	// PutAlarm creates or replaces a metric alarm and returns its ARN.
	PutAlarm(spec AlarmSpec) (alarmARN string, err error)
	// DeleteAlarm deletes an alarm. Deleting an alarm that does not exist
	// is not an error.
	DeleteAlarm(name string) error
	// Alarm returns the definition of an alarm, for step scaling (whose
	// alarms the user creates): the step is chosen by the distance between
	// the metric and the alarm's threshold [AAS-API:StepAdjustment].
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
	Description      string
	Unit             string
}

// Resources is how appscaling reaches the scalable resources (ECS services
// today).
type Resources interface {
	// Capacity returns the resource's current desired capacity and its
	// actual running count; err is an *awserr.Error when the resource does
	// not exist.
	Capacity(namespace, resourceID, dimension string) (desired, running int, err error)
	// SetCapacity sets the desired capacity; cause is the activity's Cause
	// text.
	SetCapacity(namespace, resourceID, dimension string, desired int, cause string) error
	// ScaleInSuspended reports whether scale-in must wait (an ECS deployment
	// in progress, reference 8.2).
	ScaleInSuspended(namespace, resourceID, dimension string) bool
}

// Config configures the service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
	// Alarms is CloudWatch. Without it, target tracking policies create no
	// alarms and step scaling cannot read its alarms' thresholds.
	Alarms AlarmService
}

// AppScaling is the simulated Application Auto Scaling of one account and
// region.
type AppScaling struct {
	sim       *sim.Sim
	id        aws.Identity
	alarms    AlarmService
	resources Resources

	// targets are keyed by targetKey(namespace, resourceID, dimension).
	targets map[string]*target
	// policyByARN finds the policy an alarm action names.
	policyByARN map[string]*policy
	// activities holds every scaling activity, oldest first.
	activities []*activity
	// decisions holds the recent decisions per resource ID, for Explain.
	// They outlive the target, so a deregistered target can be explained.
	decisions map[string]*decisionLog
}

// New returns an Application Auto Scaling service with no scalable targets.
// Call SetResources once the scalable resources' service exists.
func New(cfg Config) *AppScaling {
	if cfg.Sim == nil {
		cfg.Sim = sim.New(sim.Config{})
	}
	if cfg.Identity.AccountID == "" {
		cfg.Identity = aws.DefaultIdentity()
	}
	return &AppScaling{
		sim:         cfg.Sim,
		id:          cfg.Identity,
		alarms:      cfg.Alarms,
		targets:     map[string]*target{},
		policyByARN: map[string]*policy{},
		decisions:   map[string]*decisionLog{},
	}
}

// SetResources sets the service that owns the scalable resources. ECS is
// built after Application Auto Scaling, hence a setter.
func (a *AppScaling) SetResources(r Resources) { a.resources = r }

func (a *AppScaling) now() time.Time { return a.sim.Now() }

// record adds an event to the simulation's timeline.
func (a *AppScaling) record(kind, resourceID, message string) {
	a.sim.Record(timelineService, kind, resourceID, message)
}

// timelineService is the service name of this package's timeline events.
const timelineService = "application-autoscaling"

func targetKey(namespace, resourceID, dimension string) string {
	return namespace + "\x00" + resourceID + "\x00" + dimension
}

// sortedTargets returns the targets in the order the Describe operations list
// them: by resource ID, then dimension. AWS does not document its order.
func (a *AppScaling) sortedTargets() []*target {
	out := make([]*target, 0, len(a.targets))
	for _, t := range a.targets {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key() < out[j].key() })
	return out
}
