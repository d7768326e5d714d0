// Package ecs simulates Amazon Elastic Container Service.
//
// Each exported method named after an ECS API action takes that action's
// request struct (types_gen.go, generated from the botocore model) and
// returns its response struct, or an *awserr.Error with AWS's code and
// message. Behaviour follows ../shared/reference/ecs-behavior.md; the tags in
// comments ([API:...], [DG:...]) are its source keys.
//
// Resources and where they live:
//
//	cluster.go           CreateCluster, DescribeClusters, ListClusters, DeleteCluster
//	taskdef.go           the task definition registry: Register, Describe, List,
//	                     ListFamilies, Deregister, Delete
//	taskdef_normalize.go cpu/memory strings and the defaults AWS fills in
//	taskdef_validate.go  the refusals of RegisterTaskDefinition
//	taskdef_compat.go    compatibilities and requiresAttributes
//	pagination.go        nextToken handling shared by the List operations
//
// Every stored resource is copied on the way in and on the way out, so a
// caller that changes a request or response after the call cannot change the
// simulated account.
package ecs

import (
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Config configures the ECS service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
}

// ECS is the simulated ECS service of one account and region.
type ECS struct {
	sim *sim.Sim
	id  aws.Identity

	// clusters holds every cluster by name, ACTIVE and INACTIVE alike:
	// AWS keeps deleted clusters describable for a while [API:DeleteCluster].
	clusters map[string]*cluster
	// families holds the task definition families by name. A family is never
	// removed, so revision numbers are never reused [API:TaskDefinition].
	families map[string]*taskDefFamily
}

// New returns the ECS service of an account with no clusters and no task
// definitions.
func New(cfg Config) *ECS {
	return &ECS{
		sim:      cfg.Sim,
		id:       cfg.Identity,
		clusters: map[string]*cluster{},
		families: map[string]*taskDefFamily{},
	}
}

// arn builds an ECS ARN of this account and region for resource, e.g.
// "cluster/demo" or "task-definition/web:3" [DG:ecs-account-settings].
func (e *ECS) arn(resource string) string {
	return awsARN("ecs", e.id.Region, e.id.AccountID, resource)
}
