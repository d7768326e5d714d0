package appscaling

import (
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Error codes of Application Auto Scaling, spelled as the model's error
// shapes (service-2.json "errors").
const (
	ValidationException           = "ValidationException"
	ObjectNotFoundException       = "ObjectNotFoundException"
	InvalidNextTokenException     = "InvalidNextTokenException"
	LimitExceededException        = "LimitExceededException"
	FailedResourceAccessException = "FailedResourceAccessException"
)

func validation(format string, args ...any) error {
	return awserr.Newf(ValidationException, format, args...)
}

func notFound(format string, args ...any) error {
	return awserr.Newf(ObjectNotFoundException, format, args...)
}

func notSimulated(format string, args ...any) error {
	return awserr.Newf(awserr.NotSimulated, format, args...)
}

// enumError is the refusal of a value outside a model enum. botocore does not
// check enums, so the service does, in the standard wording of AWS JSON
// services' validation ("1 validation error detected: Value 'kafka' at
// 'serviceNamespace' failed to satisfy constraint: Member must satisfy enum
// value set: [...]", as users have recorded it from Application Auto Scaling,
// localstack/localstack#6138). member is the lower-camel member path.
func enumError(member, value string, allowed []string) error {
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, member, strings.Join(allowed, ", "))
}

func oneOf(v string, allowed []string) bool {
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}
