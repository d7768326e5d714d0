package iam

import (
	"encoding/json"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestSimulatePrincipalPolicyShape(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "ecsInstanceRole", ec2Trust)
	attach(t, i, "ecsInstanceRole", PolicyECSForEC2Role)
	putInline(t, i, "ecsInstanceRole", "noLogs", "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"NoStreams\", \"Effect\": \"Deny\", \"Action\": \"logs:CreateLogStream\", \"Resource\": \"*\"}\n  ]\n}")
	out := must(i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{
		PolicySourceArn: r.Arn,
		ActionNames:     []string{"ecs:SubmitTaskStateChange", "logs:CreateLogStream", "logs:CreateLogGroup", "ecs:TagResource"},
	}))
	got, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	const want = `{
  "EvaluationResults": [
    {
      "EvalActionName": "ecs:SubmitTaskStateChange",
      "EvalResourceName": "*",
      "EvalDecision": "allowed",
      "MatchedStatements": [
        {
          "SourcePolicyId": "AmazonEC2ContainerServiceforEC2Role",
          "SourcePolicyType": "aws-managed",
          "StartPosition": {
            "Line": 4,
            "Column": 5
          },
          "EndPosition": {
            "Line": 24,
            "Column": 5
          }
        }
      ],
      "MissingContextValues": []
    },
    {
      "EvalActionName": "logs:CreateLogStream",
      "EvalResourceName": "*",
      "EvalDecision": "explicitDeny",
      "MatchedStatements": [
        {
          "SourcePolicyId": "noLogs",
          "SourcePolicyType": "role",
          "StartPosition": {
            "Line": 4,
            "Column": 5
          },
          "EndPosition": {
            "Line": 4,
            "Column": 93
          }
        }
      ],
      "MissingContextValues": []
    },
    {
      "EvalActionName": "logs:CreateLogGroup",
      "EvalResourceName": "*",
      "EvalDecision": "implicitDeny",
      "MatchedStatements": [],
      "MissingContextValues": []
    },
    {
      "EvalActionName": "ecs:TagResource",
      "EvalResourceName": "*",
      "EvalDecision": "implicitDeny",
      "MatchedStatements": [],
      "MissingContextValues": [
        "ecs:CreateAction"
      ]
    }
  ],
  "IsTruncated": false
}`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestSimulatePrincipalPolicyOptions(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "r", ecsTasks)
	attach(t, i, "r", PolicyECSFullAccess)
	out := must(i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{
		PolicySourceArn: r.Arn,
		ActionNames:     []string{"iam:PassRole", "s3:GetObject"},
		ResourceArns:    []string{"arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "arn:aws:s3:::b/k"},
		ContextEntries:  []ContextEntry{{ContextKeyName: aws.String("iam:PassedToService"), ContextKeyValues: []string{"ecs-tasks.amazonaws.com"}, ContextKeyType: aws.String("string")}},
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`},
		MaxItems:        aws.Int(3),
	}))
	type pair struct{ action, resource, decision, source string }
	var got []pair
	for _, e := range out.EvaluationResults {
		src := ""
		if len(e.MatchedStatements) > 0 {
			src = *e.MatchedStatements[0].SourcePolicyId
		}
		got = append(got, pair{*e.EvalActionName, *e.EvalResourceName, *e.EvalDecision, src})
	}
	want := []pair{
		{"iam:PassRole", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "allowed", "AmazonECS_FullAccess"},
		{"iam:PassRole", "arn:aws:s3:::b/k", "allowed", "AmazonECS_FullAccess"},
		{"s3:GetObject", "arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "implicitDeny", ""},
	}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] || !aws.ToBool(out.IsTruncated) {
		t.Fatalf("page 1 = %+v", got)
	}
	rest := must(i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{
		PolicySourceArn: r.Arn,
		ActionNames:     []string{"iam:PassRole", "s3:GetObject"},
		ResourceArns:    []string{"arn:aws:iam::123456789012:role/ecsTaskExecutionRole", "arn:aws:s3:::b/k"},
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}`},
		MaxItems:        aws.Int(3), Marker: out.Marker,
	}))
	if len(rest.EvaluationResults) != 1 || aws.ToBool(rest.IsTruncated) {
		t.Fatalf("page 2 = %+v", rest)
	}
	e := rest.EvaluationResults[0]
	if *e.EvalDecision != "allowed" || *e.MatchedStatements[0].SourcePolicyId != "PolicyInputList.1" || *e.MatchedStatements[0].SourcePolicyType != "none" {
		t.Errorf("input policy result = %+v", e)
	}
}

func TestSimulatePrincipalPolicyErrors(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "r", ecsTasks)
	_, err := i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/nope"), ActionNames: []string{"s3:*"}})
	wantErr(t, err, NoSuchEntity, "The role with name nope cannot be found.")
	_, err = i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/bob"), ActionNames: []string{"s3:*"}})
	wantErr(t, err, NoSuchEntity, "The user with name bob cannot be found.")
	_, err = i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{PolicySourceArn: r.Arn, ActionNames: []string{"s3:*"}, ResourcePolicy: aws.String("{}")})
	if awserr.Code(err) != awserr.NotSimulated {
		t.Errorf("ResourcePolicy: %v", err)
	}
	_, err = i.SimulatePrincipalPolicy(&SimulatePrincipalPolicyRequest{PolicySourceArn: r.Arn, ActionNames: []string{"s3:*"}, PolicyInputList: []string{"{"}})
	wantErr(t, err, InvalidInput, "Syntax errors in policy.")
}

func TestAccessDeniedMessage(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "ecsInstanceRole", ec2Trust)
	putInline(t, i, "ecsInstanceRole", "deny", `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"ecs:DeleteCluster","Resource":"*"}}`)
	const cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/default"
	session := AssumedRoleARN(*r.Arn, "i-0123456789abcdef0")
	if session != "arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0123456789abcdef0" {
		t.Errorf("AssumedRoleARN = %s", session)
	}
	if got := AssumedRoleARN("arn:aws:iam::123456789012:role/service-role/x", "s"); got != "arn:aws:sts::123456789012:assumed-role/x/s" {
		t.Errorf("AssumedRoleARN with path = %s", got)
	}
	cases := []struct{ principal, action, want string }{
		{session, "ecs:RegisterContainerInstance", "User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0123456789abcdef0 is not authorized to perform: ecs:RegisterContainerInstance on resource: " + cluster + " because no identity-based policy allows the ecs:RegisterContainerInstance action"},
		{*r.Arn, "ecs:RegisterContainerInstance", "User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/ecsbox is not authorized to perform: ecs:RegisterContainerInstance on resource: " + cluster + " because no identity-based policy allows the ecs:RegisterContainerInstance action"},
		{session, "ecs:DeleteCluster", "User: arn:aws:sts::123456789012:assumed-role/ecsInstanceRole/i-0123456789abcdef0 is not authorized to perform: ecs:DeleteCluster on resource: " + cluster + " with an explicit deny in an identity-based policy"},
	}
	for _, c := range cases {
		if got := i.AccessDeniedMessage(c.principal, c.action, cluster); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	if got := AccessDeniedMessage(session, "ecs:DeleteCluster", cluster); got != "User: "+session+" is not authorized to perform: ecs:DeleteCluster on resource: "+cluster+" because no identity-based policy allows the ecs:DeleteCluster action" {
		t.Errorf("package AccessDeniedMessage = %s", got)
	}
}
