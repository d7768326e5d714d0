package elbv2

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/ecsbox/ecsbox/runtime/aws"
	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// Listener rules [ALB-UG:listener-update-rules]: priorities 1-50000,
// evaluated lowest first, then the listener's default actions. ecsbox
// simulates the path-pattern and host-header conditions (a request of the
// simulated traffic has a host and a path and nothing else).
const (
	minPriority = 1
	maxPriority = 50000
	// maxConditionValues: "You can specify up to five match evaluations
	// per rule" [ALB-UG:rule-condition-types]; ecsbox counts values.
	maxConditionValues = 5
)

type rule struct {
	seq        int
	arn        string
	l          *listener
	priority   int
	conditions []RuleCondition
	actions    []Action
	tags       map[string]string
}

// CreateRule adds a rule to a listener.
func (e *ELBv2) CreateRule(in *CreateRuleInput) (*CreateRuleOutput, error) {
	if in == nil {
		in = &CreateRuleInput{}
	}
	l := e.listenerByARN(aws.ToString(in.ListenerArn))
	if l == nil {
		return nil, listenerNotFound()
	}
	p := aws.ToInt(in.Priority)
	if p < minPriority || p > maxPriority {
		return nil, rangeError("priority", p, minPriority, maxPriority)
	}
	if e.ruleWithPriority(l, p) != nil {
		// "Priority '5' is currently in use" (text not verified)
		return nil, awserr.Newf(PriorityInUse, "Priority '%d' is currently in use", p)
	}
	conds, err := checkConditions(in.Conditions)
	if err != nil {
		return nil, err
	}
	actions, err := e.checkActions(l.lb, in.Actions, "actions")
	if err != nil {
		return nil, err
	}
	if len(in.Transforms) > 0 {
		return nil, notSimulated("ecsbox does not simulate rule transforms")
	}
	tags, err := tagMap(in.Tags)
	if err != nil {
		return nil, err
	}
	e.accumulate()
	e.seq++
	r := &rule{seq: e.seq, l: l, priority: p, conditions: conds, actions: actions, tags: tags}
	r.arn = e.arn("listener-rule/" + l.lb.dimension() + "/" + l.hex + "/" + e.hexID())
	e.rules = append(e.rules, r)
	e.sim.Recordf("elbv2", "RuleCreated", r.arn, "load balancer %s: listener %s:%d rule %d: if %s then %s",
		l.lb.name, l.protocol, l.port, p, conditionWords(conds), e.actionWords(actions))
	e.refreshUse()
	return &CreateRuleOutput{Rules: []Rule{e.ruleShape(r)}}, nil
}

// checkConditions accepts path-pattern and host-header conditions, in the
// Values form or the PathPatternConfig / HostHeaderConfig form, and returns
// them in the config form AWS returns.
func checkConditions(in []RuleCondition) ([]RuleCondition, error) {
	if len(in) == 0 {
		// text not verified
		return nil, validation("A rule must have at least one condition")
	}
	var out []RuleCondition
	total := 0
	for i, c := range in {
		field := aws.ToString(c.Field)
		values := slices.Clone(c.Values)
		switch field {
		case "path-pattern":
			if c.PathPatternConfig != nil {
				values = append(values, c.PathPatternConfig.Values...)
			}
			if c.PathPatternConfig != nil && len(c.PathPatternConfig.RegexValues) > 0 {
				return nil, notSimulated("ecsbox does not simulate regular expressions in path-pattern conditions")
			}
			out = append(out, RuleCondition{Field: aws.String(field), Values: values, PathPatternConfig: &PathPatternConditionConfig{Values: values}})
		case "host-header":
			if c.HostHeaderConfig != nil {
				values = append(values, c.HostHeaderConfig.Values...)
				if len(c.HostHeaderConfig.RegexValues) > 0 {
					return nil, notSimulated("ecsbox does not simulate regular expressions in host-header conditions")
				}
			}
			out = append(out, RuleCondition{Field: aws.String(field), Values: values, HostHeaderConfig: &HostHeaderConditionConfig{Values: values}})
		case "http-header", "http-request-method", "query-string", "source-ip":
			return nil, notSimulated("ecsbox simulates path-pattern and host-header conditions, not %s", field)
		default:
			// "Condition field 'x' must be one of '[path-pattern,
			// host-header, ...]'" (text not verified)
			return nil, validation("Condition field '%s' must be one of '[path-pattern,host-header,http-header,http-request-method,query-string,source-ip]'", field)
		}
		if len(values) == 0 {
			// text not verified
			return nil, validation("A condition value must be specified for condition %d", i+1)
		}
		for _, v := range values {
			if len(v) > 128 {
				// text not verified
				return nil, validation("Condition value '%s' cannot be longer than 128 characters", v)
			}
		}
		total += len(values)
	}
	if total > maxConditionValues {
		// text not verified
		return nil, awserr.Newf(InvalidConfigurationRequest, "A rule can have at most '%d' condition values", maxConditionValues)
	}
	return out, nil
}

func conditionWords(conds []RuleCondition) string {
	var parts []string
	for _, c := range conds {
		parts = append(parts, fmt.Sprintf("%s is %s", aws.ToString(c.Field), strings.Join(c.Values, " or ")))
	}
	return strings.Join(parts, " and ")
}

func (e *ELBv2) ruleWithPriority(l *listener, p int) *rule {
	for _, r := range e.rules {
		if r.l == l && r.priority == p {
			return r
		}
	}
	return nil
}

func (e *ELBv2) ruleByARN(arn string) *rule {
	for _, r := range e.rules {
		if r.arn == arn {
			return r
		}
	}
	return nil
}

// rulesOf lists a listener's rules by priority.
func (e *ELBv2) rulesOf(l *listener) []*rule {
	var out []*rule
	for _, r := range e.rules {
		if r.l == l {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *rule) int { return a.priority - b.priority })
	return out
}

func (e *ELBv2) ruleShape(r *rule) Rule {
	return Rule{RuleArn: aws.String(r.arn), Priority: aws.String(strconv.Itoa(r.priority)), Conditions: slices.Clone(r.conditions),
		Actions: slices.Clone(r.actions), IsDefault: aws.Bool(false)}
}

func defaultRuleShape(l *listener) Rule {
	return Rule{RuleArn: aws.String(l.defaultRule), Priority: aws.String("default"), Conditions: []RuleCondition{},
		Actions: slices.Clone(l.actions), IsDefault: aws.Bool(true)}
}

// DescribeRules lists a listener's rules by priority, the default rule
// last, or the given rules.
func (e *ELBv2) DescribeRules(in *DescribeRulesInput) (*DescribeRulesOutput, error) {
	if in == nil {
		in = &DescribeRulesInput{}
	}
	var all []Rule
	switch {
	case in.ListenerArn != nil:
		l := e.listenerByARN(*in.ListenerArn)
		if l == nil {
			return nil, listenerNotFound()
		}
		for _, r := range e.rulesOf(l) {
			all = append(all, e.ruleShape(r))
		}
		all = append(all, defaultRuleShape(l))
	case len(in.RuleArns) > 0:
		for _, arn := range in.RuleArns {
			if r := e.ruleByARN(arn); r != nil {
				all = append(all, e.ruleShape(r))
				continue
			}
			i := slices.IndexFunc(e.listeners, func(l *listener) bool { return l.defaultRule == arn })
			if i < 0 {
				return nil, ruleNotFound()
			}
			all = append(all, defaultRuleShape(e.listeners[i]))
		}
	default:
		// text not verified
		return nil, validation("You must specify either listener rule ARNs or a listener ARN")
	}
	keys := make([]string, len(all))
	for i := range all {
		keys[i] = fmt.Sprintf("%06d", i)
	}
	page, next, err := paginate("DescribeRules", keys, in.PageSize, in.Marker)
	if err != nil {
		return nil, err
	}
	out := &DescribeRulesOutput{Rules: []Rule{}, NextMarker: next}
	for _, k := range page {
		i, _ := strconv.Atoi(k)
		out.Rules = append(out.Rules, all[i])
	}
	return out, nil
}

// ModifyRule replaces a rule's conditions or actions; for the default rule,
// its actions (the listener's default actions).
func (e *ELBv2) ModifyRule(in *ModifyRuleInput) (*ModifyRuleOutput, error) {
	if in == nil {
		in = &ModifyRuleInput{}
	}
	arn := aws.ToString(in.RuleArn)
	r := e.ruleByARN(arn)
	if r == nil {
		i := slices.IndexFunc(e.listeners, func(l *listener) bool { return l.defaultRule == arn })
		if i < 0 {
			return nil, ruleNotFound()
		}
		l := e.listeners[i]
		if len(in.Conditions) > 0 {
			// text not verified
			return nil, awserr.New(OperationNotPermitted, "Conditions cannot be specified for a default rule")
		}
		if _, err := e.ModifyListener(&ModifyListenerInput{ListenerArn: aws.String(l.arn), DefaultActions: in.Actions}); err != nil {
			return nil, err
		}
		return &ModifyRuleOutput{Rules: []Rule{defaultRuleShape(l)}}, nil
	}
	conds, actions := r.conditions, r.actions
	var err error
	if len(in.Conditions) > 0 {
		if conds, err = checkConditions(in.Conditions); err != nil {
			return nil, err
		}
	}
	if len(in.Actions) > 0 {
		if actions, err = e.checkActions(r.l.lb, in.Actions, "actions"); err != nil {
			return nil, err
		}
	}
	e.accumulate()
	r.conditions, r.actions = conds, actions
	e.sim.Recordf("elbv2", "RuleModified", r.arn, "load balancer %s: rule %d: if %s then %s", r.l.lb.name, r.priority, conditionWords(conds), e.actionWords(actions))
	e.refreshUse()
	return &ModifyRuleOutput{Rules: []Rule{e.ruleShape(r)}}, nil
}

// DeleteRule deletes a rule; the default rule cannot be deleted.
func (e *ELBv2) DeleteRule(in *DeleteRuleInput) (*DeleteRuleOutput, error) {
	if in == nil {
		in = &DeleteRuleInput{}
	}
	arn := aws.ToString(in.RuleArn)
	r := e.ruleByARN(arn)
	if r == nil {
		if slices.ContainsFunc(e.listeners, func(l *listener) bool { return l.defaultRule == arn }) {
			// text not verified
			return nil, awserr.Newf(OperationNotPermitted, "Default rule '%s' cannot be deleted", arn)
		}
		return nil, ruleNotFound()
	}
	e.accumulate()
	e.rules = slices.DeleteFunc(e.rules, func(x *rule) bool { return x == r })
	e.sim.Recordf("elbv2", "RuleDeleted", r.arn, "load balancer %s: rule %d deleted", r.l.lb.name, r.priority)
	e.refreshUse()
	return &DeleteRuleOutput{}, nil
}

// SetRulePriorities changes the priorities of rules of one listener.
func (e *ELBv2) SetRulePriorities(in *SetRulePrioritiesInput) (*SetRulePrioritiesOutput, error) {
	if in == nil {
		in = &SetRulePrioritiesInput{}
	}
	next := map[*rule]int{}
	for _, p := range in.RulePriorities {
		r := e.ruleByARN(aws.ToString(p.RuleArn))
		if r == nil {
			return nil, ruleNotFound()
		}
		n := aws.ToInt(p.Priority)
		if n < minPriority || n > maxPriority {
			return nil, rangeError("priority", n, minPriority, maxPriority)
		}
		next[r] = n
	}
	for r, n := range next {
		for _, other := range e.rules {
			if other != r && other.l == r.l && other.priority == n {
				if _, moving := next[other]; !moving {
					return nil, awserr.Newf(PriorityInUse, "Priority '%d' is currently in use", n)
				}
			}
		}
	}
	e.accumulate()
	out := &SetRulePrioritiesOutput{Rules: []Rule{}}
	for _, p := range in.RulePriorities {
		r := e.ruleByARN(aws.ToString(p.RuleArn))
		r.priority = next[r]
		out.Rules = append(out.Rules, e.ruleShape(r))
	}
	return out, nil
}

// route returns the actions a listener applies to a request for host and
// path: those of the first rule by priority whose conditions all match,
// else the default actions.
func (e *ELBv2) route(l *listener, host, reqPath string) []Action {
	for _, r := range e.rulesOf(l) {
		if matchesAll(r.conditions, host, reqPath) {
			return r.actions
		}
	}
	return l.actions
}

// matchesAll: conditions AND, the values of a condition OR. Path patterns
// are case sensitive and host headers are not; both take the wildcards *
// and ? [ALB-UG:rule-condition-types].
func matchesAll(conds []RuleCondition, host, reqPath string) bool {
	for _, c := range conds {
		ok := false
		for _, v := range c.Values {
			switch aws.ToString(c.Field) {
			case "path-pattern":
				ok = ok || wildcard(v, reqPath)
			case "host-header":
				ok = ok || wildcard(strings.ToLower(v), strings.ToLower(host))
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// wildcard matches * (any characters, / included) and ? (one character).
func wildcard(pattern, s string) bool {
	var b strings.Builder
	for _, r := range pattern {
		switch r {
		case '*', '?':
			b.WriteRune(r)
		case '[', ']', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '/':
			b.WriteRune('\x00') // path.Match's * stops at /; match it as a plain character
		default:
			b.WriteRune(r)
		}
	}
	ok, err := path.Match(b.String(), strings.ReplaceAll(s, "/", "\x00"))
	return err == nil && ok
}
