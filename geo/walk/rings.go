package walk

import (
	"math"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// assemble keeps the rings worth drawing and builds the polygons: a hole
// smaller than MinHoleAreaMeters2 is filled (with whatever lies inside it),
// an outer ring smaller than MinIslandAreaMeters2 is dropped. Both rules
// are monotone in area, so bands keep nesting.
func (c *circleScratch) assemble(f field, o CircleOptions, pr projection) orb.MultiPolygon {
	cell2 := f.cell * f.cell
	if cap(c.keep) < len(c.rings) {
		c.keep = make([]bool, len(c.rings))
	}
	keep := c.keep[:len(c.rings)]
	var mp orb.MultiPolygon
	polyOf := make(map[int]int) // outer ring -> polygon index
	for k, r := range c.rings {
		parentKept := r.parent < 0 || keep[r.parent]
		area := math.Abs(r.area) * cell2
		if r.area > 0 { // outer
			keep[k] = parentKept && area >= o.MinIslandAreaMeters2
			if keep[k] {
				polyOf[k] = len(mp)
				mp = append(mp, orb.Polygon{c.ringOut(r, f, o, pr)})
			}
			continue
		}
		keep[k] = parentKept && r.parent >= 0 && area >= o.MinHoleAreaMeters2
		if keep[k] {
			pi := polyOf[r.parent]
			mp[pi] = append(mp[pi], c.ringOut(r, f, o, pr))
		}
	}
	return mp
}

// ringOut simplifies a ring and converts it to a closed orb.Ring in WGS-84.
func (c *circleScratch) ringOut(r rawRing, f field, o CircleOptions, pr projection) orb.Ring {
	xy := c.xy[2*r.off : 2*(r.off+r.n)]
	kept := simplifyRing(xy, o.SimplifyMeters/f.cell)
	out := make(orb.Ring, 0, len(kept)+1)
	for _, i := range kept {
		out = append(out, pr.inverse((float64(f.i0)+xy[2*i])*f.cell, (float64(f.j0)+xy[2*i+1])*f.cell))
	}
	return append(out, out[0])
}

// simplifyRing returns the indices of the vertices Douglas-Peucker keeps
// at tolerance tol (lattice units), anchored at vertex 0 and the vertex
// farthest from it. A non-positive tol keeps every vertex.
func simplifyRing(xy []float64, tol float64) []int {
	n := len(xy) / 2
	all := func() []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	if tol <= 0 || n < 5 {
		return all()
	}
	far, farD := 0, -1.0
	for i := 1; i < n; i++ {
		dx, dy := xy[2*i]-xy[0], xy[2*i+1]-xy[1]
		if d := dx*dx + dy*dy; d > farD {
			far, farD = i, d
		}
	}
	pts := make([][2]float64, n+1) // pts[n] is vertex 0 again, closing the ring
	for i := range pts {
		j := i % n
		pts[i] = [2]float64{xy[2*j], xy[2*j+1]}
	}
	keep := make([]bool, n+1)
	keep[0], keep[far], keep[n] = true, true, true
	planar.DouglasPeucker(pts, 0, far, 1, tol*tol, keep)
	planar.DouglasPeucker(pts, far, n, 1, tol*tol, keep)
	out := make([]int, 0, n/4+4)
	for i := 0; i < n; i++ {
		if keep[i] {
			out = append(out, i)
		}
	}
	if len(out) < 3 {
		return all()
	}
	return out
}
