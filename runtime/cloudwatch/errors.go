package cloudwatch

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// CloudWatch error codes: the "code" of the model's error shapes
// (service-2.json), which is what the query protocol and boto3 report, e.g.
// InvalidParameterValueException has code InvalidParameterValue.
const (
	InvalidParameterValue       = "InvalidParameterValue"
	InvalidParameterCombination = "InvalidParameterCombination"
	MissingParameter            = "MissingParameter"
	ResourceNotFound            = "ResourceNotFound"
	ResourceNotFoundException   = "ResourceNotFoundException"
	InvalidNextToken            = "InvalidNextToken"
	InvalidFormat               = "InvalidFormat"
	LimitExceeded               = "LimitExceeded"
	// ValidationError is the generic AWS validation code that PutMetricAlarm
	// answers with, e.g. "ValidationError: DatapointsToAlarm must be less
	// than or equal to EvaluationPeriods" (hashicorp/terraform#24070).
	ValidationError = "ValidationError"
)

func invalidValue(format string, args ...any) error {
	return awserr.Newf(InvalidParameterValue, format, args...)
}

func invalidCombination(format string, args ...any) error {
	return awserr.Newf(InvalidParameterCombination, format, args...)
}

func missingParameter(format string, args ...any) error {
	return awserr.Newf(MissingParameter, format, args...)
}

func validationError(format string, args ...any) error {
	return awserr.Newf(ValidationError, format, args...)
}

// notSimulated refuses a member whose behaviour ecsbox does not simulate,
// rather than ignoring it and answering differently from AWS.
func notSimulated(format string, args ...any) error {
	return awserr.Newf(awserr.NotSimulated, "ecsbox does not simulate "+format, args...)
}

// enumError words an out-of-set value in the standard AWS validation form
// ("1 validation error detected: Value 'x' at 'comparisonOperator' failed to
// satisfy constraint: Member must satisfy enum value set: [...]"); text not
// verified for CloudWatch.
func enumError(member, value string, allowed []string) error {
	return validationError("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, member, strings.Join(allowed, ", "))
}

func oneOf(value string, allowed []string) bool {
	for _, a := range allowed {
		if a == value {
			return true
		}
	}
	return false
}

// lowerFirst turns a member name into the camel case that AWS's validation
// messages use ("ComparisonOperator" → "comparisonOperator").
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
