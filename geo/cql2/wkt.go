package cql2

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// spatialOps are the spatial functions supported.
var spatialOps = map[string]bool{"S_INTERSECTS": true, "S_WITHIN": true, "S_CONTAINS": true, "S_DISJOINT": true}

// spatial parses S_XXX(operand, operand).
func (p *parser) spatial() (Expr, error) {
	name := p.next()
	e := &Spatial{Op: strings.ToUpper(name.text)}
	if _, err := p.expect(tokLParen, "'(' after "+e.Op); err != nil {
		return nil, err
	}
	var err error
	if e.A, err = p.geomOperand(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokComma, "',' between the operands of "+e.Op); err != nil {
		return nil, err
	}
	if e.B, err = p.geomOperand(); err != nil {
		return nil, err
	}
	if _, err := p.expect(tokRParen, "')' closing "+e.Op); err != nil {
		return nil, err
	}
	return e, nil
}

// geomOperand parses a geometry property or a geometry literal.
func (p *parser) geomOperand() (GeomOperand, error) {
	t := p.peek()
	if t.kind == tokQuoted {
		p.next()
		return GeomOperand{Prop: t.text, Pos: t.pos}, nil
	}
	if t.kind != tokIdent {
		return GeomOperand{}, p.errTok(t, "expected a geometry property or a geometry literal, found %s", t.describe())
	}
	if p.toks[p.i+1].kind != tokLParen {
		p.next()
		if wktTypes[strings.ToUpper(t.text)] {
			return GeomOperand{}, p.errTok(p.peek(), "expected '(' after %s, found %s", strings.ToUpper(t.text), p.peek().describe())
		}
		return GeomOperand{Prop: t.text, Pos: t.pos}, nil
	}
	g, err := p.geometry()
	if err != nil {
		return GeomOperand{}, err
	}
	return GeomOperand{Geom: g, Pos: t.pos}, nil
}

// wktTypes are the geometry literal keywords.
var wktTypes = map[string]bool{"POINT": true, "LINESTRING": true, "POLYGON": true, "MULTIPOINT": true,
	"MULTILINESTRING": true, "MULTIPOLYGON": true, "BBOX": true}

// geometry parses a WKT literal or BBOX(...).
func (p *parser) geometry() (orb.Geometry, error) {
	t := p.next()
	kind := strings.ToUpper(t.text)
	if !wktTypes[kind] {
		if kind == "GEOMETRYCOLLECTION" {
			return nil, p.errTok(t, "GEOMETRYCOLLECTION literals are not supported")
		}
		return nil, p.errTok(t, "expected a geometry literal (POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON or BBOX), found %s", t.describe())
	}
	if kind == "BBOX" {
		return p.bbox()
	}
	var g orb.Geometry
	err := p.list(func() error {
		var err error
		switch kind {
		case "POINT":
			g, err = p.position()
		case "LINESTRING":
			g, err = p.lineString()
		case "POLYGON":
			g, err = p.polygon()
		case "MULTIPOINT":
			g, err = p.multiPoint()
		case "MULTILINESTRING":
			g, err = p.multiLineString()
		case "MULTIPOLYGON":
			g, err = p.multiPolygon()
		}
		return err
	})
	return g, err
}

// list parses '(' body ')'.
func (p *parser) list(body func() error) error {
	if _, err := p.expect(tokLParen, "'('"); err != nil {
		return err
	}
	if err := body(); err != nil {
		return err
	}
	_, err := p.expect(tokRParen, "')'")
	return err
}

// commaList parses item {',' item}.
func (p *parser) commaList(item func() error) error {
	for {
		if err := item(); err != nil {
			return err
		}
		if p.peek().kind != tokComma {
			return nil
		}
		p.next()
	}
}

// position parses "x y".
func (p *parser) position() (orb.Point, error) {
	var pt orb.Point
	for i := range pt {
		t := p.next()
		if t.kind != tokNumber {
			return pt, p.errTok(t, "expected a coordinate, found %s", t.describe())
		}
		v, err := strconv.ParseFloat(t.text, 64)
		if err != nil || math.IsInf(v, 0) {
			return pt, p.errTok(t, "coordinate %s is out of range", clip(t.text, 30))
		}
		pt[i] = v
	}
	if t := p.peek(); t.kind == tokNumber {
		return pt, p.errTok(t, "only 2D coordinates (x y) are supported")
	}
	p.vertices++
	if p.vertices > MaxVertices {
		return pt, p.errTok(p.peek(), "the geometry literals hold more than %d positions", MaxVertices)
	}
	return pt, nil
}

func (p *parser) lineString() (orb.LineString, error) {
	start := p.peek()
	var ls orb.LineString
	err := p.commaList(func() error {
		pt, err := p.position()
		ls = append(ls, pt)
		return err
	})
	if err == nil && len(ls) < 2 {
		err = p.errTok(start, "a LINESTRING needs at least 2 positions")
	}
	return ls, err
}

func (p *parser) ring() (orb.Ring, error) {
	start := p.peek()
	var r orb.Ring
	err := p.list(func() error {
		ls, err := p.lineString()
		r = orb.Ring(ls)
		return err
	})
	switch {
	case err != nil:
	case len(r) < 4:
		err = p.errTok(start, "a polygon ring needs at least 4 positions")
	case r[0] != r[len(r)-1]:
		err = p.errTok(start, "a polygon ring must end where it starts")
	}
	return r, err
}

func (p *parser) polygon() (orb.Polygon, error) {
	var poly orb.Polygon
	err := p.commaList(func() error {
		r, err := p.ring()
		poly = append(poly, r)
		return err
	})
	return poly, err
}

func (p *parser) multiPoint() (orb.MultiPoint, error) {
	var mp orb.MultiPoint
	err := p.commaList(func() error {
		if p.peek().kind != tokLParen {
			pt, err := p.position()
			mp = append(mp, pt)
			return err
		}
		return p.list(func() error {
			pt, err := p.position()
			mp = append(mp, pt)
			return err
		})
	})
	return mp, err
}

func (p *parser) multiLineString() (orb.MultiLineString, error) {
	var mls orb.MultiLineString
	err := p.commaList(func() error {
		return p.list(func() error {
			ls, err := p.lineString()
			mls = append(mls, ls)
			return err
		})
	})
	return mls, err
}

func (p *parser) multiPolygon() (orb.MultiPolygon, error) {
	var mp orb.MultiPolygon
	err := p.commaList(func() error {
		return p.list(func() error {
			poly, err := p.polygon()
			mp = append(mp, poly)
			return err
		})
	})
	return mp, err
}

// bbox parses BBOX(minx, miny, maxx, maxy) as a polygon.
func (p *parser) bbox() (orb.Geometry, error) {
	start := p.peek()
	var v []float64
	err := p.list(func() error {
		return p.commaList(func() error {
			t := p.next()
			if t.kind != tokNumber {
				return p.errTok(t, "expected a BBOX coordinate, found %s", t.describe())
			}
			x, err := strconv.ParseFloat(t.text, 64)
			if err != nil || math.IsInf(x, 0) {
				return p.errTok(t, "coordinate %s is out of range", clip(t.text, 30))
			}
			v = append(v, x)
			return nil
		})
	})
	switch {
	case err != nil:
		return nil, err
	case len(v) != 4:
		return nil, p.errTok(start, "BBOX takes 4 numbers (minx, miny, maxx, maxy), got %d", len(v))
	case v[0] > v[2] || v[1] > v[3]:
		return nil, p.errTok(start, "BBOX minimum exceeds its maximum")
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}.ToPolygon(), nil
}

// wktText writes g as WKT.
func wktText(g orb.Geometry) string {
	var b strings.Builder
	pos := func(pt orb.Point) {
		b.WriteString(strconv.FormatFloat(pt[0], 'g', -1, 64) + " " + strconv.FormatFloat(pt[1], 'g', -1, 64))
	}
	line := func(ls []orb.Point) {
		b.WriteByte('(')
		for i, pt := range ls {
			if i > 0 {
				b.WriteString(", ")
			}
			pos(pt)
		}
		b.WriteByte(')')
	}
	poly := func(pg orb.Polygon) {
		b.WriteByte('(')
		for i, r := range pg {
			if i > 0 {
				b.WriteString(", ")
			}
			line(r)
		}
		b.WriteByte(')')
	}
	switch g := g.(type) {
	case orb.Point:
		b.WriteString("POINT(")
		pos(g)
		b.WriteByte(')')
	case orb.LineString:
		b.WriteString("LINESTRING")
		line(g)
	case orb.Polygon:
		b.WriteString("POLYGON")
		poly(g)
	case orb.MultiPoint:
		b.WriteString("MULTIPOINT")
		line(g)
	case orb.MultiLineString:
		b.WriteString("MULTILINESTRING(")
		for i, ls := range g {
			if i > 0 {
				b.WriteString(", ")
			}
			line(ls)
		}
		b.WriteByte(')')
	case orb.MultiPolygon:
		b.WriteString("MULTIPOLYGON(")
		for i, pg := range g {
			if i > 0 {
				b.WriteString(", ")
			}
			poly(pg)
		}
		b.WriteByte(')')
	}
	return b.String()
}
