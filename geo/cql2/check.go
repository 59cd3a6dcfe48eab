package cql2

import (
	"slices"
	"strings"

	"github.com/paulmach/orb"
)

// Check verifies e against a collection's queryables, which map each
// property name to its kind (KindGeometry for the geometry): every
// property must be a queryable, geometry properties may appear only in
// spatial functions and scalar ones only in comparisons, both sides of a
// comparison must have one kind, LIKE needs strings, and <, <=, >, >= and
// BETWEEN need numbers or strings. src is the text e was parsed from, for
// the positions of the *Error it returns.
func Check(src string, e Expr, queryables map[string]Kind) error {
	c := checker{src: src, q: queryables}
	return c.expr(e)
}

type checker struct {
	src string
	q   map[string]Kind
}

func (c checker) expr(e Expr) error {
	switch e := e.(type) {
	case *And:
		return firstErr(c.expr(e.L), func() error { return c.expr(e.R) })
	case *Or:
		return firstErr(c.expr(e.L), func() error { return c.expr(e.R) })
	case *Not:
		return c.expr(e.X)
	case Bool:
		return nil
	case *Compare:
		ordered := e.Op != "=" && e.Op != "<>"
		return c.same(e.L, ordered, false, e.R)
	case *Like:
		return c.same(e.X, false, true, e.Pattern)
	case *Between:
		return c.same(e.X, true, false, e.Lo, e.Hi)
	case *In:
		return c.same(e.X, false, false, e.List...)
	case *IsNull:
		_, err := c.kind(e.X)
		return err
	case *Spatial:
		return firstErr(c.geom(e.A), func() error { return c.geom(e.B) })
	}
	return nil
}

func firstErr(err error, next func() error) error {
	if err != nil {
		return err
	}
	return next()
}

// kind returns the kind of a scalar operand.
func (c checker) kind(s Scalar) (Kind, error) {
	if s.Prop == "" {
		return s.Lit.Kind, nil
	}
	k, ok := c.q[s.Prop]
	switch {
	case !ok:
		return 0, errAt(c.src, s.Pos, "unknown property %s: the queryables are %s", quoteIdent(s.Prop), c.names())
	case k == KindGeometry:
		return 0, errAt(c.src, s.Pos, "%s is a geometry: compare it with S_INTERSECTS, S_WITHIN, S_CONTAINS or S_DISJOINT", quoteIdent(s.Prop))
	}
	return k, nil
}

// same checks that x and every operand of others have one kind.
func (c checker) same(x Scalar, ordered, like bool, others ...Scalar) error {
	kx, err := c.kind(x)
	if err != nil {
		return err
	}
	if like && kx != KindString {
		return errAt(c.src, x.Pos, "LIKE needs strings, but %s is a %s", x.text(), kx)
	}
	for _, o := range others {
		ko, err := c.kind(o)
		if err != nil {
			return err
		}
		if ko != kx {
			return errAt(c.src, o.Pos, "%s is a %s but %s is a %s; quote strings ('...') and write numbers bare", o.text(), ko, x.text(), kx)
		}
	}
	if ordered && kx == KindBool {
		return errAt(c.src, x.Pos, "booleans have no order: use = or <>")
	}
	return nil
}

// geom checks a spatial operand.
func (c checker) geom(g GeomOperand) error {
	if g.Prop == "" {
		return nil
	}
	if k, ok := c.q[g.Prop]; !ok || k != KindGeometry {
		return errAt(c.src, g.Pos, "%s is not a geometry queryable: spatial functions take %s or a geometry literal", quoteIdent(g.Prop), c.geomNames())
	}
	return nil
}

func (c checker) names() string {
	var ns []string
	for n := range c.q {
		ns = append(ns, quoteIdent(n))
	}
	slices.Sort(ns)
	return strings.Join(ns, ", ")
}

func (c checker) geomNames() string {
	for n, k := range c.q {
		if k == KindGeometry {
			return quoteIdent(n)
		}
	}
	return "a geometry property"
}

// MapGeometries replaces every position of every geometry literal of e by
// f(position), in place: how a server maps literals given in filter-crs to
// WGS-84 lon/lat.
func MapGeometries(e Expr, f func(orb.Point) orb.Point) {
	walkSpatial(e, func(s *Spatial) {
		for _, g := range []*GeomOperand{&s.A, &s.B} {
			if g.Prop == "" && g.Geom != nil {
				g.Geom = mapGeometry(g.Geom, f)
			}
		}
	})
}

// walkSpatial calls fn with every spatial function of e.
func walkSpatial(e Expr, fn func(*Spatial)) {
	switch e := e.(type) {
	case *And:
		walkSpatial(e.L, fn)
		walkSpatial(e.R, fn)
	case *Or:
		walkSpatial(e.L, fn)
		walkSpatial(e.R, fn)
	case *Not:
		walkSpatial(e.X, fn)
	case *Spatial:
		fn(e)
	}
}

func mapGeometry(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	pts := func(ps []orb.Point) {
		for i := range ps {
			ps[i] = f(ps[i])
		}
	}
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.LineString:
		pts(g)
	case orb.MultiPoint:
		pts(g)
	case orb.Polygon:
		for _, r := range g {
			pts(r)
		}
	case orb.MultiLineString:
		for _, ls := range g {
			pts(ls)
		}
	case orb.MultiPolygon:
		for _, pg := range g {
			for _, r := range pg {
				pts(r)
			}
		}
	}
	return g
}
