package iam

import (
	"sort"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
)

// defaultMaxSessionDuration is a role's MaxSessionDuration when CreateRole
// names none: 3600 seconds [IAM-API:CreateRole].
const defaultMaxSessionDuration = 3600

// role is the state of one IAM role.
type role struct {
	name, path, id, arn string
	created             time.Time
	description         *string
	maxSession          int
	tags                []Tag

	trustText string    // the trust policy as written
	trust     *document // parsed trustText

	// attached holds the ARNs of the attached managed policies.
	attached map[string]bool
	// inline holds the inline policies by lower-cased name.
	inline map[string]*inlinePolicy

	// service is the service principal of a service-linked role
	// ("ecs.amazonaws.com"), empty for other roles.
	service string
}

type inlinePolicy struct {
	name string
	text string
	doc  *document
}

func (r *role) attachedSorted(i *IAM) []string {
	arns := make([]string, 0, len(r.attached))
	for a := range r.attached {
		arns = append(arns, a)
	}
	sort.Slice(arns, func(a, b int) bool {
		return lessName(i.policies[arns[a]].name, arns[a], i.policies[arns[b]].name, arns[b])
	})
	return arns
}

func (r *role) inlineSorted() []string {
	keys := make([]string, 0, len(r.inline))
	for k := range r.inline {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lessName orders names ignoring case, then by their exact spelling and a
// tie-breaker, so listings never depend on map order.
func lessName(a, aTie, b, bTie string) bool {
	if la, lb := strings.ToLower(a), strings.ToLower(b); la != lb {
		return la < lb
	}
	if a != b {
		return a < b
	}
	return aTie < bTie
}

// out renders the role as the API's Role shape. full adds what GetRole
// returns and ListRoles leaves out: tags and RoleLastUsed
// [IAM-API:ListRoles] ("ListRoles ... does not return ... tags ... RoleLastUsed").
func (r *role) out(full bool) Role {
	o := Role{
		Path:                     aws.String(r.path),
		RoleName:                 aws.String(r.name),
		RoleId:                   aws.String(r.id),
		Arn:                      aws.String(r.arn),
		CreateDate:               timeOf(r.created),
		AssumeRolePolicyDocument: aws.String(r.trustText),
		Description:              copyString(r.description),
		MaxSessionDuration:       aws.Int(r.maxSession),
	}
	if full {
		o.Tags = copyTags(r.tags)
		o.RoleLastUsed = &RoleLastUsed{}
	}
	return o
}

// role returns the role of a name (any case) or of a role ARN.
func (i *IAM) role(nameOrArn string) *role {
	name, ok := nameOf(nameOrArn, "role")
	if !ok {
		return nil
	}
	r := i.roles[key(name)]
	if r == nil || (strings.HasPrefix(nameOrArn, "arn:") && r.arn != nameOrArn) {
		return nil
	}
	return r
}

// principalRole resolves a principal ARN to its role and session name: a
// role ARN (session "ecsbox"), an assumed-role session ARN
// arn:aws:sts::<account>:assumed-role/<role>/<session>, or a role name.
func (i *IAM) principalRole(principal string) (*role, string) {
	const assumed = ":assumed-role/"
	if strings.HasPrefix(principal, "arn:aws:sts::") && strings.Contains(principal, assumed) {
		rest := principal[strings.Index(principal, assumed)+len(assumed):]
		name, session, _ := strings.Cut(rest, "/")
		if !strings.HasPrefix(principal, "arn:aws:sts::"+i.id.AccountID+":") {
			return nil, ""
		}
		return i.roles[key(name)], session
	}
	return i.role(principal), defaultSession
}

// defaultSession is the session name ecsbox uses when a caller names a role
// rather than a session. AWS names sessions after whoever assumed the role
// (an EC2 instance ID for an instance profile, the task ID for a task role);
// services that know it pass an assumed-role ARN instead.
const defaultSession = "ecsbox"

// RoleExists reports whether a role of that name (any case) or ARN exists.
func (i *IAM) RoleExists(nameOrArn string) bool { return i.role(nameOrArn) != nil }

// RoleARN returns the ARN of the role of that name or ARN.
func (i *IAM) RoleARN(nameOrArn string) (string, bool) {
	if r := i.role(nameOrArn); r != nil {
		return r.arn, true
	}
	return "", false
}

// CreateRole creates a role with a trust policy [IAM-API:CreateRole].
func (i *IAM) CreateRole(in *CreateRoleRequest) (*CreateRoleResponse, error) {
	if in == nil {
		in = &CreateRoleRequest{}
	}
	name, path := aws.ToString(in.RoleName), "/"
	if in.Path != nil {
		path = *in.Path
	}
	var v validation
	v.name("roleName", name, 64)
	if in.Path != nil {
		v.pattern("path", path, pathRE, pathPattern)
		v.maxLen("path", path, 512)
	}
	if in.MaxSessionDuration != nil && (*in.MaxSessionDuration < 3600 || *in.MaxSessionDuration > 43200) {
		// [IAM-API:CreateRole] MaxSessionDuration 3600..43200; wording is the
		// standard AWS validation text, not verified for this member.
		v = append(v, "Value '"+itoa(*in.MaxSessionDuration)+"' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200")
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	if in.PermissionsBoundary != nil {
		return nil, notSimulated("PermissionsBoundary")
	}
	if i.roles[key(name)] != nil {
		// "Role with name X already exists." (getmoto/moto create_role; AWS
		// CLI transcripts).
		return nil, entityExists("Role with name %s already exists.", name)
	}
	text := decodeDocument(aws.ToString(in.AssumeRolePolicyDocument))
	doc, err := parseDocument(text, trustPolicy)
	if err != nil {
		return nil, err
	}
	r := i.newRole(name, path, text, doc)
	r.description = copyString(in.Description)
	if in.MaxSessionDuration != nil {
		r.maxSession = *in.MaxSessionDuration
	}
	r.tags = copyTags(in.Tags)
	i.sim.Recordf("iam", "RoleCreated", r.arn, "role %s created (trusts %s)", r.name, trustSummary(doc))
	out := r.out(false)
	out.Tags = copyTags(r.tags)
	return &CreateRoleResponse{Role: &out}, nil
}

func (i *IAM) newRole(name, path, text string, doc *document) *role {
	r := &role{
		name: name, path: path, id: i.newID("AROA"), arn: i.arn("role", path, name),
		created: i.now(), maxSession: defaultMaxSessionDuration,
		trustText: text, trust: doc,
		attached: map[string]bool{}, inline: map[string]*inlinePolicy{},
	}
	i.roles[key(name)] = r
	return r
}

// trustSummary lists the principals a trust policy allows, for the timeline.
func trustSummary(d *document) string {
	var names []string
	for _, s := range d.statements {
		if s.effect != "Allow" {
			continue
		}
		types := make([]string, 0, len(s.principal))
		for t := range s.principal {
			types = append(types, t)
		}
		sort.Strings(types)
		for _, t := range types {
			names = append(names, s.principal[t]...)
		}
	}
	if len(names) == 0 {
		return "no principal"
	}
	return strings.Join(names, ", ")
}

// GetRole returns a role [IAM-API:GetRole].
func (i *IAM) GetRole(in *GetRoleRequest) (*GetRoleResponse, error) {
	if in == nil {
		in = &GetRoleRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	out := r.out(true)
	return &GetRoleResponse{Role: &out}, nil
}

// ListRoles lists the roles whose path starts with PathPrefix
// [IAM-API:ListRoles].
func (i *IAM) ListRoles(in *ListRolesRequest) (*ListRolesResponse, error) {
	if in == nil {
		in = &ListRolesRequest{}
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
	var rs []*role
	for _, r := range i.roles {
		if strings.HasPrefix(r.path, prefix) {
			rs = append(rs, r)
		}
	}
	sort.Slice(rs, func(a, b int) bool { return lessName(rs[a].name, rs[a].arn, rs[b].name, rs[b].arn) })
	keys := make([]string, len(rs))
	for k, r := range rs {
		keys[k] = r.arn
	}
	start, end, next, err := page("ListRoles", keys, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &ListRolesResponse{Roles: []Role{}, IsTruncated: aws.Bool(next != nil), Marker: next}
	for _, r := range rs[start:end] {
		out.Roles = append(out.Roles, r.out(false))
	}
	return out, nil
}

// DeleteRole deletes a role that has no attached or inline policies and is
// in no instance profile [IAM-API:DeleteRole]. The order of the checks is
// moto's; the texts are AWS's (DeleteConflict reports: "Cannot delete
// entity, must detach all policies first." hashicorp/boundary#5646; "Cannot
// delete entity, must delete policies first." cloud-custodian#6109; "Cannot
// delete entity, must remove roles from instance profile first."
// aws-k8s-tester).
func (i *IAM) DeleteRole(in *DeleteRoleRequest) (*struct{}, error) {
	if in == nil {
		in = &DeleteRoleRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	if r.service != "" {
		return nil, protectedRole(r.name)
	}
	for _, p := range i.profiles {
		if p.role == r {
			return nil, deleteConflict("Cannot delete entity, must remove roles from instance profile first.")
		}
	}
	if len(r.attached) > 0 {
		return nil, deleteConflict("Cannot delete entity, must detach all policies first.")
	}
	if len(r.inline) > 0 {
		return nil, deleteConflict("Cannot delete entity, must delete policies first.")
	}
	delete(i.roles, key(r.name))
	i.sim.Recordf("iam", "RoleDeleted", r.arn, "role %s deleted", r.name)
	return nil, nil
}

// UpdateAssumeRolePolicy replaces a role's trust policy
// [IAM-API:UpdateAssumeRolePolicy].
func (i *IAM) UpdateAssumeRolePolicy(in *UpdateAssumeRolePolicyRequest) (*struct{}, error) {
	if in == nil {
		in = &UpdateAssumeRolePolicyRequest{}
	}
	r := i.roles[key(aws.ToString(in.RoleName))]
	if r == nil {
		return nil, noSuchRole(aws.ToString(in.RoleName))
	}
	if r.service != "" {
		return nil, protectedRole(r.name)
	}
	text := decodeDocument(aws.ToString(in.PolicyDocument))
	doc, err := parseDocument(text, trustPolicy)
	if err != nil {
		return nil, err
	}
	r.trustText, r.trust = text, doc
	i.sim.Recordf("iam", "TrustPolicyUpdated", r.arn, "role %s now trusts %s", r.name, trustSummary(doc))
	return nil, nil
}
