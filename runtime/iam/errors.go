package iam

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// IAM error codes. IAM is a query-protocol service: the codes on the wire
// (and in boto3's "An error occurred (NoSuchEntity)") are the "code" of the
// model's error shapes, without the Exception suffix of their shape names
// (service-2.json, e.g. NoSuchEntityException → "NoSuchEntity").
const (
	NoSuchEntity            = "NoSuchEntity"
	EntityAlreadyExists     = "EntityAlreadyExists"
	MalformedPolicyDocument = "MalformedPolicyDocument"
	LimitExceeded           = "LimitExceeded"
	DeleteConflict          = "DeleteConflict"
	InvalidInput            = "InvalidInput"
	UnmodifiableEntity      = "UnmodifiableEntity"
	// ValidationError is the code of the generic AWS input validation
	// (patterns, maximum lengths, enums) that botocore leaves to the service.
	ValidationError = "ValidationError"
)

func noSuchEntity(format string, args ...any) error {
	return awserr.Newf(NoSuchEntity, format, args...)
}

// noSuchRole is IAM's text for a role name that does not exist: "The role
// with name X cannot be found." (aws-cli transcripts of GetRole,
// ListRolePolicies and SimulatePrincipalPolicy in many public repositories).
func noSuchRole(name string) error {
	return noSuchEntity("The role with name %s cannot be found.", name)
}

// noSuchRolePolicy: "The role policy with name X cannot be found."
// (aws iam get-role-policy transcripts in user reports; moto's tests).
func noSuchRolePolicy(name string) error {
	return noSuchEntity("The role policy with name %s cannot be found.", name)
}

// noSuchProfile: "Instance Profile X cannot be found." (getmoto/moto
// moto/iam/models.py get_instance_profile; text not verified against AWS).
func noSuchProfile(name string) error {
	return noSuchEntity("Instance Profile %s cannot be found.", name)
}

// noSuchPolicy: "Policy ARN was not found." — GetPolicy, DeletePolicy and
// DetachRolePolicy of a policy that is not attached (getmoto/moto
// detach_role_policy; cloud-nuke#972 reports NoSuchEntity on detach).
func noSuchPolicy(arn string) error {
	return noSuchEntity("Policy %s was not found.", arn)
}

// notAttachable: AttachRolePolicy of an unknown policy, "Policy ARN does not
// exist or is not attachable." (Terraform AttachRolePolicy output quoted in
// ROSA and terraform-aws-eks reports: "NoSuchEntity: Policy
// arn:aws:iam::aws:policy/service-role/ConfigRole does not exist or is not
// attachable.").
func notAttachable(arn string) error {
	return noSuchEntity("Policy %s does not exist or is not attachable.", arn)
}

func malformed(format string, args ...any) error {
	return awserr.Newf(MalformedPolicyDocument, format, args...)
}

func invalidInput(format string, args ...any) error {
	return awserr.Newf(InvalidInput, format, args...)
}

// protectedRole is the refusal to change a service-linked role: "Cannot
// perform the operation on the protected role 'AWSServiceRoleForConfig' -
// this role is only modifiable by AWS" (UnmodifiableEntity; user transcripts
// for service-linked and AWSReservedSSO roles).
func protectedRole(name string) error {
	return awserr.Newf(UnmodifiableEntity, "Cannot perform the operation on the protected role '%s' - this role is only modifiable by AWS", name)
}

// Name patterns and lengths of the model (service-2.json roleNameType,
// policyNameType, instanceProfileNameType, pathType, policyPathType,
// pathPrefixType). botocore checks only minimum lengths; IAM checks the rest
// and answers in the standard validation wording, e.g. "1 validation error
// detected: Value 'x y' at 'roleName' failed to satisfy constraint: Member
// must satisfy regular expression pattern: [\w+=,.@-]+" and "... Member must
// have length less than or equal to 64" (CloudFormation and Serverless
// reports quoting IAM's ValidationError).
var (
	namePattern       = `[\w+=,.@-]+`
	pathPattern       = `(\u002F)|(\u002F[\u0021-\u007E]+\u002F)`
	policyPathPattern = `((/[A-Za-z0-9\.,\+@=_-]+)*)/`
	prefixPattern     = `\u002F[\u0021-\u007F]*`

	nameRE       = regexp.MustCompile(`^[\w+=,.@-]+$`)
	pathRE       = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	policyPathRE = regexp.MustCompile(`^((/[A-Za-z0-9\.,\+@=_-]+)*)/$`)
	prefixRE     = regexp.MustCompile(`^/[\x21-\x7F]*$`)
	versionIDRE  = regexp.MustCompile(`^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$`)
)

// validation collects the violations of one request, in member order, and
// words them as AWS does: "N validation error(s) detected: A; B".
type validation []string

func (v *validation) pattern(member, value string, re *regexp.Regexp, pattern string) {
	if !re.MatchString(value) {
		*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s", value, member, pattern))
	}
}

func (v *validation) maxLen(member, value string, n int) {
	if len(value) > n {
		*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", value, member, n))
	}
}

func (v *validation) name(member, value string, max int) {
	v.pattern(member, value, nameRE, namePattern)
	v.maxLen(member, value, max)
}

func (v *validation) enum(member, value string, allowed ...string) {
	for _, a := range allowed {
		if a == value {
			return
		}
	}
	*v = append(*v, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]", value, member, strings.Join(allowed, ", ")))
}

func (v validation) err() error {
	if len(v) == 0 {
		return nil
	}
	plural := ""
	if len(v) > 1 {
		plural = "s"
	}
	return awserr.Newf(ValidationError, "%d validation error%s detected: %s", len(v), plural, strings.Join(v, "; "))
}

func entityExists(format string, args ...any) error {
	return awserr.Newf(EntityAlreadyExists, format, args...)
}

func deleteConflict(message string) error { return awserr.New(DeleteConflict, message) }

func limitExceeded(message string) error { return awserr.New(LimitExceeded, message) }

// notSimulated refuses a request member whose behaviour ecsbox does not
// simulate, rather than ignoring it and answering differently from AWS.
func notSimulated(member string) error {
	return awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate the IAM member %s yet", member)
}
