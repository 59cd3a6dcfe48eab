package tiles

import "math"

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
		douglasPeucker(arc, 0, far, scale, tol*tol, keep)
		douglasPeucker(arc, far, n-1, scale, tol*tol, keep)
	} else {
		douglasPeucker(arc, 0, n-1, scale, tol*tol, keep)
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

// douglasPeucker marks in keep the vertices of arc[first:last+1] that the
// Douglas-Peucker algorithm keeps at squared tolerance tol2 (tile units²).
// It uses an explicit stack so long arcs cannot overflow the call stack.
func douglasPeucker(arc []wpt, first, last int, scale, tol2 float64, keep []bool) {
	type span struct{ a, b int }
	stack := []span{{first, last}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		ax, ay := arc[s.a][0]*scale, arc[s.a][1]*scale
		bx, by := arc[s.b][0]*scale, arc[s.b][1]*scale
		best, bestD := -1, tol2
		for i := s.a + 1; i < s.b; i++ {
			if d := segDist2(arc[i][0]*scale, arc[i][1]*scale, ax, ay, bx, by); d > bestD {
				best, bestD = i, d
			}
		}
		if best < 0 {
			continue
		}
		keep[best] = true
		stack = append(stack, span{s.a, best}, span{best, s.b})
	}
}

// segDist2 returns the squared distance from (px, py) to the segment from
// (ax, ay) to (bx, by).
func segDist2(px, py, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	if dx != 0 || dy != 0 {
		t := ((px-ax)*dx + (py-ay)*dy) / (dx*dx + dy*dy)
		switch {
		case t > 1:
			ax, ay = bx, by
		case t > 0:
			ax, ay = ax+t*dx, ay+t*dy
		}
	}
	dx, dy = px-ax, py-ay
	return dx*dx + dy*dy
}
