package cql2

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
	"github.com/peterstace/simplefeatures/geom"
)

// A Feature is what a Matcher tests: its properties by name and its
// geometry.
type Feature interface {
	// Property returns the named property's value, a Value of KindNull
	// when the feature has none.
	Property(name string) Value
	// Geometry returns the feature's geometry, in the coordinates of the
	// geometry literals (WGS-84 lon/lat after MapGeometries).
	Geometry() orb.Geometry
}

// A Matcher tests features against a compiled expression. It is safe for
// concurrent use.
type Matcher struct {
	e    Expr
	lits map[*GeomOperand]literal
}

// A literal is a geometry literal prepared for the spatial functions.
type literal struct {
	g     geom.Geometry
	bound orb.Bound
}

// Compile prepares e for matching. A geometry literal that is not a valid
// geometry (a self-intersecting ring, for example) gives an *Error at its
// position in src.
func Compile(src string, e Expr) (*Matcher, error) {
	m := &Matcher{e: e, lits: map[*GeomOperand]literal{}}
	var err error
	walkSpatial(e, func(s *Spatial) {
		for _, g := range []*GeomOperand{&s.A, &s.B} {
			if g.Prop != "" || err != nil {
				continue
			}
			sg, cerr := toSF(g.Geom, true)
			if cerr != nil {
				err = errAt(src, g.Pos, "invalid geometry literal: %v", cerr)
				return
			}
			m.lits[g] = literal{g: sg, bound: g.Geom.Bound()}
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Expr returns the compiled expression.
func (m *Matcher) Expr() Expr { return m.e }

// Match reports whether f satisfies the expression: true only when it
// evaluates to TRUE (a comparison with a missing value is unknown, and
// unknown does not match, also under NOT).
func (m *Matcher) Match(f Feature) bool { return m.eval(m.e, f) == yes }

// A tri is a three-valued truth.
type tri uint8

const (
	no tri = iota
	yes
	unknown
)

func truth(b bool) tri {
	if b {
		return yes
	}
	return no
}

func (m *Matcher) eval(e Expr, f Feature) tri {
	switch e := e.(type) {
	case *And:
		l := m.eval(e.L, f)
		if l == no {
			return no
		}
		r := m.eval(e.R, f)
		if r == no {
			return no
		}
		return max(l, r)
	case *Or:
		l := m.eval(e.L, f)
		if l == yes {
			return yes
		}
		r := m.eval(e.R, f)
		if r == yes {
			return yes
		}
		if l == unknown || r == unknown {
			return unknown
		}
		return no
	case *Not:
		switch m.eval(e.X, f) {
		case yes:
			return no
		case no:
			return yes
		}
		return unknown
	case Bool:
		return truth(bool(e))
	case *Compare:
		return compare(e.Op, value(e.L, f), value(e.R, f))
	case *Like:
		x, pat := value(e.X, f), value(e.Pattern, f)
		if x.Kind != KindString || pat.Kind != KindString {
			return unknown
		}
		return negate(truth(like(x.Str, pat.Str)), e.Not)
	case *Between:
		x := value(e.X, f)
		lo, hi := compare(">=", x, value(e.Lo, f)), compare("<=", x, value(e.Hi, f))
		if lo == unknown || hi == unknown {
			return unknown
		}
		return negate(truth(lo == yes && hi == yes), e.Not)
	case *In:
		return m.in(e, f)
	case *IsNull:
		return negate(truth(value(e.X, f).Kind == KindNull), e.Not)
	case *Spatial:
		return m.spatial(e, f)
	}
	return unknown
}

func negate(t tri, not bool) tri {
	if !not || t == unknown {
		return t
	}
	return yes - t
}

func (m *Matcher) in(e *In, f Feature) tri {
	x := value(e.X, f)
	if x.Kind == KindNull {
		return unknown
	}
	res := no
	for _, s := range e.List {
		switch compare("=", x, value(s, f)) {
		case yes:
			return negate(yes, e.Not)
		case unknown:
			res = unknown
		}
	}
	return negate(res, e.Not)
}

func value(s Scalar, f Feature) Value {
	if s.Prop == "" {
		return s.Lit
	}
	return f.Property(s.Prop)
}

// compare compares two values; different kinds and nulls are unknown.
func compare(op string, a, b Value) tri {
	if a.Kind != b.Kind || a.Kind == KindNull {
		return unknown
	}
	c := 0
	switch a.Kind {
	case KindNumber:
		switch {
		case a.Num < b.Num:
			c = -1
		case a.Num > b.Num:
			c = 1
		case a.Num != b.Num:
			return unknown // NaN
		}
	case KindString:
		switch {
		case a.Str < b.Str:
			c = -1
		case a.Str > b.Str:
			c = 1
		}
	case KindBool:
		if a.Bool != b.Bool {
			c = 1
		}
	}
	switch op {
	case "=":
		return truth(c == 0)
	case "<>":
		return truth(c != 0)
	case "<":
		return truth(c < 0)
	case "<=":
		return truth(c <= 0)
	case ">":
		return truth(c > 0)
	case ">=":
		return truth(c >= 0)
	}
	return unknown
}

// spatial evaluates a spatial function, deciding by bounding boxes first.
func (m *Matcher) spatial(e *Spatial, f Feature) tri {
	a, aok := m.operand(&e.A, f)
	b, bok := m.operand(&e.B, f)
	if !aok || !bok {
		return unknown
	}
	if !a.bound.Intersects(b.bound) {
		return truth(e.Op == "S_DISJOINT")
	}
	ga, err := a.get()
	if err != nil {
		return unknown
	}
	gb, err := b.get()
	if err != nil {
		return unknown
	}
	var r bool
	switch e.Op {
	case "S_INTERSECTS":
		r = geom.Intersects(ga, gb)
	case "S_DISJOINT":
		r = !geom.Intersects(ga, gb)
	case "S_WITHIN":
		r, err = geom.Within(ga, gb)
	case "S_CONTAINS":
		r, err = geom.Contains(ga, gb)
	}
	if err != nil {
		return unknown
	}
	return truth(r)
}

// An operand is a spatial operand ready to test: its bound, and its
// simplefeatures geometry (converted on demand for a feature's).
type operand struct {
	bound orb.Bound
	g     geom.Geometry
	orb   orb.Geometry
}

func (o operand) get() (geom.Geometry, error) {
	if o.orb == nil {
		return o.g, nil
	}
	return toSF(o.orb, false)
}

func (m *Matcher) operand(g *GeomOperand, f Feature) (operand, bool) {
	if g.Prop == "" {
		l, ok := m.lits[g]
		return operand{bound: l.bound, g: l.g}, ok
	}
	fg := f.Geometry()
	if fg == nil {
		return operand{}, false
	}
	return operand{bound: fg.Bound(), orb: fg}, true
}

// toSF converts an orb geometry to simplefeatures through WKB, validating
// it when validate is set.
func toSF(g orb.Geometry, validate bool) (geom.Geometry, error) {
	data, err := wkb.Marshal(g)
	if err != nil {
		return geom.Geometry{}, fmt.Errorf("encoding: %w", err)
	}
	if validate {
		return geom.UnmarshalWKB(data)
	}
	return geom.UnmarshalWKB(data, geom.NoValidate{})
}

// like matches s against a LIKE pattern: % is any run of characters, _
// one character, \ escapes the next character.
func like(s, pattern string) bool {
	str, pat := []rune(s), []rune(pattern)
	// Iterative matching with one backtrack point for the last %.
	si, pi, starP, starS := 0, 0, -1, 0
	for si < len(str) {
		switch {
		case pi < len(pat) && pat[pi] == '%':
			starP, starS = pi, si
			pi++
		case pi < len(pat) && pat[pi] == '\\' && pi+1 < len(pat) && pat[pi+1] == str[si]:
			si, pi = si+1, pi+2
		case pi < len(pat) && pat[pi] != '\\' && (pat[pi] == '_' || pat[pi] == str[si]):
			si, pi = si+1, pi+1
		case starP >= 0:
			pi, starS = starP+1, starS+1
			si = starS
		default:
			return false
		}
	}
	for pi < len(pat) && pat[pi] == '%' {
		pi++
	}
	return pi == len(pat)
}

// SearchBound returns a box that every feature matching e intersects,
// when e implies one (through S_INTERSECTS, S_WITHIN or S_CONTAINS with a
// literal under AND), so an index can narrow the candidates. The box is
// empty (Min > Max) when no feature can match.
func SearchBound(e Expr) (orb.Bound, bool) {
	switch e := e.(type) {
	case *And:
		l, lok := SearchBound(e.L)
		r, rok := SearchBound(e.R)
		switch {
		case lok && rok:
			if !l.Intersects(r) {
				return orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}}, true
			}
			return orb.Bound{Min: orb.Point{max(l.Min[0], r.Min[0]), max(l.Min[1], r.Min[1])},
				Max: orb.Point{min(l.Max[0], r.Max[0]), min(l.Max[1], r.Max[1])}}, true
		case lok:
			return l, true
		}
		return r, rok
	case *Or:
		l, lok := SearchBound(e.L)
		r, rok := SearchBound(e.R)
		if lok && rok {
			return l.Union(r), true
		}
	case *Spatial:
		if e.Op == "S_DISJOINT" {
			return orb.Bound{}, false
		}
		for _, g := range []GeomOperand{e.A, e.B} {
			if g.Prop == "" && g.Geom != nil {
				return g.Geom.Bound(), true
			}
		}
	}
	return orb.Bound{}, false
}
