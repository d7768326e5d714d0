package iam

import (
	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// serviceLinked describes the service-linked role of one AWS service: its
// name, the AWS managed policy AWS attaches, and its description.
type serviceLinked struct {
	roleName    string
	policyArn   string
	description string // text not verified
	suffix      bool   // whether CreateServiceLinkedRole accepts CustomSuffix
}

// serviceLinkedRoles are the service-linked roles ecsbox knows, by service
// principal: ECS's AWSServiceRoleForECS with AmazonECSServiceRolePolicy
// [DG:using-service-linked-roles], ECS service auto scaling's
// AWSServiceRoleForApplicationAutoScaling_ECSService [DG:service-auto-scaling],
// and EC2 Auto Scaling's AWSServiceRoleForAutoScaling, which accepts a custom
// suffix [ASG-UG:autoscaling-service-linked-role].
var serviceLinkedRoles = map[string]serviceLinked{
	"ecs.amazonaws.com": {
		roleName:    "AWSServiceRoleForECS",
		policyArn:   PolicyECSServiceRole,
		description: "Role to enable Amazon ECS to manage your cluster.",
	},
	"ecs.application-autoscaling.amazonaws.com": {
		roleName:  "AWSServiceRoleForApplicationAutoScaling_ECSService",
		policyArn: PolicyApplicationAutoscalingECSService,
	},
	"autoscaling.amazonaws.com": {
		roleName:    "AWSServiceRoleForAutoScaling",
		policyArn:   PolicyAutoScalingServiceRole,
		description: "Default Service-Linked Role enables access to AWS Services and Resources used or managed by Auto Scaling",
		suffix:      true,
	},
}

// serviceTrustPolicy is the trust policy of a service-linked role: the
// service may assume it.
func serviceTrustPolicy(service string) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"` + service + `"},"Action":"sts:AssumeRole"}]}`
}

// CreateServiceLinkedRole creates the service-linked role of an AWS service,
// at path /aws-service-role/<service>/, trusted by the service, with the
// service's managed policy attached [IAM-API:CreateServiceLinkedRole]. Its
// policies and trust cannot be changed, nor the role deleted with DeleteRole.
func (i *IAM) CreateServiceLinkedRole(in *CreateServiceLinkedRoleRequest) (*CreateServiceLinkedRoleResponse, error) {
	if in == nil {
		in = &CreateServiceLinkedRoleRequest{}
	}
	service := aws.ToString(in.AWSServiceName)
	slr, ok := serviceLinkedRoles[service]
	if !ok {
		return nil, awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate the service-linked role of %s", service)
	}
	name := slr.roleName
	if in.CustomSuffix != nil {
		if !slr.suffix {
			// text not verified
			return nil, invalidInput("Custom suffix is not allowed for %s", service)
		}
		var v validation
		v.name("customSuffix", *in.CustomSuffix, 64)
		if err := v.err(); err != nil {
			return nil, err
		}
		name += "_" + *in.CustomSuffix
	}
	if i.roles[key(name)] != nil {
		// InvalidInput, not EntityAlreadyExists: "Service role name
		// AWSServiceRoleForECS has been taken in this account, please try a
		// different suffix." (aws-cli output quoted in Karpenter's guide and
		// AWS SDK examples).
		return nil, invalidInput("Service role name %s has been taken in this account, please try a different suffix.", name)
	}
	description := slr.description
	if in.Description != nil {
		description = *in.Description
	}
	r := i.createServiceLinked(service, name, slr.policyArn, description)
	out := r.out(false)
	return &CreateServiceLinkedRoleResponse{Role: &out}, nil
}

func (i *IAM) createServiceLinked(service, name, policyArn, description string) *role {
	text := serviceTrustPolicy(service)
	doc, err := parseDocument(text, trustPolicy)
	if err != nil {
		panic("iam: service trust policy: " + err.Error())
	}
	r := i.newRole(name, "/aws-service-role/"+service+"/", text, doc)
	r.service = service
	if description != "" {
		r.description = aws.String(description)
	}
	i.sim.Recordf("iam", "RoleCreated", r.arn, "service-linked role %s created for %s", r.name, service)
	i.attach(r, i.policies[policyArn])
	return r
}

// EnsureServiceLinkedRole returns the ARN of the service-linked role of
// service ("ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
// "autoscaling.amazonaws.com"), creating it first if the account has none,
// as AWS does on a service's first use (ECS on the first CreateCluster or
// CreateService [DG:using-service-linked-roles]). It returns "" for a
// service ecsbox does not know.
func (i *IAM) EnsureServiceLinkedRole(service string) (roleArn string) {
	slr, ok := serviceLinkedRoles[service]
	if !ok {
		return ""
	}
	if r := i.roles[key(slr.roleName)]; r != nil {
		return r.arn
	}
	return i.createServiceLinked(service, slr.roleName, slr.policyArn, slr.description).arn
}
