package shapefile

import (
	"sort"

	"github.com/paulmach/orb"
)

// assemblePolygons groups the parts of a polygon record into polygons the
// way GDAL's Shapefile driver does (OGRGeometryFactory::organizePolygons
// with METHOD=ONLY_CCW): a record of one part is a polygon whatever its
// winding; otherwise clockwise rings (negative signed area with y up) are
// shells and counter-clockwise rings are holes, each hole given to the
// smallest shell that contains it. A hole that no shell contains becomes a
// polygon of its own. Zero-area rings count as shells. Polygons come out in
// the file order of their shells, holes in file order; the result is an
// orb.Polygon when there is one polygon, an orb.MultiPolygon otherwise,
// or nil when every part is empty.
func assemblePolygons(parts [][]orb.Point) orb.Geometry {
	rings := make([]orb.Ring, 0, len(parts))
	for _, p := range parts {
		if len(p) > 0 {
			rings = append(rings, orb.Ring(p))
		}
	}
	switch len(rings) {
	case 0:
		return nil
	case 1:
		return orb.Polygon{rings[0]}
	}
	type shell struct {
		index int
		area  float64
		bound orb.Bound
		poly  orb.Polygon
	}
	var shells []*shell
	var holes []int
	for i, r := range rings {
		if a := signedArea(r); a <= 0 {
			shells = append(shells, &shell{index: i, area: -a, bound: r.Bound(), poly: orb.Polygon{r}})
		} else {
			holes = append(holes, i)
		}
	}
	// Smallest shells first, so the first container found is the tightest.
	bySize := append([]*shell(nil), shells...)
	sort.SliceStable(bySize, func(i, j int) bool { return bySize[i].area < bySize[j].area })
	for _, h := range holes {
		r := rings[h]
		b := r.Bound()
		var owner *shell
		for _, s := range bySize {
			if s.bound.Contains(b.Min) && s.bound.Contains(b.Max) && ringInside(r, s.poly[0]) {
				owner = s
				break
			}
		}
		if owner == nil {
			shells = append(shells, &shell{index: h, poly: orb.Polygon{r}})
			continue
		}
		owner.poly = append(owner.poly, r)
	}
	sort.SliceStable(shells, func(i, j int) bool { return shells[i].index < shells[j].index })
	if len(shells) == 1 {
		return shells[0].poly
	}
	mp := make(orb.MultiPolygon, len(shells))
	for i, s := range shells {
		mp[i] = s.poly
	}
	return mp
}

// signedArea is the shoelace area of r, positive when counter-clockwise
// with y up; an unclosed ring is taken as closed.
func signedArea(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	var s float64
	x0, y0 := r[0][0], r[0][1]
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	return s / 2
}

// ringInside reports whether hole lies inside shell, judged by its first
// vertex that is not on shell's boundary (a hole touching its shell at
// some vertices is still inside). A hole lying wholly on the boundary
// counts as inside.
func ringInside(hole, shell orb.Ring) bool {
	for _, p := range hole {
		switch pointInRing(p, shell) {
		case 1:
			return true
		case -1:
			return false
		}
	}
	return true
}

// pointInRing returns 1 when p is inside r, -1 outside, 0 on its boundary
// (even-odd rule, ring taken as closed).
func pointInRing(p orb.Point, r orb.Ring) int {
	in := false
	n := len(r)
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		a, b := r[j], r[i]
		if onSegment(p, a, b) {
			return 0
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	if in {
		return 1
	}
	return -1
}

// onSegment reports whether p lies exactly on segment ab.
func onSegment(p, a, b orb.Point) bool {
	cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	if cross != 0 {
		return false
	}
	return min(a[0], b[0]) <= p[0] && p[0] <= max(a[0], b[0]) &&
		min(a[1], b[1]) <= p[1] && p[1] <= max(a[1], b[1])
}
