package geo

import (
	"cmp"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// A Locator answers point-in-grid queries over a fixed set of grids. It is
// immutable after NewLocator and safe for concurrent use.
//
// The boundary rule. Every point belongs to at most one grid, and to
// exactly one when the grids partition an area, including points on
// shared edges and shared vertices:
//
//  1. A grid contains p when a ray from p to the east (+x) crosses its
//     boundary an odd number of times, counting over every ring of every
//     part (so holes and MultiPolygon parts work). An edge counts iff
//     (y1 > py) != (y2 > py) and p lies strictly left of the edge, where
//     left is the exact sign of the orientation determinant of the edge's
//     endpoints taken in a canonical order (lower y first, then lower x).
//     Neighbouring rings that walk a shared edge in opposite directions
//     therefore decide it identically. The rule places p exactly where the
//     point p + (δ, δ²) lies for an infinitesimal δ > 0: a point on a shared
//     non-horizontal edge belongs to the grid east of it, a point on a
//     horizontal edge to the grid north of it, and a shared vertex to the
//     grid that holds the area just east (then just north) of it.
//  2. If no grid contains p by rule 1, but p lies within BoundaryEpsilon
//     (1e-9 degrees, measured in the lon/lat plane) of the boundary of
//     some grid, p belongs to the lowest-ID such grid. This gives a grid
//     to the points on the outer boundary of the city that rule 1 leaves
//     out: those on its east-facing and north-facing edges, end vertices
//     included (points on west- and south-facing edges already belong to
//     the grid inside them by rule 1).
//
// If grids overlap (invalid data), the lowest-ID grid that contains p
// wins; grids with equal IDs keep the order they were given in. The result
// equals scanning the grids by ID with GridContains, then with the
// boundary test of rule 2, which the index is built to agree with exactly.
//
// Grids whose geometry has a non-finite coordinate or one above 1e7 in
// magnitude, or no edge of positive length, are left out. A point with a
// NaN coordinate is in no grid.
type Locator struct {
	n    int // grids indexed
	seq  int32
	tree rtree.RTreeG[*locGrid]
}

// NewLocator indexes grids, which must not be modified afterwards. It
// computes each grid's bounds from its geometry and ignores Grid.Bound.
func NewLocator(grids []*Grid) *Locator {
	sorted := slices.DeleteFunc(slices.Clone(grids), func(g *Grid) bool { return g == nil })
	slices.SortStableFunc(sorted, func(a, b *Grid) int { return cmp.Compare(a.ID, b.ID) })
	l := &Locator{}
	lgs := make([]locGrid, 0, len(sorted))
	for _, lg := range newLocGrids(sorted) {
		if lg.grid != nil {
			lg.seq = l.seq
			l.seq++
			lgs = append(lgs, lg)
		}
	}
	for _, k := range insertOrder(lgs) {
		l.insert(&lgs[k])
	}
	return l
}

// Next returns a Locator over the grids of l without removed and with
// added, sharing the index of every other grid with l, which is left
// unchanged (the R-tree is copied on write). Each removed grid must be one
// that l indexes (the same pointer). The result answers exactly as
// NewLocator over the new set of grids would, provided grid IDs are
// distinct.
func (l *Locator) Next(removed, added []*Grid) *Locator {
	m := &Locator{n: l.n, seq: l.seq, tree: *l.tree.Copy()}
	for _, g := range removed {
		if g == nil {
			continue
		}
		var hit *locGrid
		b := g.Geometry.Bound()
		m.tree.Search([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, func(_, _ [2]float64, lg *locGrid) bool {
			if lg.grid == g {
				hit = lg
				return false
			}
			return true
		})
		if hit != nil {
			m.tree.Delete([2]float64{hit.x0, hit.y0}, [2]float64{hit.x1, hit.y1}, hit)
			m.n--
		}
	}
	sorted := slices.DeleteFunc(slices.Clone(added), func(g *Grid) bool { return g == nil })
	slices.SortStableFunc(sorted, func(a, b *Grid) int { return cmp.Compare(a.ID, b.ID) })
	for _, g := range sorted {
		if lg, ok := newLocGrid(g); ok {
			lg.seq = m.seq
			m.seq++
			m.insert(&lg)
		}
	}
	return m
}

// locParallelMin is the fewest grids worth rasterizing on several cores.
const locParallelMin = 1024

// newLocGrids returns newLocGrid of each grid, a zero locGrid (nil grid)
// for one left out. The grids are shared out among the cores in
// contiguous runs: rasterizing is most of building a city's index.
func newLocGrids(grids []*Grid) []locGrid {
	out := make([]locGrid, len(grids))
	workers := min(runtime.GOMAXPROCS(0), max(len(grids)/locParallelMin, 1))
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(grids)/workers, (w+1)*len(grids)/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if lg, ok := newLocGrid(grids[i]); ok {
					out[i] = lg
				}
			}
		})
	}
	wg.Wait()
	return out
}

// insert adds lg to the tree.
func (l *Locator) insert(lg *locGrid) {
	l.tree.Insert([2]float64{lg.x0, lg.y0}, [2]float64{lg.x1, lg.y1}, lg)
	l.n++
}

// before reports whether a takes precedence over b: the lower grid ID,
// then the grid given first.
func (a *locGrid) before(b *locGrid) bool {
	if a.grid.ID != b.grid.ID {
		return a.grid.ID < b.grid.ID
	}
	return a.seq < b.seq
}

// insertOrder returns the indexes of lgs along a Hilbert curve through the
// centres of their domains. Inserting neighbours together gives the R-tree
// tight, little-overlapping nodes: a search is about 10% faster than after
// inserting in ID order.
func insertOrder(lgs []locGrid) []int32 {
	if len(lgs) == 0 {
		return nil
	}
	b := orb.Bound{Min: orb.Point{lgs[0].x0, lgs[0].y0}, Max: orb.Point{lgs[0].x1, lgs[0].y1}}
	for k := range lgs {
		b = b.Extend(orb.Point{lgs[k].x0, lgs[k].y0}).Extend(orb.Point{lgs[k].x1, lgs[k].y1})
	}
	keys := make([]uint64, len(lgs))
	order := make([]int32, len(lgs))
	for k := range lgs {
		lg := &lgs[k]
		u := (lg.x0 + lg.x1) / 2
		v := (lg.y0 + lg.y1) / 2
		keys[k] = locHilbertKey(locUnitFrac(u, b.Min[0], b.Max[0]), locUnitFrac(v, b.Min[1], b.Max[1]))
		order[k] = int32(k)
	}
	slices.SortStableFunc(order, func(a, c int32) int { return cmp.Compare(keys[a], keys[c]) })
	return order
}

// locUnitFrac maps v in [lo, hi] to a 16-bit integer.
func locUnitFrac(v, lo, hi float64) uint32 {
	if !(hi > lo) {
		return 0
	}
	return uint32(min(max((v-lo)/(hi-lo), 0), 1) * 0xffff)
}

// locHilbertKey returns the position of (x, y) on a 16-bit Hilbert curve.
func locHilbertKey(x, y uint32) uint64 {
	var d uint64
	for s := uint32(1 << 15); s > 0; s /= 2 {
		var rx, ry uint32
		if x&s > 0 {
			rx = 1
		}
		if y&s > 0 {
			ry = 1
		}
		d += uint64(s) * uint64(s) * uint64((3*rx)^ry)
		if ry == 0 {
			if rx == 1 {
				x, y = s-1-x, s-1-y
			}
			x, y = y, x
		}
	}
	return d
}

// Len returns the number of grids the Locator indexes.
func (l *Locator) Len() int { return l.n }

// Locate returns the grid that holds p (WGS-84 lon/lat) under the boundary
// rule documented on Locator, and false if there is none. It does not
// allocate.
func (l *Locator) Locate(p orb.Point) (*Grid, bool) {
	lg := l.locate(p[0], p[1])
	if lg == nil {
		return nil, false
	}
	return lg.grid, true
}

// locate returns the grid holding (px, py), or nil.
func (l *Locator) locate(px, py float64) *locGrid {
	if px != px || py != py {
		return nil
	}
	var best, touch *locGrid
	pt := [2]float64{px, py}
	l.tree.Search(pt, pt, func(_, _ [2]float64, lg *locGrid) bool {
		if best != nil && !lg.before(best) {
			return true
		}
		in, edgeCell := lg.contains(px, py)
		switch {
		case in:
			best = lg
		case edgeCell && best == nil && (touch == nil || lg.before(touch)) && lg.touches(px, py):
			touch = lg
		}
		return true
	})
	if best != nil {
		return best
	}
	return touch
}

// LocateBatch locates every point of ps and stores the grid in out[i], or
// nil where a point is in no grid. It handles min(len(ps), len(out))
// points and does not allocate.
func (l *Locator) LocateBatch(ps []orb.Point, out []*Grid) {
	n := min(len(ps), len(out))
	for i := range n {
		if lg := l.locate(ps[i][0], ps[i][1]); lg != nil {
			out[i] = lg.grid
		} else {
			out[i] = nil
		}
	}
}

// Search calls fn with every grid whose bounding box intersects b, in no
// particular order, until fn returns false. It uses the point-in-grid
// R-tree, so it costs about as much as the grids it finds.
func (l *Locator) Search(b orb.Bound, fn func(*Grid) bool) {
	l.tree.Search([2]float64{b.Min[0], b.Min[1]}, [2]float64{b.Max[0], b.Max[1]}, func(_, _ [2]float64, lg *locGrid) bool {
		return fn(lg.grid)
	})
}
