package table

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// errWKT is wrapped by every WKT geometry error.
var errWKT = errors.New("bad WKT")

// parseWKT reads one WKT geometry (POINT, LINESTRING, POLYGON and their
// MULTI forms; with Z, M or ZM, whose extra ordinates are dropped; EWKT's
// "SRID=n;" prefix ignored). EMPTY is a nil geometry.
func parseWKT(s string) (orb.Geometry, error) {
	if strings.HasPrefix(strings.ToUpper(s), "SRID=") {
		_, rest, ok := strings.Cut(s, ";")
		if !ok {
			return nil, fmt.Errorf("%w: SRID= without ;", errWKT)
		}
		s = rest
	}
	p := &wktLexer{s: s}
	typ := strings.ToUpper(p.word())
	if tag := strings.ToUpper(p.peekWord()); tag == "Z" || tag == "M" || tag == "ZM" {
		p.word()
	}
	if strings.EqualFold(p.peekWord(), "EMPTY") {
		p.word()
		return nil, p.end()
	}
	var g orb.Geometry
	var err error
	switch typ {
	case "POINT":
		var pts []orb.Point
		if pts, err = p.points(false); err == nil && len(pts) != 1 {
			err = p.errorf("a POINT with %d positions", len(pts))
		}
		if err == nil {
			g = pts[0]
		}
	case "LINESTRING":
		var pts []orb.Point
		pts, err = p.points(false)
		g = orb.LineString(pts)
	case "POLYGON":
		g, err = p.polygon()
	case "MULTIPOINT":
		var pts []orb.Point
		pts, err = p.points(true)
		g = orb.MultiPoint(pts)
	case "MULTILINESTRING":
		var ml orb.MultiLineString
		err = p.list(func() error {
			pts, err := p.points(false)
			ml = append(ml, pts)
			return err
		})
		g = ml
	case "MULTIPOLYGON":
		var mp orb.MultiPolygon
		err = p.list(func() error {
			poly, err := p.polygon()
			mp = append(mp, poly)
			return err
		})
		g = mp
	default:
		return nil, fmt.Errorf("%w: geometry type %q (want POINT, LINESTRING, POLYGON or a MULTI form)", errWKT, clip(typ))
	}
	if err != nil {
		return nil, err
	}
	return g, p.end()
}

// wktLexer walks a WKT geometry text.
type wktLexer struct {
	s string
	i int
}

func (p *wktLexer) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at character %d: %s", errWKT, p.i+1, fmt.Sprintf(format, args...))
}

func (p *wktLexer) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

// word reads letters.
func (p *wktLexer) word() string {
	p.space()
	start := p.i
	for p.i < len(p.s) && (p.s[p.i] >= 'a' && p.s[p.i] <= 'z' || p.s[p.i] >= 'A' && p.s[p.i] <= 'Z') {
		p.i++
	}
	return p.s[start:p.i]
}

func (p *wktLexer) peekWord() string {
	i := p.i
	w := p.word()
	p.i = i
	return w
}

// accept consumes c when it comes next.
func (p *wktLexer) accept(c byte) bool {
	p.space()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *wktLexer) expect(c byte) error {
	if !p.accept(c) {
		return p.errorf("want %q", c)
	}
	return nil
}

func (p *wktLexer) end() error {
	p.space()
	if p.i < len(p.s) {
		return p.errorf("unexpected text after the geometry")
	}
	return nil
}

// list reads ( item, item, ... ).
func (p *wktLexer) list(item func() error) error {
	if err := p.expect('('); err != nil {
		return err
	}
	for {
		if err := item(); err != nil {
			return err
		}
		if p.accept(')') {
			return nil
		}
		if err := p.expect(','); err != nil {
			return err
		}
	}
}

// points reads ( x y [z [m]], ... ); inner parentheses around each
// position are allowed when parens is true (MULTIPOINT((1 2),(3 4))).
func (p *wktLexer) points(parens bool) ([]orb.Point, error) {
	var pts []orb.Point
	err := p.list(func() error {
		inner := parens && p.accept('(')
		pt, err := p.position()
		if err != nil {
			return err
		}
		if inner {
			if err := p.expect(')'); err != nil {
				return err
			}
		}
		pts = append(pts, pt)
		return nil
	})
	return pts, err
}

// position reads 2 to 4 numbers and keeps the first two.
func (p *wktLexer) position() (orb.Point, error) {
	var v [4]float64
	n := 0
	for n < 4 {
		p.space()
		start := p.i
		for p.i < len(p.s) && strings.IndexByte("0123456789+-.eE", p.s[p.i]) >= 0 {
			p.i++
		}
		if start == p.i {
			break
		}
		f, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			p.i = start
			return orb.Point{}, p.errorf("%q is not a coordinate", clip(p.s[start:min(len(p.s), start+20)]))
		}
		v[n] = f
		n++
	}
	if n < 2 {
		return orb.Point{}, p.errorf("want a position of 2 to 4 numbers")
	}
	return orb.Point{v[0], v[1]}, nil
}

func (p *wktLexer) polygon() (orb.Polygon, error) {
	var poly orb.Polygon
	err := p.list(func() error {
		pts, err := p.points(false)
		poly = append(poly, orb.Ring(pts))
		return err
	})
	return poly, err
}
