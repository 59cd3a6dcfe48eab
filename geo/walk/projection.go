package walk

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// metersPerDegree is the length of one degree of latitude on orb's sphere.
const metersPerDegree = orb.EarthRadius * math.Pi / 180

// A projection is an equirectangular projection around (lon0, lat0), in
// meters east and north. Circles are drawn in one centred near their first
// source, snapping measures in one centred on each query point, and the
// graph keeps one centred on its bounds for bucketing points.
type projection struct {
	lon0, lat0 float64
	kx, ky     float64 // meters per degree of longitude and latitude
}

func newProjection(center orb.Point) projection {
	return projection{
		lon0: center[0],
		lat0: center[1],
		kx:   metersPerDegree * math.Cos(center[1]*math.Pi/180),
		ky:   metersPerDegree,
	}
}

func (p projection) forward(q orb.Point) (x, y float64) {
	return (q[0] - p.lon0) * p.kx, (q[1] - p.lat0) * p.ky
}

func (p projection) inverse(x, y float64) orb.Point {
	return orb.Point{p.lon0 + x/p.kx, p.lat0 + y/p.ky}
}

// haversine returns the great-circle distance in meters between a and b.
func haversine(a, b orb.Point) float64 { return orbgeo.DistanceHaversine(a, b) }

// validPoint reports whether p is a finite longitude/latitude.
func validPoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) &&
		p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// segmentFoot returns the fraction t in [0, 1] of the point on segment a-b
// nearest to (px, py), all in projected meters, and the squared distance.
func segmentFoot(px, py, ax, ay, bx, by float64) (t, d2 float64) {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	if l2 > 0 {
		t = ((px-ax)*dx + (py-ay)*dy) / l2
		t = math.Max(0, math.Min(1, t))
	}
	ex, ey := ax+t*dx-px, ay+t*dy-py
	return t, ex*ex + ey*ey
}
