package edit

import (
	"math"

	"github.com/paulmach/orb"
)

// Lattice and tolerances, in degrees.
const (
	// snapScale is the inverse of the coordinate lattice: 1e-7 degrees
	// (about 1 cm), the grid cityio stores coordinates on.
	snapScale = 1e7
	// stitchEps is how close (about 1 cm) a vertex must be to another
	// ring's edge or vertex to be merged into it.
	stitchEps = 1e-7
	// earthRadiusMeters is the mean Earth radius.
	earthRadiusMeters = 6371008.8
	// degMeters is the length of one degree of latitude.
	degMeters = math.Pi / 180 * earthRadiusMeters
)

// snapCoord rounds v to the lattice, exactly as cityio.SnapCoord does.
func snapCoord(v float64) float64 { return math.Round(v*snapScale) / snapScale }

// snapPoint rounds both coordinates of p to the lattice.
func snapPoint(p orb.Point) orb.Point { return orb.Point{snapCoord(p[0]), snapCoord(p[1])} }

// segParam returns the parameter t of the projection of p on the segment
// a-b (0 at a, 1 at b, unclamped) and the squared distance from p to the
// segment's line; for a zero-length segment t is 0.
func segParam(p, a, b orb.Point) (t, d2 float64) {
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

// segDist2 returns the squared distance from p to the segment a-b.
func segDist2(p, a, b orb.Point) float64 {
	t, d2 := segParam(p, a, b)
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

// dist2 returns the squared planar distance between two points.
func dist2(p, q orb.Point) float64 {
	dx, dy := p[0]-q[0], p[1]-q[1]
	return dx*dx + dy*dy
}

// onSegmentInterior reports whether p lies within eps of the segment a-b
// strictly between its ends (and farther than eps from both).
func onSegmentInterior(p, a, b orb.Point, eps float64) bool {
	e2 := eps * eps
	if dist2(p, a) <= e2 || dist2(p, b) <= e2 {
		return false
	}
	t, d2 := segParam(p, a, b)
	return t > 0 && t < 1 && d2 <= e2
}

// latticeReach is how many lattice steps latticeNear may move a point
// along its segment (1.6e-6 degrees, under 20 cm) to find a lattice
// point closer to the segment's line.
const latticeReach = 16

// goodEnough is the distance from the line (degrees) at which
// latticeNear stops looking for a closer lattice point.
const goodEnough = 2e-9

// latticeNear returns a lattice point near p that lies as close as it
// can to the line through a and b, strictly between a and b. It walks
// the lattice columns (or rows, for a steep line) outward from p, up to
// latticeReach steps, and takes the two lattice points around the line
// in each; it stops at the first within goodEnough of the line. The
// result lies within half a lattice step (5e-8 degrees) of the line and
// usually within goodEnough, so a vertex put there leaves the edge where
// it was, and repeated insertions do not drift.
func latticeNear(p, a, b orb.Point) orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	steep := math.Abs(dy) > math.Abs(dx)
	base := snapPoint(p)
	best, bestD := base, math.Inf(1)
	for i := 0; i <= 2*latticeReach; i++ {
		k := (i + 1) / 2
		if i%2 == 1 {
			k = -k
		}
		for _, q := range lineLatticePair(base, a, b, float64(k)/snapScale, steep) {
			t, d2 := segParam(q, a, b)
			if t <= 0 || t >= 1 {
				continue
			}
			if d2 < bestD {
				best, bestD = q, d2
			}
		}
		if bestD <= goodEnough*goodEnough {
			break
		}
	}
	return best
}

// lineLatticePair returns the two lattice points on either side of the
// line a-b in the lattice column (row, when steep) offset by off from base.
func lineLatticePair(base, a, b orb.Point, off float64, steep bool) [2]orb.Point {
	if steep {
		y := snapCoord(base[1] + off)
		x := a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1])
		lo := math.Floor(x*snapScale) / snapScale
		return [2]orb.Point{{snapCoord(lo), y}, {snapCoord(lo + 1/snapScale), y}}
	}
	x := snapCoord(base[0] + off)
	y := a[1] + (x-a[0])*(b[1]-a[1])/(b[0]-a[0])
	lo := math.Floor(y*snapScale) / snapScale
	return [2]orb.Point{{x, snapCoord(lo)}, {x, snapCoord(lo + 1/snapScale)}}
}

// metersPerDegree returns the east-west and north-south lengths of one
// degree at latitude lat in the equirectangular projection.
func metersPerDegree(lat float64) (kx, ky float64) {
	return degMeters * math.Cos(lat*math.Pi/180), degMeters
}

// ringArea2 returns twice the signed area of r in square degrees,
// positive when counter-clockwise, computed relative to r's first vertex.
func ringArea2(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	s := 0.0
	for i := 1; i+1 < len(r); i++ {
		x1, y1 := r[i][0]-o[0], r[i][1]-o[1]
		x2, y2 := r[i+1][0]-o[0], r[i+1][1]-o[1]
		s += x1*y2 - x2*y1
	}
	return s
}

// areaM2 returns the area of mp in square meters, equirectangular at lat0
// (holes subtracted; rings may run either way).
func areaM2(mp orb.MultiPolygon, lat0 float64) float64 {
	kx, ky := metersPerDegree(lat0)
	sum := 0.0
	for _, poly := range mp {
		for i, r := range poly {
			a := math.Abs(ringArea2(r)) / 2
			if i > 0 {
				a = -a
			}
			sum += a
		}
	}
	return sum * kx * ky
}

// lengthM returns the length of the segment a-b in meters at lat0.
func lengthM(a, b orb.Point, lat0 float64) float64 {
	kx, ky := metersPerDegree(lat0)
	return math.Hypot((b[0]-a[0])*kx, (b[1]-a[1])*ky)
}
