package iam

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// docKind says which grammar a policy document follows: an identity policy
// (managed or inline) or a role's trust policy, which names a Principal and
// no Resource [IAM-UG:reference_policies_elements_principal].
type docKind int

const (
	identityPolicy docKind = iota
	trustPolicy
)

// Policy language versions [IAM-UG:reference_policies_elements_version].
// 2008-10-17 is the old one; the ECS instance role's trust policy in the
// ECS guide still uses it [DG:instance_IAM_role].
const (
	version2012 = "2012-10-17"
	version2008 = "2008-10-17"
)

// document is a parsed policy document.
type document struct {
	version    string
	statements []*statement
}

// statement is one element of Statement. Lists keep the document's order.
type statement struct {
	index  int // 0-based position in Statement
	sid    string
	effect string // Allow or Deny

	action, notAction     []string
	resource, notResource []string
	hasAction, hasNotAct  bool
	hasRes, hasNotRes     bool

	// principal maps a principal type (AWS, Service, Federated,
	// CanonicalUser) to its values; "*" alone is stored under "*".
	principal    map[string][]string
	hasPrincipal bool

	conditions []condition

	// start and end are the 1-based line and column of the statement's
	// opening and closing braces in the document text, reported by
	// SimulatePrincipalPolicy as StartPosition and EndPosition.
	start, end position
}

type condition struct {
	op     string // as written, e.g. "ForAnyValue:StringLike", "StringEqualsIfExists"
	key    string
	values []string
}

type position struct{ line, col int }

// label names a statement in explanations: its Sid when it has one.
func (s *statement) label() string {
	if s.sid != "" {
		return "statement " + s.sid
	}
	return "statement " + itoa(s.index+1)
}

// Texts of MalformedPolicyDocument. AWS does not document them; these are
// the texts AWS returned in the validation cases that moto recorded against
// AWS and replays (getmoto/moto moto/iam/policy_validation.py and
// tests/test_iam/test_iam_policies.py), unless marked otherwise.
const (
	errSyntax         = "Syntax errors in policy."
	errVersion        = "Policy document must be version 2012-10-17 or greater."
	errLegacy         = "The policy failed legacy parsing"
	errSidUnique      = "Statement IDs (SID) in a single policy must be unique."
	errNoActions      = "Policy statement must contain actions."
	errNoResources    = "Policy statement must contain resources."
	errVendor         = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."
	errOneColon       = "Actions/Condition can contain only one colon."
	errTrustActions   = "Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity"
	errTrustResource  = "Has prohibited field Resource."
	errHasPrincipal   = "Policy document should not specify a principal." // terraform-provider-aws#10419 (AWS output)
	errMissingPrinc   = "Missing required field Principal"                // text not verified for IAM (S3's bucket-policy wording)
	errResourceFormat = `Resource %s must be in ARN format or "*".`
)

// trustActions are the actions a trust policy may name (moto's list, from
// the STS actions of the Service Authorization Reference).
var trustActions = map[string]bool{
	"sts:AssumeRole": true, "sts:AssumeRoleWithSAML": true, "sts:AssumeRoleWithWebIdentity": true,
	"sts:TagSession": true, "sts:SetSourceIdentity": true, "sts:SetContext": true,
}

var statementElements = map[string]bool{
	"Sid": true, "Effect": true, "Action": true, "NotAction": true, "Resource": true,
	"NotResource": true, "Principal": true, "NotPrincipal": true, "Condition": true,
}

// conditionOperators are the operators of the policy grammar
// [IAM-UG:reference_policies_elements_condition_operators]; evaluation
// supports a subset (see evaluate.go).
var conditionOperators = map[string]bool{
	"StringEquals": true, "StringNotEquals": true, "StringEqualsIgnoreCase": true,
	"StringNotEqualsIgnoreCase": true, "StringLike": true, "StringNotLike": true,
	"NumericEquals": true, "NumericNotEquals": true, "NumericLessThan": true,
	"NumericLessThanEquals": true, "NumericGreaterThan": true, "NumericGreaterThanEquals": true,
	"DateEquals": true, "DateNotEquals": true, "DateLessThan": true, "DateLessThanEquals": true,
	"DateGreaterThan": true, "DateGreaterThanEquals": true, "Bool": true, "BinaryEquals": true,
	"IpAddress": true, "NotIpAddress": true, "ArnEquals": true, "ArnLike": true,
	"ArnNotEquals": true, "ArnNotLike": true, "Null": true,
}

// decodeDocument returns the document text as written: a document that is
// not JSON but URL-decodes to JSON (a document copied from raw API output,
// where IAM URL-encodes documents) is decoded.
func decodeDocument(text string) string {
	if json.Valid([]byte(text)) || !strings.Contains(text, "%") {
		return text
	}
	if dec, err := url.PathUnescape(text); err == nil && json.Valid([]byte(dec)) {
		return dec
	}
	return text
}

// parseDocument parses and validates a policy document of the given kind,
// returning MalformedPolicyDocument errors in the order AWS checks them
// (syntax, version, legacy parsing, Sid uniqueness, actions, resources).
func parseDocument(text string, kind docKind) (*document, error) {
	text = decodeDocument(text)
	d, ok := parseSyntax(text)
	if !ok {
		return nil, malformed(errSyntax)
	}
	if kind == identityPolicy {
		for _, s := range d.statements {
			if s.hasPrincipal {
				return nil, malformed(errHasPrincipal)
			}
		}
		if d.version != version2012 {
			return nil, malformed(errVersion)
		}
	}
	for _, s := range d.statements {
		if s.effect != "Allow" && s.effect != "Deny" { // the syntax check ignores case; legacy parsing does not
			return nil, malformed(errLegacy)
		}
	}
	seen := map[string]bool{}
	for _, s := range d.statements {
		if s.sid != "" {
			if seen[s.sid] {
				return nil, malformed(errSidUnique)
			}
			seen[s.sid] = true
		}
	}
	for _, s := range d.statements {
		if (!s.hasAction || len(s.action) == 0) && (!s.hasNotAct || len(s.notAction) == 0) {
			return nil, malformed(errNoActions)
		}
	}
	for _, s := range d.statements {
		for _, r := range append(append([]string{}, s.resource...), s.notResource...) {
			if r != "*" && !strings.Contains(r, ":") {
				return nil, malformed(errResourceFormat, r)
			}
		}
	}
	for _, s := range d.statements {
		for _, a := range append(append([]string{}, s.action...), s.notAction...) {
			parts := strings.Split(a, ":")
			switch {
			case len(parts) == 1 && a != "*":
				return nil, malformed(errVendor)
			case len(parts) > 2:
				return nil, malformed(errOneColon)
			case a != "*" && !validVendor(parts[0]):
				return nil, malformed("Vendor %s is not valid", parts[0])
			}
		}
	}
	switch kind {
	case identityPolicy:
		for _, s := range d.statements {
			if (!s.hasRes || len(s.resource) == 0) && (!s.hasNotRes || len(s.notResource) == 0) {
				return nil, malformed(errNoResources)
			}
		}
	case trustPolicy:
		for _, s := range d.statements {
			for _, a := range s.action {
				if !trustActions[a] {
					return nil, malformed(errTrustActions)
				}
			}
		}
		for _, s := range d.statements {
			if s.hasRes || s.hasNotRes {
				return nil, malformed(errTrustResource)
			}
		}
		for _, s := range d.statements {
			if !s.hasPrincipal {
				return nil, malformed(errMissingPrinc)
			}
		}
	}
	spans := statementSpans(text)
	for k, s := range d.statements {
		if k < len(spans) {
			s.start, s.end = spans[k][0], spans[k][1]
		}
	}
	return d, nil
}

func validVendor(v string) bool {
	if v == "" {
		return false
	}
	for _, r := range v {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return false
		}
	}
	return true
}

// parseSyntax checks the grammar of the document (every failure is "Syntax
// errors in policy.") and builds the parsed form.
func parseSyntax(text string) (*document, bool) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil || dec.More() {
		return nil, false
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, false
	}
	d := &document{}
	for k, v := range obj {
		switch k {
		case "Version":
			s, ok := v.(string)
			if !ok || (s != version2012 && s != version2008) {
				return nil, false
			}
			d.version = s
		case "Id":
			if _, ok := v.(string); !ok {
				return nil, false
			}
		case "Statement":
		default:
			return nil, false
		}
	}
	var raws []map[string]any
	switch st := obj["Statement"].(type) {
	case map[string]any:
		raws = []map[string]any{st}
	case []any:
		if len(st) == 0 {
			return nil, false
		}
		for _, e := range st {
			m, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			raws = append(raws, m)
		}
	default:
		return nil, false
	}
	for n, m := range raws {
		s, ok := parseStatement(m)
		if !ok {
			return nil, false
		}
		s.index = n
		d.statements = append(d.statements, s)
	}
	return d, true
}

func parseStatement(m map[string]any) (*statement, bool) {
	s := &statement{}
	for k := range m {
		if !statementElements[k] {
			return nil, false
		}
	}
	_, a := m["Action"]
	_, na := m["NotAction"]
	_, r := m["Resource"]
	_, nr := m["NotResource"]
	if a && na || r && nr {
		return nil, false
	}
	eff, ok := m["Effect"].(string)
	if !ok || (!strings.EqualFold(eff, "Allow") && !strings.EqualFold(eff, "Deny")) {
		return nil, false
	}
	s.effect = eff
	if v, present := m["Sid"]; present {
		if s.sid, ok = v.(string); !ok {
			return nil, false
		}
	}
	for _, f := range []struct {
		name string
		dst  *[]string
		has  *bool
	}{{"Action", &s.action, &s.hasAction}, {"NotAction", &s.notAction, &s.hasNotAct},
		{"Resource", &s.resource, &s.hasRes}, {"NotResource", &s.notResource, &s.hasNotRes}} {
		v, present := m[f.name]
		if !present {
			continue
		}
		list, ok := stringOrList(v)
		if !ok {
			return nil, false
		}
		*f.dst, *f.has = list, true
	}
	if v, present := m["Principal"]; present {
		p, ok := parsePrincipal(v)
		if !ok {
			return nil, false
		}
		s.principal, s.hasPrincipal = p, true
	}
	if v, present := m["NotPrincipal"]; present {
		if _, ok := parsePrincipal(v); !ok {
			return nil, false
		}
		s.hasPrincipal = true // NotPrincipal also names principals; evaluation ignores it
	}
	if v, present := m["Condition"]; present {
		conds, ok := parseConditions(v)
		if !ok {
			return nil, false
		}
		s.conditions = conds
	}
	return s, true
}

func stringOrList(v any) ([]string, bool) {
	switch t := v.(type) {
	case string:
		return []string{t}, true
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

func parsePrincipal(v any) (map[string][]string, bool) {
	if s, ok := v.(string); ok {
		if s != "*" {
			return nil, false
		}
		return map[string][]string{"*": {"*"}}, true
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	out := map[string][]string{}
	for k, e := range m {
		list, ok := stringOrList(e)
		if !ok {
			return nil, false
		}
		out[k] = list
	}
	return out, true
}

// parseConditions reads Condition: {operator: {key: value or [values]}}.
// Values may be strings, numbers or booleans; they are kept as strings.
// Conditions are sorted by operator and key so that evaluation and its
// explanations never depend on map order.
func parseConditions(v any) ([]condition, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, false
	}
	var out []condition
	for op, body := range m {
		b, ok := body.(map[string]any)
		if !ok {
			return nil, false
		}
		if !conditionOperators[baseOperator(op)] && len(b) > 0 {
			return nil, false
		}
		for k, val := range b {
			var values []string
			switch t := val.(type) {
			case []any:
				for _, e := range t {
					s, ok := scalarString(e)
					if !ok {
						return nil, false
					}
					values = append(values, s)
				}
			default:
				s, ok := scalarString(t)
				if !ok {
					return nil, false
				}
				values = []string{s}
			}
			out = append(out, condition{op: op, key: k, values: values})
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].op != out[b].op {
			return out[a].op < out[b].op
		}
		return out[a].key < out[b].key
	})
	return out, true
}

func scalarString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case bool:
		if t {
			return "true", true
		}
		return "false", true
	case json.Number:
		return t.String(), true
	}
	return "", false
}

// baseOperator strips the set prefix (ForAnyValue:, ForAllValues:) and the
// IfExists suffix from a condition operator.
func baseOperator(op string) string {
	if i := strings.IndexByte(op, ':'); i >= 0 {
		op = op[i+1:]
	}
	return strings.TrimSuffix(op, "IfExists")
}

// statementSpans returns the positions of the opening and closing braces of
// each statement object under the top-level Statement member, in order.
func statementSpans(text string) [][2]position {
	type frame struct {
		obj, wantKey, stmt bool
		key                string
		start              int64
	}
	var stack []*frame
	var spans [][2]position
	dec := json.NewDecoder(strings.NewReader(text))
	for {
		tok, err := dec.Token()
		if err != nil {
			return spans
		}
		off := dec.InputOffset()
		var parent *frame
		if len(stack) > 0 {
			parent = stack[len(stack)-1]
		}
		if k, ok := tok.(string); ok && parent != nil && parent.obj && parent.wantKey {
			parent.key, parent.wantKey = k, false
			continue
		}
		d, isDelim := tok.(json.Delim)
		switch {
		case isDelim && (d == '{' || d == '['):
			f := &frame{obj: d == '{', wantKey: d == '{', start: off - 1}
			if d == '{' && len(stack) >= 1 && stack[0].key == "Statement" {
				f.stmt = len(stack) == 1 || (len(stack) == 2 && !stack[1].obj)
			}
			stack = append(stack, f)
		case isDelim:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if f.stmt {
				spans = append(spans, [2]position{offsetPosition(text, f.start), offsetPosition(text, off-1)})
			}
			if len(stack) > 0 && stack[len(stack)-1].obj {
				stack[len(stack)-1].wantKey = true
			}
		default:
			if parent != nil && parent.obj {
				parent.wantKey = true
			}
		}
	}
}

// offsetPosition converts a byte offset to a 1-based line and column.
func offsetPosition(text string, off int64) position {
	if off < 0 || off > int64(len(text)) {
		return position{}
	}
	pre := text[:off]
	line := strings.Count(pre, "\n") + 1
	col := int(off) - (strings.LastIndexByte(pre, '\n') + 1) + 1
	return position{line: line, col: col}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
