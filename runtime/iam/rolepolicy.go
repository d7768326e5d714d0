package iam

import (
	"github.com/ecsbox/ecsbox/runtime/aws"
)

// maxAttachedPolicies is the default quota of managed policies attached to
// one role [IAM-UG:reference_iam-quotas] ("Managed policies attached to an
// IAM role: 10"); the LimitExceeded text is AWS's quota wording
// ("Cannot exceed quota for PoliciesPerRole: 10", user reports).
const maxAttachedPolicies = 10

// AttachRolePolicy attaches a managed policy to a role
// [IAM-API:AttachRolePolicy]. Attaching a policy that is already attached
// changes nothing, as in AWS.
func (i *IAM) AttachRolePolicy(in *AttachRolePolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &AttachRolePolicyRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	p, err := i.policyByArn(aws.ToString(in.PolicyArn), notAttachable)
	if err != nil {
		return nil, err
	}
	if r.service != "" {
		return nil, protectedRole(r.name)
	}
	if r.attached[p.arn] {
		return nil, nil
	}
	if len(r.attached) >= maxAttachedPolicies {
		return nil, limitExceeded("Cannot exceed quota for PoliciesPerRole: 10")
	}
	i.attach(r, p)
	return nil, nil
}

func (i *IAM) attach(r *role, p *managedPolicy) {
	r.attached[p.arn] = true
	p.attachments++
	i.sim.Recordf("iam", "RolePolicyAttached", r.arn, "policy %s attached to role %s", p.name, r.name)
}

// DetachRolePolicy detaches a managed policy from a role
// [IAM-API:DetachRolePolicy]; a policy that is not attached is "not found".
func (i *IAM) DetachRolePolicy(in *DetachRolePolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &DetachRolePolicyRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	p, err := i.policyByArn(aws.ToString(in.PolicyArn), noSuchPolicy)
	if err != nil {
		return nil, err
	}
	if r.service != "" {
		return nil, protectedRole(r.name)
	}
	if !r.attached[p.arn] {
		return nil, noSuchPolicy(p.arn)
	}
	delete(r.attached, p.arn)
	p.attachments--
	i.sim.Recordf("iam", "RolePolicyDetached", r.arn, "policy %s detached from role %s", p.name, r.name)
	return nil, nil
}

// ListAttachedRolePolicies lists the managed policies attached to a role,
// sorted by name [IAM-API:ListAttachedRolePolicies].
func (i *IAM) ListAttachedRolePolicies(in *ListAttachedRolePoliciesRequest) (*ListAttachedRolePoliciesResponse, error) {
	if in == nil {
		in = &ListAttachedRolePoliciesRequest{}
	}
	prefix := "/"
	if in.PathPrefix != nil {
		var v validation
		v.pattern("pathPrefix", *in.PathPrefix, policyPathRE, policyPathPattern)
		if err := v.err(); err != nil {
			return nil, err
		}
		prefix = *in.PathPrefix
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	var arns []string
	for _, a := range r.attachedSorted(i) {
		if hasPrefix(i.policies[a].path, prefix) {
			arns = append(arns, a)
		}
	}
	start, end, next, err := page("ListAttachedRolePolicies", arns, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListAttachedRolePoliciesResponse{AttachedPolicies: []AttachedPolicy{}, IsTruncated: aws.Bool(next != nil), Marker: next}
	for _, a := range arns[start:end] {
		out.AttachedPolicies = append(out.AttachedPolicies, AttachedPolicy{PolicyName: aws.String(i.policies[a].name), PolicyArn: aws.String(a)})
	}
	return out, nil
}

func hasPrefix(s, prefix string) bool { return len(s) >= len(prefix) && s[:len(prefix)] == prefix }

// PutRolePolicy adds or replaces an inline policy of a role
// [IAM-API:PutRolePolicy].
func (i *IAM) PutRolePolicy(in *PutRolePolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &PutRolePolicyRequest{}
	}
	name := aws.ToString(in.PolicyName)
	var v validation
	v.name("policyName", name, 128)
	if err := v.err(); err != nil {
		return nil, err
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	if r.service != "" {
		return nil, protectedRole(r.name)
	}
	text := decodeDocument(aws.ToString(in.PolicyDocument))
	doc, err := parseDocument(text, identityPolicy)
	if err != nil {
		return nil, err
	}
	verb := "added to"
	if old := r.inline[key(name)]; old != nil {
		verb = "replaced on"
		name = old.name
	}
	r.inline[key(name)] = &inlinePolicy{name: name, text: text, doc: doc}
	i.sim.Recordf("iam", "RolePolicyPut", r.arn, "inline policy %s %s role %s", name, verb, r.name)
	return nil, nil
}

// GetRolePolicy returns an inline policy of a role [IAM-API:GetRolePolicy].
func (i *IAM) GetRolePolicy(in *GetRolePolicyRequest) (*GetRolePolicyResponse, error) {
	if in == nil {
		in = &GetRolePolicyRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	p := r.inline[key(aws.ToString(in.PolicyName))]
	if p == nil {
		return nil, noSuchRolePolicy(aws.ToString(in.PolicyName))
	}
	return &GetRolePolicyResponse{RoleName: aws.String(r.name), PolicyName: aws.String(p.name), PolicyDocument: aws.String(p.text)}, nil
}

// DeleteRolePolicy deletes an inline policy of a role
// [IAM-API:DeleteRolePolicy].
func (i *IAM) DeleteRolePolicy(in *DeleteRolePolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &DeleteRolePolicyRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	p := r.inline[key(aws.ToString(in.PolicyName))]
	if p == nil {
		return nil, noSuchRolePolicy(aws.ToString(in.PolicyName))
	}
	if r.service != "" {
		return nil, protectedRole(r.name)
	}
	delete(r.inline, key(p.name))
	i.sim.Recordf("iam", "RolePolicyDeleted", r.arn, "inline policy %s deleted from role %s", p.name, r.name)
	return nil, nil
}

// ListRolePolicies lists the names of a role's inline policies, sorted
// [IAM-API:ListRolePolicies].
func (i *IAM) ListRolePolicies(in *ListRolePoliciesRequest) (*ListRolePoliciesResponse, error) {
	if in == nil {
		in = &ListRolePoliciesRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	keys := r.inlineSorted()
	start, end, next, err := page("ListRolePolicies", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListRolePoliciesResponse{PolicyNames: []string{}, IsTruncated: aws.Bool(next != nil), Marker: next}
	for _, k := range keys[start:end] {
		out.PolicyNames = append(out.PolicyNames, r.inline[k].name)
	}
	return out, nil
}
