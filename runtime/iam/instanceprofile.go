package iam

import (
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// instanceProfile is a container for one role that EC2 instances launch
// with [IAM-UG:id_roles_use_switch-role-ec2_instance-profiles].
type instanceProfile struct {
	name, path, id, arn string
	created             time.Time
	tags                []Tag
	// role is the profile's role, nil when it has none. A profile holds at
	// most one role: "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1"
	// (LimitExceeded; terraform-aws-modules and karpenter test code match
	// this text from AWS).
	role *role
}

func (p *instanceProfile) out() InstanceProfile {
	o := InstanceProfile{
		Path:                aws.String(p.path),
		InstanceProfileName: aws.String(p.name),
		InstanceProfileId:   aws.String(p.id),
		Arn:                 aws.String(p.arn),
		CreateDate:          timeOf(p.created),
		Roles:               []Role{},
		Tags:                copyTags(p.tags),
	}
	if p.role != nil {
		o.Roles = append(o.Roles, p.role.out(false))
	}
	return o
}

// profile returns the instance profile of a name (any case) or ARN.
func (i *IAM) profile(nameOrArn string) *instanceProfile {
	name, ok := nameOf(nameOrArn, "instance-profile")
	if !ok {
		return nil
	}
	p := i.profiles[key(name)]
	if p == nil || (strings.HasPrefix(nameOrArn, "arn:") && p.arn != nameOrArn) {
		return nil
	}
	return p
}

// InstanceProfileRole returns the ARN of the role in the instance profile
// of that name or ARN. ok is false when there is no such profile or it holds
// no role: an instance launched with it gets no credentials.
func (i *IAM) InstanceProfileRole(nameOrArn string) (roleArn string, ok bool) {
	p := i.profile(nameOrArn)
	if p == nil || p.role == nil {
		return "", false
	}
	return p.role.arn, true
}

// CreateInstanceProfile creates an empty instance profile
// [IAM-API:CreateInstanceProfile].
func (i *IAM) CreateInstanceProfile(in *CreateInstanceProfileRequest) (*CreateInstanceProfileResponse, error) {
	if in == nil {
		in = &CreateInstanceProfileRequest{}
	}
	name, path := aws.ToString(in.InstanceProfileName), "/"
	if in.Path != nil {
		path = *in.Path
	}
	var v validation
	v.name("instanceProfileName", name, 128)
	if in.Path != nil {
		v.pattern("path", path, pathRE, pathPattern)
		v.maxLen("path", path, 512)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if i.profiles[key(name)] != nil {
		// getmoto/moto create_instance_profile; text not verified
		return nil, entityExists("Instance Profile %s already exists.", name)
	}
	p := &instanceProfile{
		name: name, path: path, id: i.newID("AIPA"), arn: i.arn("instance-profile", path, name),
		created: i.now(), tags: copyTags(in.Tags),
	}
	i.profiles[key(name)] = p
	i.sim.Recordf("iam", "InstanceProfileCreated", p.arn, "instance profile %s created", p.name)
	out := p.out()
	return &CreateInstanceProfileResponse{InstanceProfile: &out}, nil
}

// AddRoleToInstanceProfile puts a role in an instance profile
// [IAM-API:AddRoleToInstanceProfile]. A profile holds one role; adding a
// second one, or the same one again, exceeds the quota.
func (i *IAM) AddRoleToInstanceProfile(in *AddRoleToInstanceProfileRequest) (*struct{}, error) {
	if in == nil {
		in = &AddRoleToInstanceProfileRequest{}
	}
	p := i.profiles[key(aws.ToString(in.InstanceProfileName))]
	if p == nil {
		return nil, noSuchProfile(aws.ToString(in.InstanceProfileName))
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	if p.role != nil {
		return nil, limitExceeded("Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1")
	}
	p.role = r
	i.sim.Recordf("iam", "InstanceProfileRoleAdded", p.arn, "role %s added to instance profile %s", r.name, p.name)
	return nil, nil
}

// RemoveRoleFromInstanceProfile takes the role out of an instance profile
// [IAM-API:RemoveRoleFromInstanceProfile].
func (i *IAM) RemoveRoleFromInstanceProfile(in *RemoveRoleFromInstanceProfileRequest) (*struct{}, error) {
	if in == nil {
		in = &RemoveRoleFromInstanceProfileRequest{}
	}
	p := i.profiles[key(aws.ToString(in.InstanceProfileName))]
	if p == nil {
		return nil, noSuchProfile(aws.ToString(in.InstanceProfileName))
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil || p.role != r {
		// text not verified for a role that exists but is not in the profile
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	p.role = nil
	i.sim.Recordf("iam", "InstanceProfileRoleRemoved", p.arn, "role %s removed from instance profile %s", r.name, p.name)
	return nil, nil
}

// GetInstanceProfile returns an instance profile with its role
// [IAM-API:GetInstanceProfile].
func (i *IAM) GetInstanceProfile(in *GetInstanceProfileRequest) (*GetInstanceProfileResponse, error) {
	if in == nil {
		in = &GetInstanceProfileRequest{}
	}
	p := i.profiles[key(aws.ToString(in.InstanceProfileName))]
	if p == nil {
		return nil, noSuchProfile(aws.ToString(in.InstanceProfileName))
	}
	out := p.out()
	return &GetInstanceProfileResponse{InstanceProfile: &out}, nil
}

// ListInstanceProfiles lists the instance profiles whose path starts with
// PathPrefix [IAM-API:ListInstanceProfiles].
func (i *IAM) ListInstanceProfiles(in *ListInstanceProfilesRequest) (*ListInstanceProfilesResponse, error) {
	if in == nil {
		in = &ListInstanceProfilesRequest{}
	}
	prefix := "/"
	if in.PathPrefix != nil {
		var v validation
		v.pattern("pathPrefix", *in.PathPrefix, prefixRE, prefixPattern)
		if err := v.err(); err != nil {
			return nil, err
		}
		prefix = *in.PathPrefix
	}
	var ps []*instanceProfile
	for _, p := range i.profiles {
		if strings.HasPrefix(p.path, prefix) {
			ps = append(ps, p)
		}
	}
	sort.Slice(ps, func(a, b int) bool { return lessName(ps[a].name, ps[a].arn, ps[b].name, ps[b].arn) })
	keys := make([]string, len(ps))
	for k, p := range ps {
		keys[k] = p.arn
	}
	start, end, next, err := page("ListInstanceProfiles", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListInstanceProfilesResponse{InstanceProfiles: []InstanceProfile{}, IsTruncated: aws.Bool(next != nil), Marker: next}
	for _, p := range ps[start:end] {
		o := p.out()
		o.Tags = nil // ListInstanceProfiles does not return tags [IAM-API:ListInstanceProfiles]
		out.InstanceProfiles = append(out.InstanceProfiles, o)
	}
	return out, nil
}

// DeleteInstanceProfile deletes an instance profile that holds no role
// [IAM-API:DeleteInstanceProfile].
func (i *IAM) DeleteInstanceProfile(in *DeleteInstanceProfileRequest) (*struct{}, error) {
	if in == nil {
		in = &DeleteInstanceProfileRequest{}
	}
	p := i.profiles[key(aws.ToString(in.InstanceProfileName))]
	if p == nil {
		return nil, noSuchProfile(aws.ToString(in.InstanceProfileName))
	}
	if p.role != nil {
		return nil, deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
	}
	delete(i.profiles, key(p.name))
	i.sim.Recordf("iam", "InstanceProfileDeleted", p.arn, "instance profile %s deleted", p.name)
	return nil, nil
}
