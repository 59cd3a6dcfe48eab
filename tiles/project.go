package tiles

import (
	"math"

	"github.com/paulmach/orb"
)

// Extent is the size of a tile's coordinate space: tile coordinates run
// from 0 to Extent-1 on both axes, y down.
const Extent = 4096

// maxLat is the latitude where Web Mercator is cut off.
const maxLat = 85.05112877980659

// A wpt is a point in normalised Web Mercator "world" coordinates: x and y
// run from 0 to 1 across the whole map, y down (north at 0).
type wpt [2]float64

// project converts a WGS-84 lon/lat point to world coordinates. Points
// off the map are clamped to its edge.
func project(p orb.Point) wpt {
	lon := math.Max(-180, math.Min(180, p[0]))
	lat := math.Max(-maxLat, math.Min(maxLat, p[1]))
	s := math.Sin(lat * math.Pi / 180)
	y := 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
	return wpt{(lon + 180) / 360, y}
}

// unproject converts world coordinates back to WGS-84 lon/lat.
func unproject(w wpt) orb.Point {
	n := math.Pi - 2*math.Pi*w[1]
	return orb.Point{w[0]*360 - 180, 180 / math.Pi * math.Atan(math.Sinh(n))}
}

// worldScale is the number of tile units across the world at zoom z.
func worldScale(z uint32) float64 { return float64(uint64(Extent) << z) }

// wbound is an axis-aligned box in world coordinates.
type wbound struct{ min, max wpt }

// projectBound returns the world box of a lon/lat bound.
func projectBound(b orb.Bound) wbound {
	lo, hi := project(orb.Point{b.Min[0], b.Max[1]}), project(orb.Point{b.Max[0], b.Min[1]})
	return wbound{lo, hi}
}

// extend grows the box to hold p.
func (b *wbound) extend(p wpt) {
	b.min[0], b.min[1] = math.Min(b.min[0], p[0]), math.Min(b.min[1], p[1])
	b.max[0], b.max[1] = math.Max(b.max[0], p[0]), math.Max(b.max[1], p[1])
}

// emptyBound returns a box that holds nothing and grows with extend.
func emptyBound() wbound {
	return wbound{wpt{math.Inf(1), math.Inf(1)}, wpt{math.Inf(-1), math.Inf(-1)}}
}

// tileBound returns the world box of tile k grown by buffer tile units.
func tileBound(k Key, buffer float64) wbound {
	s := worldScale(k.Z)
	x0, y0 := float64(k.X)*Extent, float64(k.Y)*Extent
	return wbound{
		wpt{(x0 - buffer) / s, (y0 - buffer) / s},
		wpt{(x0 + Extent + buffer) / s, (y0 + Extent + buffer) / s},
	}
}
