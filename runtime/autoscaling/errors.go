package autoscaling

import (
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// EC2 Auto Scaling error codes [ASG-API:CommonErrors] and those the model
// lists per operation (the model's shape names end in Fault; the wire code
// does not).
const (
	ValidationError                = "ValidationError"
	AlreadyExists                  = "AlreadyExists"
	ResourceInUse                  = "ResourceInUse"
	ScalingActivityInProgress      = "ScalingActivityInProgress"
	InstanceRefreshInProgress      = "InstanceRefreshInProgress"
	ActiveInstanceRefreshNotFound  = "ActiveInstanceRefreshNotFound"
	InvalidNextToken               = "InvalidNextToken"
	LimitExceeded                  = "LimitExceeded"
	defaultServiceLinkedRoleSuffix = "role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
)

func validation(format string, args ...any) error {
	return awserr.Newf(ValidationError, format, args...)
}

// groupNotFound is the refusal of an unknown group name: "AutoScalingGroup
// name not found - AutoScalingGroup 'asg' not found" (the form a
// DeleteAutoScalingGroup caller matches exactly, found in public code; AWS
// words it slightly differently in other operations, e.g. "AutoScalingGroup
// name not found - null" for an absent name, aws/aws-sdk-go#1151).
func groupNotFound(name string) error {
	return validation("AutoScalingGroup name not found - AutoScalingGroup '%s' not found", name)
}

// group returns the group of that name or the not-found refusal.
func (a *AutoScaling) group(name *string) (*group, error) {
	if name == nil {
		return nil, validation("AutoScalingGroup name not found - null")
	}
	g := a.groups[*name]
	if g == nil {
		return nil, groupNotFound(*name)
	}
	return g, nil
}

// message returns the message of an AWS error, or the error's text.
func message(err error) string {
	if e, ok := err.(*awserr.Error); ok {
		return e.Message
	}
	return err.Error()
}
