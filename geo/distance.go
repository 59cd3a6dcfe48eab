package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// Nearest returns the grid nearest to p (WGS-84 lon/lat) and the distance
// in meters from p to it: the grid Locate finds and 0 when p is in a grid,
// otherwise the grid whose boundary comes closest to p and the distance to
// that boundary. The closest boundary point is searched in an
// equirectangular projection centred on p (x scaled by cos(lat of p)),
// which ranks grids correctly to well under a meter within a few
// kilometres; the distance returned is the great-circle (haversine)
// distance on a sphere of radius orb.EarthRadius from p to that point.
// Ties go to the lowest grid ID. It returns nil, 0 when the Locator has no
// grid or p has a NaN or infinite coordinate. The antimeridian is not
// handled.
func (l *Locator) Nearest(p orb.Point) (*Grid, float64) {
	if l.n == 0 || !locFinite(p) {
		return nil, 0
	}
	if lg := l.locate(p[0], p[1]); lg != nil {
		return lg.grid, 0
	}
	kx := math.Cos(p[1] * math.Pi / 180)
	var best *locGrid
	bestD2, bestQ := math.Inf(1), p
	l.tree.Nearby(
		func(lo, hi [2]float64, _ *locGrid, _ bool) float64 {
			dx := math.Max(0, math.Max(lo[0]-p[0], p[0]-hi[0])) * kx
			dy := math.Max(0, math.Max(lo[1]-p[1], p[1]-hi[1]))
			return dx*dx + dy*dy
		},
		func(_, _ [2]float64, lg *locGrid, boxD2 float64) bool {
			if boxD2 > bestD2 {
				return false
			}
			d2, q := lg.nearestPoint(p, kx)
			if d2 < bestD2 || (d2 == bestD2 && best != nil && lg.before(best)) {
				best, bestD2, bestQ = lg, d2, q
			}
			return true
		})
	if best == nil {
		return nil, 0
	}
	return best.grid, geo.Distance(p, bestQ)
}

// nearestPoint returns the point of lg's boundary closest to p in the
// equirectangular projection with x scale kx, and its squared projected
// distance (in squared degrees of latitude).
func (lg *locGrid) nearestPoint(p orb.Point, kx float64) (float64, orb.Point) {
	bestD2, bestQ := math.Inf(1), p
	for i := range lg.edges {
		e := &lg.edges[i]
		ax, ay := (e.x1-p[0])*kx, e.y1-p[1]
		dx, dy := (e.x2-e.x1)*kx, e.y2-e.y1
		t := 0.0
		if l2 := dx*dx + dy*dy; l2 > 0 {
			t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
		}
		qx, qy := ax+t*dx, ay+t*dy
		if d2 := qx*qx + qy*qy; d2 < bestD2 {
			bestD2 = d2
			bestQ = orb.Point{e.x1 + t*(e.x2-e.x1), e.y1 + t*(e.y2-e.y1)}
		}
	}
	return bestD2, bestQ
}

// locFinite reports whether both coordinates of p are finite.
func locFinite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}
