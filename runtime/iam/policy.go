package iam

import (
	"sort"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// maxPolicyVersions is the number of versions a managed policy can keep
// [IAM-UG:access_policies_managed-versioning] ("A managed policy can have up
// to five versions").
const maxPolicyVersions = 5

// policyByArn returns the managed policy of an ARN, or the error AWS gives:
// InvalidInput for a string that is not a policy ARN ("ARN X is not valid.",
// text not verified), notFound otherwise.
func (i *IAM) policyByArn(arn string, notFound func(string) error) (*managedPolicy, error) {
	if !strings.HasPrefix(arn, "arn:") || !strings.Contains(arn, ":policy/") {
		return nil, invalidInput("ARN %s is not valid.", arn)
	}
	if p := i.policies[arn]; p != nil {
		return p, nil
	}
	return nil, notFound(arn)
}

// CreatePolicy creates a customer managed policy whose first version, v1,
// is the default [IAM-API:CreatePolicy].
func (i *IAM) CreatePolicy(in *CreatePolicyRequest) (*CreatePolicyResponse, error) {
	if in == nil {
		in = &CreatePolicyRequest{}
	}
	name, path := aws.ToString(in.PolicyName), "/"
	if in.Path != nil {
		path = *in.Path
	}
	var v validation
	v.name("policyName", name, 128)
	if in.Path != nil {
		v.pattern("path", path, policyPathRE, policyPathPattern)
		v.maxLen("path", path, 512)
	}
	if in.Description != nil {
		v.maxLen("description", *in.Description, 1000)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	for _, p := range i.policies {
		if !p.awsManaged && key(p.name) == key(name) {
			// "A policy called X already exists. Duplicate names are not
			// allowed." (getmoto/moto create_policy; text not verified)
			return nil, entityExists("A policy called %s already exists. Duplicate names are not allowed.", name)
		}
	}
	text := decodeDocument(aws.ToString(in.PolicyDocument))
	doc, err := parseDocument(text, identityPolicy)
	if err != nil {
		return nil, err
	}
	now := i.now()
	p := &managedPolicy{
		name: name, path: path, id: i.newID("ANPA"), arn: i.arn("policy", path, name),
		description: copyString(in.Description), created: now, updated: now,
		tags: copyTags(in.Tags), defaultID: "v1", nextVersion: 2,
		versions: []*policyVersion{{id: "v1", text: text, doc: doc, created: now}},
	}
	i.policies[p.arn] = p
	i.sim.Recordf("iam", "PolicyCreated", p.arn, "customer managed policy %s created", p.name)
	out := p.out(false)
	out.Tags = copyTags(p.tags)
	return &CreatePolicyResponse{Policy: &out}, nil
}

// CreatePolicyVersion adds a version to a customer managed policy, and makes
// it the default when SetAsDefault is true [IAM-API:CreatePolicyVersion].
func (i *IAM) CreatePolicyVersion(in *CreatePolicyVersionRequest) (*CreatePolicyVersionResponse, error) {
	if in == nil {
		in = &CreatePolicyVersionRequest{}
	}
	p, err := i.policyByArn(aws.ToString(in.PolicyArn), func(a string) error { return noSuchPolicy(a) })
	if err != nil {
		return nil, err
	}
	if p.awsManaged {
		return nil, noSuchPolicy(p.arn) // text not verified: AWS refuses changes to AWS managed policies
	}
	text := decodeDocument(aws.ToString(in.PolicyDocument))
	doc, err := parseDocument(text, identityPolicy)
	if err != nil {
		return nil, err
	}
	if len(p.versions) >= maxPolicyVersions {
		// LimitExceeded text: getmoto/moto create_policy_version and user
		// reports ("A managed policy can have up to 5 versions").
		return nil, limitExceeded("A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.")
	}
	v := &policyVersion{id: "v" + itoa(p.nextVersion), text: text, doc: doc, created: i.now()}
	p.nextVersion++
	p.versions = append(p.versions, v)
	// UpdateDate is the creation time of the newest version [IAM-API:Policy].
	p.updated = v.created
	if aws.ToBool(in.SetAsDefault) {
		p.defaultID = v.id
		i.sim.Recordf("iam", "PolicyVersionCreated", p.arn, "policy %s version %s created and set as default", p.name, v.id)
	} else {
		i.sim.Recordf("iam", "PolicyVersionCreated", p.arn, "policy %s version %s created (default stays %s)", p.name, v.id, p.defaultID)
	}
	return &CreatePolicyVersionResponse{PolicyVersion: v.out(v.id == p.defaultID)}, nil
}

// GetPolicy returns a managed policy [IAM-API:GetPolicy].
func (i *IAM) GetPolicy(in *GetPolicyRequest) (*GetPolicyResponse, error) {
	if in == nil {
		in = &GetPolicyRequest{}
	}
	p, err := i.policyByArn(aws.ToString(in.PolicyArn), func(a string) error { return noSuchPolicy(a) })
	if err != nil {
		return nil, err
	}
	out := p.out(true)
	return &GetPolicyResponse{Policy: &out}, nil
}

// GetPolicyVersion returns one version of a managed policy with its
// document [IAM-API:GetPolicyVersion].
func (i *IAM) GetPolicyVersion(in *GetPolicyVersionRequest) (*GetPolicyVersionResponse, error) {
	if in == nil {
		in = &GetPolicyVersionRequest{}
	}
	id := aws.ToString(in.VersionId)
	var v validation
	v.pattern("versionId", id, versionIDRE, `v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`)
	if err := v.err(); err != nil {
		return nil, err
	}
	p, err := i.policyByArn(aws.ToString(in.PolicyArn), func(a string) error { return noSuchPolicy(a) })
	if err != nil {
		return nil, err
	}
	pv := p.version(id)
	if pv == nil {
		// getmoto/moto set_default_policy_version; text not verified for
		// GetPolicyVersion
		return nil, noSuchEntity("Policy %s version %s does not exist or is not attachable.", p.arn, id)
	}
	return &GetPolicyVersionResponse{PolicyVersion: pv.out(id == p.defaultID)}, nil
}

// ListPolicies lists managed policies [IAM-API:ListPolicies]: Scope AWS (AWS
// managed), Local (customer managed) or All (the default); OnlyAttached
// keeps those attached to a role; PathPrefix filters on the path. ecsbox
// knows only the AWS managed policies of managed/, not AWS's ~1,400.
func (i *IAM) ListPolicies(in *ListPoliciesRequest) (*ListPoliciesResponse, error) {
	if in == nil {
		in = &ListPoliciesRequest{}
	}
	scope, prefix := policyScopeTypeAll, "/"
	var v validation
	if in.Scope != nil {
		v.enum("scope", *in.Scope, policyScopeTypeAll, policyScopeTypeAWS, policyScopeTypeLocal)
		scope = *in.Scope
	}
	if in.PathPrefix != nil {
		v.pattern("pathPrefix", *in.PathPrefix, policyPathRE, policyPathPattern)
		prefix = *in.PathPrefix
	}
	if in.PolicyUsageFilter != nil {
		v.enum("policyUsageFilter", *in.PolicyUsageFilter, PolicyUsageTypePermissionsPolicy, PolicyUsageTypePermissionsBoundary)
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	var ps []*managedPolicy
	for _, p := range i.policies {
		switch {
		case scope == policyScopeTypeAWS && !p.awsManaged, scope == policyScopeTypeLocal && p.awsManaged:
			continue
		case aws.ToBool(in.OnlyAttached) && p.attachments == 0:
			continue
		case !strings.HasPrefix(p.path, prefix):
			continue
		case aws.ToString(in.PolicyUsageFilter) == PolicyUsageTypePermissionsBoundary:
			continue // ecsbox does not simulate permissions boundaries
		}
		ps = append(ps, p)
	}
	sort.Slice(ps, func(a, b int) bool { return lessName(ps[a].name, ps[a].arn, ps[b].name, ps[b].arn) })
	keys := make([]string, len(ps))
	for k, p := range ps {
		keys[k] = p.arn
	}
	start, end, next, err := page("ListPolicies", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListPoliciesResponse{Policies: []Policy{}, IsTruncated: aws.Bool(next != nil), Marker: next}
	for _, p := range ps[start:end] {
		out.Policies = append(out.Policies, p.out(false))
	}
	return out, nil
}

// DeletePolicy deletes a customer managed policy that is attached to no
// role [IAM-API:DeletePolicy] ("Cannot delete a policy attached to
// entities.", DeleteConflict: serverless/components#312, rebuy-de/aws-nuke#294).
// AWS also requires the non-default versions to be deleted first; ecsbox
// does not simulate DeletePolicyVersion yet, so it deletes them with the
// policy.
func (i *IAM) DeletePolicy(in *DeletePolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &DeletePolicyRequest{}
	}
	p, err := i.policyByArn(aws.ToString(in.PolicyArn), func(a string) error { return noSuchPolicy(a) })
	if err != nil {
		return nil, err
	}
	if p.awsManaged {
		return nil, noSuchPolicy(p.arn) // text not verified
	}
	if p.attachments > 0 {
		return nil, deleteConflict("Cannot delete a policy attached to entities.")
	}
	delete(i.policies, p.arn)
	i.sim.Recordf("iam", "PolicyDeleted", p.arn, "customer managed policy %s deleted", p.name)
	return nil, nil
}
