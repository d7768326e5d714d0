package ecs

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// Service statuses [API:Service] and scheduling strategies [API:SchedulingStrategy].
const (
	serviceActive   = "ACTIVE"
	serviceDraining = "DRAINING"
	serviceInactive = "INACTIVE"
	strategyReplica = "REPLICA"
	strategyDaemon  = "DAEMON"
)

// Service error codes [API:UpdateService].
const (
	ServiceNotFoundException  = "ServiceNotFoundException"
	ServiceNotActiveException = "ServiceNotActiveException"
)

// Deployment defaults [API:DeploymentConfiguration], reference 7.2: REPLICA
// services keep 100 % healthy and may run 200 % during a deployment; DAEMON
// services 0 % and 100 %.
const (
	defaultMaxPercent        = 200
	defaultMinHealthyPercent = 100
	daemonMaxPercent         = 100
	daemonMinHealthyPercent  = 0
)

// serviceNamePattern: up to 255 letters, numbers, underscores and hyphens
// [API:CreateServiceRequest].
var serviceNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// service is one ECS service and its scheduler's state.
type service struct {
	arn, name string
	cluster   *cluster
	status    string

	strategy     string // REPLICA or DAEMON
	desiredCount int
	launchType   string
	// providerStrategy is the capacity provider strategy the service runs
	// by, if it does not use a launch type.
	providerStrategy []CapacityProviderStrategyItem
	platform         string

	network              *AwsVpcConfiguration
	networkConfiguration *NetworkConfiguration
	constraints          []PlacementConstraint
	strategies           []PlacementStrategy

	maxPercent, minHealthyPercent int
	circuitBreaker                *DeploymentCircuitBreaker
	healthCheckGrace              time.Duration
	enableExecuteCommand          bool
	propagateTags                 string
	tags                          []Tag
	createdAt                     time.Time

	// lbs are the service's target groups; registries its Cloud Map
	// services.
	lbs        []LoadBalancer
	registries []ServiceRegistry

	// deployments, newest (PRIMARY) first.
	deployments []*deployment

	// events, newest first, at most 100 [DG:service-event-messages];
	// lastSaid suppresses a repeated message for 6 hours.
	events   []ServiceEvent
	lastSaid map[string]time.Time

	// The throttle: tasks that stop before RUNNING delay the next start,
	// doubling up to 15 minutes [DG:service-throttle-logic].
	failedStarts     int
	lastFailedLaunch time.Time // when the tasks of the last failed attempt were launched
	throttledTil     time.Time

	// steady is set once the service reached a steady state and nothing
	// has changed since.
	steady bool

	// reconcileAt is when the scheduler is due to look at the service
	// again (zero: not scheduled).
	reconcileAt time.Time

	// load is the service-level demand sim.set_load spreads over the
	// running tasks.
	load serviceLoad

	// members are the service's tasks that have not stopped, in creation
	// order (addTask adds them, finishStop removes them).
	members []*task
	// runningNow and acc: the running tasks at the last measurement and the
	// minute's metric sums (load.go, metrics.go).
	runningNow int
	acc        metricSums
	dims       []cloudwatch.Dim // the service's metric dimensions
}

// deployment is one revision of the service being rolled out or kept.
type deployment struct {
	id        string // ecs-svc/<19 digits>
	status    string // PRIMARY, ACTIVE, INACTIVE
	def       *TaskDefinition
	createdAt time.Time
	updatedAt time.Time

	rolloutState       string // IN_PROGRESS, COMPLETED, FAILED
	rolloutStateReason string
	failedTasks        int
}

func (s *service) primary() *deployment { return s.deployments[0] }

// tasks returns the service's tasks that have not stopped, in creation
// order.
func (s *service) tasks() []*task { return append([]*task(nil), s.members...) }

// counts returns the running and pending tasks of a deployment (nil: of the
// whole service). Pending counts every state before RUNNING.
func (s *service) counts(d *deployment) (running, pending int) {
	for _, t := range s.members {
		if d != nil && t.deployment != d {
			continue
		}
		if t.desiredStatus != taskRunning {
			continue
		}
		switch t.lastStatus {
		case taskRunning:
			running++
		case taskProvisioning, taskPending, taskActivating:
			pending++
		}
	}
	return running, pending
}

// newDeployment starts a deployment of def; older ones become ACTIVE.
func (e *ECS) newDeployment(s *service, def *TaskDefinition) *deployment {
	now := e.sim.Now()
	d := &deployment{
		id:           fmt.Sprintf("ecs-svc/%d", 1_000_000_000_000_000_000+e.sim.Rand().Int64N(8_000_000_000_000_000_000)),
		status:       "PRIMARY",
		def:          def,
		createdAt:    now,
		updatedAt:    now,
		rolloutState: "IN_PROGRESS",
	}
	d.rolloutStateReason = "ECS deployment " + d.id + " in progress."
	for _, old := range s.deployments {
		old.status = "ACTIVE"
		old.updatedAt = now
	}
	s.deployments = append([]*deployment{d}, s.deployments...)
	s.steady = false
	s.failedStarts, s.throttledTil = 0, time.Time{}
	return d
}

// describeService renders the service as DescribeServices returns it.
func (e *ECS) describeService(s *service, withTags bool) Service {
	running, pending := s.counts(nil)
	out := Service{
		ServiceArn:                    aws.String(s.arn),
		ServiceName:                   aws.String(s.name),
		ClusterArn:                    aws.String(s.cluster.arn),
		LoadBalancers:                 nonNil(clone(s.lbs)),
		ServiceRegistries:             nonNil(clone(s.registries)),
		Status:                        aws.String(s.status),
		DesiredCount:                  aws.Int(s.desiredCount),
		RunningCount:                  aws.Int(running),
		PendingCount:                  aws.Int(pending),
		TaskDefinition:                cloneString(s.primary().def.TaskDefinitionArn),
		DeploymentConfiguration:       e.deploymentConfiguration(s),
		Deployments:                   []Deployment{},
		Events:                        clone(nonNil(s.events)),
		CreatedAt:                     aws.NewTime(s.createdAt),
		CreatedBy:                     aws.String(e.id.CallerARN()),
		PlacementConstraints:          clone(nonNil(s.constraints)),
		PlacementStrategy:             clone(nonNil(s.strategies)),
		HealthCheckGracePeriodSeconds: aws.Int(int(s.healthCheckGrace / time.Second)),
		SchedulingStrategy:            aws.String(s.strategy),
		DeploymentController:          &DeploymentController{Type: aws.String("ECS")},
		EnableECSManagedTags:          aws.Bool(false),
		PropagateTags:                 aws.String(s.propagateTags),
		EnableExecuteCommand:          aws.Bool(s.enableExecuteCommand),
		AvailabilityZoneRebalancing:   aws.String("DISABLED"),
		Tags:                          []Tag{},
	}
	if len(s.providerStrategy) > 0 {
		out.CapacityProviderStrategy = clone(s.providerStrategy)
	} else {
		out.LaunchType = aws.String(s.launchType)
	}
	if s.networkConfiguration != nil {
		nc := clone(*s.networkConfiguration)
		out.NetworkConfiguration = &nc
	}
	if s.launchType == launchFargate {
		out.PlatformVersion = aws.String("LATEST")
		out.PlatformFamily = aws.String("Linux")
	}
	if withTags {
		out.Tags = clone(nonNil(s.tags))
	}
	for _, d := range s.deployments {
		if d.status == "INACTIVE" {
			continue
		}
		r, p := s.counts(d)
		dd := Deployment{
			Id:                 aws.String(d.id),
			Status:             aws.String(d.status),
			TaskDefinition:     cloneString(d.def.TaskDefinitionArn),
			DesiredCount:       aws.Int(e.deploymentDesired(s, d)),
			PendingCount:       aws.Int(p),
			RunningCount:       aws.Int(r),
			FailedTasks:        aws.Int(d.failedTasks),
			CreatedAt:          aws.NewTime(d.createdAt),
			UpdatedAt:          aws.NewTime(d.updatedAt),
			RolloutState:       aws.String(d.rolloutState),
			RolloutStateReason: aws.String(d.rolloutStateReason),
		}
		if len(s.providerStrategy) > 0 {
			dd.CapacityProviderStrategy = clone(s.providerStrategy)
		} else {
			dd.LaunchType = aws.String(s.launchType)
		}
		if s.networkConfiguration != nil {
			nc := clone(*s.networkConfiguration)
			dd.NetworkConfiguration = &nc
		}
		if s.launchType == launchFargate {
			dd.PlatformVersion = aws.String(fargatePlatformVersion)
			dd.PlatformFamily = aws.String("Linux")
		}
		out.Deployments = append(out.Deployments, dd)
	}
	return out
}

// deploymentDesired is how many tasks a deployment is meant to have: the
// service's desired count for the PRIMARY one, none for older ones (they
// are being replaced).
func (e *ECS) deploymentDesired(s *service, d *deployment) int {
	if d == s.primary() {
		return s.desiredCount
	}
	return 0
}

func (e *ECS) deploymentConfiguration(s *service) *DeploymentConfiguration {
	cfg := &DeploymentConfiguration{
		MaximumPercent:        aws.Int(s.maxPercent),
		MinimumHealthyPercent: aws.Int(s.minHealthyPercent),
		Strategy:              aws.String("ROLLING"),
		DeploymentCircuitBreaker: &DeploymentCircuitBreaker{
			Enable:   aws.Bool(false),
			Rollback: aws.Bool(false),
		},
	}
	if s.circuitBreaker != nil {
		cb := clone(*s.circuitBreaker)
		cfg.DeploymentCircuitBreaker = &cb
	}
	return cfg
}

// lookupService finds a service of cluster c by name or ARN; deleted
// (INACTIVE) services are found too, for DescribeServices.
func (e *ECS) lookupService(c *cluster, ref string) (*service, bool) {
	name := ref
	if isARN(ref) {
		name = ref[strings.LastIndexByte(ref, '/')+1:]
	}
	s, ok := c.serviceByName[name] // the newest service of that name
	if !ok || (isARN(ref) && s.arn != ref) {
		return nil, false
	}
	return s, true
}

// activeService finds a service that UpdateService and DeleteService may
// act on.
func (e *ECS) activeService(c *cluster, ref string) (*service, error) {
	s, ok := e.lookupService(c, ref)
	if !ok {
		// [API:ServiceNotFoundException]; text not verified
		return nil, awserr.New(ServiceNotFoundException, "Service not found.")
	}
	if s.status != serviceActive {
		// [API:ServiceNotActiveException]; text not verified
		return nil, awserr.New(ServiceNotActiveException, "Service was not ACTIVE.")
	}
	return s, nil
}

// placementFor builds the placement request of the service's tasks: its
// constraints and strategies, or the service default (AZ spread, then
// fewest tasks per instance) [DG:ecs_services], reference 3.2.
func (e *ECS) placementFor(s *service, spec *taskSpec) (placement.Request, error) {
	return placementRequest(spec, spec.def, s.constraints, s.strategies, placement.DefaultServiceStrategies)
}
