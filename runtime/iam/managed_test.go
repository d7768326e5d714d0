package iam

import (
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestManagedPoliciesLoad(t *testing.T) {
	i := newTestIAM()
	for _, arn := range []string{
		PolicyAdministratorAccess, PolicyECSForEC2Role, PolicyECSTaskExecutionRole, PolicyECSFullAccess,
		PolicyECSAutoscaleRole, PolicySSMManagedInstanceCore, PolicyECSServiceRole, PolicyECRReadOnly,
		PolicyECRPowerUser, PolicyCloudWatchLogsFullAccess, PolicyApplicationAutoscalingECSService,
		PolicyAutoScalingServiceRole,
	} {
		p, err := i.GetPolicy(&GetPolicyRequest{PolicyArn: aws.String(arn)})
		if err != nil {
			t.Errorf("%s: %v", arn, err)
			continue
		}
		v := must(i.GetPolicyVersion(&GetPolicyVersionRequest{PolicyArn: aws.String(arn), VersionId: p.Policy.DefaultVersionId}))
		if !aws.ToBool(v.PolicyVersion.IsDefaultVersion) || aws.ToString(v.PolicyVersion.Document) == "" {
			t.Errorf("%s: version %+v", arn, v.PolicyVersion)
		}
		if id := aws.ToString(p.Policy.PolicyId); len(id) != 21 || id[:4] != "ANPA" {
			t.Errorf("%s: PolicyId %s", arn, id)
		}
	}
	// Statement counts of the documents as AWS publishes them (managed/SOURCES.md).
	for name, n := range map[string]int{
		PolicyECSForEC2Role: 3, PolicyECSFullAccess: 10, PolicyECSServiceRole: 19, PolicyECSTaskExecutionRole: 1,
	} {
		if got := len(i.policies[name].defaultVersion().doc.statements); got != n {
			t.Errorf("%s has %d statements, want %d", name, got, n)
		}
	}
}

// TestManagedPolicyPermissions checks what the AWS managed policies allow
// and deny (reference section 10.1).
func TestManagedPolicyPermissions(t *testing.T) {
	const (
		cluster  = "arn:aws:ecs:us-east-1:123456789012:cluster/default"
		logGroup = "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/web"
	)
	cases := []struct {
		policy, action, resource string
		ctx                      map[string][]string
		want                     bool
	}{
		{PolicyECSForEC2Role, "ecs:RegisterContainerInstance", cluster, nil, true},
		{PolicyECSForEC2Role, "ecs:SubmitTaskStateChange", cluster, nil, true}, // ecs:Submit*
		{PolicyECSForEC2Role, "ecs:SubmitContainerStateChange", cluster, nil, true},
		{PolicyECSForEC2Role, "ecs:DiscoverPollEndpoint", "*", nil, true},
		{PolicyECSForEC2Role, "ecr:GetAuthorizationToken", "*", nil, true},
		{PolicyECSForEC2Role, "logs:CreateLogStream", logGroup, nil, true},
		{PolicyECSForEC2Role, "logs:CreateLogGroup", logGroup, nil, false},
		{PolicyECSForEC2Role, "ecs:RunTask", cluster, nil, false},
		{PolicyECSForEC2Role, "ecs:TagResource", cluster, map[string][]string{"ecs:CreateAction": {"CreateCluster"}}, true},
		{PolicyECSForEC2Role, "ecs:TagResource", cluster, nil, false},
		{PolicyECSForEC2Role, "ecs:ListTagsForResource", "arn:aws:ecs:us-east-1:123456789012:task/default/abc", nil, true},
		{PolicyECSForEC2Role, "ecs:ListTagsForResource", cluster, nil, false},
		{PolicyECSTaskExecutionRole, "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/web", nil, true},
		{PolicyECSTaskExecutionRole, "logs:PutLogEvents", logGroup, nil, true},
		{PolicyECSTaskExecutionRole, "logs:CreateLogGroup", logGroup, nil, false},
		{PolicyECSTaskExecutionRole, "ssm:GetParameters", "*", nil, false},
		{PolicyECSTaskExecutionRole, "secretsmanager:GetSecretValue", "*", nil, false},
		{PolicyECSFullAccess, "ecs:CreateService", cluster, nil, true},
		{PolicyECSFullAccess, "iam:PassRole", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", map[string][]string{"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}, true},
		{PolicyECSFullAccess, "iam:PassRole", "arn:aws:iam::123456789012:role/ecsInstanceRole", map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}, true},
		{PolicyECSFullAccess, "iam:PassRole", "arn:aws:iam::123456789012:role/other", map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}, false},
		{PolicyECSFullAccess, "iam:CreateRole", "*", nil, false},
		{PolicyECSFullAccess, "ssm:GetParameter", "arn:aws:ssm:us-east-1:123456789012:parameter/aws/service/ecs/optimized-ami/amazon-linux-2/recommended", nil, true},
		{PolicyECSAutoscaleRole, "ecs:UpdateService", "*", nil, true},
		{PolicyECSAutoscaleRole, "ecs:DeleteService", "*", nil, false},
		{PolicySSMManagedInstanceCore, "ssmmessages:OpenControlChannel", "*", nil, true},
		{PolicyECSServiceRole, "ec2:CreateNetworkInterface", "*", nil, true},
		{PolicyECSServiceRole, "elasticloadbalancing:RegisterTargets", "*", nil, true},
		{PolicyECSServiceRole, "logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/ecs/x", nil, true},
		{PolicyECSServiceRole, "logs:CreateLogGroup", logGroup, nil, false},
		{PolicyECRReadOnly, "ecr:DescribeImages", "*", nil, true},
		{PolicyECRReadOnly, "ecr:PutImage", "*", nil, false},
		{PolicyECRPowerUser, "ecr:PutImage", "*", nil, true},
		{PolicyECRPowerUser, "ecr:DeleteRepository", "*", nil, false},
		{PolicyCloudWatchLogsFullAccess, "logs:CreateLogGroup", logGroup, nil, true},
		{PolicyAdministratorAccess, "iam:CreateRole", "*", nil, true},
	}
	for _, c := range cases {
		i := newTestIAM()
		r := createRole(t, i, "r", ec2Trust)
		attach(t, i, "r", c.policy)
		if got := i.EvaluateContext(*r.Arn, c.action, c.resource, c.ctx); got.Allowed != c.want {
			t.Errorf("%s: %s on %s = %+v, want allowed %v", c.policy, c.action, c.resource, got, c.want)
		}
	}
}

func TestEcsInstanceRoleDecisionNamesStatement(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "ecsInstanceRole", ec2Trust)
	attach(t, i, "ecsInstanceRole", PolicyECSForEC2Role)
	got := i.Evaluate(*r.Arn, "ecs:SubmitTaskStateChange", "arn:aws:ecs:us-east-1:123456789012:cluster/default")
	want := Decision{Allowed: true, Decision: "allowed", Statement: "AmazonEC2ContainerServiceforEC2Role (aws-managed), statement 1"}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}
