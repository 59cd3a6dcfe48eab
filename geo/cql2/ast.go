package cql2

import (
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// An Expr is a boolean CQL2 expression: *And, *Or, *Not, Bool, *Compare,
// *Like, *Between, *In, *IsNull or *Spatial.
type Expr interface {
	// String returns the expression in CQL2 text, fully parenthesised.
	String() string
	expr()
}

// And is true when both L and R are.
type And struct{ L, R Expr }

// Or is true when L or R is.
type Or struct{ L, R Expr }

// Not is true when X is false.
type Not struct{ X Expr }

// Bool is the literal TRUE or FALSE.
type Bool bool

// A Kind is the type of a scalar value.
type Kind uint8

// The kinds of values.
const (
	// KindNull is a missing value.
	KindNull Kind = iota
	// KindNumber is a number (integers included).
	KindNumber
	// KindString is a character string.
	KindString
	// KindBool is TRUE or FALSE.
	KindBool
	// KindGeometry marks a spatial queryable; it is never a scalar value.
	KindGeometry
)

// String returns the kind's name as CQL2 error messages use it.
func (k Kind) String() string {
	switch k {
	case KindNumber:
		return "number"
	case KindString:
		return "string"
	case KindBool:
		return "boolean"
	case KindGeometry:
		return "geometry"
	}
	return "null"
}

// A Value is a scalar: a number, a string, a boolean or null.
type Value struct {
	Kind Kind
	Num  float64
	Str  string
	Bool bool
}

// Number returns the value n.
func Number(n float64) Value { return Value{Kind: KindNumber, Num: n} }

// String returns the value s.
func String(s string) Value { return Value{Kind: KindString, Str: s} }

// text writes v as a CQL2 literal.
func (v Value) text() string {
	switch v.Kind {
	case KindNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	case KindString:
		return "'" + strings.ReplaceAll(v.Str, "'", "''") + "'"
	case KindBool:
		if v.Bool {
			return "TRUE"
		}
		return "FALSE"
	}
	return "NULL"
}

// A Scalar is an operand of a comparison: a property or a literal.
type Scalar struct {
	// Prop names the property; empty for a literal.
	Prop string
	// Lit is the literal's value when Prop is empty.
	Lit Value
	// Pos is the byte offset of the operand in the text.
	Pos int
}

func (s Scalar) text() string {
	if s.Prop != "" {
		return quoteIdent(s.Prop)
	}
	return s.Lit.text()
}

// Compare compares L and R with Op: "=", "<>", "<", "<=", ">" or ">=".
type Compare struct {
	Op   string
	L, R Scalar
}

// Like matches X against Pattern, where % is any run of characters, _ one
// character and \ escapes the next.
type Like struct {
	X, Pattern Scalar
	Not        bool
}

// Between is true when Lo <= X <= Hi.
type Between struct {
	X, Lo, Hi Scalar
	Not       bool
}

// In is true when X equals one of List.
type In struct {
	X    Scalar
	List []Scalar
	Not  bool
}

// IsNull is true when X has no value.
type IsNull struct {
	X   Scalar
	Not bool
}

// A GeomOperand is an operand of a spatial function: a property or a
// geometry literal.
type GeomOperand struct {
	// Prop names the geometry property; empty for a literal.
	Prop string
	// Geom is the literal when Prop is empty.
	Geom orb.Geometry
	// Pos is the byte offset of the operand in the text.
	Pos int
}

// Spatial applies a spatial function to A and B. Op is "S_INTERSECTS",
// "S_WITHIN", "S_CONTAINS" or "S_DISJOINT".
type Spatial struct {
	Op   string
	A, B GeomOperand
}

func (*And) expr()     {}
func (*Or) expr()      {}
func (*Not) expr()     {}
func (Bool) expr()     {}
func (*Compare) expr() {}
func (*Like) expr()    {}
func (*Between) expr() {}
func (*In) expr()      {}
func (*IsNull) expr()  {}
func (*Spatial) expr() {}

func (e *And) String() string { return "(" + e.L.String() + " AND " + e.R.String() + ")" }
func (e *Or) String() string  { return "(" + e.L.String() + " OR " + e.R.String() + ")" }
func (e *Not) String() string { return "NOT " + e.X.String() }

// String returns TRUE or FALSE.
func (e Bool) String() string { return Value{Kind: KindBool, Bool: bool(e)}.text() }

func (e *Compare) String() string { return "(" + e.L.text() + " " + e.Op + " " + e.R.text() + ")" }

func (e *Like) String() string {
	return "(" + e.X.text() + not(e.Not) + " LIKE " + e.Pattern.text() + ")"
}

func (e *Between) String() string {
	return "(" + e.X.text() + not(e.Not) + " BETWEEN " + e.Lo.text() + " AND " + e.Hi.text() + ")"
}

func (e *In) String() string {
	parts := make([]string, len(e.List))
	for i, s := range e.List {
		parts[i] = s.text()
	}
	return "(" + e.X.text() + not(e.Not) + " IN (" + strings.Join(parts, ", ") + "))"
}

func (e *IsNull) String() string { return "(" + e.X.text() + " IS" + not(e.Not) + " NULL)" }

func (e *Spatial) String() string { return e.Op + "(" + e.A.text() + ", " + e.B.text() + ")" }

func (g GeomOperand) text() string {
	if g.Prop != "" {
		return quoteIdent(g.Prop)
	}
	return wktText(g.Geom)
}

func not(b bool) string {
	if b {
		return " NOT"
	}
	return ""
}

// quoteIdent writes a property name, double-quoted unless it is a plain
// identifier that is not a keyword.
func quoteIdent(s string) string {
	plain := s != "" && !isKeyword(s)
	for i, r := range s {
		if !(isIdentStart(r) || (i > 0 && isIdentPart(r))) {
			plain = false
			break
		}
	}
	if plain {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
