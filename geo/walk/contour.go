package walk

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// crossingEps keeps contour vertices off lattice points, so rings of one
// band never touch.
const crossingEps = 1e-4

// A rawRing is a traced ring in lattice units: counter-clockwise for an
// outer boundary, clockwise for a hole.
type rawRing struct {
	off, n                 int // its vertices are xy[2*off : 2*(off+n)]
	area                   float64
	minx, miny, maxx, maxy float64
	parent                 int
}

// contour traces the band {field <= limit} with marching squares and
// returns it as a MultiPolygon in WGS-84.
func (c *circleScratch) contour(f field, limit float64, o CircleOptions, pr projection) orb.MultiPolygon {
	if f.w < 2 || f.h < 2 {
		return orb.MultiPolygon{}
	}
	c.linkCrossings(f, limit)
	c.traceRings(f, limit)
	c.nestRings()
	return c.assemble(f, o, pr)
}

// linkCrossings records, for every crossing of the boundary with a lattice
// edge, the next crossing along the boundary with the band on the left.
// Crossing keys are 2*(j*w+i) for the edge from (i, j) to (i+1, j) and
// 2*(j*w+i)+1 for the edge from (i, j) to (i, j+1).
func (c *circleScratch) linkCrossings(f field, limit float64) {
	need := 2 * f.w * f.h
	if cap(c.next) < need {
		c.next = make([]int32, need)
	}
	next := c.next[:need]
	c.starts = c.starts[:0]
	w := f.w
	link := func(a, b int32) { next[a] = b; c.starts = append(c.starts, a) }
	for j := 0; j+1 < f.h; j++ {
		lower, upper := f.v[j*w:(j+1)*w], f.v[(j+1)*w:(j+2)*w]
		for i := 0; i+1 < w; i++ {
			var in [4]bool // BL, BR, TR, TL
			in[0], in[1] = float64(lower[i]) <= limit, float64(lower[i+1]) <= limit
			in[2], in[3] = float64(upper[i+1]) <= limit, float64(upper[i]) <= limit
			if in[0] == in[1] && in[1] == in[2] && in[2] == in[3] {
				continue
			}
			base := int32(2 * (j*w + i))
			keys := [4]int32{base, base + 3, base + int32(2*w), base + 1} // B, R, T, L
			saddle := in[0] == in[2] && in[1] == in[3]
			if !saddle {
				var exit, entry int
				for k := 0; k < 4; k++ {
					if in[k] && !in[(k+1)%4] {
						exit = k
					}
					if !in[k] && in[(k+1)%4] {
						entry = k
					}
				}
				link(keys[exit], keys[entry])
				continue
			}
			centre := (float64(lower[i]) + float64(lower[i+1]) + float64(upper[i+1]) + float64(upper[i])) / 4
			for k := 0; k < 4; k++ {
				switch {
				case centre <= limit && in[k] && !in[(k+1)%4]:
					link(keys[k], keys[(k+1)%4])
				case centre > limit && in[k]:
					link(keys[k], keys[(k+3)%4])
				}
			}
		}
	}
}

// crossing returns the position, in lattice units, where the boundary
// crosses the lattice edge with the given key.
func crossing(f field, key int32, limit float64) (x, y float64) {
	idx := int(key >> 1)
	i, j := idx%f.w, idx/f.w
	a := float64(f.v[idx])
	var b float64
	if key&1 == 0 {
		b = float64(f.v[idx+1])
	} else {
		b = float64(f.v[idx+f.w])
	}
	t := 0.5
	if b != a {
		t = (limit - a) / (b - a)
	}
	t = math.Max(crossingEps, math.Min(1-crossingEps, t))
	if key&1 == 0 {
		return float64(i) + t, float64(j)
	}
	return float64(i), float64(j) + t
}

// traceRings follows the links into closed rings.
func (c *circleScratch) traceRings(f field, limit float64) {
	next := c.next
	c.rings, c.xy = c.rings[:0], c.xy[:0]
	for _, a := range c.starts {
		if next[a] < 0 {
			continue
		}
		r := rawRing{off: len(c.xy) / 2, minx: math.Inf(1), miny: math.Inf(1), maxx: math.Inf(-1), maxy: math.Inf(-1), parent: -1}
		k := a
		for steps := 0; k >= 0 && steps <= len(c.starts); steps++ {
			x, y := crossing(f, k, limit)
			c.xy = append(c.xy, x, y)
			r.minx, r.maxx = math.Min(r.minx, x), math.Max(r.maxx, x)
			r.miny, r.maxy = math.Min(r.miny, y), math.Max(r.maxy, y)
			nk := next[k]
			next[k] = -1
			k = nk
			if k == a {
				break
			}
		}
		r.n = len(c.xy)/2 - r.off
		r.area = shoelace(c.xy[2*r.off : 2*(r.off+r.n)])
		if r.n >= 3 {
			c.rings = append(c.rings, r)
		} else {
			c.xy = c.xy[:2*r.off]
		}
	}
}

func shoelace(xy []float64) float64 {
	n := len(xy) / 2
	s := 0.0
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		s += xy[2*i]*xy[2*j+1] - xy[2*j]*xy[2*i+1]
	}
	return s / 2
}

// nestRings sorts the rings largest first and gives each the smallest
// larger ring that contains it as its parent.
func (c *circleScratch) nestRings() {
	slices.SortFunc(c.rings, func(a, b rawRing) int {
		if d := math.Abs(b.area) - math.Abs(a.area); d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
		return a.off - b.off
	})
	for k := range c.rings {
		r := &c.rings[k]
		px, py := c.xy[2*r.off], c.xy[2*r.off+1]
		for p := k - 1; p >= 0; p-- {
			q := &c.rings[p]
			if r.minx < q.minx || r.maxx > q.maxx || r.miny < q.miny || r.maxy > q.maxy {
				continue
			}
			if inRing(c.xy[2*q.off:2*(q.off+q.n)], px, py) {
				r.parent = p
				break
			}
		}
	}
}

// inRing reports whether (x, y) lies inside the ring (even-odd rule).
func inRing(xy []float64, x, y float64) bool {
	in := false
	n := len(xy) / 2
	for i, j := 0, n-1; i < n; j, i = i, i+1 {
		xi, yi, xj, yj := xy[2*i], xy[2*i+1], xy[2*j], xy[2*j+1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}
