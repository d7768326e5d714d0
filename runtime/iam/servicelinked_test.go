package iam

import (
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestCreateServiceLinkedRole(t *testing.T) {
	cases := []struct {
		service, suffix, arn, policy string
	}{
		{"ecs.amazonaws.com", "", "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS", PolicyECSServiceRole},
		{"ecs.application-autoscaling.amazonaws.com", "", "arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService", PolicyApplicationAutoscalingECSService},
		{"autoscaling.amazonaws.com", "", "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling", PolicyAutoScalingServiceRole},
		{"autoscaling.amazonaws.com", "web", "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_web", PolicyAutoScalingServiceRole},
	}
	for _, c := range cases {
		i := newTestIAM()
		in := &CreateServiceLinkedRoleRequest{AWSServiceName: aws.String(c.service)}
		if c.suffix != "" {
			in.CustomSuffix = aws.String(c.suffix)
		}
		r := must(i.CreateServiceLinkedRole(in)).Role
		if aws.ToString(r.Arn) != c.arn || aws.ToString(r.Path) != "/aws-service-role/"+c.service+"/" {
			t.Errorf("%s: role %s at %s", c.service, aws.ToString(r.Arn), aws.ToString(r.Path))
		}
		if !i.TrustsService(c.arn, c.service) {
			t.Errorf("%s: the role does not trust its service", c.service)
		}
		attached := must(i.ListAttachedRolePolicies(&ListAttachedRolePoliciesRequest{RoleName: r.RoleName})).AttachedPolicies
		if len(attached) != 1 || *attached[0].PolicyArn != c.policy {
			t.Errorf("%s: attached %+v", c.service, attached)
		}
		_, err := i.CreateServiceLinkedRole(in)
		wantErr(t, err, InvalidInput, "Service role name "+*r.RoleName+" has been taken in this account, please try a different suffix.")
	}
}

func TestServiceLinkedRoleIsProtected(t *testing.T) {
	i := newTestIAM()
	arn := i.EnsureServiceLinkedRole("ecs.amazonaws.com")
	if arn != "arn:aws:iam::123456789012:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS" {
		t.Fatalf("arn = %s", arn)
	}
	if again := i.EnsureServiceLinkedRole("ecs.amazonaws.com"); again != arn || len(i.roles) != 1 {
		t.Errorf("EnsureServiceLinkedRole is not idempotent: %s, %d roles", again, len(i.roles))
	}
	if i.EnsureServiceLinkedRole("nothing.amazonaws.com") != "" {
		t.Error("unknown service got a role")
	}
	const msg = "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is only modifiable by AWS"
	_, err := i.DeleteRole(&DeleteRoleRequest{RoleName: aws.String("AWSServiceRoleForECS")})
	wantErr(t, err, UnmodifiableEntity, msg)
	_, err = i.AttachRolePolicy(&AttachRolePolicyRequest{RoleName: aws.String("AWSServiceRoleForECS"), PolicyArn: aws.String(PolicyAdministratorAccess)})
	wantErr(t, err, UnmodifiableEntity, msg)
	_, err = i.PutRolePolicy(&PutRolePolicyRequest{RoleName: aws.String("AWSServiceRoleForECS"), PolicyName: aws.String("x"), PolicyDocument: aws.String(s3Read)})
	wantErr(t, err, UnmodifiableEntity, msg)
	_, err = i.UpdateAssumeRolePolicy(&UpdateAssumeRolePolicyRequest{RoleName: aws.String("AWSServiceRoleForECS"), PolicyDocument: aws.String(ecsTasks)})
	wantErr(t, err, UnmodifiableEntity, msg)

	if d := i.Evaluate(arn, "ec2:CreateNetworkInterface", "*"); !d.Allowed || d.Statement != "AmazonECSServiceRolePolicy (aws-managed), statement ECSTaskManagement" {
		t.Errorf("decision = %+v", d)
	}
	tl := i.sim.Timeline()
	if len(tl) != 2 || tl[0].Message != "service-linked role AWSServiceRoleForECS created for ecs.amazonaws.com" || tl[1].Message != "policy AmazonECSServiceRolePolicy attached to role AWSServiceRoleForECS" {
		t.Errorf("timeline = %v", tl)
	}
}

func TestServiceLinkedRoleRefusals(t *testing.T) {
	i := newTestIAM()
	_, err := i.CreateServiceLinkedRole(&CreateServiceLinkedRoleRequest{AWSServiceName: aws.String("elasticloadbalancing.amazonaws.com")})
	if awserr.Code(err) != awserr.NotSimulated {
		t.Errorf("unknown service: %v", err)
	}
	_, err = i.CreateServiceLinkedRole(&CreateServiceLinkedRoleRequest{AWSServiceName: aws.String("ecs.amazonaws.com"), CustomSuffix: aws.String("x")})
	wantErr(t, err, InvalidInput, "Custom suffix is not allowed for ecs.amazonaws.com")
}
