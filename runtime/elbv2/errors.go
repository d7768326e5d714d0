package elbv2

import (
	"fmt"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Error codes of the query protocol, as the model's error shapes spell them
// (service-2.json "error": {"code": ...}), and ValidationError, the code
// of the query protocol's own validation.
const (
	ValidationError             = "ValidationError"
	DuplicateLoadBalancerName   = "DuplicateLoadBalancerName"
	DuplicateTargetGroupName    = "DuplicateTargetGroupName"
	DuplicateListener           = "DuplicateListener"
	DuplicateTagKeys            = "DuplicateTagKeys"
	LoadBalancerNotFound        = "LoadBalancerNotFound"
	TargetGroupNotFound         = "TargetGroupNotFound"
	ListenerNotFound            = "ListenerNotFound"
	RuleNotFound                = "RuleNotFound"
	PriorityInUse               = "PriorityInUse"
	ResourceInUse               = "ResourceInUse"
	InvalidTarget               = "InvalidTarget"
	InvalidConfigurationRequest = "InvalidConfigurationRequest"
	InvalidSubnet               = "InvalidSubnet"
	SubnetNotFound              = "SubnetNotFound"
	InvalidSecurityGroup        = "InvalidSecurityGroup"
	InvalidLoadBalancerAction   = "InvalidLoadBalancerAction"
	IncompatibleProtocols       = "IncompatibleProtocols"
	OperationNotPermitted       = "OperationNotPermitted"
	TooManyTags                 = "TooManyTags"
	UnsupportedProtocol         = "UnsupportedProtocol"
)

func validation(format string, args ...any) error {
	return awserr.Newf(ValidationError, format, args...)
}

func notSimulated(format string, args ...any) error {
	return awserr.Newf(awserr.NotSimulated, format, args...)
}

// enumError is the query protocol's refusal of a value outside an enum
// (botocore does not check enums). The wording is AWS's standard
// validation message ("1 validation error detected: Value 'x' at 'y'
// failed to satisfy constraint: Member must satisfy enum value set: [...]",
// as ELB returns it for actions[].type, quoted by moto's elbv2
// exceptions).
func enumError(member, value string, allowed []string) error {
	return validation("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, member, strings.Join(allowed, ", "))
}

// rangeError refuses a number outside its range (text not verified).
func rangeError(member string, v, lo, hi int) error {
	return validation("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value %s",
		v, member, rangeWords(lo, hi))
}

func rangeWords(lo, hi int) string {
	return fmt.Sprintf("greater than or equal to %d and less than or equal to %d", lo, hi)
}

// "One or more load balancers not found" and "One or more target groups not
// found" are ELB's texts (AWS CLI outputs quoted in public code); the
// listener and rule texts follow them (not verified).
func lbNotFound() error {
	return awserr.New(LoadBalancerNotFound, "One or more load balancers not found")
}

func tgNotFound() error {
	return awserr.New(TargetGroupNotFound, "One or more target groups not found")
}

func listenerNotFound() error {
	// text not verified
	return awserr.New(ListenerNotFound, "One or more listeners not found")
}

func ruleNotFound() error {
	// text not verified
	return awserr.New(RuleNotFound, "One or more rules not found")
}
