package placement

import (
	"strings"
	"testing"
	"time"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

func TestLex(t *testing.T) {
	tests := []struct {
		src  string
		want string // kind:text, space separated
	}{
		{"attribute:flavor==cpu", "w:attribute:flavor op:== w:cpu"},
		{"a != b", "w:a op:!= w:b"},
		{"a >= 1 && b<=2", "w:a op:>= w:1 and:&& w:b op:<= w:2"},
		{"a > 1 || b < 2", "w:a op:> w:1 or:|| w:b op:< w:2"},
		{"x =~ t2|t3 and y !~ g2.*", "w:x op:=~ w:t2|t3 w:and w:y op:!~ w:g2.*"},
		{"a !exists", "w:a op:!exists"},
		{"a !in [x, 'y z']", "w:a op:!in [:[ w:x ,:, q:y z ]:]"},
		{"!(a exists)", "not:! (:( w:a w:exists ):)"},
		{"not(task:group == database)", "w:not (:( w:task:group op:== w:database ):)"},
		{`ec2InstanceId in ["i-1", 'i-2']`, "w:ec2InstanceId w:in [:[ q:i-1 ,:, q:i-2 ]:]"},
		{"registeredAt < 2018-06-18T22:28:28+00:00", "w:registeredAt op:< w:2018-06-18T22:28:28+00:00"},
		{"!input", "not:! w:input"},
	}
	kinds := map[tokenKind]string{tokWord: "w", tokOp: "op", tokAnd: "and", tokOr: "or", tokNot: "not",
		tokLParen: "(", tokRParen: ")", tokLBracket: "[", tokRBracket: "]", tokComma: ","}
	for _, tt := range tests {
		toks, err := lex(tt.src)
		if err != nil {
			t.Errorf("lex(%q): %v", tt.src, err)
			continue
		}
		var got []string
		for _, tk := range toks {
			if tk.kind == tokEOF {
				continue
			}
			k := kinds[tk.kind]
			if tk.quoted {
				k = "q"
			}
			got = append(got, k+":"+tk.text)
		}
		if g := strings.Join(got, " "); g != tt.want {
			t.Errorf("lex(%q)\n got %s\nwant %s", tt.src, g, tt.want)
		}
	}
	for _, bad := range []string{"a = b", "a == 'open"} {
		if _, err := lex(bad); err == nil {
			t.Errorf("lex(%q) succeeded, want an error", bad)
		}
	}
}

// TestParseDocExamples parses every example of [DG:cluster-query-language]
// and prints it back in canonical form.
func TestParseDocExamples(t *testing.T) {
	tests := []struct{ src, want string }{
		{"attribute:ecs.instance-type == t2.small", "attribute:ecs.instance-type == t2.small"},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", "attribute:ecs.availability-zone in [us-east-1a, us-east-1b]"},
		{"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d", "attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d"},
		{"task:group == service:production", "task:group == service:production"},
		{"not(task:group == database)", "not(task:group == database)"},
		{"runningTasksCount == 1", "runningTasksCount == 1"},
		{"agentVersion < 1.14.5", "agentVersion < 1.14.5"},
		{"registeredAt < 2018-02-13", "registeredAt < 2018-02-13"},
		{"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", "ec2InstanceId in [i-abcd1234, i-wxyx7890]"},
		{"(expr1 exists or attribute:b exists) and attribute:c exists", ""}, // unknown subject: see errors
		// Word forms, case-insensitive connectives, grouping.
		{"attribute:a equals x AND attribute:b not_equals y", "attribute:a == x and attribute:b != y"},
		{"runningTasksCount greater_than 1 or runningTasksCount less_than_equal 0", "runningTasksCount > 1 or runningTasksCount <= 0"},
		{"runningTasksCount greater_than_equal 1 && runningTasksCount less_than 9", "runningTasksCount >= 1 and runningTasksCount < 9"},
		{"attribute:a exists and attribute:b not_exists", "attribute:a exists and attribute:b !exists"},
		{"attribute:a !exists || attribute:b !in [x]", "attribute:a !exists or attribute:b !in [x]"},
		{"ec2InstanceId matches i-0.* and ec2InstanceId not_matches i-00.*", "ec2InstanceId =~ i-0.* and ec2InstanceId !~ i-00.*"},
		{"(attribute:a == 1 or attribute:b == 2) and attribute:c == 3", "(attribute:a == 1 or attribute:b == 2) and attribute:c == 3"},
		{"attribute:a == 1 or attribute:b == 2 and attribute:c == 3", "attribute:a == 1 or attribute:b == 2 and attribute:c == 3"},
		{"!attribute:a exists", "not(attribute:a exists)"},
		{"attribute:note == 'two words'", "attribute:note == 'two words'"},
		{"agentConnected == false", "agentConnected == false"},
		{"attribute:mode == and", "attribute:mode == and"},
	}
	for _, tt := range tests {
		if tt.want == "" {
			continue
		}
		e, err := ParseExpression(tt.src)
		if err != nil {
			t.Errorf("ParseExpression(%q): %v", tt.src, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("ParseExpression(%q).String()\n got %s\nwant %s", tt.src, got, tt.want)
		}
		if e.Source() != tt.src {
			t.Errorf("Source() = %q", e.Source())
		}
		// The canonical form parses to itself.
		again, err := ParseExpression(e.String())
		if err != nil || again.String() != e.String() {
			t.Errorf("canonical %q does not round-trip: %v", e.String(), err)
		}
	}
}

func TestParsePrecedence(t *testing.T) {
	// "not" binds tighter than "and", which binds tighter than "or".
	e, _ := ParseExpression("not attribute:a exists and attribute:b exists or attribute:c exists")
	or, ok := e.root.(*orNode)
	if !ok {
		t.Fatalf("root is %T, want or", e.root)
	}
	and, ok := or.l.(*andNode)
	if !ok {
		t.Fatalf("left of or is %T, want and", or.l)
	}
	if _, ok := and.l.(*notNode); !ok {
		t.Fatalf("left of and is %T, want not", and.l)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "the expression is empty"},
		{"   ", "the expression is empty"},
		{"attribute:a = b", "unexpected '='"},
		{"color == red", `unknown subject "color"`},
		{"attribute: == x", `unknown subject "attribute:"`},
		{"attribute:a", "expected an operator after attribute:a"},
		{"attribute:a ==", "expected a value after =="},
		{"attribute:a is b", "expected an operator"},
		{"attribute:a in x", "expected '[' after in"},
		{"attribute:a in [x y]", "expected ',' or ']'"},
		{"attribute:a in []", "expected a value in the list"},
		{"attribute:a in [x,", "expected a value in the list"},
		{"(attribute:a exists", "expected ')'"},
		{"attribute:a exists)", "unexpected ')'"},
		{"attribute:a exists attribute:b exists", "unexpected 'attribute:b'"},
		{"attribute:a exists and", "expected a subject"},
		{"runningTasksCount == many", "runningTasksCount compares with a whole number"},
		{"runningTasksCount exists", "operator exists is not valid for runningTasksCount"},
		{"agentVersion in [1.0]", "operator in is not valid for agentVersion"},
		{"agentVersion > one", "agentVersion compares with a version"},
		{"agentConnected == yes", "agentConnected compares with true or false"},
		{"agentConnected > true", "operator > is not valid for agentConnected"},
		{"ec2InstanceId > i-1", "operator > is not valid for ec2InstanceId"},
		{"registeredAt == yesterday", "registeredAt compares with a date"},
		{"registeredAt in [2018-01-01]", "operator in is not valid for registeredAt"},
		{"task:group > a", "operator > is not valid for task:group"},
		{"attribute:a =~ (x", "expected a value after =~"}, // parentheses in a pattern need quotes
		{"attribute:a =~ '(x'", "invalid regular expression"},
		{`attribute:a =~ '(a)\1'`, "invalid regular expression"},
		{"attribute:a =~ '(?=x)'", "invalid regular expression"},
		{"'attribute:a' exists", "expected a subject"},
	}
	for _, tt := range tests {
		_, err := ParseExpression(tt.src)
		if err == nil {
			t.Errorf("ParseExpression(%q) succeeded, want error containing %q", tt.src, tt.want)
			continue
		}
		if awserr.Code(err) != awserr.InvalidParameterException {
			t.Errorf("ParseExpression(%q) code = %q", tt.src, awserr.Code(err))
		}
		if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "InvalidParameterException: Invalid expression ") {
			t.Errorf("ParseExpression(%q)\n got %v\nwant it to contain %q", tt.src, err, tt.want)
		}
	}
}

func TestEval(t *testing.T) {
	reg := time.Date(2018, 6, 18, 22, 28, 28, 0, time.UTC)
	in := Instance{
		EC2InstanceID:  "i-abcd1234",
		AgentConnected: true,
		AgentVersion:   "1.14.5",
		RegisteredAt:   reg,
		RunningTasks:   2,
		Attributes: map[string]string{
			"ecs.instance-type":       "g2.2xlarge",
			"ecs.availability-zone":   "us-east-1a",
			"ecs.capability.task-eni": "",
			"rack":                    "10",
		},
		Groups: map[string]int{"service:production": 1, "family:batch": 0},
	}
	tests := []struct {
		expr string
		want bool
	}{
		// attribute, every operator
		{"attribute:ecs.instance-type == g2.2xlarge", true},
		{"attribute:ecs.instance-type == t2.small", false},
		{"attribute:ecs.instance-type != t2.small", true},
		{"attribute:missing == x", false},
		{"attribute:missing != x", true},
		{"attribute:ecs.capability.task-eni exists", true},
		{"attribute:missing exists", false},
		{"attribute:missing !exists", true},
		{"attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", true},
		{"attribute:ecs.availability-zone in [us-east-1c]", false},
		{"attribute:ecs.availability-zone not_in [us-east-1c]", true},
		{"attribute:missing in [x]", false},
		{"attribute:missing !in [x]", true},
		{"attribute:ecs.instance-type =~ g2.*", true},
		{"attribute:ecs.instance-type =~ g2", false}, // whole value must match
		{"attribute:ecs.instance-type =~ '(?i)G2\\..*'", true},
		{"attribute:ecs.instance-type !~ t2.*", true},
		{"attribute:missing =~ .*", false},
		{"attribute:missing !~ .*", true},
		{"attribute:rack > 9", true}, // numeric: 10 > 9
		{"attribute:rack >= 10", true},
		{"attribute:rack < 9", false},
		{"attribute:rack <= 10.0", true},
		{"attribute:ecs.availability-zone < us-east-1b", true}, // string order
		{"attribute:ecs.availability-zone > us-east-1b", false},
		{"attribute:missing < z", false},
		// agentConnected
		{"agentConnected == true", true},
		{"agentConnected != true", false},
		{"agentConnected in [false]", false},
		{"agentConnected not_in [false]", true},
		{"agentConnected =~ t.*", true},
		{"agentConnected !~ t.*", false},
		// agentVersion: component-wise, not string order
		{"agentVersion < 1.14.10", true},
		{"agentVersion == 1.14.5", true},
		{"agentVersion == 1.14.5.0", true},
		{"agentVersion != 1.14", true},
		{"agentVersion > 1.9", true},
		{"agentVersion >= 1.14.5", true},
		{"agentVersion <= 1.14.4", false},
		{"agentVersion < 2", true},
		// ec2InstanceId
		{"ec2InstanceId == i-abcd1234", true},
		{"ec2InstanceId != i-abcd1234", false},
		{"ec2InstanceId in ['i-abcd1234', 'i-wxyx7890']", true},
		{"ec2InstanceId !in ['i-abcd1234']", false},
		{"ec2InstanceId =~ i-abcd.*", true},
		{"ec2InstanceId not_matches i-abcd.*", false},
		// registeredAt, the four date forms
		{"registeredAt == 2018-06-18T22:28:28+00:00", true},
		{"registeredAt == 2018-06-18T22:28:28Z", true},
		{"registeredAt == 2018-06-18T22:28:28", true},
		{"registeredAt == 2018-06-18T23:28:28+01:00", true},
		{"registeredAt == 2018-06-18", true}, // the whole day
		{"registeredAt != 2018-06-19", true},
		{"registeredAt < 2018-02-13", false},
		{"registeredAt < 2018-06-19", true},
		{"registeredAt <= 2018-06-18", true},
		{"registeredAt > 2018-06-18", false},
		{"registeredAt >= 2018-06-18", true},
		{"registeredAt > 2018-06-18T22:28:27Z", true},
		// runningTasksCount
		{"runningTasksCount == 2", true},
		{"runningTasksCount != 2", false},
		{"runningTasksCount > 1", true},
		{"runningTasksCount >= 3", false},
		{"runningTasksCount < 3", true},
		{"runningTasksCount <= 1", false},
		// task:group: the groups with a task on the instance
		{"task:group == service:production", true},
		{"task:group == family:batch", false}, // zero tasks
		{"not(task:group == database)", true},
		{"task:group != service:production", false},
		{"task:group in [database, service:production]", true},
		{"task:group not_in [database]", true},
		{"task:group exists", true},
		{"task:group !exists", false},
		{"task:group =~ service:.*", true},
		{"task:group !~ family:.*", true},
		// compound
		{"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d", true},
		{"attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone == us-east-1d", false},
		{"runningTasksCount == 0 or agentConnected == true", true},
		{"runningTasksCount == 0 || agentConnected == false", false},
		{"!(runningTasksCount == 0) && agentConnected == true", true},
		{"(runningTasksCount == 0 or agentConnected == true) and not attribute:missing exists", true},
	}
	for _, tt := range tests {
		e, err := ParseExpression(tt.expr)
		if err != nil {
			t.Errorf("ParseExpression(%q): %v", tt.expr, err)
			continue
		}
		if got := e.Match(&in); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.expr, got, tt.want)
		}
	}
}

func TestEvalEmptyInstance(t *testing.T) {
	var in Instance // no attributes, no groups
	for expr, want := range map[string]bool{
		"task:group exists":         false,
		"task:group == x":           false,
		"task:group =~ .*":          false,
		"attribute:a exists":        false,
		"agentVersion < 1.0":        true, // no version reads as 0
		"runningTasksCount == 0":    true,
		"registeredAt < 2000-01-01": true,
	} {
		e, err := ParseExpression(expr)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.Match(&in); got != want {
			t.Errorf("%s on an empty instance = %v, want %v", expr, got, want)
		}
	}
}

func TestCompareVersion(t *testing.T) {
	tests := []struct {
		have string
		want string
		c    int
	}{
		{"1.87.0", "1.87.0", 0},
		{"1.87.0", "1.9.0", 1},
		{"1.9", "1.10", -1},
		{"1.87", "1.87.0", 0},
		{"1.87.1", "1.87", 1},
		{"1.87.0-beta", "1.87.0", 0},
		{"", "0", 0},
		{"2", "1.99.99", 1},
	}
	for _, tt := range tests {
		v, _ := parseVersion(tt.want)
		if got := compareVersion(tt.have, v); got != tt.c {
			t.Errorf("compareVersion(%q, %q) = %d, want %d", tt.have, tt.want, got, tt.c)
		}
	}
}
