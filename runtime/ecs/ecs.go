// Package ecs simulates Amazon Elastic Container Service.
//
// Each exported method named after an ECS API action takes that action's
// request struct (types_gen.go, generated from the botocore model) and
// returns its response struct, or an *awserr.Error with AWS's code and
// message. Behaviour follows ../shared/reference/ecs-behavior.md; the tags in
// comments ([API:...], [DG:...]) are its source keys.
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
}

// New returns the ECS service of an account with no clusters and no task
// definitions.
func New(cfg Config) *ECS {
	return &ECS{sim: cfg.Sim, id: cfg.Identity}
}
