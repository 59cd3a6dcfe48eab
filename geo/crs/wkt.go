package crs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadWKT is returned (wrapped) by Resolve for WKT text that is not
// well formed.
var ErrBadWKT = errors.New("crs: malformed WKT")

// Limits that keep a hostile .prj cheap to reject.
const (
	maxWKTBytes = 1 << 16
	maxWKTDepth = 32
)

// A wktNode is one KEYWORD[...] of a WKT1 or WKT2 text: its keyword in
// upper case, its plain values (quoted strings unquoted, numbers and bare
// words as written) in order, and its child nodes in order.
type wktNode struct {
	key  string
	vals []string
	kids []*wktNode
}

// child returns the first child whose keyword is one of keys, or nil.
func (n *wktNode) child(keys ...string) *wktNode {
	if n == nil {
		return nil
	}
	for _, k := range n.kids {
		for _, key := range keys {
			if k.key == key {
				return k
			}
		}
	}
	return nil
}

// val returns the i-th plain value, or "".
func (n *wktNode) val(i int) string {
	if n == nil || i >= len(n.vals) {
		return ""
	}
	return n.vals[i]
}

// num returns the i-th plain value as a number, and whether it is one.
func (n *wktNode) num(i int) (float64, bool) {
	v, err := strconv.ParseFloat(n.val(i), 64)
	return v, err == nil
}

// parseWKT parses one WKT1 (OGC or ESRI) or WKT2 node; text after it
// other than spaces is an error.
func parseWKT(s string) (*wktNode, error) {
	if len(s) > maxWKTBytes {
		return nil, fmt.Errorf("%w: %d bytes, more than %d", ErrBadWKT, len(s), maxWKTBytes)
	}
	p := &wktParser{s: s}
	p.skipSpace()
	n, err := p.node(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i < len(p.s) {
		return nil, p.errorf("unexpected text after the end")
	}
	return n, nil
}

type wktParser struct {
	s string
	i int
}

func (p *wktParser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrBadWKT, p.i, fmt.Sprintf(format, args...))
}

func (p *wktParser) skipSpace() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n\f\v", p.s[p.i]) >= 0 {
		p.i++
	}
}

// word reads a keyword, number or bare word.
func (p *wktParser) word() string {
	start := p.i
	for p.i < len(p.s) && isWordByte(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func isWordByte(b byte) bool {
	return b == '_' || b == '.' || b == '-' || b == '+' ||
		b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// node reads KEYWORD [ item, ... ] (or parentheses) at nesting depth d.
func (p *wktParser) node(d int) (*wktNode, error) {
	if d >= maxWKTDepth {
		return nil, p.errorf("nested deeper than %d", maxWKTDepth)
	}
	key := p.word()
	if key == "" {
		return nil, p.errorf("want a keyword")
	}
	p.skipSpace()
	if p.i >= len(p.s) || (p.s[p.i] != '[' && p.s[p.i] != '(') {
		return nil, p.errorf("want [ after %s", clip(key, 32))
	}
	p.i++
	n := &wktNode{key: strings.ToUpper(key)}
	p.skipSpace()
	if p.i < len(p.s) && (p.s[p.i] == ']' || p.s[p.i] == ')') {
		p.i++
		return n, nil
	}
	for {
		if err := p.item(n, d); err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.i >= len(p.s) {
			return nil, p.errorf("unclosed %s", n.key)
		}
		switch p.s[p.i] {
		case ',':
			p.i++
			p.skipSpace()
		case ']', ')':
			p.i++
			return n, nil
		default:
			return nil, p.errorf("want , or ] in %s", n.key)
		}
	}
}

// item reads one value or child node into n.
func (p *wktParser) item(n *wktNode, d int) error {
	if p.i >= len(p.s) {
		return p.errorf("unclosed %s", n.key)
	}
	if p.s[p.i] == '"' {
		v, err := p.quoted()
		if err != nil {
			return err
		}
		n.vals = append(n.vals, v)
		return nil
	}
	start := p.i
	w := p.word()
	if w == "" {
		return p.errorf("unexpected %q in %s", p.s[p.i], n.key)
	}
	p.skipSpace()
	if p.i < len(p.s) && (p.s[p.i] == '[' || p.s[p.i] == '(') {
		p.i = start
		k, err := p.node(d + 1)
		if err != nil {
			return err
		}
		n.kids = append(n.kids, k)
		return nil
	}
	n.vals = append(n.vals, w)
	return nil
}

// quoted reads a double-quoted string; "" inside stands for one quote.
func (p *wktParser) quoted() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		p.i++
		if c != '"' {
			b.WriteByte(c)
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '"' {
			b.WriteByte('"')
			p.i++
			continue
		}
		return b.String(), nil
	}
	return "", p.errorf("unclosed string")
}
