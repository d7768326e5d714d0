package ecs

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Limits of the service API: DescribeServices takes up to 10 services
// [API:DescribeServicesRequest]; ListServices returns 10 per page unless
// maxResults (1–100) says otherwise [API:ListServicesRequest].
const (
	maxDescribeServices  = 10
	defaultListServices  = 10
	maxDeploymentPercent = 200
)

// CreateService creates a service that keeps desiredCount tasks of a task
// definition running (REPLICA), or one on every container instance
// (DAEMON) [API:CreateService], reference 7.
func (e *ECS) CreateService(in *CreateServiceRequest) (*CreateServiceResponse, error) {
	if in == nil {
		in = &CreateServiceRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	name := deref(in.ServiceName)
	if !serviceNamePattern.MatchString(name) {
		// text not verified
		return nil, invalidParam("Service name must match ^[a-zA-Z0-9_-]{1,255}$, but was '%s'.", name)
	}
	if s, ok := e.lookupService(c, name); ok && s.status != serviceInactive {
		// The text AWS returns for a second CreateService of a name in use
		// (https://github.com/aws/aws-cli/issues/3330).
		return nil, invalidParam("Creation of service was not idempotent.")
	}
	if err := notSimulatedServiceMembers(nil, nil, in.DeploymentController, in.ServiceConnectConfiguration, in.VolumeConfigurations, in.VpcLatticeConfigurations); err != nil {
		return nil, err
	}
	td, err := e.taskDefinitionForUse(deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	if err := e.validateLoadBalancers(in.LoadBalancers, td); err != nil {
		return nil, err
	}
	if err := e.validateRegistries(in.ServiceRegistries, td); err != nil {
		return nil, err
	}
	s := &service{
		arn:       e.arn("service/" + c.name + "/" + name),
		name:      name,
		cluster:   c,
		status:    serviceActive,
		strategy:  strategyReplica,
		createdAt: e.sim.Now(),
		lastSaid:  map[string]time.Time{},
	}
	if in.SchedulingStrategy != nil {
		s.strategy = *in.SchedulingStrategy
		if s.strategy != strategyReplica && s.strategy != strategyDaemon {
			return nil, enumError("schedulingStrategy", s.strategy, []string{strategyReplica, strategyDaemon})
		}
	}
	plan, err := e.planFor(c, in.LaunchType, in.CapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	s.launchType = plan.launchType
	if len(plan.strategy) > 0 {
		s.providerStrategy = plan.strategy
		s.launchType = e.providers[deref(plan.strategy[0].CapacityProvider)].launchType()
	}
	if !oneOfList(td.Compatibilities, s.launchType) {
		return nil, invalidParam("Task definition does not support launch_type %s.", s.launchType)
	}
	switch s.strategy {
	case strategyReplica:
		if in.DesiredCount == nil {
			// [API:CreateServiceRequest] "required if schedulingStrategy is
			// REPLICA or isn't specified"; text not verified
			return nil, invalidParam("Desired count is required for a service using the REPLICA scheduling strategy.")
		}
		s.desiredCount = *in.DesiredCount
		s.maxPercent, s.minHealthyPercent = defaultMaxPercent, defaultMinHealthyPercent
	case strategyDaemon:
		if in.DesiredCount != nil {
			return nil, daemonDesiredCountErr()
		}
		if s.launchType == launchFargate {
			// reference 7.1; text not verified
			return nil, invalidParam("The DAEMON scheduling strategy is not supported with the FARGATE launch type.")
		}
		if len(in.PlacementStrategy) > 0 {
			// reference 7.1; text not verified
			return nil, invalidParam("Placement strategies are not supported with the DAEMON scheduling strategy.")
		}
		s.maxPercent, s.minHealthyPercent = daemonMaxPercent, daemonMinHealthyPercent
	}
	if s.desiredCount < 0 {
		// text not verified
		return nil, invalidParam("Desired count must be a positive integer or 0.")
	}
	if err := e.applyServiceSettings(s, td, serviceSettings{
		network: in.NetworkConfiguration, constraints: in.PlacementConstraints, strategies: in.PlacementStrategy,
		deployment: in.DeploymentConfiguration, grace: in.HealthCheckGracePeriodSeconds, exec: in.EnableExecuteCommand,
		propagateTags: in.PropagateTags, platformVersion: in.PlatformVersion,
	}); err != nil {
		return nil, err
	}
	if err := validateTags(in.Tags); err != nil {
		return nil, err
	}
	s.tags = clone(in.Tags)
	s.lbs, s.registries = clone(in.LoadBalancers), clone(in.ServiceRegistries)
	e.newDeployment(s, td)
	c.services = append(c.services, s)
	if c.serviceByName == nil {
		c.serviceByName = map[string]*service{}
	}
	c.serviceByName[name] = s
	e.sim.Recordf("ecs", "ServiceCreated", s.arn, "created service %s in cluster %s: %s, desired %d", name, c.name, familyRevision(td), s.desiredCount)
	e.scheduleReconcile(s, 0)
	out := e.describeService(s, false)
	return &CreateServiceResponse{Service: &out}, nil
}

// daemonDesiredCountErr refuses a desiredCount for a DAEMON service, in
// CreateService (https://github.com/kayac/ecspresso/pull/20) and in
// UpdateService (https://github.com/fabfuel/ecs-deploy/issues/59), with the
// same text, 0 included
// (https://github.com/base2Services/cfn-start-stop-stack/issues/44). AWS's
// text has no final full stop.
func daemonDesiredCountErr() error {
	return invalidParam("The daemon scheduling strategy does not support a desired count for services. Remove the desired count value and try again")
}

// notSimulatedServiceMembers refuses, clearly, what the load balancing and
// other later work will simulate, rather than accept it and do nothing.
func notSimulatedServiceMembers(lbs []LoadBalancer, registries []ServiceRegistry, controller *DeploymentController, sc *ServiceConnectConfiguration, volumes []ServiceVolumeConfiguration, lattice []VpcLatticeConfiguration) error {
	switch {
	case len(lbs) > 0:
		return awserr.New(awserr.NotSimulated, "ecsbox does not simulate changing a service's loadBalancers yet")
	case len(registries) > 0:
		return awserr.New(awserr.NotSimulated, "ecsbox does not simulate changing a service's serviceRegistries yet")
	case controller != nil && deref(controller.Type) != "" && deref(controller.Type) != "ECS":
		return awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate the %s deployment controller yet", deref(controller.Type))
	case sc != nil && aws.ToBool(sc.Enabled):
		return awserr.New(awserr.NotSimulated, "ecsbox does not simulate Service Connect yet")
	case len(volumes) > 0:
		return awserr.New(awserr.NotSimulated, "ecsbox does not simulate service volume configurations yet")
	case len(lattice) > 0:
		return awserr.New(awserr.NotSimulated, "ecsbox does not simulate VPC Lattice yet")
	}
	return nil
}

// serviceSettings are the members CreateService and UpdateService share.
type serviceSettings struct {
	network         *NetworkConfiguration
	constraints     []PlacementConstraint
	strategies      []PlacementStrategy
	deployment      *DeploymentConfiguration
	grace           *int
	exec            *bool
	propagateTags   *string
	platformVersion *string
}

// applyServiceSettings checks and applies the settings that are given.
func (e *ECS) applyServiceSettings(s *service, td *TaskDefinition, set serviceSettings) error {
	if set.network != nil || s.networkConfiguration == nil {
		network := set.network
		if network == nil {
			network = s.networkConfiguration
		}
		awsvpc, err := e.checkNetworkConfiguration(td, s.launchType, network)
		if err != nil {
			return err
		}
		s.network = awsvpc
		if network != nil {
			nc := clone(*network)
			s.networkConfiguration = &nc
		}
	}
	if set.constraints != nil || set.strategies != nil {
		if s.launchType == launchFargate && (len(set.constraints) > 0 || len(set.strategies) > 0) {
			// text not verified (Fargate ignores placement [DG:task-placement])
			return invalidParam("Task placement strategies and constraints are not supported for the FARGATE launch type.")
		}
		constraints, strategies := s.constraints, s.strategies
		if set.constraints != nil {
			constraints = set.constraints
		}
		if set.strategies != nil {
			strategies = set.strategies
		}
		probe := &taskSpec{cluster: s.cluster, def: td, group: "service:" + s.name}
		if _, err := placementRequest(probe, td, constraints, strategies, nil); err != nil {
			return err
		}
		s.constraints, s.strategies = clone(constraints), clone(strategies)
	}
	if d := set.deployment; d != nil {
		maxP, minP := s.maxPercent, s.minHealthyPercent
		if d.MaximumPercent != nil {
			maxP = *d.MaximumPercent
		}
		if d.MinimumHealthyPercent != nil {
			minP = *d.MinimumHealthyPercent
		}
		if minP < 0 || minP > 100 {
			// text not verified
			return invalidParam("minimumHealthyPercent must be between 0 and 100.")
		}
		if s.strategy == strategyDaemon && maxP != daemonMaxPercent {
			// reference 7.1: DAEMON services need maximumPercent 100; text not verified
			return invalidParam("The maximumPercent must be 100 for services using the DAEMON scheduling strategy.")
		}
		if maxP < 100 || maxP > maxDeploymentPercent {
			// text not verified
			return invalidParam("maximumPercent must be between 100 and %d.", maxDeploymentPercent)
		}
		s.maxPercent, s.minHealthyPercent = maxP, minP
		if d.DeploymentCircuitBreaker != nil {
			cb := clone(*d.DeploymentCircuitBreaker)
			s.circuitBreaker = &cb
		}
		if d.Alarms != nil && aws.ToBool(d.Alarms.Enable) {
			return awserr.New(awserr.NotSimulated, "ecsbox does not simulate deployment alarms yet")
		}
		if st := deref(d.Strategy); st != "" && st != "ROLLING" {
			return awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate the %s deployment strategy yet", st)
		}
	}
	if set.grace != nil {
		if *set.grace < 0 {
			// text not verified
			return invalidParam("healthCheckGracePeriodSeconds must be 0 or greater.")
		}
		s.healthCheckGrace = time.Duration(*set.grace) * time.Second
	}
	if set.exec != nil {
		s.enableExecuteCommand = *set.exec
	}
	if set.propagateTags != nil {
		switch *set.propagateTags {
		case PropagateTagsNONE, PropagateTagsSERVICE, PropagateTagsTASKDEFINITION:
			s.propagateTags = *set.propagateTags
		default:
			return enumError("propagateTags", *set.propagateTags, []string{PropagateTagsTASKDEFINITION, PropagateTagsSERVICE, PropagateTagsNONE})
		}
	}
	if s.propagateTags == "" {
		s.propagateTags = PropagateTagsNONE
	}
	if pv := deref(set.platformVersion); s.launchType == launchFargate && pv != "" && pv != "LATEST" && pv != fargatePlatformVersion {
		// text not verified
		return invalidParam("The specified platform version (%s) doesn't exist.", pv)
	}
	return nil
}

// UpdateService changes a service. A new task definition, network or
// placement configuration, or forceNewDeployment starts a new deployment;
// a desiredCount change alone does not [API:UpdateService].
func (e *ECS) UpdateService(in *UpdateServiceRequest) (*UpdateServiceResponse, error) {
	if in == nil {
		in = &UpdateServiceRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	s, err := e.activeService(c, deref(in.Service))
	if err != nil {
		return nil, err
	}
	if err := notSimulatedServiceMembers(in.LoadBalancers, in.ServiceRegistries, in.DeploymentController, in.ServiceConnectConfiguration, in.VolumeConfigurations, in.VpcLatticeConfigurations); err != nil {
		return nil, err
	}
	newStrategy := false
	if len(in.CapacityProviderStrategy) > 0 {
		if err := e.validateStrategy(c.capacityProviders, in.CapacityProviderStrategy); err != nil {
			return nil, err
		}
		kind := e.providers[deref(in.CapacityProviderStrategy[0].CapacityProvider)].launchType()
		if kind != s.launchType {
			// reference 1.2 rule 6; text not verified
			return nil, invalidParam("Updating a service from an Auto Scaling group capacity provider to a Fargate capacity provider, or the reverse, is not supported.")
		}
		if len(s.providerStrategy) == 0 && !aws.ToBool(in.ForceNewDeployment) {
			// reference 1.2 rule 6: moving from a launch type to a strategy
			// needs a new deployment; text not verified
			return nil, invalidParam("Updating a service from a launch type to a capacity provider strategy requires forceNewDeployment.")
		}
		s.providerStrategy = clone(in.CapacityProviderStrategy)
		newStrategy = true
	}
	td := s.primary().def
	newDef := false
	if in.TaskDefinition != nil {
		if td, err = e.taskDefinitionForUse(*in.TaskDefinition); err != nil {
			return nil, err
		}
		if !oneOfList(td.Compatibilities, s.launchType) {
			return nil, invalidParam("Task definition does not support launch_type %s.", s.launchType)
		}
		if err := e.validateLoadBalancers(s.lbs, td); err != nil {
			return nil, err
		}
		if err := e.validateRegistries(s.registries, td); err != nil {
			return nil, err
		}
		newDef = deref(td.TaskDefinitionArn) != deref(s.primary().def.TaskDefinitionArn)
	}
	if in.DesiredCount != nil {
		if s.strategy == strategyDaemon {
			return nil, daemonDesiredCountErr()
		}
		if *in.DesiredCount < 0 {
			// text not verified
			return nil, invalidParam("Desired count must be a positive integer or 0.")
		}
	}
	if err := e.applyServiceSettings(s, td, serviceSettings{
		network: in.NetworkConfiguration, constraints: in.PlacementConstraints, strategies: in.PlacementStrategy,
		deployment: in.DeploymentConfiguration, grace: in.HealthCheckGracePeriodSeconds, exec: in.EnableExecuteCommand,
		propagateTags: in.PropagateTags, platformVersion: in.PlatformVersion,
	}); err != nil {
		return nil, err
	}
	if in.DesiredCount != nil && *in.DesiredCount != s.desiredCount {
		e.sim.Recordf("ecs", "ServiceDesiredCountChanged", s.arn, "service %s desired count %d → %d", s.name, s.desiredCount, *in.DesiredCount)
		s.desiredCount = *in.DesiredCount
		s.steady = false
	}
	if newDef || newStrategy || aws.ToBool(in.ForceNewDeployment) || in.NetworkConfiguration != nil || in.PlacementConstraints != nil || in.PlacementStrategy != nil {
		d := e.newDeployment(s, td)
		e.sim.Recordf("ecs", "ServiceDeploymentStarted", s.arn, "service %s: deployment %s of %s started", s.name, d.id, familyRevision(td))
	}
	e.scheduleReconcile(s, 0)
	out := e.describeService(s, false)
	return &UpdateServiceResponse{Service: &out}, nil
}

// DeleteService deletes a service: it must be scaled to 0 first unless
// force is given [API:DeleteService]; its tasks are stopped, it is DRAINING
// until they are gone, then INACTIVE.
func (e *ECS) DeleteService(in *DeleteServiceRequest) (*DeleteServiceResponse, error) {
	if in == nil {
		in = &DeleteServiceRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	s, err := e.activeService(c, deref(in.Service))
	if err != nil {
		return nil, err
	}
	if s.strategy == strategyReplica && s.desiredCount > 0 && !aws.ToBool(in.Force) {
		// The text users report (e.g. https://github.com/hashicorp/terraform/issues/3414).
		return nil, invalidParam("The service cannot be stopped while it is scaled above 0.")
	}
	s.desiredCount = 0
	s.status = serviceDraining
	for _, t := range s.tasks() {
		e.stopTask(t, stopServiceScheduler, "Service "+s.name+" was deleted") // text not verified
	}
	e.sim.Recordf("ecs", "ServiceDeleted", s.arn, "service %s deleted: DRAINING until its tasks stop", s.name)
	e.scheduleReconcile(s, 0)
	out := e.describeService(s, false)
	return &DeleteServiceResponse{Service: &out}, nil
}

// DescribeServices describes up to 10 services by name or ARN; unknown
// ones are MISSING failures [API:DescribeServices].
func (e *ECS) DescribeServices(in *DescribeServicesRequest) (*DescribeServicesResponse, error) {
	if in == nil {
		in = &DescribeServicesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if len(in.Services) > maxDescribeServices {
		// text not verified
		return nil, invalidParam("services can have at most %d items.", maxDescribeServices)
	}
	withTags := false
	for _, f := range in.Include {
		if f != ServiceFieldTAGS {
			return nil, enumError("include", f, []string{ServiceFieldTAGS})
		}
		withTags = true
	}
	out := &DescribeServicesResponse{Services: []Service{}, Failures: []Failure{}}
	for _, ref := range in.Services {
		if s, ok := e.lookupService(c, ref); ok {
			out.Services = append(out.Services, e.describeService(s, withTags))
			continue
		}
		arn := ref
		if !isARN(ref) {
			arn = e.arn("service/" + c.name + "/" + ref)
		}
		out.Failures = append(out.Failures, Failure{Arn: aws.String(arn), Reason: aws.String("MISSING")})
	}
	return out, nil
}

// ListServices lists the ARNs of a cluster's services that are not
// INACTIVE, in creation order [API:ListServices].
func (e *ECS) ListServices(in *ListServicesRequest) (*ListServicesResponse, error) {
	if in == nil {
		in = &ListServicesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, s := range c.services {
		switch {
		case s.status == serviceInactive:
		case in.LaunchType != nil && s.launchType != *in.LaunchType:
		case in.SchedulingStrategy != nil && s.strategy != *in.SchedulingStrategy:
		default:
			keys = append(keys, s.arn)
		}
	}
	position := map[string]int{}
	for i, k := range keys {
		position[k] = i
	}
	size := in.MaxResults
	if size == nil {
		size = aws.Int(defaultListServices)
	}
	page, next, err := paginate("ListServices", keys, size, in.NextToken, func(a, b string) bool {
		pb, ok := position[b]
		return !ok || position[a] > pb
	})
	if err != nil {
		return nil, err
	}
	return &ListServicesResponse{ServiceArns: nonNil(page), NextToken: next}, nil
}

func oneOfList(list []string, v string) bool { return oneOf(v, list) }

func isARN(s string) bool { return len(s) > 4 && s[:4] == "arn:" }
