package logs

// The structured filter patterns: { JSON } conditions and [space, delimited]
// fields, sharing one condition grammar (pattern.go has the overview).

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// A condition of a JSON or space-delimited pattern, evaluated against a
// lookup of selectors (JSON paths or field names).
type lookup func(selector string) (value any, found bool)

type condition interface{ eval(lookup) bool }

type andCond []condition
type orCond []condition

func (c andCond) eval(f lookup) bool {
	for _, x := range c {
		if !x.eval(f) {
			return false
		}
	}
	return true
}

func (c orCond) eval(f lookup) bool {
	for _, x := range c {
		if x.eval(f) {
			return true
		}
	}
	return false
}

// comparison is one test of a selector's value.
type comparison struct {
	selector string
	op       string // = != < > <= >= isnull istrue isfalse notexists
	literal  string
	quoted   bool
	number   float64
	numeric  bool // the literal is an unquoted number
}

func (c comparison) eval(f lookup) bool {
	v, found := f(c.selector)
	switch c.op {
	case "notexists":
		return !found
	case "isnull":
		return found && v == nil
	case "istrue", "isfalse":
		b, ok := v.(bool)
		return found && ok && b == (c.op == "istrue")
	}
	if !found {
		return false
	}
	var text string
	switch x := v.(type) {
	case string:
		text = x
	case json.Number:
		text = x.String()
	case bool:
		text = strconv.FormatBool(x)
	default:
		// null, objects and arrays are not value nodes: the filter does not
		// apply [UG:FilterAndPatternSyntax].
		return false
	}
	n, isNum := 0.0, false
	if c.numeric {
		if parsed, err := strconv.ParseFloat(text, 64); err == nil {
			n, isNum = parsed, true
		}
	}
	switch c.op {
	case "<", ">", "<=", ">=":
		if !isNum {
			return false
		}
		switch c.op {
		case "<":
			return n < c.number
		case ">":
			return n > c.number
		case "<=":
			return n <= c.number
		}
		return n >= c.number
	}
	eq := false
	if isNum {
		eq = n == c.number
	} else {
		eq = wildcardMatch(c.literal, text)
	}
	if c.op == "!=" {
		return !eq
	}
	return eq
}

// wildcardMatch compares a string with a literal in which a * at the start
// or the end matches any text ("*Event", "Event*"); a * inside is itself
// ("Ev*ent will only match the actual string Ev*ent").
func wildcardMatch(lit, s string) bool {
	if lit == "*" {
		return true
	}
	prefix := strings.HasPrefix(lit, "*")
	suffix := strings.HasSuffix(lit, "*")
	core := strings.TrimSuffix(strings.TrimPrefix(lit, "*"), "*")
	switch {
	case prefix && suffix:
		return strings.Contains(s, core)
	case prefix:
		return strings.HasSuffix(s, core)
	case suffix:
		return strings.HasPrefix(s, core)
	}
	return s == lit
}

// Tokens of condition expressions.
type condToken struct {
	text   string
	quoted bool
}

func lexConditions(s string) ([]condToken, error) {
	var out []condToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')':
			out = append(out, condToken{text: string(c)})
			i++
		case strings.HasPrefix(s[i:], "&&") || strings.HasPrefix(s[i:], "||") ||
			strings.HasPrefix(s[i:], "!=") || strings.HasPrefix(s[i:], "<=") || strings.HasPrefix(s[i:], ">="):
			out = append(out, condToken{text: s[i : i+2]})
			i += 2
		case c == '=' || c == '<' || c == '>':
			out = append(out, condToken{text: string(c)})
			i++
		case c == '"':
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				if s[i] == '\\' && i+1 < len(s) {
					b.WriteByte(s[i+1])
					i += 2
					continue
				}
				if s[i] == '"' {
					closed = true
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			if !closed {
				return nil, patternError(`"`)
			}
			out = append(out, condToken{text: b.String(), quoted: true})
		default:
			start := i
			for i < len(s) && !strings.ContainsRune(" \t\n\r()=!<>&|\"", rune(s[i])) {
				i++
			}
			if i == start {
				return nil, patternError(string(c))
			}
			out = append(out, condToken{text: s[start:i]})
		}
	}
	return out, nil
}

// condParser parses: or := and ('||' and)*; and := unary ('&&' unary)*;
// unary := '(' or ')' | comparison.
type condParser struct {
	toks []condToken
	pos  int
}

func (p *condParser) peek() string {
	if p.pos < len(p.toks) && !p.toks[p.pos].quoted {
		return p.toks[p.pos].text
	}
	return ""
}

func (p *condParser) next() (condToken, bool) {
	if p.pos >= len(p.toks) {
		return condToken{}, false
	}
	p.pos++
	return p.toks[p.pos-1], true
}

func (p *condParser) parseOr() (condition, error) {
	var terms orCond
	for {
		c, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		terms = append(terms, c)
		if p.peek() != "||" {
			break
		}
		p.pos++
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *condParser) parseAnd() (condition, error) {
	var terms andCond
	for {
		c, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		terms = append(terms, c)
		if p.peek() != "&&" {
			break
		}
		p.pos++
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *condParser) parseUnary() (condition, error) {
	if p.peek() == "(" {
		p.pos++
		c, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ")" {
			return nil, patternError("(")
		}
		p.pos++
		return c, nil
	}
	sel, ok := p.next()
	if !ok || sel.quoted || strings.ContainsAny(sel.text, "()&|") {
		return nil, patternError(sel.text)
	}
	op, ok := p.next()
	if !ok || op.quoted {
		return nil, patternError(sel.text)
	}
	c := comparison{selector: sel.text}
	switch op.text {
	case "IS":
		v, ok := p.next()
		switch {
		case ok && v.text == "NULL":
			c.op = "isnull"
		case ok && v.text == "TRUE":
			c.op = "istrue"
		case ok && v.text == "FALSE":
			c.op = "isfalse"
		default:
			return nil, patternError(op.text)
		}
		return c, nil
	case "NOT":
		if v, ok := p.next(); !ok || v.text != "EXISTS" {
			return nil, patternError(op.text)
		}
		c.op = "notexists"
		return c, nil
	case "=", "!=", "<", ">", "<=", ">=":
		c.op = op.text
	default:
		return nil, patternError(op.text)
	}
	v, ok := p.next()
	if !ok || (!v.quoted && strings.ContainsAny(v.text, "()&|")) {
		return nil, patternError(op.text)
	}
	c.literal, c.quoted = v.text, v.quoted
	if !v.quoted {
		if n, err := strconv.ParseFloat(v.text, 64); err == nil {
			c.number, c.numeric = n, true
		}
	}
	if (c.op == "<" || c.op == ">" || c.op == "<=" || c.op == ">=") && !c.numeric {
		return nil, patternError(v.text)
	}
	return c, nil
}

func parseCondition(s string) (condition, error) {
	toks, err := lexConditions(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, patternError(s)
	}
	p := &condParser{toks: toks}
	c, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.pos != len(toks) {
		return nil, patternError(toks[p.pos].text)
	}
	return c, nil
}

// parseJSONPattern reads { conditions } over JSON selectors.
func parseJSONPattern(p string) (func(string) bool, error) {
	if !strings.HasSuffix(p, "}") {
		return nil, patternError("{")
	}
	cond, err := parseCondition(p[1 : len(p)-1])
	if err != nil {
		return nil, err
	}
	return func(msg string) bool {
		dec := json.NewDecoder(strings.NewReader(msg))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			return false
		}
		return cond.eval(func(sel string) (any, bool) { return selectJSON(doc, sel) })
	}, nil
}

// selectJSON resolves $.a.b[0].c in a decoded document.
func selectJSON(doc any, sel string) (any, bool) {
	if !strings.HasPrefix(sel, "$") {
		return nil, false
	}
	rest := sel[1:]
	cur := doc
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			key := rest[:end]
			rest = rest[end:]
			m, ok := cur.(map[string]any)
			if !ok {
				return nil, false
			}
			if cur, ok = m[key]; !ok {
				return nil, false
			}
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, false
			}
			idx, err := strconv.Atoi(rest[1:end])
			rest = rest[end+1:]
			a, ok := cur.([]any)
			if err != nil || !ok || idx < 0 || idx >= len(a) {
				return nil, false
			}
			cur = a[idx]
		default:
			return nil, false
		}
	}
	return cur, true
}

// A space-delimited pattern's items: a field name with an optional
// condition, or the ellipsis.
type delimitedItem struct {
	name     string
	ellipsis bool
	cond     condition
}

// parseDelimitedPattern reads [field, field op value, ..., field].
func parseDelimitedPattern(p string) (func(string) bool, error) {
	if !strings.HasSuffix(p, "]") {
		return nil, patternError("[")
	}
	parts := splitTopLevel(p[1:len(p)-1], ',')
	var items []delimitedItem
	var conds []condition
	for _, part := range parts {
		part = strings.TrimSpace(part)
		switch {
		case part == "..." || part == "…":
			items = append(items, delimitedItem{ellipsis: true})
			continue
		case part == "":
			// An empty item is a field without a name: the guide's
			// "[..., request=*.html*, status_code=4*,]" ends with the bytes
			// field of an access log.
			items = append(items, delimitedItem{})
			continue
		}
		toks, err := lexConditions(part)
		if err != nil {
			return nil, err
		}
		if toks[0].quoted {
			return nil, patternError(`"`)
		}
		item := delimitedItem{name: toks[0].text}
		if len(toks) > 1 {
			if item.cond, err = parseCondition(part); err != nil {
				return nil, err
			}
			conds = append(conds, item.cond)
		}
		items = append(items, item)
	}
	all := andCond(conds)
	return func(msg string) bool {
		fields := splitFields(msg)
		env := map[string]string{}
		return bindFields(items, fields, env, func() bool {
			return all.eval(func(name string) (any, bool) {
				v, ok := env[name]
				return v, ok
			})
		})
	}, nil
}

// bindFields assigns fields to items (an ellipsis takes any number of
// fields), then asks done whether the conditions hold; it backtracks over
// the ellipses' lengths.
func bindFields(items []delimitedItem, fields []string, env map[string]string, done func() bool) bool {
	if len(items) == 0 {
		return len(fields) == 0 && done()
	}
	it := items[0]
	if it.ellipsis {
		for n := 0; n <= len(fields); n++ {
			if bindFields(items[1:], fields[n:], env, done) {
				return true
			}
		}
		return false
	}
	if len(fields) == 0 {
		return false
	}
	if it.name == "" {
		return bindFields(items[1:], fields[1:], env, done)
	}
	env[it.name] = fields[0]
	ok := bindFields(items[1:], fields[1:], env, done)
	delete(env, it.name)
	return ok
}

// splitFields splits a space-delimited event; text between double quotes
// or square brackets is one field, without its delimiters.
func splitFields(msg string) []string {
	var out []string
	for i := 0; i < len(msg); {
		switch c := msg[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '"' || c == '[':
			closer := byte('"')
			if c == '[' {
				closer = ']'
			}
			end := bytes.IndexByte([]byte(msg[i+1:]), closer)
			if end < 0 {
				out = append(out, msg[i+1:])
				i = len(msg)
				continue
			}
			out = append(out, msg[i+1:i+1+end])
			i += end + 2
		default:
			start := i
			for i < len(msg) && msg[i] != ' ' && msg[i] != '\t' {
				i++
			}
			out = append(out, msg[start:i])
		}
	}
	return out
}

// splitTopLevel splits s at sep outside double quotes.
func splitTopLevel(s string, sep byte) []string {
	var parts []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}
