package placement

import (
	"strings"
	"testing"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestValidateConstraints(t *testing.T) {
	memberOf := func(e string) Constraint { return Constraint{Type: ConstraintMemberOf, Expression: e} }
	eleven := make([]Constraint, 11)
	for i := range eleven {
		eleven[i] = memberOf("attribute:ecs.os-type == linux")
	}
	tests := []struct {
		name string
		in   []Constraint
		want string // "" = accepted
	}{
		{"none", nil, ""},
		{"both types", []Constraint{{Type: ConstraintDistinctInstance}, memberOf("runningTasksCount < 4")}, ""},
		{"ten", eleven[:10], ""},
		{"maxPods is not an ECS constraint", []Constraint{{Type: "maxPods", Expression: "3"}},
			"InvalidParameterException: 1 validation error detected: Value 'maxPods' at 'placementConstraints.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [distinctInstance, memberOf]"},
		{"two bad types", []Constraint{{Type: ConstraintDistinctInstance}, {Type: "maxPods"}, {Type: "spread"}},
			"InvalidParameterException: 2 validation errors detected: Value 'maxPods' at 'placementConstraints.2.member.type' failed to satisfy constraint: Member must satisfy enum value set: [distinctInstance, memberOf]; Value 'spread' at 'placementConstraints.3.member.type' failed to satisfy constraint: Member must satisfy enum value set: [distinctInstance, memberOf]"},
		{"eleven", eleven, "InvalidParameterException: Too many placement constraints. A task can have at most 10."},
		{"distinctInstance with an expression", []Constraint{{Type: ConstraintDistinctInstance, Expression: "runningTasksCount == 0"}},
			"InvalidParameterException: distinctInstance expression should not be specified."},
		{"memberOf without an expression", []Constraint{{Type: ConstraintMemberOf}},
			"InvalidParameterException: constraint.expression must be specified for constraint.type 'memberOf'."},
		{"expression too long", []Constraint{memberOf("attribute:a == " + strings.Repeat("x", 1990))},
			"InvalidParameterException: Placement constraint expression is too long. The maximum length is 2000 characters."},
		{"expression of 2000", []Constraint{memberOf("attribute:a == " + strings.Repeat("x", 1985))}, ""},
		{"bad expression", []Constraint{memberOf("attribute:a ==")},
			`InvalidParameterException: Invalid expression "attribute:a ==": expected a value after == at position 15, found end of expression`},
	}
	for _, tt := range tests {
		err := ValidateConstraints(tt.in)
		got := ""
		if err != nil {
			got = err.Error()
			if awserr.Code(err) == "" {
				t.Errorf("%s: %T is not an *awserr.Error", tt.name, err)
			}
		}
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestValidateStrategies(t *testing.T) {
	six := make([]Strategy, 6)
	for i := range six {
		six[i] = Strategy{Type: StrategyRandom}
	}
	tests := []struct {
		name string
		in   []Strategy
		want string
	}{
		{"none", nil, ""},
		{"defaults", DefaultServiceStrategies, ""},
		{"random", DefaultRunTaskStrategies, ""},
		{"binpack cpu and MEMORY", []Strategy{{StrategyBinpack, "cpu"}, {StrategyBinpack, "MEMORY"}}, ""},
		{"spread host and attribute", []Strategy{{StrategySpread, "host"}, {StrategySpread, "attribute:rack"}}, ""},
		{"five", six[:5], ""},
		{"unknown type", []Strategy{{Type: "maxPods"}},
			"InvalidParameterException: 1 validation error detected: Value 'maxPods' at 'placementStrategy.1.member.type' failed to satisfy constraint: Member must satisfy enum value set: [random, spread, binpack]"},
		{"six", six, "InvalidParameterException: Too many placement strategies. A task can have at most 5."},
		{"binpack disk", []Strategy{{StrategyBinpack, "disk"}},
			"InvalidParameterException: Invalid placement strategy field 'disk' for binpack. Valid fields are cpu and memory."},
		{"binpack without field", []Strategy{{StrategyBinpack, ""}},
			"InvalidParameterException: Invalid placement strategy field '' for binpack. Valid fields are cpu and memory."},
		{"spread without field", []Strategy{{StrategySpread, ""}},
			"InvalidParameterException: A field must be specified for placement strategy type spread."},
		{"spread on memory", []Strategy{{StrategySpread, "memory"}},
			"InvalidParameterException: Invalid placement strategy field 'memory' for spread. Valid fields are instanceId, host and attribute:<name>."},
		{"spread on attribute:", []Strategy{{StrategySpread, "attribute:"}},
			"InvalidParameterException: Invalid placement strategy field 'attribute:' for spread. Valid fields are instanceId, host and attribute:<name>."},
		{"random with field", []Strategy{{StrategyRandom, "cpu"}},
			"InvalidParameterException: A field cannot be specified for placement strategy type random."},
	}
	for _, tt := range tests {
		err := ValidateStrategies(tt.in)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

func TestPlaceRefusesInvalidRequests(t *testing.T) {
	in := []Instance{host("a", "us-east-1a", 1024, 1024)}
	if _, err := Place(Request{Count: 1, Constraints: []Constraint{{Type: "maxPods"}}}, in); awserr.Code(err) != awserr.InvalidParameterException {
		t.Errorf("maxPods constraint: err = %v", err)
	}
	if _, err := Place(Request{Count: 1, Strategies: []Strategy{{Type: StrategySpread}}}, in); awserr.Code(err) != awserr.InvalidParameterException {
		t.Errorf("spread without field: err = %v", err)
	}
}
