package cityio

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// topoTol is the distance (degrees, half the 1e-7 snap grid, about 5 mm)
// within which a vertex counts as on a boundary and a segment end as
// touching rather than crossing.
const topoTol = 5e-8

// A location is where a point lies relative to a polygon.
type location uint8

const (
	outside location = iota
	boundary
	inside
)

// A seg is one polygon edge, with its x extent.
type seg struct {
	a, b       orb.Point
	minX, maxX float64
}

func newSeg(a, b orb.Point) seg { return seg{a: a, b: b, minX: min(a[0], b[0]), maxX: max(a[0], b[0])} }

// An edgeIndex answers point-location and edge-crossing queries against
// the edges of one multipolygon. Edges are bucketed into horizontal bands
// and sorted by west end within a band, so that a query scans only the
// few edges near it, even where many edges share a latitude.
type edgeIndex struct {
	segs  []seg
	bound orb.Bound
	y0    float64 // bottom of band 0
	inv   float64 // bands per degree
	nb    int
	start []int32   // band b holds ids[start[b]:start[b+1]], by minX
	ids   []int32   // segment ids
	keys  []float64 // keys[i] = segs[ids[i]].minX
	wide  []float64 // per band, the widest edge's x extent
}

// newEdgeIndex indexes the edges of mp.
func newEdgeIndex(mp orb.MultiPolygon) *edgeIndex {
	ix := &edgeIndex{bound: mp.Bound()}
	n := 0
	for _, poly := range mp {
		for _, r := range poly {
			n += max(len(r)-1, 0)
		}
	}
	ix.segs = make([]seg, 0, n)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				ix.segs = append(ix.segs, newSeg(r[i], r[i+1]))
			}
		}
	}
	ix.y0 = ix.bound.Min[1]
	ix.nb = 1
	if h := ix.bound.Max[1] - ix.bound.Min[1]; h > 0 {
		// About two edges a band, but few enough bands that tall edges
		// (each stored in every band it spans) add at most ~8 entries
		// per edge: zigzags cannot blow up the index.
		sumH := 0.0
		for _, s := range ix.segs {
			sumH += math.Abs(s.b[1] - s.a[1])
		}
		fn := float64(n)
		ix.nb = int(max(1, min(fn/2, 4096, 8*fn*h/sumH)))
		ix.inv = float64(ix.nb) / h
	}
	ix.fillBands()
	return ix
}

// fillBands buckets the edges into bands, sorted by minX.
func (ix *edgeIndex) fillBands() {
	counts := make([]int32, ix.nb+1)
	for _, s := range ix.segs {
		lo, hi := ix.bands(min(s.a[1], s.b[1]), max(s.a[1], s.b[1]))
		for b := lo; b <= hi; b++ {
			counts[b+1]++
		}
	}
	for b := 1; b <= ix.nb; b++ {
		counts[b] += counts[b-1]
	}
	ix.start = counts
	ix.ids = make([]int32, counts[ix.nb])
	ix.wide = make([]float64, ix.nb)
	fill := append([]int32(nil), counts[:ix.nb]...)
	for i, s := range ix.segs {
		lo, hi := ix.bands(min(s.a[1], s.b[1]), max(s.a[1], s.b[1]))
		for b := lo; b <= hi; b++ {
			ix.ids[fill[b]] = int32(i)
			fill[b]++
			ix.wide[b] = max(ix.wide[b], s.maxX-s.minX)
		}
	}
	ix.keys = make([]float64, len(ix.ids))
	for b := range ix.nb {
		slices.SortFunc(ix.inBand(b), func(i, j int32) int { return cmp.Compare(ix.segs[i].minX, ix.segs[j].minX) })
	}
	for i, id := range ix.ids {
		ix.keys[i] = ix.segs[id].minX
	}
}

// band returns the band holding latitude y, clamped to the index.
func (ix *edgeIndex) band(y float64) int {
	b := int((y - ix.y0) * ix.inv)
	return max(0, min(b, ix.nb-1))
}

func (ix *edgeIndex) bands(lo, hi float64) (int, int) { return ix.band(lo), ix.band(hi) }

func (ix *edgeIndex) inBand(b int) []int32 { return ix.ids[ix.start[b]:ix.start[b+1]] }

// near returns the edges of band b whose x extent may overlap [x0, x1].
// Edges are sorted by minX; none starting before x0 - wide[b] can reach x0.
func (ix *edgeIndex) near(b int, x0, x1 float64) []int32 {
	s, e := ix.start[b], ix.start[b+1]
	if e-s <= 8 {
		return ix.ids[s:e]
	}
	keys := ix.keys[s:e]
	lo := searchFloats(keys, x0-ix.wide[b], false)
	hi := lo + searchFloats(keys[lo:], x1, true)
	return ix.ids[int(s)+lo : int(s)+hi]
}

// searchFloats returns the number of sorted keys below v (or, with
// orEqual, not above v).
func searchFloats(keys []float64, v float64, orEqual bool) int {
	lo, hi := 0, len(keys)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if keys[m] < v || (orEqual && keys[m] == v) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// locate tells whether p is inside, on the boundary (within topoTol) or
// outside the indexed multipolygon, by the even-odd rule.
func (ix *edgeIndex) locate(p orb.Point) location {
	if p[0] < ix.bound.Min[0]-topoTol || p[0] > ix.bound.Max[0]+topoTol ||
		p[1] < ix.bound.Min[1]-topoTol || p[1] > ix.bound.Max[1]+topoTol {
		return outside
	}
	lo, hi := ix.bands(p[1]-topoTol, p[1]+topoTol)
	for b := lo; b <= hi; b++ {
		for _, id := range ix.near(b, p[0]-topoTol, p[0]+topoTol) {
			s := &ix.segs[id]
			if p[0] <= s.maxX+topoTol && segDist2(p, s.a, s.b) <= topoTol*topoTol {
				return boundary
			}
		}
	}
	// Count crossings of a horizontal ray, west or east, whichever side
	// has fewer candidate edges: p is off the boundary, so both agree.
	b := ix.band(p[1])
	west := ix.near(b, math.Inf(-1), p[0])
	east := ix.near(b, p[0], math.Inf(1))
	cands, toEast := west, false
	if len(east) < len(west) {
		cands, toEast = east, true
	}
	odd := false
	for _, id := range cands {
		s := &ix.segs[id]
		if (s.a[1] > p[1]) != (s.b[1] > p[1]) {
			x := s.a[0] + (p[1]-s.a[1])*(s.b[0]-s.a[0])/(s.b[1]-s.a[1])
			if (x > p[0]) == toEast {
				odd = !odd
			}
		}
	}
	if odd {
		return inside
	}
	return outside
}

// crosses reports whether segment pq properly crosses an indexed edge:
// each passes strictly from one side of the other to the other side.
// Touching at a vertex or running along an edge is not a crossing.
func (ix *edgeIndex) crosses(p, q orb.Point) bool {
	minX, maxX := min(p[0], q[0]), max(p[0], q[0])
	minY, maxY := min(p[1], q[1]), max(p[1], q[1])
	if maxX < ix.bound.Min[0] || minX > ix.bound.Max[0] || maxY < ix.bound.Min[1] || minY > ix.bound.Max[1] {
		return false
	}
	lo, hi := ix.bands(minY, maxY)
	for b := lo; b <= hi; b++ {
		for _, id := range ix.near(b, minX, maxX) {
			s := &ix.segs[id]
			if s.maxX < minX || max(s.a[1], s.b[1]) < minY || min(s.a[1], s.b[1]) > maxY {
				continue
			}
			if properCross(p, q, s.a, s.b) {
				return true
			}
		}
	}
	return false
}

// properCross reports whether segments p1p2 and q1q2 cross at a point
// inside both, each having its ends strictly (beyond topoTol) on
// opposite sides of the other's line.
func properCross(p1, p2, q1, q2 orb.Point) bool {
	if side(q1, q2, p1)*side(q1, q2, p2) >= 0 {
		return false
	}
	return side(p1, p2, q1)*side(p1, p2, q2) < 0
}

// side returns +1 or -1 for c left or right of line ab, 0 when c is
// within topoTol of the line.
func side(a, b, c orb.Point) int {
	dx, dy := b[0]-a[0], b[1]-a[1]
	d := dx*(c[1]-a[1]) - dy*(c[0]-a[0])
	// |d| = |ab| * distance(c, line ab); compare squares to skip a root.
	if d*d <= topoTol*topoTol*(dx*dx+dy*dy) {
		return 0
	}
	if d > 0 {
		return 1
	}
	return -1
}
