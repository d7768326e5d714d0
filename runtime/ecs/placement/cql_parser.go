package placement

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ecsbox/ecsbox/runtime/awserr"
)

// This file parses the cluster query language [DG:cluster-query-language]:
//
//	expr       = or
//	or         = and { ("or" | "||") and }
//	and        = unary { ("and" | "&&") unary }
//	unary      = ("not" | "!") unary | "(" expr ")" | comparison
//	comparison = subject operator [argument]
//	argument   = value | "[" value { "," value } "]"
//
// The guide does not say how "and" and "or" bind together; ecsbox uses the
// usual rule (not, then and, then or), and parentheses override it. Word
// forms of operators and connectives are case-insensitive; subjects are not.
// Values may be quoted with ' or " to hold spaces, brackets or parentheses.

// Expr is a parsed cluster query language expression. It is immutable and
// safe to share; ECS can keep one per memberOf constraint or
// ListContainerInstances filter.
type Expr struct {
	src  string
	root node
}

// ParseExpression parses a cluster query language expression. A malformed
// expression is refused with an InvalidParameterException naming the problem.
func ParseExpression(s string) (*Expr, error) {
	root, err := parse(s)
	if err != nil {
		// text not verified: AWS's wording for an unparsable expression was not
		// found; the detail after the colon is ecsbox's.
		return nil, awserr.Newf(awserr.InvalidParameterException, "Invalid expression %q: %v", s, err)
	}
	return &Expr{src: s, root: root}, nil
}

// String returns the expression in canonical form: symbol operators, single
// spaces, parentheses only where and/or nesting needs them.
func (e *Expr) String() string {
	var b strings.Builder
	e.root.format(&b, 0)
	return b.String()
}

// Source returns the expression as written.
func (e *Expr) Source() string { return e.src }

// Match reports whether the container instance satisfies the expression, as
// the instance stands (its own RunningTasks and Groups).
func (e *Expr) Match(in *Instance) bool {
	return e.root.eval(&view{inst: in, running: in.RunningTasks})
}

// subject is the left-hand side of a comparison.
type subject int

const (
	subjAgentConnected subject = iota
	subjAgentVersion
	subjAttribute
	subjEC2InstanceID
	subjRegisteredAt
	subjRunningTasksCount
	subjTaskGroup
)

// operator is a comparison operator.
type operator int

const (
	opEq operator = iota
	opNe
	opGt
	opGe
	opLt
	opLe
	opExists
	opNotExists
	opIn
	opNotIn
	opMatches
	opNotMatches
)

var opSymbols = [...]string{"==", "!=", ">", ">=", "<", "<=", "exists", "!exists", "in", "!in", "=~", "!~"}

func (o operator) String() string { return opSymbols[o] }

// operatorWords maps every spelling of an operator [DG:cluster-query-language]
// to it. Word forms are matched case-insensitively.
var operatorWords = map[string]operator{
	"==": opEq, "equals": opEq,
	"!=": opNe, "not_equals": opNe,
	">": opGt, "greater_than": opGt,
	">=": opGe, "greater_than_equal": opGe,
	"<": opLt, "less_than": opLt,
	"<=": opLe, "less_than_equal": opLe,
	"exists":  opExists,
	"!exists": opNotExists, "not_exists": opNotExists,
	"in":  opIn,
	"!in": opNotIn, "not_in": opNotIn,
	"=~": opMatches, "matches": opMatches,
	"!~": opNotMatches, "not_matches": opNotMatches,
}

// subjectOps lists the operators the guide allows for each subject
// [DG:cluster-query-language]. The guide gives no list for attribute:<name>
// (ecsbox allows all) or task:group (ecsbox allows those that make sense for
// the set of groups on an instance: no ordering).
var subjectOps = map[subject][]operator{
	subjAgentConnected:    {opEq, opNe, opIn, opNotIn, opMatches, opNotMatches},
	subjAgentVersion:      {opEq, opNe, opGt, opGe, opLt, opLe},
	subjAttribute:         {opEq, opNe, opGt, opGe, opLt, opLe, opExists, opNotExists, opIn, opNotIn, opMatches, opNotMatches},
	subjEC2InstanceID:     {opEq, opNe, opIn, opNotIn, opMatches, opNotMatches},
	subjRegisteredAt:      {opEq, opNe, opGt, opGe, opLt, opLe},
	subjRunningTasksCount: {opEq, opNe, opGt, opGe, opLt, opLe},
	subjTaskGroup:         {opEq, opNe, opExists, opNotExists, opIn, opNotIn, opMatches, opNotMatches},
}

var subjectNames = map[string]subject{
	"agentConnected":    subjAgentConnected,
	"agentVersion":      subjAgentVersion,
	"ec2InstanceId":     subjEC2InstanceID,
	"registeredAt":      subjRegisteredAt,
	"runningTasksCount": subjRunningTasksCount,
	"task:group":        subjTaskGroup,
}

// node is an element of the expression tree.
type node interface {
	eval(v *view) bool
	// format writes the node; prec is the binding strength of the parent
	// (0 none, 1 or, 2 and) so that only needed parentheses are written.
	format(b *strings.Builder, prec int)
}

type orNode struct{ l, r node }
type andNode struct{ l, r node }
type notNode struct{ x node }

// cmpNode is one comparison, with its argument converted once, at parse
// time, to the form evaluation needs.
type cmpNode struct {
	subj  subject
	name  string // attribute name for subjAttribute; the subject as written otherwise
	op    operator
	args  []string       // the values as written
	nums  []float64      // attribute ordering: the value as a number, if it is one
	isNum []bool         //
	ints  []int          // runningTasksCount
	vers  [][]int        // agentVersion
	spans []timeSpan     // registeredAt
	re    *regexp.Regexp // =~ and !~
}

// timeSpan is a registeredAt argument: an instant to the second
// [from, from+1s) or a whole UTC day for the date-only form.
type timeSpan struct{ from, to time.Time }

func (n *orNode) format(b *strings.Builder, prec int) {
	if prec > 1 {
		b.WriteByte('(')
	}
	n.l.format(b, 1)
	b.WriteString(" or ")
	n.r.format(b, 1)
	if prec > 1 {
		b.WriteByte(')')
	}
}

func (n *andNode) format(b *strings.Builder, prec int) {
	if prec > 2 {
		b.WriteByte('(')
	}
	n.l.format(b, 2)
	b.WriteString(" and ")
	n.r.format(b, 2)
	if prec > 2 {
		b.WriteByte(')')
	}
}

func (n *notNode) format(b *strings.Builder, _ int) {
	b.WriteString("not(")
	n.x.format(b, 0)
	b.WriteByte(')')
}

func (n *cmpNode) format(b *strings.Builder, _ int) {
	if n.subj == subjAttribute {
		b.WriteString("attribute:")
	}
	b.WriteString(n.name)
	b.WriteByte(' ')
	b.WriteString(n.op.String())
	switch n.op {
	case opExists, opNotExists:
	case opIn, opNotIn:
		b.WriteString(" [")
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, a)
		}
		b.WriteByte(']')
	default:
		b.WriteByte(' ')
		writeValue(b, n.args[0])
	}
}

// writeValue quotes a value only when the lexer would not read it back as
// one bare word.
func writeValue(b *strings.Builder, v string) {
	bare := v != ""
	for i := 0; i < len(v); i++ {
		if wordStop(v[i]) || (v[i] == '&' || v[i] == '|') && i+1 < len(v) && v[i+1] == v[i] {
			bare = false
		}
	}
	if bare {
		b.WriteString(v)
		return
	}
	q := byte('\'')
	if strings.IndexByte(v, '\'') >= 0 {
		q = '"'
	}
	b.WriteByte(q)
	b.WriteString(v)
	b.WriteByte(q)
}

type parser struct {
	toks []token
	i    int
}

func parse(src string) (node, error) {
	if strings.TrimSpace(src) == "" {
		return nil, fmt.Errorf("the expression is empty")
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, fmt.Errorf("unexpected %s at position %d", t, t.pos+1)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

// isWord reports whether t is the unquoted word w, ignoring case.
func isWord(t token, w string) bool {
	return t.kind == tokWord && !t.quoted && strings.EqualFold(t.text, w)
}

func (p *parser) or() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == tokOr || isWord(t, "or"); t = p.peek() {
		p.next()
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &orNode{l, r}
	}
	return l, nil
}

func (p *parser) and() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == tokAnd || isWord(t, "and"); t = p.peek() {
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = &andNode{l, r}
	}
	return l, nil
}

func (p *parser) unary() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tokNot || isWord(t, "not"):
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &notNode{x}, nil
	case t.kind == tokLParen:
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, fmt.Errorf("expected ')' at position %d, found %s", c.pos+1, c)
		}
		return x, nil
	}
	return p.comparison()
}

func (p *parser) comparison() (node, error) {
	t := p.next()
	if t.kind != tokWord || t.quoted {
		return nil, fmt.Errorf("expected a subject at position %d, found %s", t.pos+1, t)
	}
	n := &cmpNode{name: t.text}
	if s, ok := subjectNames[t.text]; ok {
		n.subj = s
	} else if name, ok := strings.CutPrefix(t.text, "attribute:"); ok && name != "" {
		n.subj, n.name = subjAttribute, name
	} else {
		return nil, fmt.Errorf("unknown subject %q at position %d (want agentConnected, agentVersion, attribute:<name>, ec2InstanceId, registeredAt, runningTasksCount or task:group)", t.text, t.pos+1)
	}

	o := p.next()
	op, ok := operator(0), false
	if o.kind == tokOp || o.kind == tokWord && !o.quoted {
		op, ok = operatorWords[strings.ToLower(o.text)]
	}
	if !ok {
		return nil, fmt.Errorf("expected an operator after %s at position %d, found %s", t.text, o.pos+1, o)
	}
	n.op = op
	if !allowed(n.subj, op) {
		return nil, fmt.Errorf("operator %s is not valid for %s", o.text, t.text)
	}

	switch op {
	case opExists, opNotExists:
		return n, nil
	case opIn, opNotIn:
		args, err := p.list(o)
		if err != nil {
			return nil, err
		}
		n.args = args
	default:
		v := p.next()
		if v.kind != tokWord {
			return nil, fmt.Errorf("expected a value after %s at position %d, found %s", o.text, v.pos+1, v)
		}
		n.args = []string{v.text}
	}
	if err := n.convert(); err != nil {
		return nil, err
	}
	return n, nil
}

// list parses "[a, b, ...]".
func (p *parser) list(op token) ([]string, error) {
	if t := p.next(); t.kind != tokLBracket {
		return nil, fmt.Errorf("expected '[' after %s at position %d, found %s", op.text, t.pos+1, t)
	}
	var args []string
	for {
		v := p.next()
		if v.kind != tokWord {
			return nil, fmt.Errorf("expected a value in the list at position %d, found %s", v.pos+1, v)
		}
		args = append(args, v.text)
		switch s := p.next(); s.kind {
		case tokComma:
		case tokRBracket:
			return args, nil
		default:
			return nil, fmt.Errorf("expected ',' or ']' at position %d, found %s", s.pos+1, s)
		}
	}
}

func allowed(s subject, op operator) bool {
	for _, o := range subjectOps[s] {
		if o == op {
			return true
		}
	}
	return false
}

// convert turns the written arguments into the typed values evaluation uses,
// refusing those the subject cannot take.
func (n *cmpNode) convert() error {
	if n.op == opMatches || n.op == opNotMatches {
		re, err := compileJavaRegexp(n.args[0])
		if err != nil {
			return err
		}
		n.re = re
		return nil
	}
	for _, a := range n.args {
		switch n.subj {
		case subjAgentConnected:
			if a != "true" && a != "false" {
				return fmt.Errorf("agentConnected compares with true or false, not %q", a)
			}
		case subjRunningTasksCount:
			v, err := strconv.Atoi(a)
			if err != nil || v < 0 {
				return fmt.Errorf("runningTasksCount compares with a whole number, not %q", a)
			}
			n.ints = append(n.ints, v)
		case subjAgentVersion:
			v, ok := parseVersion(a)
			if !ok {
				return fmt.Errorf("agentVersion compares with a version such as 1.14.5, not %q", a)
			}
			n.vers = append(n.vers, v)
		case subjRegisteredAt:
			s, ok := parseDate(a)
			if !ok {
				return fmt.Errorf("registeredAt compares with a date such as 2018-06-18T22:28:28+00:00, 2018-06-18T22:28:28Z, 2018-06-18T22:28:28 or 2018-06-18, not %q", a)
			}
			n.spans = append(n.spans, s)
		case subjAttribute:
			f, err := strconv.ParseFloat(a, 64)
			n.nums = append(n.nums, f)
			n.isNum = append(n.isNum, err == nil)
		}
	}
	return nil
}

// compileJavaRegexp compiles the argument of =~ and !~. The guide specifies
// java.util.regex.Pattern syntax; ecsbox uses Go's RE2, which agrees on
// classes, alternation, repetition, anchors and (?i) flags but has no
// backreferences (\1), lookaround ((?=, (?!, (?<=, (?<!), possessive (a*+)
// or atomic ((?>) groups; those are refused here rather than silently
// misread. The whole value must match, as Java's Matcher.matches() demands
// (text not verified: the guide does not say whether ECS uses matches() or
// find(); its example "g2.*" reads as a whole-value match).
func compileJavaRegexp(src string) (*regexp.Regexp, error) {
	re, err := regexp.Compile(`^(?:` + src + `)$`)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q (ecsbox reads Java patterns with Go's RE2, which has no backreferences, lookaround, possessive or atomic groups): %v", src, err)
	}
	return re, nil
}

// parseVersion reads a dotted version such as 1.14.5.
func parseVersion(s string) ([]int, bool) {
	if s == "" {
		return nil, false
	}
	var v []int
	for part := range strings.SplitSeq(s, ".") {
		n, err := strconv.Atoi(part)
		if err != nil || n < 0 {
			return nil, false
		}
		v = append(v, n)
	}
	return v, true
}

// parseDate reads the four forms the guide lists for registeredAt
// [DG:cluster-query-language]. A form without a zone is UTC. The date-only
// form stands for the whole UTC day, so "registeredAt == 2018-06-18" holds
// for any instance registered that day (ecsbox's reading; the guide gives no
// semantics).
func parseDate(s string) (timeSpan, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return timeSpan{t, t.Add(time.Second)}, true
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return timeSpan{t, t.Add(time.Second)}, true
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return timeSpan{t, t.AddDate(0, 0, 1)}, true
	}
	return timeSpan{}, false
}
