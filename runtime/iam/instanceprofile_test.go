package iam

import (
	"testing"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

func TestInstanceProfiles(t *testing.T) {
	i := newTestIAM()
	r := createRole(t, i, "ecsInstanceRole", ec2Trust)
	p := must(i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")})).InstanceProfile
	if aws.ToString(p.Arn) != "arn:aws:iam::123456789012:instance-profile/ecsInstanceRole" || p.Roles == nil || len(p.Roles) != 0 {
		t.Fatalf("profile = %+v", p)
	}
	if _, ok := i.InstanceProfileRole("ecsInstanceRole"); ok {
		t.Error("empty profile has a role")
	}
	must(i.AddRoleToInstanceProfile(&AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole"), RoleName: aws.String("ecsInstanceRole")}))
	for _, ref := range []string{"ecsInstanceRole", "ECSINSTANCEROLE", *p.Arn} {
		if arn, ok := i.InstanceProfileRole(ref); !ok || arn != *r.Arn {
			t.Errorf("InstanceProfileRole(%q) = %q, %v", ref, arn, ok)
		}
	}
	if _, ok := i.InstanceProfileRole("arn:aws:iam::123456789012:role/ecsInstanceRole"); ok {
		t.Error("a role ARN resolved as a profile")
	}
	got := must(i.GetInstanceProfile(&GetInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")})).InstanceProfile
	if len(got.Roles) != 1 || aws.ToString(got.Roles[0].Arn) != *r.Arn || aws.ToString(got.Roles[0].AssumeRolePolicyDocument) != ec2Trust {
		t.Errorf("GetInstanceProfile = %+v", got)
	}

	createRole(t, i, "other", ec2Trust)
	for _, role := range []string{"other", "ecsInstanceRole"} {
		_, err := i.AddRoleToInstanceProfile(&AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole"), RoleName: aws.String(role)})
		wantErr(t, err, LimitExceeded, "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	}
	_, err := i.DeleteInstanceProfile(&DeleteInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")})
	wantErr(t, err, DeleteConflict, "Cannot delete entity, must remove roles from instance profile first.")
	_, err = i.RemoveRoleFromInstanceProfile(&RemoveRoleFromInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole"), RoleName: aws.String("other")})
	wantErr(t, err, NoSuchEntity, "The role with name other cannot be found.")
	must(i.RemoveRoleFromInstanceProfile(&RemoveRoleFromInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole"), RoleName: aws.String("ecsInstanceRole")}))
	must(i.DeleteInstanceProfile(&DeleteInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")}))
	_, err = i.GetInstanceProfile(&GetInstanceProfileRequest{InstanceProfileName: aws.String("ecsInstanceRole")})
	wantErr(t, err, NoSuchEntity, "Instance Profile ecsInstanceRole cannot be found.")

	var kinds []string
	for _, e := range i.sim.Timeline() {
		kinds = append(kinds, e.Kind)
	}
	want := []string{"RoleCreated", "InstanceProfileCreated", "InstanceProfileRoleAdded", "RoleCreated", "InstanceProfileRoleRemoved", "InstanceProfileDeleted"}
	if len(kinds) != len(want) {
		t.Fatalf("timeline = %v", kinds)
	}
	for k := range want {
		if kinds[k] != want[k] {
			t.Errorf("timeline = %v, want %v", kinds, want)
		}
	}
}

func TestInstanceProfileErrors(t *testing.T) {
	i := newTestIAM()
	must(i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("p"), Path: aws.String("/ecs/")}))
	_, err := i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("P")})
	wantErr(t, err, EntityAlreadyExists, "Instance Profile P already exists.")
	_, err = i.AddRoleToInstanceProfile(&AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("p"), RoleName: aws.String("nope")})
	wantErr(t, err, NoSuchEntity, "The role with name nope cannot be found.")
	_, err = i.AddRoleToInstanceProfile(&AddRoleToInstanceProfileRequest{InstanceProfileName: aws.String("nope"), RoleName: aws.String("r")})
	wantErr(t, err, NoSuchEntity, "Instance Profile nope cannot be found.")
	_, err = i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("a/b")})
	wantErr(t, err, ValidationError, `1 validation error detected: Value 'a/b' at 'instanceProfileName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+`)

	must(i.CreateInstanceProfile(&CreateInstanceProfileRequest{InstanceProfileName: aws.String("q")}))
	out := must(i.ListInstanceProfiles(&ListInstanceProfilesRequest{PathPrefix: aws.String("/ecs/")}))
	if len(out.InstanceProfiles) != 1 || *out.InstanceProfiles[0].Arn != "arn:aws:iam::123456789012:instance-profile/ecs/p" || aws.ToBool(out.IsTruncated) {
		t.Errorf("ListInstanceProfiles = %+v", out)
	}
	first := must(i.ListInstanceProfiles(&ListInstanceProfilesRequest{MaxItems: aws.Int(1)}))
	second := must(i.ListInstanceProfiles(&ListInstanceProfilesRequest{MaxItems: aws.Int(1), Marker: first.Marker}))
	if *first.InstanceProfiles[0].InstanceProfileName != "p" || *second.InstanceProfiles[0].InstanceProfileName != "q" || aws.ToBool(second.IsTruncated) {
		t.Errorf("pages %+v %+v", first, second)
	}
}
