package planar

import (
	"math"

	"github.com/paulmach/orb"
)

// SegParam returns the parameter t of the projection of p on the segment
// a-b (0 at a, 1 at b, unclamped) and the squared distance from p to the
// segment's line; for a zero-length segment t is 0.
func SegParam(p, a, b orb.Point) (t, d2 float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		wx, wy := p[0]-a[0], p[1]-a[1]
		return 0, wx*wx + wy*wy
	}
	wx, wy := p[0]-a[0], p[1]-a[1]
	t = (wx*dx + wy*dy) / l2
	c := wx*dy - wy*dx
	return t, c * c / l2
}

// SegDist2 returns the squared distance from p to the segment a-b.
func SegDist2(p, a, b orb.Point) float64 {
	t, d2 := SegParam(p, a, b)
	if t >= 0 && t <= 1 {
		return d2
	}
	q := a
	if t > 1 {
		q = b
	}
	dx, dy := p[0]-q[0], p[1]-q[1]
	return dx*dx + dy*dy
}

// Dist2 returns the squared planar distance between two points.
func Dist2(p, q orb.Point) float64 {
	dx, dy := p[0]-q[0], p[1]-q[1]
	return dx*dx + dy*dy
}

// OnSegmentInterior reports whether p lies within eps of the segment a-b
// strictly between its ends (and farther than eps from both).
func OnSegmentInterior(p, a, b orb.Point, eps float64) bool {
	e2 := eps * eps
	if Dist2(p, a) <= e2 || Dist2(p, b) <= e2 {
		return false
	}
	t, d2 := SegParam(p, a, b)
	return t > 0 && t < 1 && d2 <= e2
}

// A CrossKind says how two segments meet.
type CrossKind uint8

// How two segments meet.
const (
	NoCross   CrossKind = iota // they do not meet
	Proper                     // interiors cross at one point
	Touch                      // an endpoint of one lies on the other
	Collinear                  // they overlap along a stretch
)

// Intersect returns where segments p-q and a-b meet and how; the point is
// set for Proper and Touch.
func Intersect(p, q, a, b orb.Point) (orb.Point, CrossKind) {
	rx, ry := q[0]-p[0], q[1]-p[1]
	sx, sy := b[0]-a[0], b[1]-a[1]
	d := rx*sy - ry*sx
	wx, wy := a[0]-p[0], a[1]-p[1]
	if d == 0 {
		if wx*ry-wy*rx != 0 {
			return orb.Point{}, NoCross
		}
		l2 := rx*rx + ry*ry
		if l2 == 0 {
			return orb.Point{}, NoCross
		}
		t0 := (wx*rx + wy*ry) / l2
		t1 := t0 + (sx*rx+sy*ry)/l2
		if max(t0, t1) < 0 || min(t0, t1) > 1 {
			return orb.Point{}, NoCross
		}
		return orb.Point{}, Collinear
	}
	t := (wx*sy - wy*sx) / d
	u := (wx*ry - wy*rx) / d
	if t < 0 || t > 1 || u < 0 || u > 1 {
		return orb.Point{}, NoCross
	}
	x := orb.Point{p[0] + t*rx, p[1] + t*ry}
	if t == 0 || t == 1 || u == 0 || u == 1 {
		return x, Touch
	}
	return x, Proper
}

// ForEdges calls fn with every edge of every ring of mp.
func ForEdges(mp orb.MultiPolygon, fn func(a, b orb.Point)) {
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				fn(r[i], r[i+1])
			}
		}
	}
}

// Backtracks reports whether the path a-b-c turns back (nearly) along
// itself at b, so that edges a-b and b-c overlap beyond b: a spike, which
// the loader (geo/cityio) and the editor (geo/edit) refuse alike.
func Backtracks(a, b, c orb.Point) bool {
	ux, uy := b[0]-a[0], b[1]-a[1]
	vx, vy := c[0]-b[0], c[1]-b[1]
	cross := ux*vy - uy*vx
	dot := ux*vx + uy*vy
	return dot < 0 && math.Abs(cross) <= 1e-9*math.Hypot(ux, uy)*math.Hypot(vx, vy)
}
