package iam

import (
	"errors"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func newTestIAM() *IAM {
	return New(Config{Sim: sim.New(sim.Config{}), Identity: aws.DefaultIdentity()})
}

// Trust policies of the roles ECS uses [DG:instance_IAM_role],
// [DG:task_execution_IAM_role].
const (
	ec2Trust = `{"Version":"2008-10-17","Statement":[{"Sid":"","Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	ecsTasks = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
)

// wantErr fails unless err is an *awserr.Error with code and message.
func wantErr(t *testing.T, err error, code, message string) {
	t.Helper()
	var e *awserr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s: %s", err, code, message)
	}
	if e.Code != code || e.Message != message {
		t.Fatalf("error = %q, want %q", e.Error(), code+": "+message)
	}
}

// must returns v, or panics with err: for set-up calls that cannot fail.
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func createRole(t *testing.T, i *IAM, name, trust string) *Role {
	t.Helper()
	return must(i.CreateRole(&CreateRoleRequest{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})).Role
}

func attach(t *testing.T, i *IAM, role, arn string) {
	t.Helper()
	must(i.AttachRolePolicy(&AttachRolePolicyRequest{RoleName: aws.String(role), PolicyArn: aws.String(arn)}))
}

func putInline(t *testing.T, i *IAM, role, name, doc string) {
	t.Helper()
	must(i.PutRolePolicy(&PutRolePolicyRequest{RoleName: aws.String(role), PolicyName: aws.String(name), PolicyDocument: aws.String(doc)}))
}
