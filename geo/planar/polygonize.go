package planar

import (
	"math"

	"github.com/paulmach/orb"
)

// Polygonize returns the bounded faces formed by noded segments, with
// holes, as counter-clockwise shells and clockwise holes. Dangling
// segments (those on no cycle) are dropped.
func Polygonize(segs [][2]orb.Point) []orb.Polygon {
	g := NewGraph(len(segs))
	for _, s := range segs {
		g.AddEdge(s[0], s[1])
	}
	g.PruneDangles()
	rings, _ := g.Faces()
	var shells, holes []orb.Ring
	for _, r := range rings {
		switch a := RingArea2(r); {
		case a > 0:
			shells = append(shells, r)
		case a < 0:
			holes = append(holes, r)
		}
	}
	return AssignHoles(shells, holes)
}

// AssignHoles puts each clockwise ring into the smallest shell around it.
// A clockwise ring is the outside of a connected part of the graph; the
// probe point just left of one of its edges lies in the face around it.
func AssignHoles(shells, holes []orb.Ring) []orb.Polygon {
	polys := make([]orb.Polygon, len(shells))
	areas := make([]float64, len(shells))
	bounds := make([]orb.Bound, len(shells))
	for i, s := range shells {
		polys[i] = orb.Polygon{s}
		areas[i] = RingArea2(s)
		bounds[i] = s.Bound()
	}
	for _, h := range holes {
		probe := LeftProbe(h)
		best := -1
		for i, s := range shells {
			if (best < 0 || areas[i] < areas[best]) && bounds[i].Contains(probe) && RingContains(s, probe) {
				best = i
			}
		}
		if best >= 0 {
			polys[best] = append(polys[best], h)
		}
	}
	return polys
}

// LeftProbe returns a point just left of the midpoint of r's longest edge.
func LeftProbe(r orb.Ring) orb.Point {
	bi, bl := 0, -1.0
	for i := 0; i+1 < len(r); i++ {
		if l := Dist2(r[i], r[i+1]); l > bl {
			bi, bl = i, l
		}
	}
	a, b := r[bi], r[bi+1]
	l := math.Sqrt(bl)
	off := min(l/1000, 1e-9)
	return orb.Point{(a[0]+b[0])/2 - (b[1]-a[1])/l*off, (a[1]+b[1])/2 + (b[0]-a[0])/l*off}
}

// RingContains reports whether p lies inside the closed ring r by the
// crossing-number rule (points on the boundary may go either way).
func RingContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])/(b[1]-a[1])*(b[0]-a[0])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in
}

// MPContains reports whether p lies inside mp by the crossing-number rule
// over all its rings.
func MPContains(mp orb.MultiPolygon, p orb.Point) bool {
	in := false
	for _, poly := range mp {
		for _, r := range poly {
			if RingContains(r, p) {
				in = !in
			}
		}
	}
	return in
}
