package placement

import (
	"fmt"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Limits of a request [API:RunTaskRequest], [API:CreateServiceRequest],
// [API:PlacementConstraint].
const (
	// MaxConstraints counts the task definition's constraints and the
	// request's together.
	MaxConstraints = 10
	// MaxStrategies is the number of strategy rules a task or service takes.
	MaxStrategies = 5
	// MaxExpressionLength is the length limit of a memberOf expression.
	MaxExpressionLength = 2000
)

var (
	constraintTypes = []string{ConstraintDistinctInstance, ConstraintMemberOf}  // model enum order
	strategyTypes   = []string{StrategyRandom, StrategySpread, StrategyBinpack} // model enum order
)

// ValidateConstraints refuses what RunTask and CreateService refuse in
// placementConstraints: an unknown type (the course notes' maxPods, reference
// 14a), more than MaxConstraints, an expression on distinctInstance, a
// memberOf without one, one longer than MaxExpressionLength, or one that does
// not parse. ECS passes the task definition's constraints and the request's
// together, so that the limit counts both.
func ValidateConstraints(cs []Constraint) error {
	_, err := compileConstraints(cs)
	return err
}

// ValidateStrategies refuses what RunTask and CreateService refuse in
// placementStrategy: an unknown type, more than MaxStrategies, binpack on a
// field other than cpu or memory, spread without a field or on an unknown
// one, random with a field.
func ValidateStrategies(ss []Strategy) error {
	var enum []string
	for i, s := range ss {
		if !contains(strategyTypes, s.Type) {
			enum = append(enum, enumViolation(s.Type, fmt.Sprintf("placementStrategy.%d.member.type", i+1), strategyTypes))
		}
	}
	if err := validationErrors(enum); err != nil {
		return err
	}
	if len(ss) > MaxStrategies {
		// text not verified; worded like runtime/ecs's constraint limit
		return invalidParam("Too many placement strategies. A task can have at most %d.", MaxStrategies)
	}
	for _, s := range ss {
		switch s.Type {
		case StrategyBinpack:
			// AWS accepts the field in any case: a service created with
			// binpack(MEMORY) reads back MEMORY
			// (https://github.com/ansible-collections/community.aws/pull/1601).
			if !strings.EqualFold(s.Field, FieldCPU) && !strings.EqualFold(s.Field, FieldMemory) {
				// text not verified
				return invalidParam("Invalid placement strategy field '%s' for binpack. Valid fields are cpu and memory.", s.Field)
			}
		case StrategySpread:
			if s.Field == "" {
				// text not verified
				return invalidParam("A field must be specified for placement strategy type spread.")
			}
			name, isAttr := strings.CutPrefix(s.Field, attrPrefix)
			if s.Field != FieldInstanceID && s.Field != FieldHost && (!isAttr || name == "") {
				// text not verified
				return invalidParam("Invalid placement strategy field '%s' for spread. Valid fields are instanceId, host and attribute:<name>.", s.Field)
			}
		case StrategyRandom:
			if s.Field != "" {
				// text not verified; AWS refuses a field on random
				// (https://github.com/hashicorp/terraform-provider-aws/pull/6176)
				return invalidParam("A field cannot be specified for placement strategy type random.")
			}
		}
	}
	return nil
}

// compileConstraints validates the constraints and parses each memberOf
// expression once.
func compileConstraints(cs []Constraint) ([]constraint, error) {
	var enum []string
	for i, c := range cs {
		if !contains(constraintTypes, c.Type) {
			enum = append(enum, enumViolation(c.Type, fmt.Sprintf("placementConstraints.%d.member.type", i+1), constraintTypes))
		}
	}
	if err := validationErrors(enum); err != nil {
		return nil, err
	}
	if len(cs) > MaxConstraints {
		// text not verified; the same wording as runtime/ecs uses for task
		// definitions
		return nil, invalidParam("Too many placement constraints. A task can have at most %d.", MaxConstraints)
	}
	out := make([]constraint, 0, len(cs))
	for _, c := range cs {
		switch c.Type {
		case ConstraintDistinctInstance:
			if c.Expression != "" {
				// verified: hashicorp/terraform#11471 and #11446
				return nil, invalidParam("distinctInstance expression should not be specified.")
			}
			out = append(out, constraint{distinct: true})
		case ConstraintMemberOf:
			if strings.TrimSpace(c.Expression) == "" {
				// text not verified
				return nil, invalidParam("constraint.expression must be specified for constraint.type 'memberOf'.")
			}
			if len(c.Expression) > MaxExpressionLength {
				// text not verified
				return nil, invalidParam("Placement constraint expression is too long. The maximum length is %d characters.", MaxExpressionLength)
			}
			e, err := ParseExpression(c.Expression)
			if err != nil {
				return nil, err
			}
			out = append(out, constraint{expr: e})
		}
	}
	return out, nil
}

// enumViolation is one item of AWS's standard validation message for a
// value outside a model enum (text not verified for ECS; the same wording as
// runtime/ecs's enumError).
func enumViolation(value, member string, allowed []string) string {
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, member, strings.Join(allowed, ", "))
}

// validationErrors joins violations as AWS's validation layer does:
// "1 validation error detected: ..." or "2 validation errors detected: ...; ...".
func validationErrors(v []string) error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return invalidParam("1 validation error detected: %s", v[0])
	}
	return invalidParam("%d validation errors detected: %s", len(v), strings.Join(v, "; "))
}

func invalidParam(format string, args ...any) error {
	return awserr.Newf(awserr.InvalidParameterException, format, args...)
}
