package address

import (
	"math"

	"github.com/gridmap/gridmap/geo"
)

// A pointGrid files building entrances in the square cells of a uniform
// grid over their bounds (four cells per building: buildings cluster, and
// small cells keep a town centre's cells short), each cell's buildings a
// run of one slice, so that the nearest entrance is found by visiting
// rings of cells outwards. It costs about 20 bytes per building where an
// R-tree of points cost about 95, and answers about twice as fast. Coordinates are the index's scaled ones
// (longitude times the cosine of the mean latitude, latitude), in which
// plane distances rank like ground distances.
type pointGrid struct {
	minX, minY float64
	cell       float64 // side of a cell
	nx, ny     int
	start      []int32 // cell k holds idx[start[k]:start[k+1]]
	idx        []int32 // building indexes by cell, ascending within a cell
}

// maxGridSide bounds the cells along each axis.
const maxGridSide = 4096

// newPointGrid files the points ps (scaled) of buildings 0..len(ps)-1.
func newPointGrid(ps [][2]float64) *pointGrid {
	g := &pointGrid{}
	if len(ps) == 0 {
		return g
	}
	minX, minY, maxX, maxY := ps[0][0], ps[0][1], ps[0][0], ps[0][1]
	for _, p := range ps {
		minX, maxX = min(minX, p[0]), max(maxX, p[0])
		minY, maxY = min(minY, p[1]), max(maxY, p[1])
	}
	w, h := maxX-minX, maxY-minY
	cell := math.Sqrt(w * h * 0.25 / float64(len(ps)))
	cell = max(cell, w/maxGridSide, h/maxGridSide, 1e-9)
	g.minX, g.minY, g.cell = minX, minY, cell
	g.nx, g.ny = int(w/cell)+1, int(h/cell)+1
	g.start = make([]int32, g.nx*g.ny+1)
	cells := make([]int32, len(ps))
	for i, p := range ps {
		k := g.cellOf(p)
		cells[i] = int32(k)
		g.start[k+1]++
	}
	for k := 1; k < len(g.start); k++ {
		g.start[k] += g.start[k-1]
	}
	g.idx = make([]int32, len(ps))
	fill := append([]int32(nil), g.start[:len(g.start)-1]...)
	for i, k := range cells {
		g.idx[fill[k]] = int32(i)
		fill[k]++
	}
	return g
}

// cellOf returns the index of the cell holding p, clamped to the grid.
func (g *pointGrid) cellOf(p [2]float64) int {
	i, j := g.axis(p[0], g.minX, g.nx), g.axis(p[1], g.minY, g.ny)
	return j*g.nx + i
}

// axis returns the cell column (or row) of coordinate v, clamped to
// [0, n).
func (g *pointGrid) axis(v, lo float64, n int) int {
	f := math.Floor((v - lo) / g.cell)
	switch {
	case !(f >= 0):
		return 0
	case f >= float64(n):
		return n - 1
	}
	return int(f)
}

// nearest returns the building whose point (at(i), scaled) is nearest q
// in the plane, the lowest index among equally near ones, and -1 for an
// empty grid or a q that is not finite. Every cell of ring r around q's
// cell (clamped to the grid) lies at least (r-1) cells from q, so rings
// are visited until that bound passes the nearest point found.
func (g *pointGrid) nearest(q [2]float64, at func(int32) [2]float64) int32 {
	if len(g.idx) == 0 || math.IsNaN(q[0]) || math.IsNaN(q[1]) || math.IsInf(q[0], 0) || math.IsInf(q[1], 0) {
		return -1
	}
	cx, cy := g.axis(q[0], g.minX, g.nx), g.axis(q[1], g.minY, g.ny)
	best, bestD := int32(-1), math.Inf(1)
	visit := func(i, j int) {
		k := j*g.nx + i
		for _, b := range g.idx[g.start[k]:g.start[k+1]] {
			p := at(b)
			dx, dy := p[0]-q[0], p[1]-q[1]
			if d := dx*dx + dy*dy; d < bestD || (d == bestD && b < best) {
				best, bestD = b, d
			}
		}
	}
	for r := 0; r <= max(g.nx, g.ny); r++ {
		if lb := float64(r-1) * g.cell; best >= 0 && lb > 0 && lb*lb > bestD {
			break
		}
		g.ring(cx, cy, r, visit)
	}
	return best
}

// ring calls visit with every cell of the grid at Chebyshev distance r
// from cell (cx, cy).
func (g *pointGrid) ring(cx, cy, r int, visit func(i, j int)) {
	if r == 0 {
		visit(cx, cy)
		return
	}
	i0, i1 := max(cx-r, 0), min(cx+r, g.nx-1)
	for _, j := range [2]int{cy - r, cy + r} {
		if j >= 0 && j < g.ny {
			for i := i0; i <= i1; i++ {
				visit(i, j)
			}
		}
	}
	j0, j1 := max(cy-r+1, 0), min(cy+r-1, g.ny-1)
	for _, i := range [2]int{cx - r, cx + r} {
		if i >= 0 && i < g.nx {
			for j := j0; j <= j1; j++ {
				visit(i, j)
			}
		}
	}
}

// scaledPoints returns the scaled entrances of bs.
func (x *Index) scaledPoints(bs []*geo.Building) [][2]float64 {
	ps := make([][2]float64, len(bs))
	for i, b := range bs {
		ps[i] = x.scaled(b.Point)
	}
	return ps
}
