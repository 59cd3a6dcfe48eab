package tiles

import (
	"math"

	"github.com/gridmap/gridmap/geo/planar"
)

// A labelCell is a square cell of the polylabel search.
type labelCell struct {
	x, y, h float64 // centre and half size
	d       float64 // signed distance from the centre to the polygon (> 0 inside)
	max     float64 // best distance any point of the cell can reach
}

// A cellQueue is a binary max-heap of cells by their max.
type cellQueue []labelCell

func (q *cellQueue) push(c labelCell) {
	*q = append(*q, c)
	h := *q
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if h[p].max >= h[i].max {
			break
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func (q *cellQueue) pop() labelCell {
	h := *q
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	for i := 0; ; {
		l, r, big := 2*i+1, 2*i+2, i
		if l < len(h) && h[l].max > h[big].max {
			big = l
		}
		if r < len(h) && h[r].max > h[big].max {
			big = r
		}
		if big == i {
			break
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
	*q = h
	return top
}

// polylabel returns the pole of inaccessibility of a polygon (exterior
// ring then holes, open rings): the interior point farthest from its
// boundary, to within precision (in the polygon's units). Unlike a
// centroid it always lies inside. This is Mapbox's polylabel algorithm.
func polylabel(poly [][]wpt, precision float64) wpt {
	b := emptyBound()
	for _, p := range poly[0] {
		b.extend(p)
	}
	w, h := b.max[0]-b.min[0], b.max[1]-b.min[1]
	size := math.Min(w, h)
	if size == 0 {
		return poly[0][0]
	}
	newCell := func(x, y, h float64) labelCell {
		d := polygonDist(x, y, poly)
		return labelCell{x: x, y: y, h: h, d: d, max: d + h*math.Sqrt2}
	}
	var q cellQueue
	for x := b.min[0]; x < b.max[0]; x += size {
		for y := b.min[1]; y < b.max[1]; y += size {
			q.push(newCell(x+size/2, y+size/2, size/2))
		}
	}
	cx, cy := ringCentroid(poly[0])
	best := newCell(cx, cy, 0)
	if c := newCell(b.min[0]+w/2, b.min[1]+h/2, 0); c.d > best.d {
		best = c
	}
	for len(q) > 0 {
		c := q.pop()
		if c.d > best.d {
			best = c
		}
		if c.max-best.d <= precision {
			continue
		}
		hh := c.h / 2
		q.push(newCell(c.x-hh, c.y-hh, hh))
		q.push(newCell(c.x+hh, c.y-hh, hh))
		q.push(newCell(c.x-hh, c.y+hh, hh))
		q.push(newCell(c.x+hh, c.y+hh, hh))
	}
	return wpt{best.x, best.y}
}

// ringCentroid returns the area centroid of an open ring, or its first
// vertex when the area is zero.
func ringCentroid(r []wpt) (float64, float64) {
	var a, x, y float64
	for i := range r {
		p, q := r[i], r[(i+1)%len(r)]
		f := p[0]*q[1] - q[0]*p[1]
		x += (p[0] + q[0]) * f
		y += (p[1] + q[1]) * f
		a += f * 3
	}
	if a == 0 {
		return r[0][0], r[0][1]
	}
	return x / a, y / a
}

// polygonDist returns the distance from (x, y) to the polygon's boundary,
// positive inside the polygon and negative outside (even-odd rule).
func polygonDist(x, y float64, poly [][]wpt) float64 {
	inside := false
	minD := math.Inf(1)
	for _, ring := range poly {
		n := len(ring)
		for i, j := 0, n-1; i < n; j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				inside = !inside
			}
			if d := planar.SegDist2XY(x, y, a[0], a[1], b[0], b[1]); d < minD {
				minD = d
			}
		}
	}
	d := math.Sqrt(minD)
	if !inside {
		return -d
	}
	return d
}
