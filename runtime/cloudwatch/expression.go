package cloudwatch

import (
	"strconv"
	"strings"
	"unicode"
)

// series1 is a time series (or a number, when scalar) during expression
// evaluation.
type series1 struct {
	scalar bool
	s      float64
	ts     []int64
	vs     []float64
}

// node is a parsed arithmetic expression.
type node interface {
	eval(lookup func(id string) *series1) *series1
}

type numNode float64
type refNode string
type negNode struct{ x node }
type binNode struct {
	op   byte
	l, r node
}

func (n numNode) eval(func(string) *series1) *series1        { return &series1{scalar: true, s: float64(n)} }
func (n refNode) eval(lookup func(string) *series1) *series1 { return lookup(string(n)) }
func (n negNode) eval(lookup func(string) *series1) *series1 {
	return apply('*', &series1{scalar: true, s: -1}, n.x.eval(lookup))
}
func (n binNode) eval(lookup func(string) *series1) *series1 {
	return apply(n.op, n.l.eval(lookup), n.r.eval(lookup))
}

func arith(op byte, a, b float64) (float64, bool) {
	switch op {
	case '+':
		return a + b, true
	case '-':
		return a - b, true
	case '*':
		return a * b, true
	case '/':
		if b == 0 {
			return 0, false
		}
		return a / b, true
	}
	return 0, false
}

// apply combines two operands: numbers with numbers, a number with each
// datapoint, and two series on the timestamps they share.
func apply(op byte, l, r *series1) *series1 {
	switch {
	case l.scalar && r.scalar:
		v, ok := arith(op, l.s, r.s)
		if !ok {
			return &series1{}
		}
		return &series1{scalar: true, s: v}
	case l.scalar || r.scalar:
		out := &series1{}
		src := r
		if r.scalar {
			src = l
		}
		for i, t := range src.ts {
			a, b := l.s, r.s
			if l.scalar {
				b = src.vs[i]
			} else {
				a = src.vs[i]
			}
			if v, ok := arith(op, a, b); ok {
				out.ts = append(out.ts, t)
				out.vs = append(out.vs, v)
			}
		}
		return out
	}
	out := &series1{}
	i, j := 0, 0
	for i < len(l.ts) && j < len(r.ts) {
		switch {
		case l.ts[i] < r.ts[j]:
			i++
		case l.ts[i] > r.ts[j]:
			j++
		default:
			if v, ok := arith(op, l.vs[i], r.vs[j]); ok {
				out.ts = append(out.ts, l.ts[i])
				out.vs = append(out.vs, v)
			}
			i++
			j++
		}
	}
	return out
}

func refs(n node) []string {
	switch n := n.(type) {
	case refNode:
		return []string{string(n)}
	case negNode:
		return refs(n.x)
	case binNode:
		return append(refs(n.l), refs(n.r)...)
	}
	return nil
}

// parseExpression parses + - * / over numbers, query ids and parentheses.
func parseExpression(src string) (node, error) {
	p := &exprParser{src: src}
	n, err := p.expr()
	if err == nil && p.peek() != 0 {
		err = p.unsupported()
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

type exprParser struct {
	src string
	pos int
}

func (p *exprParser) unsupported() error {
	return notSimulated("the metric math expression %q yet (ecsbox evaluates + - * / on query ids and numbers)", p.src)
}

func (p *exprParser) peek() byte {
	for p.pos < len(p.src) && p.src[p.pos] == ' ' {
		p.pos++
	}
	if p.pos == len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

func (p *exprParser) expr() (node, error) {
	l, err := p.term()
	for err == nil {
		op := p.peek()
		if op != '+' && op != '-' {
			return l, nil
		}
		p.pos++
		var r node
		if r, err = p.term(); err == nil {
			l = binNode{op, l, r}
		}
	}
	return nil, err
}

func (p *exprParser) term() (node, error) {
	l, err := p.unary()
	for err == nil {
		op := p.peek()
		if op != '*' && op != '/' {
			return l, nil
		}
		p.pos++
		var r node
		if r, err = p.unary(); err == nil {
			l = binNode{op, l, r}
		}
	}
	return nil, err
}

func (p *exprParser) unary() (node, error) {
	if p.peek() == '-' {
		p.pos++
		x, err := p.unary()
		return negNode{x}, err
	}
	return p.primary()
}

func (p *exprParser) primary() (node, error) {
	c := p.peek()
	switch {
	case c == '(':
		p.pos++
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.peek() != ')' {
			return nil, p.unsupported()
		}
		p.pos++
		return n, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.' || p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
			p.pos++
		}
		v, err := strconv.ParseFloat(p.src[start:p.pos], 64)
		if err != nil {
			return nil, p.unsupported()
		}
		return numNode(v), nil
	case c >= 'a' && c <= 'z':
		start := p.pos
		for p.pos < len(p.src) && (unicode.IsLetter(rune(p.src[p.pos])) || unicode.IsDigit(rune(p.src[p.pos])) || p.src[p.pos] == '_') {
			p.pos++
		}
		id := p.src[start:p.pos]
		if p.peek() == '(' || strings.ToUpper(id) == id {
			return nil, p.unsupported()
		}
		return refNode(id), nil
	}
	return nil, p.unsupported()
}
