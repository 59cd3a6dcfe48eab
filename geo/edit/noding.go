package edit

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// A crossKind says how two segments meet.
type crossKind uint8

const (
	noCross   crossKind = iota
	proper              // interiors cross at one point
	touch               // an endpoint of one lies on the other
	collinear           // they overlap along a stretch
)

// intersect returns where segments p-q and a-b meet and how.
func intersect(p, q, a, b orb.Point) (orb.Point, crossKind) {
	rx, ry := q[0]-p[0], q[1]-p[1]
	sx, sy := b[0]-a[0], b[1]-a[1]
	d := rx*sy - ry*sx
	wx, wy := a[0]-p[0], a[1]-p[1]
	if d == 0 {
		if wx*ry-wy*rx != 0 {
			return orb.Point{}, noCross
		}
		l2 := rx*rx + ry*ry
		if l2 == 0 {
			return orb.Point{}, noCross
		}
		t0 := (wx*rx + wy*ry) / l2
		t1 := t0 + (sx*rx+sy*ry)/l2
		if max(t0, t1) < 0 || min(t0, t1) > 1 {
			return orb.Point{}, noCross
		}
		return orb.Point{}, collinear
	}
	t := (wx*sy - wy*sx) / d
	u := (wx*ry - wy*rx) / d
	if t < 0 || t > 1 || u < 0 || u > 1 {
		return orb.Point{}, noCross
	}
	x := orb.Point{p[0] + t*rx, p[1] + t*ry}
	if t == 0 || t == 1 || u == 0 || u == 1 {
		return x, touch
	}
	return x, proper
}

// A splitSeg is a segment with the points that must become vertices on it.
type splitSeg struct {
	a, b orb.Point
	at   []orb.Point
}

// add records p as a vertex to insert, unless it is an endpoint.
func (s *splitSeg) add(p orb.Point) {
	if p != s.a && p != s.b && !slices.Contains(s.at, p) {
		s.at = append(s.at, p)
	}
}

// pieces returns the segment cut at its points, in order from a to b.
func (s *splitSeg) pieces() [][2]orb.Point {
	pts := append([]orb.Point{s.a}, s.at...)
	slices.SortFunc(pts[1:], func(x, y orb.Point) int {
		tx, _ := segParam(x, s.a, s.b)
		ty, _ := segParam(y, s.a, s.b)
		return cmp.Compare(tx, ty)
	})
	pts = append(pts, s.b)
	out := make([][2]orb.Point, 0, len(pts)-1)
	for i := 0; i+1 < len(pts); i++ {
		if pts[i] != pts[i+1] {
			out = append(out, [2]orb.Point{pts[i], pts[i+1]})
		}
	}
	return out
}

// insertPoints returns ring r with the given points inserted into the
// edges they lie on (within stitchEps of the edge interior), in order
// along each edge, and whether any was inserted. r is not modified.
func insertPoints(r orb.Ring, idx *pointIndex) (orb.Ring, bool) {
	var out orb.Ring
	changed := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		seg := splitSeg{a: a, b: b}
		idx.near(a, b, stitchEps, func(p orb.Point) {
			if onSegmentInterior(p, a, b, stitchEps) {
				seg.add(p)
			}
		})
		if len(seg.at) == 0 {
			if out != nil {
				out = append(out, a)
			}
			continue
		}
		if out == nil {
			out = append(make(orb.Ring, 0, len(r)+len(seg.at)), r[:i]...)
		}
		changed = true
		for _, piece := range seg.pieces() {
			out = append(out, piece[0])
		}
	}
	if !changed {
		return r, false
	}
	return append(out, r[len(r)-1]), true
}

// A pointIndex finds points near a segment: the points sorted by
// longitude, searched by binary search on the segment's box.
type pointIndex struct {
	pts []orb.Point
}

// newPointIndex indexes the distinct points given.
func newPointIndex(pts []orb.Point) *pointIndex {
	s := slices.Clone(pts)
	slices.SortFunc(s, func(a, b orb.Point) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	return &pointIndex{pts: slices.Compact(s)}
}

// near calls fn with every indexed point inside the box of a-b grown by eps.
func (x *pointIndex) near(a, b orb.Point, eps float64, fn func(orb.Point)) {
	x0, x1 := min(a[0], b[0])-eps, max(a[0], b[0])+eps
	y0, y1 := min(a[1], b[1])-eps, max(a[1], b[1])+eps
	i, _ := slices.BinarySearchFunc(x.pts, x0, func(p orb.Point, v float64) int { return cmp.Compare(p[0], v) })
	for ; i < len(x.pts) && x.pts[i][0] <= x1; i++ {
		if p := x.pts[i]; p[1] >= y0 && p[1] <= y1 {
			fn(p)
		}
	}
}

// ringPoints appends every vertex of mp to dst.
func ringPoints(dst []orb.Point, mp orb.MultiPolygon) []orb.Point {
	for _, poly := range mp {
		for _, r := range poly {
			dst = append(dst, r...)
		}
	}
	return dst
}
