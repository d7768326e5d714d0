// Package iam simulates AWS Identity and Access Management for one account:
// roles and their trust policies, customer managed and AWS managed policies,
// inline role policies, instance profiles, service-linked roles, and the
// policy evaluation that the other simulated services ask before they act.
//
// Each exported method named after an IAM API action takes that action's
// request struct (types_gen.go, generated from the botocore model) and
// returns its response struct, or an *awserr.Error with IAM's code and
// message. Behaviour follows section 10 of ../shared/reference/ecs-behavior.md
// ([IAM-UG:page] is the IAM User Guide, [IAM-API:Action] the IAM API
// reference).
//
// Resources and where they live:
//
//	role.go            CreateRole, GetRole, ListRoles, DeleteRole, UpdateAssumeRolePolicy
//	rolepolicy.go      AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies,
//	                   PutRolePolicy, GetRolePolicy, DeleteRolePolicy, ListRolePolicies
//	policy.go          CreatePolicy, CreatePolicyVersion, GetPolicy, GetPolicyVersion,
//	                   ListPolicies, DeletePolicy
//	managed.go         the AWS managed policies (documents in managed/*.json)
//	instanceprofile.go CreateInstanceProfile, AddRoleToInstanceProfile,
//	                   RemoveRoleFromInstanceProfile, GetInstanceProfile,
//	                   ListInstanceProfiles, DeleteInstanceProfile
//	servicelinked.go   CreateServiceLinkedRole and EnsureServiceLinkedRole
//	document.go        parsing and validating policy documents (MalformedPolicyDocument)
//	evaluate.go        the evaluation logic: Evaluate, TrustsService, conditions
//	simulate.go        SimulatePrincipalPolicy and the AccessDenied message
//	pagination.go      Marker/MaxItems handling shared by the List operations
//
// Policy documents are strings in the API. On the wire IAM returns them
// URL-encoded (RFC 3986) and boto3 undoes that and decodes the JSON into a
// dict (botocore/handlers.py, json_decode_policies). ecsbox's Go layer
// returns the document text as the caller wrote it, not URL-encoded: that is
// what every SDK hands its user before JSON-decoding, and the builtins may
// decode it further as boto3 does. A document sent URL-encoded (copied from
// raw API output) is accepted and stored decoded.
//
// IAM names are unique without regard to case, and lookups by name ignore
// case [IAM-UG:reference_iam-quotas] ("names are not distinguished by case").
// Listings are sorted by name ignoring case; AWS does not document its order.
package iam

import (
	"crypto/sha256"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/sim"
)

// Config configures the IAM service.
type Config struct {
	Sim      *sim.Sim
	Identity aws.Identity
}

// IAM is the simulated IAM service of one account. IAM is global: the
// region of the identity is used only to resolve the aws:RequestedRegion
// condition key.
type IAM struct {
	sim *sim.Sim
	id  aws.Identity

	// roles, policies and profiles are keyed by lower-cased name (roles,
	// profiles) or ARN (policies), because IAM names ignore case.
	roles    map[string]*role
	policies map[string]*managedPolicy
	profiles map[string]*instanceProfile
}

// New returns the IAM service of a new account: no roles, no instance
// profiles, no customer managed policies, and the AWS managed policies of
// managed/ (see managed/SOURCES.md).
func New(cfg Config) *IAM {
	if cfg.Sim == nil {
		cfg.Sim = sim.New(sim.Config{})
	}
	if cfg.Identity.AccountID == "" {
		cfg.Identity = aws.DefaultIdentity()
	}
	i := &IAM{
		sim:      cfg.Sim,
		id:       cfg.Identity,
		roles:    map[string]*role{},
		policies: map[string]*managedPolicy{},
		profiles: map[string]*instanceProfile{},
	}
	for _, p := range awsManagedPolicies() {
		i.policies[p.arn] = p
	}
	return i
}

func (i *IAM) now() time.Time { return i.sim.Now() }

// arn builds an IAM ARN of this account: IAM ARNs have no region, and the
// path sits between the resource type and the name, e.g.
// arn:aws:iam::123456789012:role/service-role/name [IAM-UG:reference_identifiers].
func (i *IAM) arn(kind, path, name string) string {
	return "arn:aws:iam::" + i.id.AccountID + ":" + kind + path + name
}

// uniqueIDChars is the alphabet of IAM unique IDs: upper-case letters and the
// digits 2-7 (the base32 alphabet), as in AWS's examples
// "AROADBQP57FF2AEXAMPLE" [IAM-UG:reference_identifiers].
const uniqueIDChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// uniqueIDLength is the length of a unique ID with its four-letter prefix:
// 21 characters, as in every example of [IAM-UG:reference_identifiers]
// ("AIDAJQABLZS4A3QDU576Q").
const uniqueIDLength = 21

// newID returns a unique ID with the prefix that says what it names: AROA
// roles, ANPA managed policies, AIPA instance profiles
// [IAM-UG:reference_identifiers] (section "Unique identifiers").
func (i *IAM) newID(prefix string) string {
	var b strings.Builder
	b.WriteString(prefix)
	for b.Len() < uniqueIDLength {
		b.WriteByte(uniqueIDChars[i.sim.Rand().IntN(len(uniqueIDChars))])
	}
	return b.String()
}

// stableID is newID for the AWS managed policies, which exist before the
// simulation starts: it derives the ID from the name, so that building the
// account consumes no randomness and the IDs are the same in every run.
func stableID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	var b strings.Builder
	b.WriteString(prefix)
	for k := 0; b.Len() < uniqueIDLength; k++ {
		b.WriteByte(uniqueIDChars[int(sum[k])%len(uniqueIDChars)])
	}
	return b.String()
}

func key(name string) string { return strings.ToLower(name) }

// nameOf returns the last path element of an IAM ARN's resource part
// ("role/service-role/x" → "x"), or s itself when s is not an ARN.
func nameOf(s, kind string) (string, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return s, true
	}
	parts := strings.SplitN(s, ":", 6)
	if len(parts) != 6 || parts[2] != "iam" || !strings.HasPrefix(parts[5], kind+"/") {
		return "", false
	}
	res := parts[5]
	return res[strings.LastIndexByte(res, '/')+1:], true
}

func timeOf(t time.Time) *aws.Time { return aws.NewTime(t) }

func copyTags(tags []Tag) []Tag {
	if tags == nil {
		return nil
	}
	out := make([]Tag, len(tags))
	for k, t := range tags {
		out[k] = Tag{Key: copyString(t.Key), Value: copyString(t.Value)}
	}
	return out
}

func copyString(p *string) *string {
	if p == nil {
		return nil
	}
	return aws.String(*p)
}
