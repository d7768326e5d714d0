package ecs

import (
	"errors"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func newTestECS() *ECS {
	return New(Config{Sim: sim.New(sim.Config{}), Identity: aws.DefaultIdentity()})
}

// ec2Request is a minimal valid EC2 task definition request.
func ec2Request(family string) *RegisterTaskDefinitionRequest {
	return &RegisterTaskDefinitionRequest{
		Family: aws.String(family),
		ContainerDefinitions: []ContainerDefinition{{
			Name:   aws.String("app"),
			Image:  aws.String("nginx"),
			Memory: aws.Int(128),
		}},
	}
}

// fargateRequest is a minimal valid Fargate task definition request.
func fargateRequest(family, cpu, memory string) *RegisterTaskDefinitionRequest {
	return &RegisterTaskDefinitionRequest{
		Family:                  aws.String(family),
		RequiresCompatibilities: []string{CompatibilityFARGATE},
		NetworkMode:             aws.String(NetworkModeAwsvpc),
		Cpu:                     aws.String(cpu),
		Memory:                  aws.String(memory),
		ContainerDefinitions: []ContainerDefinition{{
			Name:  aws.String("app"),
			Image: aws.String("nginx"),
		}},
	}
}

func wantAWSError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want %s: %s", err, code, msg)
	}
	if e.Code != code || e.Message != msg {
		t.Fatalf("got %s: %s\nwant %s: %s", e.Code, e.Message, code, msg)
	}
}

func mustRegister(t *testing.T, e *ECS, in *RegisterTaskDefinitionRequest) *TaskDefinition {
	t.Helper()
	out, err := e.RegisterTaskDefinition(in)
	if err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	return out.TaskDefinition
}
