package iam

import (
	"sort"
	"strings"
)

// Decision is the outcome of evaluating a request against a principal's
// identity-based policies [IAM-UG:reference_policies_evaluation-logic].
type Decision struct {
	// Allowed is true when Decision is "allowed".
	Allowed bool
	// Decision is "allowed", "explicitDeny" or "implicitDeny", the values
	// of SimulatePrincipalPolicy's EvalDecision.
	Decision string
	// Statement names the statement that decided, for explanations, e.g.
	// "AmazonECSTaskExecutionRolePolicy (aws-managed), statement 1". It is
	// empty for an implicit deny, which no statement decides.
	Statement string
}

// EvalDecision values (service-2.json PolicyEvaluationDecisionType).
const (
	decisionAllowed      = PolicyEvaluationDecisionTypeAllowed
	decisionExplicitDeny = PolicyEvaluationDecisionTypeExplicitDeny
	decisionImplicitDeny = PolicyEvaluationDecisionTypeImplicitDeny
)

// policySource is one policy that takes part in an evaluation.
type policySource struct {
	id  string // SourcePolicyId: the policy name, or PolicyInputList.N
	typ string // SourcePolicyType: aws-managed, user-managed, role, none
	doc *document
}

func (p *policySource) describe(s *statement) string {
	return p.id + " (" + p.typ + "), " + s.label()
}

type matchedStatement struct {
	src  *policySource
	stmt *statement
}

// evaluation is the full outcome of one (action, resource) request.
type evaluation struct {
	decision string
	matched  []matchedStatement // the statements that decided
	missing  []string           // context keys that conditions needed and the request lacked
}

// evaluate applies the evaluation logic of identity-based policies in one
// account [IAM-UG:reference_policies_evaluation-logic]: an explicit Deny in
// any statement wins; otherwise an Allow allows; otherwise the request is
// implicitly denied. A statement applies when its action, resource and every
// condition match. A condition on a context key the request lacks does not
// match (AWS evaluates it as false unless it uses IfExists or ForAllValues),
// and the key is reported as missing, as the policy simulator reports
// MissingContextValues.
func evaluate(sources []*policySource, action, resource string, ctx map[string][]string) evaluation {
	var allows, denies []matchedStatement
	missing := map[string]bool{}
	for _, src := range sources {
		for _, s := range src.doc.statements {
			if !statementActionMatches(s, action) || !statementResourceMatches(s, resource, ctx) {
				continue
			}
			ok, keys := conditionsMatch(s.conditions, ctx)
			for _, k := range keys {
				missing[k] = true
			}
			if !ok {
				continue
			}
			m := matchedStatement{src: src, stmt: s}
			if s.effect == "Deny" {
				denies = append(denies, m)
			} else {
				allows = append(allows, m)
			}
		}
	}
	ev := evaluation{decision: decisionImplicitDeny}
	switch {
	case len(denies) > 0:
		ev.decision, ev.matched = decisionExplicitDeny, denies
	case len(allows) > 0:
		ev.decision, ev.matched = decisionAllowed, allows
	}
	for k := range missing {
		ev.missing = append(ev.missing, k)
	}
	sort.Strings(ev.missing)
	return ev
}

func (ev evaluation) toDecision() Decision {
	d := Decision{Allowed: ev.decision == decisionAllowed, Decision: ev.decision}
	if len(ev.matched) > 0 {
		d.Statement = ev.matched[0].src.describe(ev.matched[0].stmt)
	}
	return d
}

func statementActionMatches(s *statement, action string) bool {
	if s.hasNotAct {
		return !anyActionMatches(s.notAction, action)
	}
	return anyActionMatches(s.action, action)
}

// anyActionMatches: actions are "service:Action" and match without regard
// to case, with * and ? wildcards anywhere
// [IAM-UG:reference_policies_elements_action] (reference section 10.3).
func anyActionMatches(patterns []string, action string) bool {
	a := strings.ToLower(action)
	for _, p := range patterns {
		if glob(strings.ToLower(p), a) {
			return true
		}
	}
	return false
}

func statementResourceMatches(s *statement, resource string, ctx map[string][]string) bool {
	if s.hasNotRes {
		return !anyResourceMatches(s.notResource, resource, ctx)
	}
	return anyResourceMatches(s.resource, resource, ctx)
}

func anyResourceMatches(patterns []string, resource string, ctx map[string][]string) bool {
	for _, p := range patterns {
		if arnMatches(substitute(p, ctx), resource) {
			return true
		}
	}
	return false
}

// arnMatches matches a resource against a Resource pattern. "*" matches
// everything. ARNs are compared segment by segment (partition, service,
// region, account), each segment with * and ? wildcards, and then the
// resource part, where * also matches / and : [IAM-UG:reference_policies_elements_resource].
// Matching is case-sensitive. ArnEquals and ArnLike conditions use the same
// rule [IAM-UG:reference_policies_elements_condition_operators].
func arnMatches(pattern, resource string) bool {
	if pattern == "*" {
		return true
	}
	pp := strings.SplitN(pattern, ":", 6)
	rp := strings.SplitN(resource, ":", 6)
	if len(pp) != 6 || len(rp) != 6 {
		return glob(pattern, resource)
	}
	for k := range pp {
		if !glob(pp[k], rp[k]) {
			return false
		}
	}
	return true
}

// glob matches s against pattern, where * matches any run of characters and
// ? any single character.
func glob(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// substitute replaces policy variables ${key} with the request's value of
// the context key [IAM-UG:reference_policies_variables]; a variable whose
// key the request lacks is left as written, so it matches nothing.
func substitute(s string, ctx map[string][]string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		name := s[i+2 : i+j]
		b.WriteString(s[:i])
		switch v := ctx[strings.ToLower(name)]; {
		case name == "*", name == "?", name == "$":
			b.WriteString(name) // ${*} ${?} ${$} escape the special characters
		case len(v) == 1:
			b.WriteString(v[0])
		default:
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
}

// conditionsMatch evaluates the conditions of a statement: every operator
// and every key must match (AND). It returns the keys the request lacked or
// that ecsbox cannot evaluate, which make the statement not apply.
func conditionsMatch(conds []condition, ctx map[string][]string) (bool, []string) {
	ok := true
	var missing []string
	for _, c := range conds {
		matched, known := conditionMatches(c, ctx)
		if !known {
			missing = append(missing, c.key)
		}
		if !matched {
			ok = false
		}
	}
	return ok, missing
}

// conditionMatches evaluates one condition key. known is false when the
// request lacks the key (and the operator does not tolerate that) or when
// the operator is one ecsbox does not evaluate (Numeric*, Date*, IpAddress,
// BinaryEquals): the condition is then false, so an Allow never applies on
// a guess.
func conditionMatches(c condition, ctx map[string][]string) (matched, known bool) {
	op := c.op
	set := ""
	if i := strings.IndexByte(op, ':'); i >= 0 {
		set, op = op[:i], op[i+1:]
	}
	ifExists := strings.HasSuffix(op, "IfExists")
	op = strings.TrimSuffix(op, "IfExists")
	values, present := ctx[strings.ToLower(c.key)]
	if op == "Null" {
		want := len(c.values) > 0 && strings.EqualFold(c.values[0], "true")
		return want == !present, true
	}
	if !present {
		switch {
		case ifExists:
			return true, true
		case set == "ForAllValues":
			return true, true
		}
		return false, false
	}
	test, negated, supported := operatorTest(op)
	if !supported {
		return false, false
	}
	policy := make([]string, len(c.values))
	for k, v := range c.values {
		policy[k] = substitute(v, ctx)
	}
	one := func(v string) bool {
		hit := false
		for _, p := range policy {
			if test(p, v) {
				hit = true
				break
			}
		}
		return hit != negated
	}
	switch set {
	case "ForAllValues":
		for _, v := range values {
			if !one(v) {
				return false, true
			}
		}
		return true, true
	default: // ForAnyValue, and single-valued keys
		if negated && set == "" {
			for _, v := range values {
				if !one(v) {
					return false, true
				}
			}
			return true, true
		}
		for _, v := range values {
			if one(v) {
				return true, true
			}
		}
		return false, true
	}
}

// operatorTest returns the comparison of a condition operator
// [IAM-UG:reference_policies_elements_condition_operators], whether the
// operator is a negation, and whether ecsbox evaluates it.
func operatorTest(op string) (test func(policy, value string) bool, negated, supported bool) {
	equal := func(p, v string) bool { return p == v }
	fold := func(p, v string) bool { return strings.EqualFold(p, v) }
	switch op {
	case "StringEquals":
		return equal, false, true
	case "StringNotEquals":
		return equal, true, true
	case "StringEqualsIgnoreCase":
		return fold, false, true
	case "StringNotEqualsIgnoreCase":
		return fold, true, true
	case "StringLike":
		return glob, false, true
	case "StringNotLike":
		return glob, true, true
	case "ArnEquals", "ArnLike":
		return arnMatches, false, true
	case "ArnNotEquals", "ArnNotLike":
		return arnMatches, true, true
	case "Bool":
		return fold, false, true
	}
	return nil, false, false
}

// requestContext returns the global condition keys ecsbox can resolve for a
// request by a role [IAM-UG:reference_policies_condition-keys], lower-cased,
// merged with the caller's keys (which win):
//
//	aws:PrincipalArn      the role's ARN
//	aws:PrincipalAccount  the account
//	aws:PrincipalType     AssumedRole
//	aws:userid            roleId:session
//	aws:ResourceAccount   the account of the resource ARN, when it has one
//	aws:RequestedRegion   the region of the resource ARN, else the account's
//	aws:SecureTransport   true (every simulated call is an HTTPS API call)
func (i *IAM) requestContext(r *role, session, resource string, extra map[string][]string) map[string][]string {
	ctx := map[string][]string{
		"aws:principalaccount": {i.id.AccountID},
		"aws:principaltype":    {"AssumedRole"},
		"aws:securetransport":  {"true"},
		"aws:requestedregion":  {i.id.Region},
	}
	if r != nil {
		ctx["aws:principalarn"] = []string{r.arn}
		ctx["aws:userid"] = []string{r.id + ":" + session}
	}
	if parts := strings.SplitN(resource, ":", 6); len(parts) == 6 && parts[0] == "arn" {
		if parts[4] != "" {
			ctx["aws:resourceaccount"] = []string{parts[4]}
		}
		if parts[3] != "" {
			ctx["aws:requestedregion"] = []string{parts[3]}
		}
	}
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		ctx[strings.ToLower(k)] = append([]string{}, extra[k]...)
	}
	return ctx
}

// identitySources returns the identity-based policies of a role: its
// attached managed policies (default versions) sorted by name, then its
// inline policies sorted by name.
func (i *IAM) identitySources(r *role) []*policySource {
	var out []*policySource
	for _, arn := range r.attachedSorted(i) {
		p := i.policies[arn]
		typ := PolicySourceTypeUserManaged
		if p.awsManaged {
			typ = PolicySourceTypeAwsManaged
		}
		out = append(out, &policySource{id: p.name, typ: typ, doc: p.defaultVersion().doc})
	}
	for _, name := range r.inlineSorted() {
		out = append(out, &policySource{id: r.inline[name].name, typ: PolicySourceTypeRole, doc: r.inline[name].doc})
	}
	return out
}

// Evaluate decides whether the role principalArn may perform action on
// resource, from its identity-based policies (attached managed policies and
// inline policies). principalArn is a role ARN or an assumed-role session
// ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>). A principal
// that is not an existing role is implicitly denied.
func (i *IAM) Evaluate(principalArn, action, resource string) Decision {
	return i.EvaluateContext(principalArn, action, resource, nil)
}

// EvaluateContext is Evaluate with request context keys, such as
// iam:PassedToService for iam:PassRole or ecs:CreateAction for tag-on-create
// ({"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}). Keys are matched
// without regard to case, as condition keys are.
func (i *IAM) EvaluateContext(principalArn, action, resource string, context map[string][]string) Decision {
	r, session := i.principalRole(principalArn)
	if r == nil {
		return Decision{Decision: decisionImplicitDeny}
	}
	ctx := i.requestContext(r, session, resource, context)
	return evaluate(i.identitySources(r), action, resource, ctx).toDecision()
}

// TrustsService reports whether the role's trust policy lets the service
// principal (e.g. "ecs-tasks.amazonaws.com") call sts:AssumeRole: an Allow
// statement names the service (or "*") and the action, and no Deny does.
// Conditions on keys ecsbox knows (aws:SourceAccount is this account) are
// evaluated; conditions on other keys (aws:SourceArn: ecsbox does not know
// which resource the service acts for) are taken as satisfied.
func (i *IAM) TrustsService(roleArn, servicePrincipal string) bool {
	r, _ := i.principalRole(roleArn)
	if r == nil {
		return false
	}
	ctx := map[string][]string{"aws:sourceaccount": {i.id.AccountID}}
	allowed := false
	for _, s := range r.trust.statements {
		if !anyActionMatches(s.action, "sts:AssumeRole") || !principalNamesService(s.principal, servicePrincipal) {
			continue
		}
		ok := true
		for _, c := range s.conditions {
			if m, known := conditionMatches(c, ctx); known && !m {
				ok = false
			}
		}
		if !ok {
			continue
		}
		if s.effect == "Deny" {
			return false
		}
		allowed = true
	}
	return allowed
}

func principalNamesService(p map[string][]string, service string) bool {
	if _, any := p["*"]; any {
		return true
	}
	for _, v := range p["Service"] {
		if v == service || v == "*" {
			return true
		}
	}
	for _, v := range p["AWS"] {
		if v == "*" {
			return true
		}
	}
	return false
}
