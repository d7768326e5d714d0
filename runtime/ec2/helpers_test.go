package ec2

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func newTestEC2() (*EC2, *sim.Sim) {
	s := sim.New(sim.Config{})
	return New(Config{Sim: s, Identity: aws.DefaultIdentity()}), s
}

// ecsAMI is the ECS-optimized Amazon Linux 2023 x86_64 AMI of us-east-1.
const ecsAMI = "ami-0f3f5e1b8c2d4a6e9"

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

func runOne(t *testing.T, e *EC2, in *RunInstancesRequest) Instance {
	t.Helper()
	if in.MinCount == nil {
		in.MinCount, in.MaxCount = aws.Int(1), aws.Int(1)
	}
	if in.ImageId == nil {
		in.ImageId = aws.String(ecsAMI)
	}
	out, err := e.RunInstances(in)
	if err != nil {
		t.Fatalf("RunInstances: %v", err)
	}
	if len(out.Instances) != 1 {
		t.Fatalf("launched %d instances, want 1", len(out.Instances))
	}
	return out.Instances[0]
}

func advance(t *testing.T, s *sim.Sim, d time.Duration) {
	t.Helper()
	if err := s.Advance(context.Background(), d); err != nil {
		t.Fatal(err)
	}
}
