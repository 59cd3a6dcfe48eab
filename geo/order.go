package geo

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// StandardOrder returns a new slice holding grids in the national standard's
// numbering order inside one community: rows from north to south, and inside
// a row from west to east. The input slice and the grids are not modified.
//
// Each grid is placed by an interior representative point: on the
// horizontal line through the middle of the bounding box of the grid's
// largest polygon, the midpoint of the widest stretch of that line lying
// inside the polygon. Such a point is inside the grid even when the grid is
// concave, so a grid's place does not depend on how its neighbours bulge.
//
// Row banding: the points are taken from north to south. The northernmost
// point opens the first row; a later point joins the current row when it
// lies less than half the band height south of the point that opened the
// row, and opens a new row otherwise. The band height is the median
// north-south extent of the grids' bounding boxes. Inside a row grids go by
// longitude. Ties (equal coordinates) are broken by latitude (north first),
// then by code, then by id, so the order is deterministic. Grids without
// geometry come last, by code and id.
func StandardOrder(grids []*Grid) []*Grid {
	items := make([]orderItem, 0, len(grids))
	var empty []orderItem
	heights := make([]float64, 0, len(grids))
	for _, g := range grids {
		p, ok := orderRepPoint(g.Geometry)
		it := orderItem{g: g, p: p}
		if !ok {
			empty = append(empty, it)
			continue
		}
		items = append(items, it)
		b := g.Geometry.Bound()
		heights = append(heights, b.Max[1]-b.Min[1])
	}
	band := orderMedian(heights) / 2

	slices.SortFunc(items, orderNorthFirst)
	out := make([]*Grid, 0, len(grids))
	for start := 0; start < len(items); {
		end := start + 1
		top := items[start].p[1]
		for end < len(items) && top-items[end].p[1] < band {
			end++
		}
		row := items[start:end]
		slices.SortFunc(row, orderWestFirst)
		for _, it := range row {
			out = append(out, it.g)
		}
		start = end
	}
	slices.SortFunc(empty, orderByCode)
	for _, it := range empty {
		out = append(out, it.g)
	}
	return out
}

// orderItem is a grid with its representative point.
type orderItem struct {
	g *Grid
	p orb.Point
}

func orderNorthFirst(a, b orderItem) int {
	if c := cmp.Compare(b.p[1], a.p[1]); c != 0 {
		return c
	}
	if c := cmp.Compare(a.p[0], b.p[0]); c != 0 {
		return c
	}
	return orderByCode(a, b)
}

func orderWestFirst(a, b orderItem) int {
	if c := cmp.Compare(a.p[0], b.p[0]); c != 0 {
		return c
	}
	if c := cmp.Compare(b.p[1], a.p[1]); c != 0 {
		return c
	}
	return orderByCode(a, b)
}

func orderByCode(a, b orderItem) int {
	if c := cmp.Compare(a.g.Code, b.g.Code); c != 0 {
		return c
	}
	return cmp.Compare(a.g.ID, b.g.ID)
}

func orderMedian(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// InteriorPoint returns a point inside mp's largest polygon (the point
// StandardOrder places a grid by, see there), and false when mp has no
// area. Unlike a centroid it lies inside concave shapes too.
func InteriorPoint(mp orb.MultiPolygon) (orb.Point, bool) { return orderRepPoint(mp) }

// orderRepPoint returns an interior point of the largest polygon of mp, as
// described on StandardOrder, and false when mp has no area.
func orderRepPoint(mp orb.MultiPolygon) (orb.Point, bool) {
	best, bestArea := -1, 0.0
	for i, p := range mp {
		if len(p) == 0 {
			continue
		}
		if a := math.Abs(orderRingArea(p[0])); a > bestArea {
			best, bestArea = i, a
		}
	}
	if best < 0 {
		return orb.Point{}, false
	}
	poly := mp[best]
	b := poly[0].Bound()
	y := (b.Min[1] + b.Max[1]) / 2
	var xs []float64
	for _, r := range poly {
		xs = orderCrossings(r, y, xs)
	}
	slices.Sort(xs)
	wx, width := 0.0, -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			wx, width = (xs[i]+xs[i+1])/2, w
		}
	}
	if width < 0 {
		return orb.Point{(b.Min[0] + b.Max[0]) / 2, y}, true
	}
	return orb.Point{wx, y}, true
}

// orderCrossings appends the longitudes where ring r crosses the parallel y,
// counting each edge as half-open in latitude so vertices count once.
func orderCrossings(r orb.Ring, y float64, xs []float64) []float64 {
	n := len(r)
	for i := 0; i < n; i++ {
		a, b := r[i], r[(i+1)%n]
		if (a[1] <= y) == (b[1] <= y) {
			continue
		}
		t := (y - a[1]) / (b[1] - a[1])
		xs = append(xs, a[0]+t*(b[0]-a[0]))
	}
	return xs
}

// orderRingArea returns the signed shoelace area of r (positive when
// counter-clockwise), in squared degrees.
func orderRingArea(r orb.Ring) float64 {
	s := 0.0
	n := len(r)
	for i := 0; i < n; i++ {
		a, b := r[i], r[(i+1)%n]
		s += a[0]*b[1] - b[0]*a[1]
	}
	return s / 2
}
