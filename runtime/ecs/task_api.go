package ecs

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// maxDescribeTasks: DescribeTasks takes up to 100 tasks [API:DescribeTasksRequest].
const maxDescribeTasks = 100

// lookupTask finds a task of cluster c by ID or ARN.
func (e *ECS) lookupTask(c *cluster, ref string) (*task, bool) {
	id := ref
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		id = ref[i+1:]
	}
	t, ok := e.tasks[id]
	if !ok || t.cluster != c {
		return nil, false
	}
	if strings.HasPrefix(ref, "arn:") && ref != t.arn {
		return nil, false
	}
	return t, true
}

// taskARNFor is the ARN a task reference names in cluster c, for failures.
func (e *ECS) taskARNFor(c *cluster, ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return e.arn("task/" + c.name + "/" + ref)
}

// DescribeTasks describes tasks by ID or ARN; a task that does not exist
// (or stopped more than an hour ago) is a failure with reason MISSING
// [API:DescribeTasks], reference 3.5.
func (e *ECS) DescribeTasks(in *DescribeTasksRequest) (*DescribeTasksResponse, error) {
	if in == nil {
		in = &DescribeTasksRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if len(in.Tasks) > maxDescribeTasks {
		// text not verified
		return nil, invalidParam("Tasks cannot have more than %d elements.", maxDescribeTasks)
	}
	withTags := false
	for _, f := range in.Include {
		if f != TaskFieldTAGS {
			return nil, enumError("include", f, []string{TaskFieldTAGS})
		}
		withTags = true
	}
	out := &DescribeTasksResponse{Tasks: []Task{}, Failures: []Failure{}}
	for _, ref := range in.Tasks {
		if t, ok := e.lookupTask(c, ref); ok {
			out.Tasks = append(out.Tasks, e.describeTask(t, withTags))
		} else {
			out.Failures = append(out.Failures, Failure{Arn: aws.String(e.taskARNFor(c, ref)), Reason: aws.String("MISSING")})
		}
	}
	return out, nil
}

// ListTasks lists task ARNs of a cluster, filtered as the request says:
// desiredStatus RUNNING by default [API:ListTasksRequest], in the order the
// tasks were created.
func (e *ECS) ListTasks(in *ListTasksRequest) (*ListTasksResponse, error) {
	if in == nil {
		in = &ListTasksRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	desired := taskRunning
	if in.DesiredStatus != nil {
		desired = *in.DesiredStatus
		if !oneOf(desired, []string{DesiredStatusRUNNING, DesiredStatusPENDING, DesiredStatusSTOPPED}) {
			return nil, enumError("desiredStatus", desired, []string{DesiredStatusRUNNING, DesiredStatusPENDING, DesiredStatusSTOPPED})
		}
	}
	var instance *containerInstance
	if in.ContainerInstance != nil {
		ci, ok := e.lookupInstance(c, *in.ContainerInstance)
		if !ok {
			// text not verified
			return nil, invalidParam("The referenced container instance %s was not found.", *in.ContainerInstance)
		}
		instance = ci
	}
	var keys []string
	for _, t := range sortedTasks(c.tasks) {
		switch {
		case t.desiredStatus != desired && !(desired == DesiredStatusPENDING && t.lastStatus == taskPending):
			continue
		case instance != nil && t.instance != instance:
			continue
		case in.Family != nil && deref(t.def.Family) != *in.Family:
			continue
		case in.StartedBy != nil && t.startedBy != *in.StartedBy:
			continue
		case in.ServiceName != nil && t.group != "service:"+*in.ServiceName:
			continue
		case in.LaunchType != nil && t.launchType != *in.LaunchType:
			continue
		}
		keys = append(keys, t.arn)
	}
	position := map[string]int{}
	for i, k := range keys {
		position[k] = i
	}
	page, next, err := paginate("ListTasks", keys, in.MaxResults, in.NextToken, func(a, b string) bool {
		pb, ok := position[b]
		return !ok || position[a] > pb
	})
	if err != nil {
		return nil, err
	}
	return &ListTasksResponse{TaskArns: nonNil(page), NextToken: next}, nil
}

// StopTask stops a task: desiredStatus becomes STOPPED at once, and the
// containers get SIGTERM, then SIGKILL after their stop timeout
// [API:StopTask]. The reason, up to 255 characters, becomes stoppedReason.
func (e *ECS) StopTask(in *StopTaskRequest) (*StopTaskResponse, error) {
	if in == nil {
		in = &StopTaskRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	t, ok := e.lookupTask(c, deref(in.Task))
	if !ok {
		// text not verified (commonly reported as "The referenced task was not found.")
		return nil, invalidParam("The referenced task was not found.")
	}
	reason := reasonStoppedByUser
	if in.Reason != nil {
		if len(*in.Reason) > 255 {
			// text not verified; the limit is [API:StopTaskRequest]
			return nil, invalidParam("reason can be at most 255 characters.")
		}
		reason = *in.Reason
	}
	e.stopTask(t, stopUserInitiated, reason)
	out := e.describeTask(t, false)
	return &StopTaskResponse{Task: &out}, nil
}

// StartTask starts a task on each of the named container instances (up to
// 10), with no placement strategy: each instance either has room or is
// reported in failures [API:StartTask], reference 3.5.
func (e *ECS) StartTask(in *StartTaskRequest) (*StartTaskResponse, error) {
	if in == nil {
		in = &StartTaskRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	td, err := e.taskDefinitionForUse(deref(in.TaskDefinition))
	if err != nil {
		return nil, err
	}
	if len(in.ContainerInstances) == 0 || len(in.ContainerInstances) > maxRunTaskCount {
		// text not verified; the limit is [API:StartTaskRequest]
		return nil, invalidParam("containerInstances must name between 1 and %d container instances.", maxRunTaskCount)
	}
	spec, err := e.taskSpecFor(c, td, launchEC2, taskRequest{
		group: in.Group, startedBy: in.StartedBy, overrides: in.Overrides, tags: in.Tags,
		propagateTags: in.PropagateTags, enableExecuteCommand: in.EnableExecuteCommand,
	})
	if err != nil {
		return nil, err
	}
	awsvpc, err := e.checkNetworkConfiguration(td, launchEC2, in.NetworkConfiguration)
	if err != nil {
		return nil, err
	}
	req, err := placementRequest(spec, td, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	req.Count = 1
	req.Rand = e.sim.Rand()
	if awsvpc != nil {
		req.Task.NeedsENI = true
		req.Task.SubnetAZs = e.subnetAZs(awsvpc.Subnets)
	}
	out := &StartTaskResponse{Tasks: []Task{}, Failures: []Failure{}}
	for _, ref := range in.ContainerInstances {
		ci, ok := e.lookupInstance(c, ref)
		switch {
		case !ok:
			out.Failures = append(out.Failures, Failure{Arn: aws.String(e.instanceARNFor(c, ref)), Reason: aws.String("MISSING")})
			continue
		case ci.status == instanceInactive:
			out.Failures = append(out.Failures, Failure{Arn: aws.String(ci.arn), Reason: aws.String("INACTIVE")})
			continue
		}
		res, err := placement.Place(req, e.candidates([]*containerInstance{ci}))
		if err != nil {
			return nil, err
		}
		if len(res.Placed) == 0 {
			reason := "RESOURCE"
			if len(res.Failures) > 0 {
				reason = res.Failures[0].Reason
			}
			out.Failures = append(out.Failures, Failure{Arn: aws.String(ci.arn), Reason: aws.String(reason)})
			continue
		}
		t := e.newTask(spec, ci)
		t.explanation = res.Explanation.String()
		if awsvpc != nil {
			if err := e.attachENI(t, awsvpc, ci.az); err != nil {
				out.Failures = append(out.Failures, Failure{Arn: aws.String(ci.arn), Reason: aws.String(err.Error())})
				continue
			}
		}
		e.addTask(t)
		e.launch(t)
		out.Tasks = append(out.Tasks, e.describeTask(t, false))
	}
	return out, nil
}

// Explain returns how placement decided for the task with this ARN or ID,
// or, with an empty reference, for the last placement that left tasks
// unplaced. sim.explain shows it.
func (e *ECS) Explain(ref string) (string, bool) {
	if ref == "" {
		return e.lastPlacementFailure, e.lastPlacementFailure != ""
	}
	id := ref
	if i := strings.LastIndexByte(ref, '/'); i >= 0 {
		id = ref[i+1:]
	}
	t, ok := e.tasks[id]
	if !ok {
		return "", false
	}
	return t.explanation, true
}
