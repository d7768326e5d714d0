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
	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/containers"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/ecr"
	"github.com/ecsbox/ecsbox/runtime/ecs/placement"
	"github.com/ecsbox/ecsbox/runtime/elbv2"
	"github.com/ecsbox/ecsbox/runtime/iam"
	"github.com/ecsbox/ecsbox/runtime/logs"
	"github.com/ecsbox/ecsbox/runtime/servicediscovery"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Config configures the ECS service. ECS works with the account's EC2 (its
// instances run the agent, awsvpc tasks take ENIs from its subnets) and IAM
// (the instance role decides whether the agent may register).
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
	EC2      *ec2.EC2
	IAM      *iam.IAM
	// Metrics receives the AWS/ECS metrics; nil publishes nothing.
	Metrics Metrics
	// Logs receives what awslogs containers print; nil drops it.
	Logs *logs.Logs
	// ECR is the registry task images are pulled from; nil pulls anything.
	ECR *ecr.ECR
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

	ec2 *ec2.EC2
	iam *iam.IAM
	asg *autoscaling.AutoScaling

	// providers holds the capacity providers by name: FARGATE,
	// FARGATE_SPOT and the Auto Scaling group providers (capacity.go).
	providers map[string]*capacityProvider
	// spotRate is the Fargate Spot interruption rate per task-hour
	// (sim.set_spot_interruption_rate; 0: none).
	spotRate   float64
	casRunning bool
	// runs are the EC2 instances' running intervals, for Cost.
	runs []*instanceRun
	// forgottenCost is what tasks cost that DescribeTasks has forgotten,
	// by provider key.
	forgottenCost map[string]float64

	// tasks holds every task by ID until an hour after it stops.
	tasks   map[string]*task
	taskSeq int
	// instanceByEC2 maps EC2 instance IDs to their registered container
	// instance.
	instanceByEC2 map[string]*containerInstance
	// lastPlacementFailure explains the last placement that left tasks
	// unplaced, for sim.explain().
	lastPlacementFailure string
	lastClosest          *placement.Failure

	// metrics and sampling: the AWS/ECS metrics (metrics.go).
	metrics  Metrics
	sampling bool
	logs     *logs.Logs
	ecr      *ecr.ECR
	// driver runs tasks as real containers (docker mode, driver.go); nil
	// in simulation.
	driver containers.Driver

	// elb and sd are the account's load balancers and Cloud Map, for
	// services with loadBalancers and serviceRegistries (loadbalancing.go,
	// service_registries.go); targetTasks finds the task behind a target.
	elb         *elbv2.ELBv2
	sd          *servicediscovery.ServiceDiscovery
	targetTasks map[string]*task
}

// New returns the ECS service of an account with no clusters and no task
// definitions.
func New(cfg Config) *ECS {
	e := &ECS{
		sim:           cfg.Sim,
		id:            cfg.Identity,
		clusters:      map[string]*cluster{},
		families:      map[string]*taskDefFamily{},
		ec2:           cfg.EC2,
		metrics:       cfg.Metrics,
		logs:          cfg.Logs,
		ecr:           cfg.ECR,
		iam:           cfg.IAM,
		tasks:         map[string]*task{},
		instanceByEC2: map[string]*containerInstance{},
		targetTasks:   map[string]*task{},
		providers:     map[string]*capacityProvider{},
	}
	e.newBuiltinProviders()
	if e.ec2 != nil {
		e.watchInstances()
	}
	return e
}

// arn builds an ECS ARN of this account and region for resource, e.g.
// "cluster/demo" or "task-definition/web:3" [DG:ecs-account-settings].
func (e *ECS) arn(resource string) string {
	return awsARN("ecs", e.id.Region, e.id.AccountID, resource)
}
