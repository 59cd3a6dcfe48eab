package tiles

import (
	"math"

	"github.com/gridmap/gridmap/geo/planar"
)

// snap rounds a scaled world coordinate to the integer grid of a level.
func snap(v float64) int32 { return int32(math.Floor(v + 0.5)) }

// simplifyArc simplifies arc (world coordinates) at scale tile units per
// world unit with Douglas-Peucker at tolerance tol (tile units), keeping
// both endpoints, snaps the kept vertices to integers and appends them as
// x, y pairs to dst without repeated vertices. A closed arc keeps its
// first vertex and the vertex farthest from it as fixed points. A
// tolerance of 0 keeps every vertex.
func simplifyArc(dst []int32, arc []wpt, scale, tol float64, keep []bool) ([]int32, []bool) {
	n := len(arc)
	keep = resetBools(keep, n)
	keep[0], keep[n-1] = true, true
	if tol <= 0 {
		for i := range keep {
			keep[i] = true
		}
	} else if arc[0] == arc[n-1] && n > 3 {
		far := farthest(arc, 0)
		keep[far] = true
		planar.DouglasPeucker(arc, 0, far, scale, tol*tol, keep)
		planar.DouglasPeucker(arc, far, n-1, scale, tol*tol, keep)
	} else {
		planar.DouglasPeucker(arc, 0, n-1, scale, tol*tol, keep)
	}
	start := len(dst)
	for i, p := range arc {
		if !keep[i] {
			continue
		}
		x, y := snap(p[0]*scale), snap(p[1]*scale)
		if len(dst) > start && dst[len(dst)-2] == x && dst[len(dst)-1] == y {
			continue
		}
		dst = append(dst, x, y)
	}
	return dst, keep
}

func resetBools(b []bool, n int) []bool {
	if cap(b) < n {
		return make([]bool, n)
	}
	b = b[:n]
	clear(b)
	return b
}

// farthest returns the index of the vertex of arc farthest from arc[from].
func farthest(arc []wpt, from int) int {
	best, bestD := from, -1.0
	for i, p := range arc {
		dx, dy := p[0]-arc[from][0], p[1]-arc[from][1]
		if d := dx*dx + dy*dy; d > bestD {
			best, bestD = i, d
		}
	}
	return best
}
