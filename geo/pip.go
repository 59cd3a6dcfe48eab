package geo

import (
	"math"

	"github.com/paulmach/orb"
)

// BoundaryEpsilon is the distance in degrees (about 0.1 mm) within which a
// point that no grid contains still counts as lying on a grid's boundary;
// see Locator for the rule.
const BoundaryEpsilon = 1e-9

// pipMaxCoord bounds the coordinates of a usable grid. Grids with larger or
// non-finite coordinates are not lon/lat data; GridContains is false for
// them and NewLocator leaves them out.
const pipMaxCoord = 1e7

// A pipEdge is one boundary segment of a grid in canonical order: (x1, y1)
// is the endpoint with the lower y, or with the lower x when both y are
// equal. The same segment read from either neighbouring ring, in either
// direction, gives the same pipEdge, so both grids take bit-identical
// decisions about it.
type pipEdge struct{ x1, y1, x2, y2 float64 }

// pipCanonEdge returns the segment a-b in canonical order.
func pipCanonEdge(a, b orb.Point) pipEdge {
	if a[1] > b[1] || (a[1] == b[1] && a[0] > b[0]) {
		a, b = b, a
	}
	return pipEdge{a[0], a[1], b[0], b[1]}
}

// crosses reports whether the ray from p to the east crosses e under the
// half-open rule: e counts iff (y1 > py) != (y2 > py) and p lies strictly
// left of e directed upwards, decided by the exact sign of the orientation
// determinant. The x tests before the determinant are exact shortcuts: a
// point west of the whole edge is left of it, one east of it is right.
func (e *pipEdge) crosses(px, py float64) bool {
	if (e.y1 > py) == (e.y2 > py) {
		return false
	}
	lo, hi := e.x1, e.x2
	if lo > hi {
		lo, hi = hi, lo
	}
	if px < lo {
		return true
	}
	if px > hi {
		return false
	}
	return pipOrient(e.x1, e.y1, e.x2, e.y2, px, py) > 0
}

// box returns e's bounding box grown by BoundaryEpsilon: no point outside
// it is near e. The Locator's raster uses the very same floats.
func (e *pipEdge) box() (x0, y0, x1, y1 float64) {
	return math.Min(e.x1, e.x2) - BoundaryEpsilon, e.y1 - BoundaryEpsilon,
		math.Max(e.x1, e.x2) + BoundaryEpsilon, e.y2 + BoundaryEpsilon
}

// near reports whether p lies within BoundaryEpsilon degrees of e,
// measured in the plane of lon/lat degrees.
func (e *pipEdge) near(px, py float64) bool {
	x0, y0, x1, y1 := e.box()
	if px < x0 || px > x1 || py < y0 || py > y1 {
		return false
	}
	dx, dy := e.x2-e.x1, e.y2-e.y1
	wx, wy := px-e.x1, py-e.y1
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, (wx*dx+wy*dy)/l2))
	}
	qx, qy := wx-t*dx, wy-t*dy
	return qx*qx+qy*qy <= BoundaryEpsilon*BoundaryEpsilon
}

// pipEdges calls fn with every boundary edge of g, ring by ring: the pairs
// (r[i], r[i+1]) and the closing pair (r[n-1], r[0]), skipping zero-length
// edges (they change no answer). It stops early when fn returns false.
func pipEdges(g *Grid, fn func(e pipEdge) bool) {
	for _, poly := range g.Geometry {
		for _, ring := range poly {
			n := len(ring)
			for i := range n {
				a, b := ring[i], ring[(i+1)%n]
				if a == b {
					continue
				}
				if !fn(pipCanonEdge(a, b)) {
					return
				}
			}
		}
	}
}

// pipUsable reports whether every coordinate of g is finite and at most
// 1e7 in magnitude. Other grids are never located.
func pipUsable(g *Grid) bool {
	if g == nil {
		return false
	}
	for _, poly := range g.Geometry {
		for _, ring := range poly {
			for _, p := range ring {
				if !(math.Abs(p[0]) <= pipMaxCoord && math.Abs(p[1]) <= pipMaxCoord) {
					return false
				}
			}
		}
	}
	return true
}

// GridContains reports whether p lies in g under the boundary rule
// documented on Locator: a half-open crossing-number test with a ray to the
// east, the parity taken over every ring of every part of g (so holes and
// MultiPolygon parts work). It checks every edge (no index) and is the
// reference the Locator agrees with exactly. It is false for a nil grid,
// for a grid with a non-finite coordinate or one above 1e7 in magnitude,
// and for a point with a NaN coordinate.
func GridContains(g *Grid, p orb.Point) bool {
	if !pipUsable(g) {
		return false
	}
	inside := false
	pipEdges(g, func(e pipEdge) bool {
		if e.crosses(p[0], p[1]) {
			inside = !inside
		}
		return true
	})
	return inside
}

// gridTouches reports whether p lies within BoundaryEpsilon degrees of
// g's boundary: the test of the outer-boundary rule.
func gridTouches(g *Grid, p orb.Point) bool {
	if !pipUsable(g) {
		return false
	}
	touch := false
	pipEdges(g, func(e pipEdge) bool {
		touch = e.near(p[0], p[1])
		return !touch
	})
	return touch
}
