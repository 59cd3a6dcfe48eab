package planar

// DouglasPeucker marks in keep the vertices of pts[first:last+1] that the
// Douglas-Peucker algorithm keeps at squared tolerance tol2, measuring
// with coordinates multiplied by scale (1 to measure them as they are);
// it leaves keep[first] and keep[last] as they are. It uses an explicit
// stack, so long lines cannot overflow the call stack. The tile
// generaliser (tiles) and the walking circles' rings (geo/walk) both
// simplify with it.
func DouglasPeucker[P ~[2]float64](pts []P, first, last int, scale, tol2 float64, keep []bool) {
	type span struct{ a, b int }
	stack := []span{{first, last}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if s.b-s.a < 2 {
			continue
		}
		ax, ay := pts[s.a][0]*scale, pts[s.a][1]*scale
		bx, by := pts[s.b][0]*scale, pts[s.b][1]*scale
		best, bestD := -1, tol2
		for i := s.a + 1; i < s.b; i++ {
			if d := SegDist2XY(pts[i][0]*scale, pts[i][1]*scale, ax, ay, bx, by); d > bestD {
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

// SegDist2XY returns the squared distance from (px, py) to the segment
// from (ax, ay) to (bx, by), through the foot of the perpendicular
// clamped to the segment (SegDist2 measures orb points through the cross
// product instead; the two differ in the last bits, and the tiles'
// golden output is drawn with this one).
func SegDist2XY(px, py, ax, ay, bx, by float64) float64 {
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
