package planar

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

const (
	// EarthRadiusMeters is the mean Earth radius (IUGG), the one
	// geo/cityio's area check and geo/edit use.
	EarthRadiusMeters = 6371008.8
	// DegMeters is the length of one degree of latitude in meters.
	DegMeters = math.Pi / 180 * EarthRadiusMeters
)

// MetersPerDegree returns the east-west and north-south lengths in meters
// of one degree at latitude lat in the equirectangular projection.
func MetersPerDegree(lat float64) (kx, ky float64) {
	return DegMeters * math.Cos(lat*math.Pi/180), DegMeters
}

// RingArea2 returns twice the signed area of r in square degrees,
// positive when counter-clockwise, computed relative to r's first vertex.
func RingArea2(r orb.Ring) float64 {
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

// WrongWay reports whether r runs against the orientation rule of every
// polygon gridmap stores and writes (outer rings counter-clockwise, holes
// clockwise, as RFC 7946 asks): an outer ring (outer true) of negative
// RingArea2 or a hole of positive. A ring of zero area is never wrong.
func WrongWay(r orb.Ring, outer bool) bool {
	a := RingArea2(r)
	return (outer && a < 0) || (!outer && a > 0)
}

// Orient reverses in place every ring of mp that runs the wrong way
// (WrongWay): each polygon's first ring is its outer ring.
func Orient(mp orb.MultiPolygon) {
	for _, poly := range mp {
		for i, r := range poly {
			if WrongWay(r, i == 0) {
				slices.Reverse(r)
			}
		}
	}
}

// AreaM2 returns the area of mp in square meters, equirectangular at lat0
// (holes subtracted; rings may run either way).
func AreaM2(mp orb.MultiPolygon, lat0 float64) float64 {
	kx, ky := MetersPerDegree(lat0)
	sum := 0.0
	for _, poly := range mp {
		for i, r := range poly {
			a := math.Abs(RingArea2(r)) / 2
			if i > 0 {
				a = -a
			}
			sum += a
		}
	}
	return sum * kx * ky
}

// LengthM returns the length of the segment a-b in meters at lat0.
func LengthM(a, b orb.Point, lat0 float64) float64 {
	kx, ky := MetersPerDegree(lat0)
	return math.Hypot((b[0]-a[0])*kx, (b[1]-a[1])*ky)
}
