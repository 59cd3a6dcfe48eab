package cql2

import (
	"strconv"
	"strings"
)

// Limits on what Parse accepts.
const (
	// MaxLength caps the filter text in bytes.
	MaxLength = 256 << 10
	// MaxDepth caps the nesting of expressions and parentheses.
	MaxDepth = 100
	// MaxVertices caps the positions of all geometry literals.
	MaxVertices = 100_000
	// MaxInList caps the values of one IN list.
	MaxInList = 10_000
)

// Parse parses a CQL2 text filter. A fault gives an *Error naming the
// character where it is found.
func Parse(src string) (Expr, error) {
	if len(src) > MaxLength {
		return nil, errAt(src, MaxLength, "the filter is longer than %d bytes", MaxLength)
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks}
	if p.peek().kind == tokEOF {
		return nil, errAt(src, 0, "the filter is empty")
	}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errTok(t, "expected AND, OR or the end of the filter, found %s", t.describe())
	}
	return e, nil
}

// A parser reads tokens by recursive descent.
type parser struct {
	src      string
	toks     []token
	i        int
	depth    int
	vertices int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// keyword reports whether the next token is the keyword kw, consuming it
// if so.
func (p *parser) keyword(kw string) bool {
	t := p.peek()
	if t.kind == tokIdent && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) isKeyword(kw string) bool {
	t := p.peek()
	return t.kind == tokIdent && strings.EqualFold(t.text, kw)
}

func (p *parser) errTok(t token, format string, args ...any) error {
	return errAt(p.src, t.pos, format, args...)
}

// expect consumes a token of kind k or fails saying what was wanted.
func (p *parser) expect(k tokKind, want string) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, p.errTok(t, "expected %s, found %s", want, t.describe())
	}
	return t, nil
}

// enter counts one level of nesting.
func (p *parser) enter() error {
	p.depth++
	if p.depth > MaxDepth {
		return p.errTok(p.peek(), "the filter nests deeper than %d levels", MaxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// or parses andExpr {OR andExpr}.
func (p *parser) or() (Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	l, err := p.and()
	for err == nil && p.keyword("OR") {
		var r Expr
		if r, err = p.and(); err == nil {
			l = &Or{L: l, R: r}
		}
	}
	return l, err
}

// and parses notExpr {AND notExpr}.
func (p *parser) and() (Expr, error) {
	l, err := p.not()
	for err == nil && p.keyword("AND") {
		var r Expr
		if r, err = p.not(); err == nil {
			l = &And{L: l, R: r}
		}
	}
	return l, err
}

// not parses [NOT] notExpr | primary.
func (p *parser) not() (Expr, error) {
	if !p.keyword("NOT") {
		return p.primary()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.not()
	if err != nil {
		return nil, err
	}
	return &Not{X: x}, nil
}

// primary parses a parenthesised expression, a spatial function, a
// boolean literal or a predicate.
func (p *parser) primary() (Expr, error) {
	t := p.peek()
	switch {
	case t.kind == tokLParen:
		p.next()
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tokRParen, "')'"); err != nil {
			return nil, err
		}
		return e, nil
	case t.kind == tokIdent && spatialOps[strings.ToUpper(t.text)]:
		return p.spatial()
	case t.kind == tokIdent && p.toks[p.i+1].kind == tokLParen && !isKeyword(t.text):
		return nil, p.errTok(t, "unknown function %s: this server supports S_INTERSECTS, S_WITHIN, S_CONTAINS and S_DISJOINT", t.describe())
	}
	x, err := p.scalar()
	if err != nil {
		return nil, err
	}
	if x.Prop == "" && x.Lit.Kind == KindBool && !p.predicateFollows() {
		return Bool(x.Lit.Bool), nil
	}
	return p.predicate(x)
}

// predicateFollows reports whether the next token continues a predicate.
func (p *parser) predicateFollows() bool {
	t := p.peek()
	if t.kind == tokOp {
		return true
	}
	for _, kw := range []string{"LIKE", "BETWEEN", "IN", "IS", "NOT"} {
		if p.isKeyword(kw) {
			return kw != "NOT" || p.notPredicate()
		}
	}
	return false
}

// notPredicate reports whether NOT is followed by LIKE, BETWEEN or IN.
func (p *parser) notPredicate() bool {
	if !p.isKeyword("NOT") {
		return false
	}
	t := p.toks[p.i+1]
	if t.kind != tokIdent {
		return false
	}
	switch strings.ToUpper(t.text) {
	case "LIKE", "BETWEEN", "IN":
		return true
	}
	return false
}

// predicate parses what follows the first operand of a comparison.
func (p *parser) predicate(x Scalar) (Expr, error) {
	t := p.peek()
	if t.kind == tokOp {
		p.next()
		r, err := p.scalar()
		if err != nil {
			return nil, err
		}
		return &Compare{Op: t.text, L: x, R: r}, nil
	}
	if p.keyword("IS") {
		neg := p.keyword("NOT")
		if !p.keyword("NULL") {
			return nil, p.errTok(p.peek(), "expected NULL after IS, found %s", p.peek().describe())
		}
		return &IsNull{X: x, Not: neg}, nil
	}
	neg := false
	if p.notPredicate() {
		p.next()
		neg = true
	}
	switch {
	case p.keyword("LIKE"):
		pat, err := p.scalar()
		if err != nil {
			return nil, err
		}
		return &Like{X: x, Pattern: pat, Not: neg}, nil
	case p.keyword("BETWEEN"):
		return p.between(x, neg)
	case p.keyword("IN"):
		return p.in(x, neg)
	}
	what := "value"
	if x.Prop != "" {
		what = "property " + quoteIdent(x.Prop)
	}
	return nil, p.errTok(t, "expected a comparison (=, <>, <, <=, >, >=, LIKE, BETWEEN, IN, IS NULL) after %s, found %s", what, t.describe())
}

func (p *parser) between(x Scalar, neg bool) (Expr, error) {
	lo, err := p.scalar()
	if err != nil {
		return nil, err
	}
	if !p.keyword("AND") {
		return nil, p.errTok(p.peek(), "expected AND in BETWEEN, found %s", p.peek().describe())
	}
	hi, err := p.scalar()
	if err != nil {
		return nil, err
	}
	return &Between{X: x, Lo: lo, Hi: hi, Not: neg}, nil
}

func (p *parser) in(x Scalar, neg bool) (Expr, error) {
	if _, err := p.expect(tokLParen, "'(' after IN"); err != nil {
		return nil, err
	}
	e := &In{X: x, Not: neg}
	for {
		v, err := p.scalar()
		if err != nil {
			return nil, err
		}
		if len(e.List) == MaxInList {
			return nil, errAt(p.src, v.Pos, "an IN list holds at most %d values", MaxInList)
		}
		e.List = append(e.List, v)
		t := p.next()
		if t.kind == tokRParen {
			return e, nil
		}
		if t.kind != tokComma {
			return nil, p.errTok(t, "expected ',' or ')' in the IN list, found %s", t.describe())
		}
	}
}

// scalar parses a property name or a literal.
func (p *parser) scalar() (Scalar, error) {
	t := p.next()
	switch t.kind {
	case tokQuoted:
		return Scalar{Prop: t.text, Pos: t.pos}, nil
	case tokString:
		return Scalar{Lit: String(t.text), Pos: t.pos}, nil
	case tokNumber:
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return Scalar{}, p.errTok(t, "number %s is out of range", clip(t.text, 30))
		}
		return Scalar{Lit: Number(n), Pos: t.pos}, nil
	case tokIdent:
		switch strings.ToUpper(t.text) {
		case "TRUE", "FALSE":
			return Scalar{Lit: Value{Kind: KindBool, Bool: strings.EqualFold(t.text, "TRUE")}, Pos: t.pos}, nil
		case "NULL":
			return Scalar{}, p.errTok(t, "NULL is not a value: use IS NULL")
		}
		if isKeyword(t.text) {
			return Scalar{}, p.errTok(t, "expected a property or a value, found keyword %s", strings.ToUpper(t.text))
		}
		return Scalar{Prop: t.text, Pos: t.pos}, nil
	}
	return Scalar{}, p.errTok(t, "expected a property or a value, found %s", t.describe())
}
