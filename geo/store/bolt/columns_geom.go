package bolt

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/paulmach/orb"
)

// writeMultiPolygons writes mps as two columns: the counts (polygons per
// multipolygon, rings per polygon, points per ring, depth first) and
// every point.
func writeMultiPolygons(w *colWriter, mps []orb.MultiPolygon) {
	var counts []uint32
	npts := 0
	for _, mp := range mps {
		counts = append(counts, uint32(len(mp)))
		for _, p := range mp {
			counts = append(counts, uint32(len(p)))
			for _, r := range p {
				counts = append(counts, uint32(len(r)))
				npts += len(r)
			}
		}
	}
	pts := make([]orb.Point, 0, npts)
	for _, mp := range mps {
		for _, p := range mp {
			for _, r := range p {
				pts = append(pts, r...)
			}
		}
	}
	w.uint32s(counts)
	w.points(pts)
}

// A countCursor walks a counts column, failing on a count that is not
// there or that asks for more than is left.
type countCursor struct {
	counts []uint32
	what   string
	err    error
}

// next returns the next count, at most limit.
func (c *countCursor) next(limit int) int {
	if c.err != nil {
		return 0
	}
	if len(c.counts) == 0 {
		c.err = fmt.Errorf("%w: checkpoint: the %s counts end early", store.ErrCorrupt, c.what)
		return 0
	}
	n := c.counts[0]
	c.counts = c.counts[1:]
	if uint64(n) > uint64(limit) {
		c.err = fmt.Errorf("%w: checkpoint: a %s count of %d exceeds the %d left", store.ErrCorrupt, c.what, n, limit)
		return 0
	}
	return int(n)
}

// multiPolygonShape walks the counts of n multipolygons and returns how
// many polygons and rings they hold, checking that the counts and points
// match exactly.
func multiPolygonShape(counts []uint32, npts, n int, what string) (polys, rings int, err error) {
	c := countCursor{counts: counts, what: what}
	for range n {
		np := c.next(len(c.counts))
		polys += np
		for range np {
			nr := c.next(len(c.counts))
			rings += nr
			for range nr {
				npts -= c.next(npts)
			}
		}
	}
	if c.err != nil {
		return 0, 0, c.err
	}
	if len(c.counts) != 0 || npts != 0 {
		return 0, 0, fmt.Errorf("%w: checkpoint: %d %s counts and %d points left over", store.ErrCorrupt, len(c.counts), what, npts)
	}
	return polys, rings, nil
}

// readMultiPolygons reads n multipolygons writeMultiPolygons wrote. The
// rings share one block of points and the polygons one block of rings,
// each slice capped so that an append copies rather than overwrites a
// neighbour.
func readMultiPolygons(r *colReader, n int, what string) ([]orb.MultiPolygon, error) {
	counts := r.uint32s(what + " counts")
	pts := r.points(what + " points")
	if r.err != nil {
		return nil, r.err
	}
	np, nr, err := multiPolygonShape(counts, len(pts), n, what)
	if err != nil {
		return nil, err
	}
	rings := make([]orb.Ring, 0, nr)
	polys := make([]orb.Polygon, 0, np)
	out := make([]orb.MultiPolygon, n)
	next := func() int { k := int(counts[0]); counts = counts[1:]; return k }
	for i := range out {
		p0 := len(polys)
		for range next() {
			r0 := len(rings)
			for range next() {
				k := next()
				rings = append(rings, orb.Ring(pts[:k:k]))
				pts = pts[k:]
			}
			polys = append(polys, orb.Polygon(rings[r0:len(rings):len(rings)]))
		}
		if len(polys) > p0 {
			out[i] = orb.MultiPolygon(polys[p0:len(polys):len(polys)])
		}
	}
	return out, nil
}

// writeLineStrings writes ls as the points per line and every point.
func writeLineStrings(w *colWriter, ls []orb.LineString) {
	counts := make([]uint32, len(ls))
	npts := 0
	for i, l := range ls {
		counts[i] = uint32(len(l))
		npts += len(l)
	}
	pts := make([]orb.Point, 0, npts)
	for _, l := range ls {
		pts = append(pts, l...)
	}
	w.uint32s(counts)
	w.points(pts)
}

// readLineStrings reads n lines writeLineStrings wrote, sharing one block
// of points (each line capped).
func readLineStrings(r *colReader, n int, what string) ([]orb.LineString, error) {
	counts := r.uint32s(what + " counts")
	pts := r.points(what + " points")
	if r.err != nil {
		return nil, r.err
	}
	if len(counts) != n {
		return nil, fmt.Errorf("%w: checkpoint: %d %s counts for %d lines", store.ErrCorrupt, len(counts), what, n)
	}
	out := make([]orb.LineString, n)
	for i, k := range counts {
		if uint64(k) > uint64(len(pts)) {
			return nil, fmt.Errorf("%w: checkpoint: %s %d has %d points, %d are left", store.ErrCorrupt, what, i, k, len(pts))
		}
		if k > 0 {
			out[i] = orb.LineString(pts[:k:k])
		}
		pts = pts[k:]
	}
	if len(pts) != 0 {
		return nil, fmt.Errorf("%w: checkpoint: %d %s points left over", store.ErrCorrupt, len(pts), what)
	}
	return out, nil
}
