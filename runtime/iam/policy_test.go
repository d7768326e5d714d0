package iam

import (
	"reflect"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

const s3Read = `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`

func TestCustomerManagedPolicy(t *testing.T) {
	i := newTestIAM()
	p := must(i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("read"), Path: aws.String("/app/"), PolicyDocument: aws.String(s3Read), Description: aws.String("d")})).Policy
	arn := aws.ToString(p.Arn)
	if arn != "arn:aws:iam::123456789012:policy/app/read" || aws.ToString(p.DefaultVersionId) != "v1" || aws.ToInt(p.AttachmentCount) != 0 || !aws.ToBool(p.IsAttachable) {
		t.Fatalf("policy = %+v", p)
	}
	createRole(t, i, "r", ecsTasks)
	attach(t, i, "r", arn)
	attach(t, i, "r", arn) // attaching twice changes nothing
	if got := aws.ToInt(must(i.GetPolicy(&GetPolicyRequest{PolicyArn: aws.String(arn)})).Policy.AttachmentCount); got != 1 {
		t.Errorf("AttachmentCount = %d", got)
	}
	roleArn, _ := i.RoleARN("r")
	if !i.Evaluate(roleArn, "s3:GetObject", "arn:aws:s3:::b/k").Allowed {
		t.Error("v1 does not allow s3:GetObject")
	}

	// A new version that is not the default changes nothing.
	deny := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}}`
	v2 := must(i.CreatePolicyVersion(&CreatePolicyVersionRequest{PolicyArn: aws.String(arn), PolicyDocument: aws.String(deny)})).PolicyVersion
	if aws.ToString(v2.VersionId) != "v2" || aws.ToBool(v2.IsDefaultVersion) {
		t.Errorf("v2 = %+v", v2)
	}
	if !i.Evaluate(roleArn, "s3:GetObject", "*").Allowed {
		t.Error("a non-default version took effect")
	}
	must(i.CreatePolicyVersion(&CreatePolicyVersionRequest{PolicyArn: aws.String(arn), PolicyDocument: aws.String(deny), SetAsDefault: aws.Bool(true)}))
	if i.Evaluate(roleArn, "s3:GetObject", "*").Allowed || !i.Evaluate(roleArn, "s3:PutObject", "*").Allowed {
		t.Error("the new default version did not take effect")
	}
	if got := aws.ToString(must(i.GetPolicy(&GetPolicyRequest{PolicyArn: aws.String(arn)})).Policy.DefaultVersionId); got != "v3" {
		t.Errorf("DefaultVersionId = %s", got)
	}
	v1 := must(i.GetPolicyVersion(&GetPolicyVersionRequest{PolicyArn: aws.String(arn), VersionId: aws.String("v1")})).PolicyVersion
	if aws.ToString(v1.Document) != s3Read || aws.ToBool(v1.IsDefaultVersion) {
		t.Errorf("v1 = %+v", v1)
	}
	must(i.CreatePolicyVersion(&CreatePolicyVersionRequest{PolicyArn: aws.String(arn), PolicyDocument: aws.String(deny)}))
	must(i.CreatePolicyVersion(&CreatePolicyVersionRequest{PolicyArn: aws.String(arn), PolicyDocument: aws.String(deny)}))
	_, err := i.CreatePolicyVersion(&CreatePolicyVersionRequest{PolicyArn: aws.String(arn), PolicyDocument: aws.String(deny)})
	wantErr(t, err, LimitExceeded, "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")

	_, err = i.DeletePolicy(&DeletePolicyRequest{PolicyArn: aws.String(arn)})
	wantErr(t, err, DeleteConflict, "Cannot delete a policy attached to entities.")
	must(i.DetachRolePolicy(&DetachRolePolicyRequest{RoleName: aws.String("r"), PolicyArn: aws.String(arn)}))
	must(i.DeletePolicy(&DeletePolicyRequest{PolicyArn: aws.String(arn)}))
	_, err = i.GetPolicy(&GetPolicyRequest{PolicyArn: aws.String(arn)})
	wantErr(t, err, NoSuchEntity, "Policy arn:aws:iam::123456789012:policy/app/read was not found.")
}

func TestPolicyErrors(t *testing.T) {
	i := newTestIAM()
	must(i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("read"), PolicyDocument: aws.String(s3Read)}))
	createRole(t, i, "r", ecsTasks)
	const missing = "arn:aws:iam::123456789012:policy/missing"
	cases := []struct {
		name          string
		call          func() error
		code, message string
	}{
		{"duplicate name", func() error {
			_, err := i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("READ"), Path: aws.String("/other/"), PolicyDocument: aws.String(s3Read)})
			return err
		}, EntityAlreadyExists, "A policy called READ already exists. Duplicate names are not allowed."},
		{"malformed", func() error {
			_, err := i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject"}}`)})
			return err
		}, MalformedPolicyDocument, "Policy statement must contain resources."},
		{"bad JSON", func() error {
			_, err := i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("bad"), PolicyDocument: aws.String(`{`)})
			return err
		}, MalformedPolicyDocument, "Syntax errors in policy."},
		{"policy path", func() error {
			_, err := i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("p"), Path: aws.String("/a b/"), PolicyDocument: aws.String(s3Read)})
			return err
		}, ValidationError, `1 validation error detected: Value '/a b/' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/`},
		{"get missing", func() error {
			_, err := i.GetPolicy(&GetPolicyRequest{PolicyArn: aws.String(missing)})
			return err
		}, NoSuchEntity, "Policy " + missing + " was not found."},
		{"get not an ARN", func() error {
			_, err := i.GetPolicy(&GetPolicyRequest{PolicyArn: aws.String("AmazonECS_FullAccess")})
			return err
		}, InvalidInput, "ARN AmazonECS_FullAccess is not valid."},
		{"missing version", func() error {
			_, err := i.GetPolicyVersion(&GetPolicyVersionRequest{PolicyArn: aws.String(PolicyECSFullAccess), VersionId: aws.String("v1")})
			return err
		}, NoSuchEntity, "Policy " + PolicyECSFullAccess + " version v1 does not exist or is not attachable."},
		{"bad version id", func() error {
			_, err := i.GetPolicyVersion(&GetPolicyVersionRequest{PolicyArn: aws.String(PolicyECSFullAccess), VersionId: aws.String("1")})
			return err
		}, ValidationError, `1 validation error detected: Value '1' at 'versionId' failed to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`},
		{"attach missing policy", func() error {
			_, err := i.AttachRolePolicy(&AttachRolePolicyRequest{RoleName: aws.String("r"), PolicyArn: aws.String("arn:aws:iam::aws:policy/service-role/ConfigRole")})
			return err
		}, NoSuchEntity, "Policy arn:aws:iam::aws:policy/service-role/ConfigRole does not exist or is not attachable."},
		{"attach to missing role", func() error {
			_, err := i.AttachRolePolicy(&AttachRolePolicyRequest{RoleName: aws.String("nope"), PolicyArn: aws.String(PolicyECSFullAccess)})
			return err
		}, NoSuchEntity, "The role with name nope cannot be found."},
		{"detach not attached", func() error {
			_, err := i.DetachRolePolicy(&DetachRolePolicyRequest{RoleName: aws.String("r"), PolicyArn: aws.String(PolicyECSFullAccess)})
			return err
		}, NoSuchEntity, "Policy " + PolicyECSFullAccess + " was not found."},
		{"get missing inline", func() error {
			_, err := i.GetRolePolicy(&GetRolePolicyRequest{RoleName: aws.String("r"), PolicyName: aws.String("x")})
			return err
		}, NoSuchEntity, "The role policy with name x cannot be found."},
		{"delete missing inline", func() error {
			_, err := i.DeleteRolePolicy(&DeleteRolePolicyRequest{RoleName: aws.String("r"), PolicyName: aws.String("x")})
			return err
		}, NoSuchEntity, "The role policy with name x cannot be found."},
		{"inline with principal", func() error {
			_, err := i.PutRolePolicy(&PutRolePolicyRequest{RoleName: aws.String("r"), PolicyName: aws.String("x"), PolicyDocument: aws.String(ecsTasks)})
			return err
		}, MalformedPolicyDocument, "Policy document should not specify a principal."},
		{"list scope", func() error {
			_, err := i.ListPolicies(&ListPoliciesRequest{Scope: aws.String("Mine")})
			return err
		}, ValidationError, "1 validation error detected: Value 'Mine' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.message) })
	}
}

func TestAttachedPolicyQuota(t *testing.T) {
	i := newTestIAM()
	createRole(t, i, "r", ecsTasks)
	for n := range 10 {
		p := must(i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("p" + itoa(n)), PolicyDocument: aws.String(s3Read)})).Policy
		attach(t, i, "r", *p.Arn)
	}
	_, err := i.AttachRolePolicy(&AttachRolePolicyRequest{RoleName: aws.String("r"), PolicyArn: aws.String(PolicyECSFullAccess)})
	wantErr(t, err, LimitExceeded, "Cannot exceed quota for PoliciesPerRole: 10")
}

func TestInlinePolicies(t *testing.T) {
	i := newTestIAM()
	createRole(t, i, "r", ecsTasks)
	putInline(t, i, "r", "b", s3Read)
	putInline(t, i, "r", "a", s3Read)
	put := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}}`
	putInline(t, i, "r", "B", put) // replaces b, keeping its name
	names := must(i.ListRolePolicies(&ListRolePoliciesRequest{RoleName: aws.String("r")})).PolicyNames
	if !reflect.DeepEqual(names, []string{"a", "b"}) {
		t.Errorf("names = %v", names)
	}
	got := must(i.GetRolePolicy(&GetRolePolicyRequest{RoleName: aws.String("R"), PolicyName: aws.String("b")}))
	if aws.ToString(got.PolicyDocument) != put || aws.ToString(got.RoleName) != "r" || aws.ToString(got.PolicyName) != "b" {
		t.Errorf("GetRolePolicy = %+v", got)
	}
	page1 := must(i.ListRolePolicies(&ListRolePoliciesRequest{RoleName: aws.String("r"), MaxItems: aws.Int(1)}))
	page2 := must(i.ListRolePolicies(&ListRolePoliciesRequest{RoleName: aws.String("r"), MaxItems: aws.Int(1), Marker: page1.Marker}))
	if !reflect.DeepEqual(page1.PolicyNames, []string{"a"}) || !reflect.DeepEqual(page2.PolicyNames, []string{"b"}) || aws.ToBool(page2.IsTruncated) {
		t.Errorf("pages %+v %+v", page1, page2)
	}
}

func TestListPolicies(t *testing.T) {
	i := newTestIAM()
	must(i.CreatePolicy(&CreatePolicyRequest{PolicyName: aws.String("mine"), PolicyDocument: aws.String(s3Read)}))
	createRole(t, i, "r", ecsTasks)
	attach(t, i, "r", PolicyECSForEC2Role)
	names := func(in *ListPoliciesRequest) []string {
		var out []string
		for _, p := range must(i.ListPolicies(in)).Policies {
			out = append(out, *p.PolicyName)
		}
		return out
	}
	if got := names(&ListPoliciesRequest{Scope: aws.String("Local")}); !reflect.DeepEqual(got, []string{"mine"}) {
		t.Errorf("Local = %v", got)
	}
	if got := names(&ListPoliciesRequest{OnlyAttached: aws.Bool(true)}); !reflect.DeepEqual(got, []string{"AmazonEC2ContainerServiceforEC2Role"}) {
		t.Errorf("OnlyAttached = %v", got)
	}
	if got := names(&ListPoliciesRequest{Scope: aws.String("AWS"), PathPrefix: aws.String("/service-role/")}); !reflect.DeepEqual(got, []string{
		"AmazonEC2ContainerServiceAutoscaleRole", "AmazonEC2ContainerServiceforEC2Role", "AmazonECSTaskExecutionRolePolicy",
	}) {
		t.Errorf("service-role = %v", got)
	}
	all := names(nil)
	if len(all) != 13 || all[0] != "AdministratorAccess" || all[len(all)-1] != "mine" {
		t.Errorf("All = %v", all)
	}
	attached := must(i.ListAttachedRolePolicies(&ListAttachedRolePoliciesRequest{RoleName: aws.String("r")})).AttachedPolicies
	if len(attached) != 1 || *attached[0].PolicyArn != PolicyECSForEC2Role || *attached[0].PolicyName != "AmazonEC2ContainerServiceforEC2Role" {
		t.Errorf("attached = %+v", attached)
	}
}
