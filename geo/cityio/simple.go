package cityio

import (
	"math"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// simpleEps is the margin (degrees, about 1 µm) by which the fast ring
// check wants edges apart before it trusts that they do not touch.
const simpleEps = 1e-11

// ringClearlySimple reports whether a closed ring is certainly simple:
// no zero-length edge, adjacent edges meeting only at their shared vertex
// (no spike), and every two other edges apart by a margin. It is a fast
// path for the common single-ring polygon: false means only "not proven",
// and the caller then asks simplefeatures, which stays the authority.
func ringClearlySimple(r orb.Ring) bool {
	n := len(r) - 1 // edges
	if n < 3 {
		return false
	}
	for i := range n {
		if r[i] == r[i+1] {
			return false
		}
	}
	for i := range n {
		a, b, c := r[i], r[i+1], r[(i+2)%n]
		if i == n-1 {
			c = r[1]
		}
		if planar.Backtracks(a, b, c) {
			return false
		}
	}
	return edgesApart(r, n)
}

// edgesApart checks every two non-adjacent edges of a closed ring of n
// edges with clearlyApart. Edges are bucketed into a uniform grid of
// about n cells, and only edges sharing a cell are compared.
func edgesApart(r orb.Ring, n int) bool {
	b := r.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	if !(w > 0 && h > 0) {
		return false
	}
	size := math.Sqrt(w * h / float64(n))
	nx, ny := int(min(w/size, 256))+1, int(min(h/size, 256))+1
	cell := func(p orb.Point) (int, int) {
		return min(int((p[0]-b.Min[0])/w*float64(nx)), nx-1), min(int((p[1]-b.Min[1])/h*float64(ny)), ny-1)
	}
	start := make([]int32, nx*ny+1)
	total := 0
	visit := func(i int, fn func(c int)) {
		x0, y0 := cell(r[i])
		x1, y1 := cell(r[i+1])
		for x := min(x0, x1); x <= max(x0, x1); x++ {
			for y := min(y0, y1); y <= max(y0, y1); y++ {
				fn(y*nx + x)
			}
		}
	}
	for i := range n {
		visit(i, func(c int) { start[c+1]++; total++ })
		if total > 32*n {
			return false // long diagonal edges: not worth it, ask simplefeatures
		}
	}
	for c := 1; c < len(start); c++ {
		start[c] += start[c-1]
	}
	ids := make([]int32, total)
	fill := append([]int32(nil), start[:nx*ny]...)
	for i := range n {
		visit(i, func(c int) { ids[fill[c]] = int32(i); fill[c]++ })
	}
	for c := range nx * ny {
		in := ids[start[c]:start[c+1]]
		for x, i := range in {
			for _, j := range in[x+1:] {
				lo, hi := min(i, j), max(i, j)
				if hi == lo+1 || (lo == 0 && int(hi) == n-1) {
					continue // adjacent edges
				}
				if !clearlyApart(newSeg(r[lo], r[lo+1]), newSeg(r[hi], r[hi+1])) {
					return false
				}
			}
		}
	}
	return true
}

// clearlyApart reports whether two segments certainly do not meet: their
// boxes are apart, or both ends of one lie strictly on one side of the
// other's line, by a margin of simpleEps.
func clearlyApart(p, q seg) bool {
	if max(p.a[0], p.b[0])+simpleEps < min(q.a[0], q.b[0]) || max(q.a[0], q.b[0])+simpleEps < min(p.a[0], p.b[0]) ||
		max(p.a[1], p.b[1])+simpleEps < min(q.a[1], q.b[1]) || max(q.a[1], q.b[1])+simpleEps < min(p.a[1], p.b[1]) {
		return true
	}
	return oneSide(p, q) || oneSide(q, p)
}

// oneSide reports whether both ends of q lie on the same side of p's
// line, farther than simpleEps from it.
func oneSide(p, q seg) bool {
	dx, dy := p.b[0]-p.a[0], p.b[1]-p.a[1]
	tol2 := simpleEps * simpleEps * (dx*dx + dy*dy)
	d1 := dx*(q.a[1]-p.a[1]) - dy*(q.a[0]-p.a[0])
	d2 := dx*(q.b[1]-p.a[1]) - dy*(q.b[0]-p.a[0])
	return d1*d1 > tol2 && d2*d2 > tol2 && (d1 > 0) == (d2 > 0)
}
