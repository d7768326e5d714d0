// Package runtime is the simulated AWS account: it composes the services
// (ecs today; ec2, autoscaling, cloudwatch and the rest as they are built)
// over one simulation kernel, and resolves what one service needs of another.
//
// Nothing in runtime knows about Starlark. The builtins package converts
// Starlark values to the request structs of these services and back.
package runtime

import (
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/ecs"
	"github.com/ecsbox/ecsbox/runtime/sim"
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
	Sim      *sim.Sim
	Identity aws.Identity
	ECS      *ecs.ECS
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
	return &Cloud{
		Sim:      s,
		Identity: cfg.Identity,
		ECS:      ecs.New(ecs.Config{Sim: s, Identity: cfg.Identity}),
	}
}

// Service returns the Go value that implements the operations of the
// service whose boto3 client name is module, or nil when ecsbox does not
// simulate any of that service yet. An operation is implemented when the
// value has a method named after it (RegisterTaskDefinition) that takes the
// operation's request struct and returns its response struct and an error.
func (c *Cloud) Service(module string) any {
	switch module {
	case "ecs":
		return c.ECS
	}
	return nil
}
