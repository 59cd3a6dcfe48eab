package planar

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// A SplitSeg is a segment with the points that must become vertices on it.
type SplitSeg struct {
	A, B orb.Point
	At   []orb.Point
}

// Add records p as a vertex to insert, unless it is an endpoint or
// already recorded.
func (s *SplitSeg) Add(p orb.Point) {
	if p != s.A && p != s.B && !slices.Contains(s.At, p) {
		s.At = append(s.At, p)
	}
}

// Points returns the segment's start and its inserted points in order
// from A towards B (B itself excluded), without repeats.
func (s *SplitSeg) Points() []orb.Point {
	pts := append([]orb.Point{s.A}, s.At...)
	slices.SortFunc(pts[1:], func(x, y orb.Point) int {
		tx, _ := SegParam(x, s.A, s.B)
		ty, _ := SegParam(y, s.A, s.B)
		return cmp.Compare(tx, ty)
	})
	return slices.Compact(pts)
}

// Pieces returns the segment cut at its points, in order from A to B.
func (s *SplitSeg) Pieces() [][2]orb.Point {
	pts := append(s.Points(), s.B)
	out := make([][2]orb.Point, 0, len(pts)-1)
	for i := 0; i+1 < len(pts); i++ {
		if pts[i] != pts[i+1] {
			out = append(out, [2]orb.Point{pts[i], pts[i+1]})
		}
	}
	return out
}

// InsertPoints returns ring r with the indexed points inserted into the
// edges they lie on (within eps of the edge interior), in order along
// each edge, and whether any was inserted. r is not modified.
func InsertPoints(r orb.Ring, idx *PointIndex, eps float64) (orb.Ring, bool) {
	var out orb.Ring
	changed := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		seg := SplitSeg{A: a, B: b}
		idx.Near(a, b, eps, func(p orb.Point) {
			if OnSegmentInterior(p, a, b, eps) {
				seg.Add(p)
			}
		})
		if len(seg.At) == 0 {
			if out != nil {
				out = append(out, a)
			}
			continue
		}
		if out == nil {
			out = append(make(orb.Ring, 0, len(r)+len(seg.At)), r[:i]...)
		}
		changed = true
		out = append(out, seg.Points()...)
	}
	if !changed {
		return r, false
	}
	return append(out, r[len(r)-1]), true
}

// A PointIndex finds points near a segment: the points sorted by
// longitude, searched by binary search on the segment's box.
type PointIndex struct {
	pts []orb.Point
}

// NewPointIndex indexes the distinct points given.
func NewPointIndex(pts []orb.Point) *PointIndex {
	s := slices.Clone(pts)
	slices.SortFunc(s, func(a, b orb.Point) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	})
	return &PointIndex{pts: slices.Compact(s)}
}

// Near calls fn with every indexed point inside the box of a-b grown by eps.
func (x *PointIndex) Near(a, b orb.Point, eps float64, fn func(orb.Point)) {
	x0, x1 := min(a[0], b[0])-eps, max(a[0], b[0])+eps
	y0, y1 := min(a[1], b[1])-eps, max(a[1], b[1])+eps
	i, _ := slices.BinarySearchFunc(x.pts, x0, func(p orb.Point, v float64) int { return cmp.Compare(p[0], v) })
	for ; i < len(x.pts) && x.pts[i][0] <= x1; i++ {
		if p := x.pts[i]; p[1] >= y0 && p[1] <= y1 {
			fn(p)
		}
	}
}

// RingPoints appends every vertex of mp to dst.
func RingPoints(dst []orb.Point, mp orb.MultiPolygon) []orb.Point {
	for _, poly := range mp {
		for _, r := range poly {
			dst = append(dst, r...)
		}
	}
	return dst
}
