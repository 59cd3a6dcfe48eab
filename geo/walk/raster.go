package walk

import (
	"math"
)

// A circleScratch holds the working memory of one circle drawing.
type circleScratch struct {
	pieces []piece
	field  []float32
	next   []int32 // marching squares: crossing -> next crossing on its ring
	starts []int32
	rings  []rawRing
	xy     []float64 // all rings' coordinates
	keep   []bool
	proj   projection
}

// A field is the raster a circle is contoured from: values at lattice
// points (i, j), i < w, j < h, at projected (i0+i, j0+j)*cell meters.
type field struct {
	v      []float32
	w, h   int
	i0, j0 int
	cell   float64
}

func (n *Network) circleScratch() *circleScratch {
	select {
	case c := <-n.circles:
		return c
	default:
		return &circleScratch{}
	}
}

func (n *Network) putCircleScratch(c *circleScratch) {
	select {
	case n.circles <- c:
	default:
	}
}

// rasterize fills the field: at each lattice point c, the least over pieces
// of d(q) + slope*max(0, |q-c| - buffer), where q is the point of the piece
// nearest c and d(q) the network distance there. The region where the field
// is at most L is the band L; since the field does not depend on L, bands
// nest. The lattice is anchored at the projection's origin, so it does not
// move with the reach.
func (c *circleScratch) rasterize(o CircleOptions, top float64) field {
	reach := o.BufferMeters + top/o.TaperSlope
	minx, miny := math.Inf(1), math.Inf(1)
	maxx, maxy := math.Inf(-1), math.Inf(-1)
	for _, p := range c.pieces {
		minx, maxx = math.Min(minx, math.Min(p.x1, p.x2)), math.Max(maxx, math.Max(p.x1, p.x2))
		miny, maxy = math.Min(miny, math.Min(p.y1, p.y2)), math.Max(maxy, math.Max(p.y1, p.y2))
	}
	cell := o.CellMeters
	for {
		w := (maxx-minx+2*reach)/cell + 6
		h := (maxy-miny+2*reach)/cell + 6
		if w*h <= float64(o.MaxCells) || len(c.pieces) == 0 {
			break
		}
		cell *= 1.5
	}
	f := field{cell: cell}
	if len(c.pieces) == 0 {
		return f
	}
	pad := reach + 3*cell
	f.i0 = int(math.Floor((minx - pad) / cell))
	f.j0 = int(math.Floor((miny - pad) / cell))
	f.w = int(math.Ceil((maxx+pad)/cell)) - f.i0 + 1
	f.h = int(math.Ceil((maxy+pad)/cell)) - f.j0 + 1
	if cap(c.field) < f.w*f.h {
		c.field = make([]float32, f.w*f.h)
	}
	f.v = c.field[:f.w*f.h]
	outside := float32(top*4 + 1e6)
	for i := range f.v {
		f.v[i] = outside
	}
	for _, p := range c.pieces {
		f.stamp(p, o, top)
	}
	return f
}

// stamp lowers the field around one piece, visiting the lattice points
// of its bounding box grown by its reach and skipping those it cannot
// improve.
func (f *field) stamp(p piece, o CircleOptions, top float64) {
	slope, buf := o.TaperSlope, o.BufferMeters
	r := buf + (top-min(p.d1, p.d2))/slope + 1.5*f.cell
	if r <= 0 {
		return
	}
	lo := func(v float64) int { return int(math.Ceil((v - r) / f.cell)) }
	hi := func(v float64) int { return int(math.Floor((v + r) / f.cell)) }
	ia, ib := max(lo(min(p.x1, p.x2))-f.i0, 0), min(hi(max(p.x1, p.x2))-f.i0, f.w-1)
	ja, jb := max(lo(min(p.y1, p.y2))-f.j0, 0), min(hi(max(p.y1, p.y2))-f.j0, f.h-1)
	dx, dy, dd := p.x2-p.x1, p.y2-p.y1, p.d2-p.d1
	l2 := dx*dx + dy*dy
	tstep := 0.0
	if l2 > 0 {
		tstep = dx * f.cell / l2
	}
	r2, buf2 := r*r, buf*buf
	for j := ja; j <= jb; j++ {
		y := float64(f.j0+j) * f.cell
		row := f.v[j*f.w : (j+1)*f.w]
		x := float64(f.i0+ia) * f.cell
		t := 0.0
		if l2 > 0 {
			t = ((x-p.x1)*dx + (y-p.y1)*dy) / l2
		}
		for i := ia; i <= ib; i, x, t = i+1, x+f.cell, t+tstep {
			tc := min(max(t, 0), 1)
			v := p.d1 + tc*dd
			if float32(v) >= row[i] {
				continue
			}
			ex, ey := p.x1+tc*dx-x, p.y1+tc*dy-y
			d2 := ex*ex + ey*ey
			if d2 > r2 {
				continue
			}
			if d2 > buf2 {
				v += slope * (math.Sqrt(d2) - buf)
			}
			if fv := float32(v); fv < row[i] {
				row[i] = fv
			}
		}
	}
}
