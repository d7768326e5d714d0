// Package runtime is the simulated AWS account: it composes the services
// (iam, ec2, ssm and ecs today; autoscaling, cloudwatch and the rest as they
// are built) over one simulation kernel, and hands each service the others
// it works with.
//
// Nothing in runtime knows about Starlark. The builtins package converts
// Starlark values to the request structs of these services and back.
package runtime

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/appscaling"
	"github.com/ecsbox/ecsbox/runtime/autoscaling"
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/cloudwatch"
	"github.com/ecsbox/ecsbox/runtime/ec2"
	"github.com/ecsbox/ecsbox/runtime/ecr"
	"github.com/ecsbox/ecsbox/runtime/ecs"
	"github.com/ecsbox/ecsbox/runtime/elbv2"
	"github.com/ecsbox/ecsbox/runtime/iam"
	"github.com/ecsbox/ecsbox/runtime/logs"
	"github.com/ecsbox/ecsbox/runtime/servicediscovery"
	"github.com/ecsbox/ecsbox/runtime/sim"
	"github.com/ecsbox/ecsbox/runtime/ssm"
)

// Config configures a Cloud. Zero fields take the defaults: account
// 123456789012, region us-east-1, seed 1, start 2025-01-01T00:00:00Z.
type Config struct {
	Seed     uint64
	Identity aws.Identity
	Start    time.Time
}

// Cloud is one simulated AWS account in one region.
type Cloud struct {
	Sim         *sim.Sim
	Identity    aws.Identity
	IAM         *iam.IAM
	EC2         *ec2.EC2
	SSM         *ssm.SSM
	ECR         *ecr.ECR
	ECS         *ecs.ECS
	CloudWatch  *cloudwatch.CloudWatch
	AppScaling  *appscaling.AppScaling
	Logs        *logs.Logs
	AutoScaling *autoscaling.AutoScaling
	ELBv2       *elbv2.ELBv2
	// ServiceDiscovery is AWS Cloud Map.
	ServiceDiscovery *servicediscovery.ServiceDiscovery
}

// New returns a new account with nothing in it but what a new AWS account
// has.
func New(cfg Config) *Cloud {
	if cfg.Identity.AccountID == "" {
		cfg.Identity.AccountID = aws.DefaultAccountID
	}
	if cfg.Identity.Region == "" {
		cfg.Identity.Region = aws.DefaultRegion
	}
	s := sim.New(sim.Config{Seed: cfg.Seed, Start: cfg.Start})
	id := cfg.Identity
	c := &Cloud{Sim: s, Identity: id}
	// The order matters for determinism: each service draws its first IDs
	// (the default VPC's, for EC2) from the one generator as it is made.
	c.IAM = iam.New(iam.Config{Sim: s, Identity: id})
	c.EC2 = ec2.New(ec2.Config{Sim: s, Identity: id})
	c.SSM = ssm.New(ssm.Config{Sim: s, Identity: id, EC2: c.EC2})
	c.ECR = ecr.New(ecr.Config{Sim: s, Identity: id})
	c.CloudWatch = cloudwatch.New(cloudwatch.Config{Sim: s, Identity: id})
	c.Logs = logs.New(logs.Config{Sim: s, Identity: id})
	c.ECS = ecs.New(ecs.Config{Sim: s, Identity: id, EC2: c.EC2, IAM: c.IAM, Metrics: c.CloudWatch, Logs: c.Logs, ECR: c.ECR})
	c.AppScaling = appscaling.New(appscaling.Config{Sim: s, Identity: id, Alarms: alarmsIn{c.CloudWatch}})
	c.AppScaling.SetResources(scalableResources{c.ECS})
	// After ECS, so that ECS's agent sees an instance's state changes first.
	c.AutoScaling = autoscaling.New(autoscaling.Config{Sim: s, Identity: id, EC2: c.EC2, Alarms: asgAlarms{alarmsIn{c.CloudWatch}}})
	c.ECS.SetAutoScaling(c.AutoScaling)
	c.CloudWatch.OnAction("arn:aws:autoscaling:", c.routeAutoScalingActions)
	// Load balancers check targets through EC2's security groups and
	// publish AWS/ApplicationELB metrics; until ECS answers for its tasks
	// (SetBackends), no target answers.
	c.ELBv2 = elbv2.New(elbv2.Config{Sim: s, Identity: id, EC2: c.EC2, Metrics: c.CloudWatch})
	c.ServiceDiscovery = servicediscovery.New(servicediscovery.Config{Sim: s, Identity: id})
	c.ECS.SetLoadBalancing(c.ELBv2, c.ServiceDiscovery)
	return c
}

// Service returns the Go value that implements the operations of the
// service whose boto3 client name is module, or nil when ecsbox does not
// simulate any of that service yet. An operation is implemented when the
// value has a method named after it (RegisterTaskDefinition) that takes the
// operation's request struct and returns its response struct and an error.
func (c *Cloud) Service(module string) any {
	switch module {
	case "iam":
		return c.IAM
	case "ec2":
		return c.EC2
	case "ssm":
		return c.SSM
	case "ecr":
		return c.ECR
	case "ecs":
		return c.ECS
	case "cloudwatch":
		return c.CloudWatch
	case "application_autoscaling":
		return c.AppScaling
	case "logs":
		return c.Logs
	case "autoscaling":
		return c.AutoScaling
	case "elbv2":
		return c.ELBv2
	case "servicediscovery":
		return c.ServiceDiscovery
	}
	return nil
}
