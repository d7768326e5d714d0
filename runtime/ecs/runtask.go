package ecs

import (
	"slices"
	"strconv"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// RunTask limits [API:RunTaskRequest]: at most 10 tasks per call, a
// startedBy of up to 128 characters, overrides of up to 8192 characters.
const (
	maxRunTaskCount    = 10
	maxStartedByLength = 128
	maxOverridesLength = 8192
)

// fargatePlatformVersion is what LATEST means on Linux today
// [DG:platform-linux-fargate].
const fargatePlatformVersion = "1.4.0"

// RunTask starts count tasks of a task definition: on EC2, where placement
// chooses among the cluster's container instances (failures[] says why a
// task found no room), or on Fargate, one ENI per task in the given subnets
// [API:RunTask], reference 3 and 4.
func (e *ECS) RunTask(in *RunTaskRequest) (*RunTaskResponse, error) {
	if in == nil {
		in = &RunTaskRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	td, err := e.taskDefinitionForUse(deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	count := 1
	if in.Count != nil {
		count = *in.Count
	}
	if count < 1 || count > maxRunTaskCount {
		// text not verified; the limit is [API:RunTaskRequest]
		return nil, invalidParam("count must be between 1 and %d.", maxRunTaskCount)
	}
	plan, err := e.planFor(c, in.LaunchType, in.CapacityProviderStrategy)
	if err != nil {
		return nil, err
	}
	request := taskRequest{
		group: in.Group, startedBy: in.StartedBy, overrides: in.Overrides, tags: in.Tags,
		propagateTags: in.PropagateTags, enableExecuteCommand: in.EnableExecuteCommand, platformVersion: in.PlatformVersion,
	}
	if len(plan.strategy) > 0 {
		return e.runWithStrategy(c, td, plan.strategy, count, request, in.NetworkConfiguration, in.PlacementConstraints, in.PlacementStrategy)
	}
	launchType := plan.launchType
	spec, err := e.taskSpecFor(c, td, launchType, request)
	if err != nil {
		return nil, err
	}
	awsvpc, err := e.checkNetworkConfiguration(td, launchType, in.NetworkConfiguration)
	if err != nil {
		return nil, err
	}
	if launchType == launchFargate {
		if len(in.PlacementConstraints) > 0 || len(in.PlacementStrategy) > 0 {
			// Fargate does not support placement strategies or constraints
			// [DG:task-placement]; text not verified
			return nil, invalidParam("Task placement strategies and constraints are not supported for the FARGATE launch type.")
		}
		return e.runFargate(spec, awsvpc, count)
	}
	req, err := placementRequest(spec, td, in.PlacementConstraints, in.PlacementStrategy, placement.DefaultRunTaskStrategies)
	if err != nil {
		return nil, err
	}
	req.Count = count
	return e.runOnEC2(spec, awsvpc, req)
}

// launchPlan is how tasks are launched: with a launch type, or by a
// capacity provider strategy.
type launchPlan struct {
	launchType string
	strategy   []CapacityProviderStrategyItem
}

// planFor decides between a launch type and a strategy: the request's, else
// the cluster's default strategy, else the EC2 launch type [API:RunTaskRequest],
// reference 1.3 (the last is observed behaviour, ecsbox's choice).
func (e *ECS) planFor(c *cluster, launchType *string, strategy []CapacityProviderStrategyItem) (launchPlan, error) {
	if launchType != nil && len(strategy) > 0 {
		// [API:RunTaskRequest], reference 1.2 rule 5
		return launchPlan{}, invalidParam("Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.")
	}
	if launchType == nil && len(strategy) == 0 && len(c.defaultStrategy) > 0 {
		strategy = c.defaultStrategy
	}
	if len(strategy) > 0 {
		if err := e.validateStrategy(c.capacityProviders, strategy); err != nil {
			return launchPlan{}, err
		}
		return launchPlan{strategy: clone(strategy)}, nil
	}
	if launchType == nil {
		return launchPlan{launchType: launchEC2}, nil
	}
	switch *launchType {
	case launchEC2, launchFargate:
		return launchPlan{launchType: *launchType}, nil
	case LaunchTypeEXTERNAL, LaunchTypeMANAGEDINSTANCES:
		return launchPlan{}, awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate the %s launch type yet", *launchType)
	}
	return launchPlan{}, enumError("launchType", *launchType, []string{LaunchTypeEC2, LaunchTypeFARGATE, LaunchTypeEXTERNAL, LaunchTypeMANAGEDINSTANCES})
}

// taskRequest gathers the request members that RunTask and StartTask share.
type taskRequest struct {
	group, startedBy, propagateTags, platformVersion *string
	overrides                                        *TaskOverride
	tags                                             []Tag
	enableExecuteCommand                             *bool
}

// taskSpecFor checks what RunTask and StartTask share and builds the spec.
func (e *ECS) taskSpecFor(c *cluster, td *TaskDefinition, launchType string, r taskRequest) (*taskSpec, error) {
	if !slices.Contains(td.Compatibilities, launchType) {
		// reference 5.3 (https://github.com/aws/aws-cli/issues/3983)
		return nil, invalidParam("Task definition does not support launch_type %s.", launchType)
	}
	spec := &taskSpec{
		cluster:              c,
		def:                  td,
		launchType:           launchType,
		group:                "family:" + deref(td.Family),
		startedBy:            deref(r.startedBy),
		overrides:            r.overrides,
		enableExecuteCommand: aws.ToBool(r.enableExecuteCommand),
	}
	if r.group != nil {
		if len(*r.group) > 255 { // task groups: up to 255 characters [DG:task-groups]
			// text not verified
			return nil, invalidParam("group can be at most 255 characters.")
		}
		spec.group = *r.group
	}
	if len(spec.startedBy) > maxStartedByLength {
		// text not verified; the limit is [API:RunTaskRequest]
		return nil, invalidParam("startedBy can be at most %d characters.", maxStartedByLength)
	}
	if err := e.checkOverrides(td, r.overrides); err != nil {
		return nil, err
	}
	if err := e.checkTaskRoles(td, r.overrides); err != nil {
		return nil, err
	}
	if err := validateTags(r.tags); err != nil {
		return nil, err
	}
	spec.tags = clone(r.tags)
	switch deref(r.propagateTags) {
	case "", PropagateTagsNONE:
	case PropagateTagsTASKDEFINITION:
		if rec, err := e.lookupTaskDefinition(deref(td.TaskDefinitionArn)); err == nil {
			spec.tags = append(spec.tags, clone(rec.tags)...)
		}
	case PropagateTagsSERVICE:
		// reference 4.5: propagateTags=SERVICE is rejected on RunTask; text not verified
		return nil, invalidParam("The propagateTags value SERVICE is not supported for tasks that are not part of a service.")
	default:
		return nil, enumError("propagateTags", deref(r.propagateTags), []string{PropagateTagsTASKDEFINITION, PropagateTagsSERVICE, PropagateTagsNONE})
	}
	if launchType == launchFargate {
		spec.platformVersion = fargatePlatformVersion
		if pv := deref(r.platformVersion); pv != "" && pv != "LATEST" && pv != "1.4.0" && pv != "1.3.0" {
			// text not verified
			return nil, invalidParam("The specified platform version (%s) doesn't exist.", pv)
		} else if pv == "1.3.0" {
			spec.platformVersion = pv
		}
	}
	return spec, nil
}

// checkOverrides refuses overrides naming containers the task definition
// lacks, and overrides longer than 8192 characters [API:RunTaskRequest].
func (e *ECS) checkOverrides(td *TaskDefinition, o *TaskOverride) error {
	if o == nil {
		return nil
	}
	if n := len(mustJSON(o)); n > maxOverridesLength {
		// text not verified
		return invalidParam("Container Overrides length must be at most %d characters.", maxOverridesLength)
	}
	for _, co := range o.ContainerOverrides {
		name := deref(co.Name)
		found := false
		for _, cd := range td.ContainerDefinitions {
			found = found || deref(cd.Name) == name
		}
		if !found {
			// text not verified
			return invalidParam("Container Override for container '%s' is not valid: no container of that name in the task definition.", name)
		}
	}
	return nil
}

// placementRequest turns a task spec and the request's placement members
// into what the placement engine takes, checking them as ECS does.
func placementRequest(spec *taskSpec, td *TaskDefinition, constraints []PlacementConstraint, strategies []PlacementStrategy, defaults []placement.Strategy) (placement.Request, error) {
	var req placement.Request
	for _, pc := range td.PlacementConstraints {
		req.Constraints = append(req.Constraints, placement.Constraint{Type: deref(pc.Type), Expression: deref(pc.Expression)})
	}
	for _, pc := range constraints {
		req.Constraints = append(req.Constraints, placement.Constraint{Type: deref(pc.Type), Expression: deref(pc.Expression)})
	}
	if err := placement.ValidateConstraints(req.Constraints); err != nil {
		return req, err
	}
	for _, ps := range strategies {
		req.Strategies = append(req.Strategies, placement.Strategy{Type: deref(ps.Type), Field: deref(ps.Field)})
	}
	if err := placement.ValidateStrategies(req.Strategies); err != nil {
		return req, err
	}
	if len(req.Strategies) == 0 {
		req.Strategies = defaults
	}
	cpu, memory := spec.reservation()
	req.Task = placement.Task{CPU: cpu, Memory: memory, Group: spec.group}
	for _, p := range spec.staticHostPorts() {
		req.Task.HostPorts = append(req.Task.HostPorts, placement.Port{Number: p.port, Protocol: p.protocol})
	}
	for _, a := range td.RequiresAttributes {
		req.Task.RequiredAttributes = append(req.Task.RequiredAttributes, placement.Attribute{Name: deref(a.Name), Value: deref(a.Value)})
	}
	return req, nil
}

// runOnEC2 places the tasks among the cluster's container instances and
// launches those that found room.
func (e *ECS) runOnEC2(spec *taskSpec, awsvpc *AwsVpcConfiguration, req placement.Request) (*RunTaskResponse, error) {
	tasks, failures, err := e.placeOnEC2(spec, awsvpc, req)
	if err != nil {
		return nil, err
	}
	return e.runTaskResponse(tasks, failures), nil
}

func (e *ECS) runTaskResponse(tasks []*task, failures []Failure) *RunTaskResponse {
	out := &RunTaskResponse{Tasks: []Task{}, Failures: nonNil(failures)}
	for _, t := range tasks {
		out.Tasks = append(out.Tasks, e.describeTask(t, false))
	}
	return out
}

// placeOnEC2 places req.Count tasks of spec on the cluster's container
// instances and launches them; failures say why the others found no room.
// With no registered instance at all it fails as RunTask does.
func (e *ECS) placeOnEC2(spec *taskSpec, awsvpc *AwsVpcConfiguration, req placement.Request) ([]*task, []Failure, error) {
	instances := e.registeredInstances(spec.cluster)
	if len(instances) == 0 {
		// reference 3.5 (https://github.com/aws/amazon-ecs-cli/issues/1122)
		return nil, nil, invalidParam("No Container Instances were found in your cluster.")
	}
	return e.placeOn(spec, awsvpc, req, instances)
}

// placeOn places req.Count tasks of spec on instances and launches them.
func (e *ECS) placeOn(spec *taskSpec, awsvpc *AwsVpcConfiguration, req placement.Request, instances []*containerInstance) ([]*task, []Failure, error) {
	if awsvpc != nil {
		req.Task.NeedsENI = true
		req.Task.SubnetAZs = e.subnetAZs(awsvpc.Subnets)
	}
	req.Rand = e.sim.Rand()
	res, err := placement.Place(req, e.candidates(instances))
	if err != nil {
		return nil, nil, err
	}
	var tasks []*task
	var failures []Failure
	for _, idx := range res.Placed {
		ci := instances[idx]
		t := e.newTask(spec, ci)
		t.explanation = res.Explanation.String()
		if awsvpc != nil {
			if err := e.attachENI(t, awsvpc, ci.az); err != nil {
				failures = append(failures, Failure{Arn: aws.String(ci.arn), Reason: aws.String(err.Error())})
				continue
			}
		}
		e.addTask(t)
		e.launch(t)
		tasks = append(tasks, t)
	}
	for _, f := range res.Failures {
		failures = append(failures, Failure{Arn: aws.String(f.ARN), Reason: aws.String(f.Reason)})
	}
	if len(res.Placed) < req.Count {
		e.lastPlacementFailure = res.Explanation.String()
		e.lastClosest = res.Closest
		e.sim.Recordf("ecs", "TaskPlacementFailed", spec.cluster.arn, "%d of %d %s tasks (group %s) found no container instance in %s",
			req.Count-len(res.Placed), req.Count, familyRevision(spec.def), spec.group, spec.cluster.name)
	}
	return tasks, failures, nil
}

// registeredInstances lists the cluster's ACTIVE and DRAINING container
// instances in registration order.
func (e *ECS) registeredInstances(c *cluster) []*containerInstance {
	var out []*containerInstance
	for _, ci := range c.instances {
		if ci.status != instanceInactive {
			out = append(out, ci)
		}
	}
	return out
}

// candidates describes the instances as the placement engine sees them.
// It sums what used sums, but straight into the placement view: a
// placement reads every instance of the cluster (or of a provider's group),
// so this is built for each instance on every launch.
func (e *ECS) candidates(instances []*containerInstance) []placement.Instance {
	out := make([]placement.Instance, len(instances))
	var static map[portKey]bool
	for i, ci := range instances {
		cpu, memory, enis, running := 0, 0, 0, 0
		used := make(map[placement.Port]bool, len(reservedPorts)+2*len(ci.tasks))
		for _, p := range reservedPorts {
			used[placement.Port{Number: p, Protocol: "tcp"}] = true
		}
		clear(static)
		groups := make(map[string]int, 2)
		for _, t := range ci.tasks {
			cpu += t.reservedCPU
			memory += t.reservedMemory
			for _, c := range t.containers {
				for _, b := range c.bindings {
					if b.HostPort != nil && *b.HostPort > 0 {
						used[placement.Port{Number: *b.HostPort, Protocol: protocolOf(b.Protocol)}] = true
					}
				}
			}
			for _, p := range t.static {
				if static == nil {
					static = map[portKey]bool{}
				}
				static[p] = true
			}
			if t.eni != nil {
				enis++
			}
			if t.lastStatus == taskRunning {
				running++
			}
			groups[t.group]++
		}
		out[i] = placement.Instance{
			ARN:               ci.arn,
			ID:                ci.id,
			EC2InstanceID:     ci.ec2ID,
			Status:            ci.status,
			AgentConnected:    ci.agentConnected,
			AgentVersion:      ci.agentVersion,
			RegisteredAt:      ci.registeredAt,
			Attributes:        ci.attributes,
			RemainingCPU:      ci.registeredCPU - cpu,
			RemainingMemory:   ci.registeredMemory - memory,
			UsedPorts:         used,
			ReservedPortCount: len(reservedPorts) + len(static),
			FreeENIs:          ci.maxENIs - 1 - enis,
			RunningTasks:      running,
			Groups:            groups,
		}
	}
	return out
}

// addTask records a new task in the cluster and on its instance.
func (e *ECS) addTask(t *task) {
	e.taskSeq++
	t.seq = e.taskSeq
	e.tasks[t.id] = t
	t.cluster.tasks = append(t.cluster.tasks, t)
	if t.service != nil {
		t.service.members = append(t.service.members, t)
	}
	if t.instance != nil {
		t.instance.tasks = append(t.instance.tasks, t)
		t.instance.touch()
	}
}

// forgetTask drops a task stopped an hour ago: DescribeTasks then reports
// it MISSING, as AWS does once a stopped task is gone.
func (e *ECS) forgetTask(t *task) {
	e.bankCost(t)
	delete(e.tasks, t.id)
	c := t.cluster
	for i, other := range c.tasks {
		if other == t {
			c.tasks = append(c.tasks[:i], c.tasks[i+1:]...)
			break
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// checkTaskRoles refuses to start tasks whose task or execution role ECS
// cannot assume: the role must exist and trust ecs-tasks.amazonaws.com
// [DG:task_execution_IAM_role], [DG:task-iam-roles].
func (e *ECS) checkTaskRoles(td *TaskDefinition, o *TaskOverride) error {
	if e.iam == nil {
		return nil
	}
	roles := []string{deref(td.TaskRoleArn), deref(td.ExecutionRoleArn)}
	if o != nil {
		if o.TaskRoleArn != nil {
			roles[0] = *o.TaskRoleArn
		}
		if o.ExecutionRoleArn != nil {
			roles[1] = *o.ExecutionRoleArn
		}
	}
	for _, role := range roles {
		if role == "" {
			continue
		}
		arn, ok := e.iam.RoleARN(role)
		if !ok || !e.iam.TrustsService(arn, "ecs-tasks.amazonaws.com") {
			// The text users report (e.g. https://github.com/aws/amazon-ecs-cli/issues/1042)
			return clientErr("ECS was unable to assume the role '%s' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.", role)
		}
	}
	return nil
}
