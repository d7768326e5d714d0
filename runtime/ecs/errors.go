package ecs

import "github.com/ecsbox/ecsbox/runtime/awserr"

// awsARN is awserr.MakeARN under a name that reads well beside e.arn.
var awsARN = awserr.MakeARN

// ECS-specific error codes, spelled as the model's error shapes
// [API:ClusterNotFoundException] and friends (service-2.json "errors").
const (
	ClusterNotFoundException                   = "ClusterNotFoundException"
	ClusterContainsContainerInstancesException = "ClusterContainsContainerInstancesException"
	ClusterContainsServicesException           = "ClusterContainsServicesException"
	ClusterContainsTasksException              = "ClusterContainsTasksException"
)

// clientErr and invalidParam shorten the two codes that most refusals use.
func clientErr(format string, args ...any) error {
	return awserr.Newf(awserr.ClientException, format, args...)
}

func invalidParam(format string, args ...any) error {
	return awserr.Newf(awserr.InvalidParameterException, format, args...)
}

// enumError is the refusal of a value outside a model enum. botocore does not
// check enums, so the service does. The wording is the standard AWS
// validation message of JSON-protocol services; ECS's own text for this case
// is not verified.
func enumError(member, value string, allowed []string) error {
	// text not verified
	return invalidParam("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, member, joinComma(allowed))
}

func joinComma(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += ", "
		}
		out += v
	}
	return out
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

// awsErr is an error with an ECS-specific code.
func awsErr(code, format string, args ...any) error {
	return awserr.Newf(code, format, args...)
}

// notSimulated refuses what ecsbox does not simulate (yet), naming it.
func notSimulated(what string) error {
	return awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate %s yet", what)
}
