package iam

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

func TestCreateRole(t *testing.T) {
	i := newTestIAM()
	r := must(i.CreateRole(&CreateRoleRequest{
		RoleName: aws.String("ecsTaskExecutionRole"), Path: aws.String("/service-role/"),
		AssumeRolePolicyDocument: aws.String(ecsTasks), Description: aws.String("exec"),
		Tags: []Tag{{Key: aws.String("team"), Value: aws.String("web")}},
	})).Role
	if got := aws.ToString(r.Arn); got != "arn:aws:iam::123456789012:role/service-role/ecsTaskExecutionRole" {
		t.Errorf("Arn = %s", got)
	}
	if id := aws.ToString(r.RoleId); len(id) != 21 || !strings.HasPrefix(id, "AROA") || strings.ToUpper(id) != id {
		t.Errorf("RoleId = %s", id)
	}
	if got := r.CreateDate.String(); got != "2025-01-01T00:00:00.000Z" {
		t.Errorf("CreateDate = %s", got)
	}
	if aws.ToString(r.AssumeRolePolicyDocument) != ecsTasks || aws.ToInt(r.MaxSessionDuration) != 3600 || aws.ToString(r.Path) != "/service-role/" {
		t.Errorf("role = %+v", r)
	}
	got := must(i.GetRole(&GetRoleRequest{RoleName: aws.String("ECSTASKEXECUTIONROLE")})).Role
	if aws.ToString(got.RoleName) != "ecsTaskExecutionRole" || got.RoleLastUsed == nil || len(got.Tags) != 1 || aws.ToString(got.Description) != "exec" {
		t.Errorf("GetRole = %+v", got)
	}
	// A document copied URL-encoded from raw API output is stored decoded.
	enc := must(i.CreateRole(&CreateRoleRequest{RoleName: aws.String("enc"), AssumeRolePolicyDocument: aws.String(url.PathEscape(ec2Trust))})).Role
	if aws.ToString(enc.AssumeRolePolicyDocument) != ec2Trust {
		t.Errorf("document = %s", aws.ToString(enc.AssumeRolePolicyDocument))
	}
	tl := i.sim.Timeline()
	if len(tl) != 2 || tl[0].Kind != "RoleCreated" || tl[0].Message != "role ecsTaskExecutionRole created (trusts ecs-tasks.amazonaws.com)" {
		t.Errorf("timeline = %v", tl)
	}
}

func TestRoleErrors(t *testing.T) {
	i := newTestIAM()
	createRole(t, i, "web", ecsTasks)
	cases := []struct {
		name          string
		call          func() error
		code, message string
	}{
		{"duplicate ignores case", func() error {
			_, err := i.CreateRole(&CreateRoleRequest{RoleName: aws.String("WEB"), AssumeRolePolicyDocument: aws.String(ecsTasks)})
			return err
		}, EntityAlreadyExists, "Role with name WEB already exists."},
		{"name pattern", func() error {
			_, err := i.CreateRole(&CreateRoleRequest{RoleName: aws.String("my role"), AssumeRolePolicyDocument: aws.String(ecsTasks)})
			return err
		}, ValidationError, `1 validation error detected: Value 'my role' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`},
		{"name length", func() error {
			_, err := i.CreateRole(&CreateRoleRequest{RoleName: aws.String(strings.Repeat("a", 65)), AssumeRolePolicyDocument: aws.String(ecsTasks)})
			return err
		}, ValidationError, "1 validation error detected: Value '" + strings.Repeat("a", 65) + "' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64"},
		{"path", func() error {
			_, err := i.CreateRole(&CreateRoleRequest{RoleName: aws.String("x"), Path: aws.String("service-role"), AssumeRolePolicyDocument: aws.String(ecsTasks)})
			return err
		}, ValidationError, `1 validation error detected: Value 'service-role' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"two violations", func() error {
			_, err := i.CreateRole(&CreateRoleRequest{RoleName: aws.String("a b"), Path: aws.String("x"), AssumeRolePolicyDocument: aws.String(ecsTasks)})
			return err
		}, ValidationError, `2 validation errors detected: Value 'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+; Value 'x' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F)`},
		{"malformed trust", func() error {
			_, err := i.CreateRole(&CreateRoleRequest{RoleName: aws.String("x"), AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole","Resource":"*"}}`)})
			return err
		}, MalformedPolicyDocument, "Has prohibited field Resource."},
		{"get missing", func() error {
			_, err := i.GetRole(&GetRoleRequest{RoleName: aws.String("nope")})
			return err
		}, NoSuchEntity, "The role with name nope cannot be found."},
		{"delete missing", func() error {
			_, err := i.DeleteRole(&DeleteRoleRequest{RoleName: aws.String("nope")})
			return err
		}, NoSuchEntity, "The role with name nope cannot be found."},
		{"update trust missing", func() error {
			_, err := i.UpdateAssumeRolePolicy(&UpdateAssumeRolePolicyRequest{RoleName: aws.String("nope"), PolicyDocument: aws.String(ecsTasks)})
			return err
		}, NoSuchEntity, "The role with name nope cannot be found."},
		{"update trust malformed", func() error {
			_, err := i.UpdateAssumeRolePolicy(&UpdateAssumeRolePolicyRequest{RoleName: aws.String("web"), PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:BadAssumeRole"}}`)})
			return err
		}, MalformedPolicyDocument, errTrustActions},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantErr(t, c.call(), c.code, c.message) })
	}
}

func TestDeleteRoleConflicts(t *testing.T) {
	i := newTestIAM()
	createRole(t, i, "r", ec2Trust)
	must(i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("p")}))
	must(i.AddRoleToInstanceProfile(&AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("p"), RoleName: aws.String("r")}))
	attach(t, i, "r", PolicyECSForEC2Role)
	putInline(t, i, "r", "extra", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}`)
	del := func() error { _, err := i.DeleteRole(&DeleteRoleRequest{RoleName: aws.String("r")}); return err }

	wantErr(t, del(), DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.")
	must(i.RemoveRoleFromInstanceProfile(&RemoveRoleFromInstanceProfileRequest{InstanceProfileName: aws.String("p"), RoleName: aws.String("r")}))
	wantErr(t, del(), DeleteConflict, "Cannot delete entity, must detach all policies first.")
	must(i.DetachRolePolicy(&DetachRolePolicyRequest{RoleName: aws.String("r"), PolicyArn: aws.String(PolicyECSForEC2Role)}))
	wantErr(t, del(), DeleteConflict, "Cannot delete entity, must delete policies first.")
	must(i.DeleteRolePolicy(&DeleteRolePolicyRequest{RoleName: aws.String("r"), PolicyName: aws.String("EXTRA")}))
	if err := del(); err != nil {
		t.Fatal(err)
	}
	if i.RoleExists("r") {
		t.Error("role still exists")
	}
}

func TestUpdateAssumeRolePolicy(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "r", ec2Trust)
	if i.TrustsService(*r.Arn, "ecs-tasks.amazonaws.com") {
		t.Fatal("trusts ecs-tasks before the update")
	}
	must(i.UpdateAssumeRolePolicy(&UpdateAssumeRolePolicyRequest{RoleName: aws.String("r"), PolicyDocument: aws.String(ecsTasks)}))
	if !i.TrustsService(*r.Arn, "ecs-tasks.amazonaws.com") || i.TrustsService(*r.Arn, "ec2.amazonaws.com") {
		t.Error("trust not replaced")
	}
	if got := aws.ToString(must(i.GetRole(&GetRoleRequest{RoleName: aws.String("r")})).Role.AssumeRolePolicyDocument); got != ecsTasks {
		t.Errorf("document = %s", got)
	}
}

func TestRoleLookups(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "web", ecsTasks)
	for _, s := range []string{"web", "WEB", *r.Arn} {
		if arn, ok := i.RoleARN(s); !ok || arn != *r.Arn || !i.RoleExists(s) {
			t.Errorf("RoleARN(%q) = %q, %v", s, arn, ok)
		}
	}
	for _, s := range []string{"", "other", "arn:aws:iam::123456789012:role/path/web", "arn:aws:iam::999999999999:role/web", "arn:aws:iam::123456789012:user/web"} {
		if _, ok := i.RoleARN(s); ok || i.RoleExists(s) {
			t.Errorf("RoleARN(%q) found a role", s)
		}
	}
}

func TestListRolesPagination(t *testing.T) {
	i := newTestIAM()
	for _, n := range []string{"b", "A", "c", "d", "e"} {
		createRole(t, i, n, ecsTasks)
	}
	must(i.CreateRole(&CreateRoleRequest{RoleName: aws.String("svc"), Path: aws.String("/service-role/"), AssumeRolePolicyDocument: aws.String(ecsTasks)}))
	var names []string
	var marker *string
	pages := 0
	for {
		out := must(i.ListRoles(&ListRolesRequest{MaxItems: aws.Int(2), Marker: marker}))
		pages++
		for _, r := range out.Roles {
			names = append(names, *r.RoleName)
			if r.Tags != nil || r.RoleLastUsed != nil {
				t.Errorf("ListRoles returned tags or RoleLastUsed for %s", *r.RoleName)
			}
		}
		if !aws.ToBool(out.IsTruncated) {
			if out.Marker != nil || out.IsTruncated == nil {
				t.Error("last page has a Marker or no IsTruncated")
			}
			break
		}
		marker = out.Marker
	}
	if want := []string{"A", "b", "c", "d", "e", "svc"}; !reflect.DeepEqual(names, want) || pages != 3 {
		t.Errorf("names = %v in %d pages", names, pages)
	}
	out := must(i.ListRoles(&ListRolesRequest{PathPrefix: aws.String("/service-role/")}))
	if len(out.Roles) != 1 || *out.Roles[0].RoleName != "svc" {
		t.Errorf("PathPrefix: %+v", out.Roles)
	}
	empty := must(newTestIAM().ListRoles(nil))
	if empty.Roles == nil || len(empty.Roles) != 0 {
		t.Errorf("empty listing = %+v", empty)
	}
	_, err := i.ListRoles(&ListRolesRequest{Marker: aws.String("garbage")})
	wantErr(t, err, ValidationError, "Invalid Marker.")
	_, err = i.ListRoles(&ListRolesRequest{MaxItems: aws.Int(1001)})
	wantErr(t, err, ValidationError, "1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000")
	// A marker of another operation is refused.
	m := must(i.ListRoles(&ListRolesRequest{MaxItems: aws.Int(1)})).Marker
	_, err = i.ListInstanceProfiles(&ListInstanceProfilesRequest{Marker: m})
	wantErr(t, err, ValidationError, "Invalid Marker.")
}

func TestIDsAreDeterministic(t *testing.T) {
	ids := func() []string {
		i := New(Config{Sim: sim.New(sim.Config{Seed: 7})})
		var out []string
		for _, n := range []string{"a", "b"} {
			out = append(out, *createRole(t, i, n, ecsTasks).RoleId)
		}
		out = append(out, *must(i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("p")})).InstanceProfile.InstanceProfileId)
		return out
	}
	a, b := ids(), ids()
	if !reflect.DeepEqual(a, b) || a[0] == a[1] || !strings.HasPrefix(a[2], "AIPA") {
		t.Errorf("ids %v and %v", a, b)
	}
}
