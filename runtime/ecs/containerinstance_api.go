package ecs

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
)

// maxDescribeContainerInstances: DescribeContainerInstances takes up to 100
// [API:DescribeContainerInstancesRequest].
const maxDescribeContainerInstances = 100

// lookupInstance finds a container instance of cluster c by ID or ARN.
func (e *ECS) lookupInstance(c *cluster, ref string) (*containerInstance, bool) {
	for _, ci := range c.instances {
		if ref == ci.arn || ref == ci.id {
			return ci, true
		}
	}
	return nil, false
}

// instanceARNFor is the ARN a container instance reference names, for
// failures.
func (e *ECS) instanceARNFor(c *cluster, ref string) string {
	if strings.HasPrefix(ref, "arn:") {
		return ref
	}
	return e.arn("container-instance/" + c.name + "/" + ref)
}

// ListContainerInstances lists the container instances of a cluster,
// optionally those with a status or matching a cluster query language
// filter [API:ListContainerInstances], [DG:cluster-query-language].
// INACTIVE instances are listed only when asked for by status.
func (e *ECS) ListContainerInstances(in *ListContainerInstancesRequest) (*ListContainerInstancesResponse, error) {
	if in == nil {
		in = &ListContainerInstancesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	statuses := []string{ContainerInstanceStatusACTIVE, ContainerInstanceStatusDRAINING, ContainerInstanceStatusREGISTERING, ContainerInstanceStatusDEREGISTERING, ContainerInstanceStatusREGISTRATIONFAILED}
	if in.Status != nil && !oneOf(*in.Status, statuses) && *in.Status != instanceInactive {
		return nil, enumError("status", *in.Status, statuses)
	}
	var filter *placement.Expr
	if f := deref(in.Filter); f != "" {
		filter, err = placement.ParseExpression(f)
		if err != nil {
			return nil, err
		}
	}
	var candidates []*containerInstance
	for _, ci := range c.instances {
		switch {
		case in.Status != nil && ci.status != *in.Status:
		case in.Status == nil && ci.status == instanceInactive:
		default:
			candidates = append(candidates, ci)
		}
	}
	var keys []string
	views := e.candidates(candidates)
	for i, ci := range candidates {
		if filter != nil && !filter.Match(&views[i]) {
			continue
		}
		keys = append(keys, ci.arn)
	}
	position := map[string]int{}
	for i, k := range keys {
		position[k] = i
	}
	page, next, err := paginate("ListContainerInstances", keys, in.MaxResults, in.NextToken, func(a, b string) bool {
		pb, ok := position[b]
		return !ok || position[a] > pb
	})
	if err != nil {
		return nil, err
	}
	return &ListContainerInstancesResponse{ContainerInstanceArns: nonNil(page), NextToken: next}, nil
}

// DescribeContainerInstances describes container instances by ID or ARN:
// registered and remaining resources, task counts, attributes, the agent
// [API:DescribeContainerInstances]. Unknown ones are MISSING failures.
func (e *ECS) DescribeContainerInstances(in *DescribeContainerInstancesRequest) (*DescribeContainerInstancesResponse, error) {
	if in == nil {
		in = &DescribeContainerInstancesRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	if len(in.ContainerInstances) > maxDescribeContainerInstances {
		// text not verified
		return nil, invalidParam("ContainerInstances cannot have more than %d elements.", maxDescribeContainerInstances)
	}
	withTags := false
	for _, f := range in.Include {
		switch f {
		case ContainerInstanceFieldTAGS:
			withTags = true
		case ContainerInstanceFieldCONTAINERINSTANCEHEALTH:
		default:
			return nil, enumError("include", f, []string{ContainerInstanceFieldTAGS, ContainerInstanceFieldCONTAINERINSTANCEHEALTH})
		}
	}
	out := &DescribeContainerInstancesResponse{ContainerInstances: []ContainerInstance{}, Failures: []Failure{}}
	for _, ref := range in.ContainerInstances {
		if ci, ok := e.lookupInstance(c, ref); ok {
			out.ContainerInstances = append(out.ContainerInstances, ci.describe(withTags))
		} else {
			out.Failures = append(out.Failures, Failure{Arn: aws.String(e.instanceARNFor(c, ref)), Reason: aws.String("MISSING")})
		}
	}
	return out, nil
}

// DeregisterContainerInstance removes a container instance from its
// cluster. With tasks still on it the call fails unless force is set; then
// the tasks run on, orphaned: ECS no longer tracks them against the
// instance [API:DeregisterContainerInstance].
func (e *ECS) DeregisterContainerInstance(in *DeregisterContainerInstanceRequest) (*DeregisterContainerInstanceResponse, error) {
	if in == nil {
		in = &DeregisterContainerInstanceRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	ci, ok := e.lookupInstance(c, deref(in.ContainerInstance))
	if !ok || ci.status == instanceInactive {
		// text not verified
		return nil, invalidParam("The referenced container instance %s was not found.", deref(in.ContainerInstance))
	}
	if len(ci.tasks) > 0 && !aws.ToBool(in.Force) {
		// text not verified: the rule is [API:DeregisterContainerInstanceRequest]
		return nil, invalidParam("Found running tasks on the instance. Stop the tasks or use force to deregister the container instance.")
	}
	e.deregister(ci, "deregistered")
	out := ci.describe(false)
	return &DeregisterContainerInstanceResponse{ContainerInstance: &out}, nil
}

// deregister marks the instance INACTIVE; its tasks stay as they are.
func (e *ECS) deregister(ci *containerInstance, why string) {
	if ci.status == instanceInactive {
		return
	}
	ci.status = instanceInactive
	ci.agentConnected = false
	ci.touch()
	e.sim.Recordf("ecs", "ContainerInstanceDeregistered", ci.arn, "container instance %s (%s) %s from cluster %s", ci.id, ci.ec2ID, why, ci.cluster.name)
	e.reconcileCluster(ci.cluster)
}

// UpdateContainerInstancesState sets container instances ACTIVE or
// DRAINING. A DRAINING instance gets no new tasks; its service tasks are
// replaced by the service scheduler, its standalone tasks run on
// [DG:container-instance-draining].
func (e *ECS) UpdateContainerInstancesState(in *UpdateContainerInstancesStateRequest) (*UpdateContainerInstancesStateResponse, error) {
	if in == nil {
		in = &UpdateContainerInstancesStateRequest{}
	}
	c, err := e.lookupCluster(deref(in.Cluster))
	if err != nil {
		return nil, err
	}
	status := deref(in.Status)
	if status != instanceActive && status != instanceDraining {
		return nil, enumError("status", status, []string{instanceActive, instanceDraining})
	}
	if len(in.ContainerInstances) > 10 { // up to 10 per call [API:UpdateContainerInstancesStateRequest]
		// text not verified
		return nil, invalidParam("containerInstances can have at most 10 items.")
	}
	out := &UpdateContainerInstancesStateResponse{ContainerInstances: []ContainerInstance{}, Failures: []Failure{}}
	for _, ref := range in.ContainerInstances {
		ci, ok := e.lookupInstance(c, ref)
		if !ok || ci.status == instanceInactive {
			out.Failures = append(out.Failures, Failure{Arn: aws.String(e.instanceARNFor(c, ref)), Reason: aws.String("MISSING")})
			continue
		}
		if ci.status != status {
			ci.status = status
			ci.touch()
			e.sim.Recordf("ecs", "ContainerInstance"+statusWord(status), ci.arn, "container instance %s (%s) is %s", ci.id, ci.ec2ID, status)
			e.reconcileCluster(c)
		}
		out.ContainerInstances = append(out.ContainerInstances, ci.describe(false))
	}
	return out, nil
}
