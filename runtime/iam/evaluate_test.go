package iam

import (
	"reflect"
	"testing"
)

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "anything", true},
		{"ecs:submit*", "ecs:submittaskstatechange", true},
		{"ecs:submit*", "ecs:submi", false},
		{"iam:*accesskey*", "iam:createaccesskey", true},
		{"ec2:describe?ags", "ec2:describetags", true},
		{"ec2:describe?ags", "ec2:describeags", false},
		{"a*b*c", "aXXbYYc", true},
		{"a*b*c", "aXXcYYb", false},
		{"abc", "abcd", false},
	}
	for _, c := range cases {
		if got := glob(c.pattern, c.s); got != c.want {
			t.Errorf("glob(%q, %q) = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func TestArnMatches(t *testing.T) {
	cases := []struct {
		pattern, arn string
		want         bool
	}{
		{"*", "arn:aws:ecs:us-east-1:123456789012:cluster/demo", true},
		{"*", "*", true},
		{"arn:aws:ecs:*:*:cluster/*", "arn:aws:ecs:us-east-1:123456789012:cluster/demo", true},
		{"arn:aws:ecs:*:*:cluster/*", "arn:aws:ecs:us-east-1:123456789012:service/demo/web", false},
		{"arn:aws:ecs:*:*:task/*/*", "arn:aws:ecs:us-east-1:123456789012:task/demo/0123", true},
		{"arn:aws:ecs:*:*:task/*/*", "arn:aws:ecs:us-east-1:123456789012:task/0123", false},
		{"arn:aws:ecs:us-west-2:*:cluster/*", "arn:aws:ecs:us-east-1:123456789012:cluster/demo", false},
		{"arn:aws:logs:*:*:log-group:/aws/ecs/*", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/ecs/web:log-stream:x", true},
		{"arn:aws:iam::*:role/ecsInstanceRole*", "arn:aws:iam::123456789012:role/ecsInstanceRole", true},
		{"arn:aws:iam::*:role/ecsInstanceRole*", "arn:aws:iam::123456789012:role/ECSINSTANCEROLE", false}, // case-sensitive
		{"arn:aws:ecs:us-east-1:12345678901?:cluster/demo", "arn:aws:ecs:us-east-1:123456789012:cluster/demo", true},
		{"arn:aws:ecs:*:*:cluster/*", "*", false},
	}
	for _, c := range cases {
		if got := arnMatches(c.pattern, c.arn); got != c.want {
			t.Errorf("arnMatches(%q, %q) = %v, want %v", c.pattern, c.arn, got, c.want)
		}
	}
}

// TestEvaluate runs requests against small sets of inline policies.
func TestEvaluate(t *testing.T) {
	const cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/demo"
	allow := func(stmts string) string { return `{"Version":"2012-10-17","Statement":[` + stmts + `]}` }
	cases := []struct {
		name     string
		policies []string
		action   string
		resource string
		ctx      map[string][]string
		want     string
		stmt     string
	}{
		{"no policy: implicit deny", nil, "ecs:ListClusters", "*", nil, decisionImplicitDeny, ""},
		{"exact action", []string{allow(`{"Effect":"Allow","Action":"ecs:ListClusters","Resource":"*"}`)}, "ecs:ListClusters", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"action case-insensitive", []string{allow(`{"Effect":"Allow","Action":"ECS:listclusters","Resource":"*"}`)}, "ecs:ListClusters", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"action wildcard", []string{allow(`{"Effect":"Allow","Action":"ecs:Submit*","Resource":"*"}`)}, "ecs:SubmitTaskStateChange", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"action ?", []string{allow(`{"Effect":"Allow","Action":"ecs:Lis?Clusters","Resource":"*"}`)}, "ecs:ListClusters", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"other service", []string{allow(`{"Effect":"Allow","Action":"ecs:*","Resource":"*"}`)}, "ecr:BatchGetImage", "*", nil, decisionImplicitDeny, ""},
		{"star action", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*"}`)}, "iam:CreateRole", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"resource matches", []string{allow(`{"Effect":"Allow","Action":"ecs:DeleteCluster","Resource":"arn:aws:ecs:*:*:cluster/de*"}`)}, "ecs:DeleteCluster", cluster, nil, decisionAllowed, "p1 (role), statement 1"},
		{"resource does not match", []string{allow(`{"Effect":"Allow","Action":"ecs:DeleteCluster","Resource":"arn:aws:ecs:*:*:cluster/prod"}`)}, "ecs:DeleteCluster", cluster, nil, decisionImplicitDeny, ""},
		{"deny wins over allow", []string{
			allow(`{"Effect":"Allow","Action":"ecs:*","Resource":"*"}`),
			allow(`{"Sid":"NoDelete","Effect":"Deny","Action":"ecs:Delete*","Resource":"*"}`),
		}, "ecs:DeleteCluster", cluster, nil, decisionExplicitDeny, "p2 (role), statement NoDelete"},
		{"deny elsewhere does not apply", []string{
			allow(`{"Effect":"Allow","Action":"ecs:*","Resource":"*"}`),
			allow(`{"Effect":"Deny","Action":"ecs:Delete*","Resource":"*"}`),
		}, "ecs:CreateCluster", cluster, nil, decisionAllowed, "p1 (role), statement 1"},
		{"NotAction allow", []string{allow(`{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}`)}, "ecs:RunTask", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"NotAction excludes", []string{allow(`{"Effect":"Allow","NotAction":["iam:*"],"Resource":"*"}`)}, "IAM:CreateRole", "*", nil, decisionImplicitDeny, ""},
		{"NotResource", []string{allow(`{"Effect":"Deny","Action":"*","NotResource":"arn:aws:ecs:*:*:cluster/demo"},{"Effect":"Allow","Action":"*","Resource":"*"}`)}, "ecs:DeleteCluster", "arn:aws:ecs:us-east-1:123456789012:cluster/prod", nil, decisionExplicitDeny, "p1 (role), statement 1"},
		{"NotResource spares", []string{allow(`{"Effect":"Deny","Action":"*","NotResource":"arn:aws:ecs:*:*:cluster/demo"},{"Effect":"Allow","Action":"*","Resource":"*"}`)}, "ecs:DeleteCluster", cluster, nil, decisionAllowed, "p1 (role), statement 2"},
		{"StringEquals met", []string{allow(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}`)}, "iam:PassRole", "*", map[string][]string{"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}, decisionAllowed, "p1 (role), statement 1"},
		{"StringEquals not met", []string{allow(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}`)}, "iam:PassRole", "*", map[string][]string{"iam:passedtoservice": {"ec2.amazonaws.com"}}, decisionImplicitDeny, ""},
		{"condition key missing", []string{allow(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}`)}, "iam:PassRole", "*", nil, decisionImplicitDeny, ""},
		{"StringLike", []string{allow(`{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"ec2.amazonaws.com*"}}}`)}, "iam:PassRole", "*", map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com.cn"}}, decisionAllowed, "p1 (role), statement 1"},
		{"StringNotEquals", []string{allow(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"us-east-1"}}},{"Effect":"Allow","Action":"*","Resource":"*"}`)}, "ecs:ListClusters", "*", nil, decisionAllowed, "p1 (role), statement 2"},
		{"StringNotEquals denies", []string{allow(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:RequestedRegion":"eu-west-1"}}},{"Effect":"Allow","Action":"*","Resource":"*"}`)}, "ecs:ListClusters", "*", nil, decisionExplicitDeny, "p1 (role), statement 1"},
		{"ArnLike on principal", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/r*"}}}`)}, "ecs:ListClusters", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"ArnEquals fails", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/other"}}}`)}, "ecs:ListClusters", "*", nil, decisionImplicitDeny, ""},
		{"Bool", []string{allow(`{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":false}}},{"Effect":"Allow","Action":"*","Resource":"*"}`)}, "s3:GetObject", "*", nil, decisionAllowed, "p1 (role), statement 2"},
		{"Null false needs the key", []string{allow(`{"Effect":"Allow","Action":"autoscaling:UpdateAutoScalingGroup","Resource":"*","Condition":{"Null":{"autoscaling:ResourceTag/AmazonECSManaged":"false"}}}`)}, "autoscaling:UpdateAutoScalingGroup", "*", map[string][]string{"autoscaling:ResourceTag/AmazonECSManaged": {""}}, decisionAllowed, "p1 (role), statement 1"},
		{"Null false without the key", []string{allow(`{"Effect":"Allow","Action":"autoscaling:UpdateAutoScalingGroup","Resource":"*","Condition":{"Null":{"autoscaling:ResourceTag/AmazonECSManaged":"false"}}}`)}, "autoscaling:UpdateAutoScalingGroup", "*", nil, decisionImplicitDeny, ""},
		{"IfExists without the key", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"ecs:cluster":"x"}}}`)}, "ecs:RunTask", "*", nil, decisionAllowed, "p1 (role), statement 1"},
		{"ForAllValues", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["AmazonECSManaged","team"]}}}`)}, "servicediscovery:CreateService", "*", map[string][]string{"aws:TagKeys": {"team", "AmazonECSManaged"}}, decisionAllowed, "p1 (role), statement 1"},
		{"ForAllValues fails", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["AmazonECSManaged"]}}}`)}, "servicediscovery:CreateService", "*", map[string][]string{"aws:TagKeys": {"team", "AmazonECSManaged"}}, decisionImplicitDeny, ""},
		{"ForAnyValue", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["team*"]}}}`)}, "ecs:TagResource", "*", map[string][]string{"aws:TagKeys": {"x", "team-a"}}, decisionAllowed, "p1 (role), statement 1"},
		{"unsupported operator never allows", []string{allow(`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericLessThan":{"s3:max-keys":"10"}}}`)}, "s3:ListBucket", "*", map[string][]string{"s3:max-keys": {"5"}}, decisionImplicitDeny, ""},
		{"policy variable", []string{allow(`{"Effect":"Allow","Action":"ssmmessages:OpenDataChannel","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"${aws:ResourceAccount}"}}}`)}, "ssmmessages:OpenDataChannel", "arn:aws:ssm:us-east-1:123456789012:session/s", nil, decisionAllowed, "p1 (role), statement 1"},
		{"policy variable other account", []string{allow(`{"Effect":"Allow","Action":"ssmmessages:OpenDataChannel","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"${aws:ResourceAccount}"}}}`)}, "ssmmessages:OpenDataChannel", "arn:aws:ssm:us-east-1:999999999999:session/s", nil, decisionImplicitDeny, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			i := newTestIAM()
			r := createRole(t, i, "r", ecsTasks)
			for n, p := range c.policies {
				putInline(t, i, "r", "p"+itoa(n+1), p)
			}
			got := i.EvaluateContext(*r.Arn, c.action, c.resource, c.ctx)
			want := Decision{Allowed: c.want == decisionAllowed, Decision: c.want, Statement: c.stmt}
			if got != want {
				t.Errorf("got %+v, want %+v", got, want)
			}
		})
	}
}

func TestEvaluatePrincipals(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "ecsInstanceRole", ec2Trust)
	attach(t, i, "ecsInstanceRole", PolicyECSForEC2Role)
	for _, p := range []string{
		*r.Arn,
		"arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0123456789abcdef0",
		"ecsinstancerole",
	} {
		if d := i.Evaluate(p, "ecs:Poll", "*"); !d.Allowed {
			t.Errorf("%s: %+v", p, d)
		}
	}
	for _, p := range []string{
		"arn:aws:iam::123456789012:role/missing",
		"arn:aws:iam::999999999999:role/ecsInstanceRole",
		"arn:aws:sts::999999999999:assumed-role/ecsInstanceRole/s",
		"",
	} {
		if d := i.Evaluate(p, "ecs:Poll", "*"); d != (Decision{Decision: decisionImplicitDeny}) {
			t.Errorf("%q: %+v, want implicit deny", p, d)
		}
	}
}

func TestEvaluateMissingContextValues(t *testing.T) {
	doc, err := parseDocument(`{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"},"DateLessThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}}},
		{"Effect":"Allow","Action":"ecs:RunTask","Resource":"*","Condition":{"StringEquals":{"ecs:cluster":"x"}}}]}`, identityPolicy)
	if err != nil {
		t.Fatal(err)
	}
	ev := evaluate([]*policySource{{id: "p", typ: PolicySourceTypeNone, doc: doc}}, "iam:PassRole", "*", map[string][]string{})
	if ev.decision != decisionImplicitDeny || !reflect.DeepEqual(ev.missing, []string{"aws:CurrentTime", "iam:PassedToService"}) {
		t.Errorf("got %+v", ev)
	}
}

func TestTrustsService(t *testing.T) {
	i := newTestIAM()
	ec2 := createRole(t, i, "ecsInstanceRole", ec2Trust)
	tasks := createRole(t, i, "ecsTaskExecutionRole", ecsTasks)
	cond := createRole(t, i, "conditioned", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ecs-tasks.amazonaws.com","ec2.amazonaws.com"]},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"},"ArnLike":{"aws:SourceArn":"arn:aws:ecs:*:123456789012:*"}}}]}`)
	other := createRole(t, i, "otherAccount", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"999999999999"}}}]}`)
	denied := createRole(t, i, "denied", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)
	tag := createRole(t, i, "tagOnly", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:TagSession"}]}`)
	cases := []struct {
		role, service string
		want          bool
	}{
		{*ec2.Arn, "ec2.amazonaws.com", true},
		{*ec2.Arn, "ecs-tasks.amazonaws.com", false},
		{*tasks.Arn, "ecs-tasks.amazonaws.com", true},
		{*cond.Arn, "ec2.amazonaws.com", true},
		{*other.Arn, "ecs-tasks.amazonaws.com", false},
		{*denied.Arn, "ecs-tasks.amazonaws.com", true},
		{*denied.Arn, "ec2.amazonaws.com", false},
		{*tag.Arn, "ecs-tasks.amazonaws.com", false},
		{"arn:aws:iam::123456789012:role/missing", "ec2.amazonaws.com", false},
	}
	for _, c := range cases {
		if got := i.TrustsService(c.role, c.service); got != c.want {
			t.Errorf("TrustsService(%s, %s) = %v, want %v", c.role, c.service, got, c.want)
		}
	}
}
