package tiles

import "math"

// A fpt is a point in tile coordinates while it is being clipped.
type fpt [2]float64

// A tileFrame maps level coordinates to one tile's coordinates: a tile
// point is level*scale - origin. scale is 2^(z - level zoom) (1 unless the
// tile is overzoomed), lo and hi bound the clip box (the tile grown by the
// buffer).
type tileFrame struct {
	scale      int64
	ox, oy     int64
	lo, hi     int64
	lvlo, lvhi [2]int64 // the clip box in level coordinates (rounded outwards)
}

// newTileFrame returns the frame of tile k for a level at zoom lz <= k.Z.
func newTileFrame(k Key, lz uint32, buffer int) tileFrame {
	f := tileFrame{
		scale: int64(1) << (k.Z - lz),
		ox:    int64(k.X) * Extent,
		oy:    int64(k.Y) * Extent,
		lo:    -int64(buffer),
		hi:    Extent + int64(buffer),
	}
	f.lvlo = [2]int64{floorDiv(f.ox+f.lo, f.scale), floorDiv(f.oy+f.lo, f.scale)}
	f.lvhi = [2]int64{-floorDiv(-(f.ox + f.hi), f.scale), -floorDiv(-(f.oy + f.hi), f.scale)}
	return f
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// boxOutside reports whether a level box lies wholly outside the clip box.
func (f *tileFrame) boxOutside(b ibox) bool {
	return int64(b.maxX) < f.lvlo[0] || int64(b.minX) > f.lvhi[0] ||
		int64(b.maxY) < f.lvlo[1] || int64(b.minY) > f.lvhi[1]
}

// boxInside reports whether a level box lies wholly inside the clip box.
func (f *tileFrame) boxInside(b ibox) bool {
	return int64(b.minX)*f.scale-f.ox >= f.lo && int64(b.maxX)*f.scale-f.ox <= f.hi &&
		int64(b.minY)*f.scale-f.oy >= f.lo && int64(b.maxY)*f.scale-f.oy <= f.hi
}

// A clipper clips rings and lines to a tile, reusing its buffers.
type clipper struct {
	a, b []fpt
	out  []int32
}

// clipRing clips an open level ring to the frame (Sutherland-Hodgman) and
// leaves the result in c.out as tile x, y pairs (open, without repeats or
// spikes). It returns the ring's twice-signed area; 0 means nothing is
// left. Chunks wholly outside the clip box are replaced by their first
// vertex: the chain they hold lies outside the box, so the clipped shape
// does not change, and a long ring costs little in a tile it barely meets.
func (c *clipper) clipRing(r *lvRing, f *tileFrame) int64 {
	c.out = c.out[:0]
	n := len(r.pts) / 2
	inside := true
	c.a = c.a[:0]
	for k, b := range r.chunks {
		s := k * chunkSize
		if f.boxOutside(b) {
			inside = false
			c.a = append(c.a, f.toTile(r.pts[2*s], r.pts[2*s+1]))
			continue
		}
		inside = inside && f.boxInside(b)
		for i := s; i < s+chunkSize && i < n; i++ {
			c.a = append(c.a, f.toTile(r.pts[2*i], r.pts[2*i+1]))
		}
	}
	if !inside {
		lo, hi := float64(f.lo), float64(f.hi)
		c.a, c.b = clipEdge(c.a, c.b[:0], 0, lo, true), c.a
		c.a, c.b = clipEdge(c.a, c.b[:0], 0, hi, false), c.a
		c.a, c.b = clipEdge(c.a, c.b[:0], 1, lo, true), c.a
		c.a, c.b = clipEdge(c.a, c.b[:0], 1, hi, false), c.a
	}
	for _, p := range c.a {
		c.out = pushVertex(c.out, round32(p[0]), round32(p[1]))
	}
	ring := closeRing(c.out)
	if len(ring) == 0 {
		c.out = c.out[:0]
		return 0
	}
	c.out = ring
	return ringArea32(ring)
}

func (f *tileFrame) toTile(x, y int32) fpt {
	return fpt{float64(int64(x)*f.scale - f.ox), float64(int64(y)*f.scale - f.oy)}
}

func round32(v float64) int32 { return int32(math.Floor(v + 0.5)) }

func round64(v float64) float64 { return math.Floor(v + 0.5) }

// clipEdge is one Sutherland-Hodgman pass: it keeps the part of the closed
// ring in on the side of the line axis = v given by keepGreater.
func clipEdge(in, out []fpt, axis int, v float64, keepGreater bool) []fpt {
	if len(in) == 0 {
		return out
	}
	isIn := func(p fpt) bool {
		if keepGreater {
			return p[axis] >= v
		}
		return p[axis] <= v
	}
	prev := in[len(in)-1]
	prevIn := isIn(prev)
	for _, cur := range in {
		curIn := isIn(cur)
		if curIn != prevIn {
			out = append(out, cut(prev, cur, axis, v))
		}
		if curIn {
			out = append(out, cur)
		}
		prev, prevIn = cur, curIn
	}
	return out
}

// cut returns where the segment p-q meets the line axis = v. It computes
// from the lexicographically smaller end, so a segment walked in either
// direction (as two neighbouring polygons walk their shared border) gives
// the same point, bit for bit.
func cut(p, q fpt, axis int, v float64) fpt {
	if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
		p, q = q, p
	}
	o := 1 - axis
	t := (v - p[axis]) / (q[axis] - p[axis])
	var r fpt
	r[axis] = v
	r[o] = p[o] + t*(q[o]-p[o])
	return r
}

// clipLine clips an open level polyline to the frame and appends its parts
// to c.out; it returns the end offset of every part in c.out (parts start
// where the previous ends, or at the given start).
func (c *clipper) clipLine(pts []int32, f *tileFrame, ends []int) []int {
	lo, hi := float64(f.lo), float64(f.hi)
	partStart := len(c.out)
	for i := 0; i+3 < len(pts); i += 2 {
		p, q := f.toTile(pts[i], pts[i+1]), f.toTile(pts[i+2], pts[i+3])
		a, b, ok := clipSegment(p, q, lo, hi)
		if !ok {
			continue
		}
		ax, ay, bx, by := round32(a[0]), round32(a[1]), round32(b[0]), round32(b[1])
		n := len(c.out)
		if n > partStart && (c.out[n-2] != ax || c.out[n-1] != ay) {
			ends, partStart = closePart(c, ends, partStart)
		}
		if len(c.out) == partStart {
			c.out = append(c.out, ax, ay)
		}
		if bx != c.out[len(c.out)-2] || by != c.out[len(c.out)-1] {
			c.out = append(c.out, bx, by)
		}
	}
	ends, _ = closePart(c, ends, partStart)
	return ends
}

// closePart ends the current part, dropping it when it has fewer than two vertices.
func closePart(c *clipper, ends []int, start int) ([]int, int) {
	if len(c.out)-start < 4 {
		c.out = c.out[:start]
		return ends, start
	}
	return append(ends, len(c.out)), len(c.out)
}

// clipSegment clips the segment p-q to the square [lo, hi]² (Liang-Barsky),
// computing from the lexicographically smaller end so the result does not
// depend on the segment's direction.
func clipSegment(p, q fpt, lo, hi float64) (fpt, fpt, bool) {
	swapped := false
	if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
		p, q, swapped = q, p, true
	}
	t0, t1 := 0.0, 1.0
	d := fpt{q[0] - p[0], q[1] - p[1]}
	for axis := 0; axis < 2; axis++ {
		for _, e := range [2]struct{ num, den float64 }{{p[axis] - lo, -d[axis]}, {hi - p[axis], d[axis]}} {
			if e.den == 0 {
				if e.num < 0 {
					return p, q, false
				}
				continue
			}
			t := e.num / e.den
			if e.den < 0 {
				t0 = math.Max(t0, t)
			} else {
				t1 = math.Min(t1, t)
			}
		}
	}
	if t0 > t1 {
		return p, q, false
	}
	a, b := p, q
	if t0 > 0 {
		a = fpt{p[0] + t0*d[0], p[1] + t0*d[1]}
	}
	if t1 < 1 {
		b = fpt{p[0] + t1*d[0], p[1] + t1*d[1]}
	}
	if swapped {
		a, b = b, a
	}
	return a, b, true
}
