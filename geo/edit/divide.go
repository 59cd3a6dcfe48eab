package edit

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// divideAmong divides area among the neighbours in into: each polygon is
// triangulated without new vertices, the triangles along a neighbour's
// shared boundary go to it, and the rest spread breadth-first across
// triangle adjacency from those seeds, so each share is connected to its
// neighbour. A polygon with holes, or one no neighbour borders, goes
// whole to the neighbour sharing the longest boundary with it (the first
// named when none does). It returns the pieces for each neighbour.
func divideAmong(area orb.MultiPolygon, into []*geo.Grid, lat0 float64) [][]orb.MultiPolygon {
	shares := make([][]orb.MultiPolygon, len(into))
	for _, poly := range area {
		tris := triangulate(poly)
		group := seedTriangles(tris, into)
		if tris == nil || !spread(tris, group) {
			best, bestLen := 0, 0.0
			for i, n := range into {
				if l := sharedLengthM(orb.MultiPolygon{poly}, n.Geometry, lat0); l > bestLen {
					best, bestLen = i, l
				}
			}
			shares[best] = append(shares[best], orb.MultiPolygon{poly})
			continue
		}
		for k, t := range tris {
			ring := orb.Ring{t[0], t[1], t[2], t[0]}
			shares[group[k]] = append(shares[group[k]], orb.MultiPolygon{{ring}})
		}
	}
	return shares
}

// triangulate returns ear-clipping triangles of a polygon without holes,
// using only its vertices, or nil when it has holes or clipping stalls.
func triangulate(poly orb.Polygon) [][3]orb.Point {
	if len(poly) != 1 || len(poly[0]) < 4 {
		return nil
	}
	vs := append([]orb.Point(nil), poly[0][:len(poly[0])-1]...)
	if ringArea2(poly[0]) < 0 {
		for i, j := 0, len(vs)-1; i < j; i, j = i+1, j-1 {
			vs[i], vs[j] = vs[j], vs[i]
		}
	}
	var tris [][3]orb.Point
	for len(vs) > 3 {
		i := findEar(vs)
		if i < 0 {
			i = findFlat(vs)
			if i < 0 {
				return nil
			}
			vs = append(vs[:i], vs[i+1:]...)
			continue
		}
		n := len(vs)
		tris = append(tris, [3]orb.Point{vs[(i+n-1)%n], vs[i], vs[(i+1)%n]})
		vs = append(vs[:i], vs[i+1:]...)
	}
	if cross3(vs[0], vs[1], vs[2]) > 0 {
		tris = append(tris, [3]orb.Point{vs[0], vs[1], vs[2]})
	}
	return tris
}

// cross3 returns the orientation determinant of a, b, c (positive when
// they turn left).
func cross3(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// findEar returns the index of a convex vertex whose triangle holds no
// other vertex, or -1.
func findEar(vs []orb.Point) int {
	n := len(vs)
	for i := range n {
		a, b, c := vs[(i+n-1)%n], vs[i], vs[(i+1)%n]
		if cross3(a, b, c) <= 0 {
			continue
		}
		ear := true
		for _, q := range vs {
			if q == a || q == b || q == c {
				continue
			}
			if cross3(a, b, q) >= 0 && cross3(b, c, q) >= 0 && cross3(c, a, q) >= 0 {
				ear = false
				break
			}
		}
		if ear {
			return i
		}
	}
	return -1
}

// findFlat returns the index of a vertex where the ring runs straight on.
func findFlat(vs []orb.Point) int {
	n := len(vs)
	for i := range n {
		if cross3(vs[(i+n-1)%n], vs[i], vs[(i+1)%n]) == 0 {
			return i
		}
	}
	return -1
}

// seedTriangles assigns each triangle with an edge on a neighbour's
// boundary to that neighbour (the one sharing the longest such edge);
// the others get -1.
func seedTriangles(tris [][3]orb.Point, into []*geo.Grid) []int {
	group := make([]int, len(tris))
	for k, t := range tris {
		group[k] = -1
		bestLen := 0.0
		for e := range 3 {
			a, b := t[e], t[(e+1)%3]
			m := orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}
			for i, n := range into {
				on := false
				forEdges(n.Geometry, func(c, d orb.Point) {
					on = on || segDist2(m, c, d) <= stitchEps*stitchEps
				})
				if l := dist2(a, b); on && l > bestLen {
					group[k], bestLen = i, l
				}
			}
		}
	}
	return group
}

// spread assigns unseeded triangles breadth-first from the seeded ones
// across shared triangle edges. It reports false when nothing was seeded.
func spread(tris [][3]orb.Point, group []int) bool {
	type edge [2]orb.Point
	key := func(a, b orb.Point) edge {
		if a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]) {
			return edge{a, b}
		}
		return edge{b, a}
	}
	byEdge := map[edge][]int{}
	var queue []int
	for k, t := range tris {
		for e := range 3 {
			ek := key(t[e], t[(e+1)%3])
			byEdge[ek] = append(byEdge[ek], k)
		}
		if group[k] >= 0 {
			queue = append(queue, k)
		}
	}
	if len(queue) == 0 {
		return false
	}
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		t := tris[k]
		for e := range 3 {
			for _, j := range byEdge[key(t[e], t[(e+1)%3])] {
				if group[j] < 0 {
					group[j] = group[k]
					queue = append(queue, j)
				}
			}
		}
	}
	for k := range group {
		if group[k] < 0 {
			group[k] = 0
		}
	}
	return true
}
