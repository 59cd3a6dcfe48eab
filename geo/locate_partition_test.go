package geo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// locSeed returns the seed for a random test: SEED from the environment or
// def. It logs the seed so that a failure can be replayed.
func locSeed(tb testing.TB, def uint64) uint64 {
	tb.Helper()
	s := def
	if v := os.Getenv("SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			tb.Fatalf("parsing SEED=%q: %v", v, err)
		}
		s = n
	}
	tb.Logf("seed %d (set SEED= to replay)", s)
	return s
}

// locSnap7 rounds v to 1e-7 degrees, as stored grid coordinates are.
func locSnap7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

// A locLattice is a warped lattice of w x h quads near Liupanshui whose
// cells are grouped into grids. Lattice lines with an even index are
// straight and axis-parallel (so points exactly on them are easy to make);
// the others are warped. Every lattice edge carries sub intermediate
// vertices, generated once per edge, so neighbouring grids share their
// edges vertex for vertex.
type locLattice struct {
	w, h, sub int
	x0, y0, d float64
	vert      [][]orb.Point   // vert[i][j], 0 <= i <= w, 0 <= j <= h
	hmid      [][][]orb.Point // hmid[i][j]: between vert[i][j] and vert[i+1][j]
	vmid      [][][]orb.Point // vmid[i][j]: between vert[i][j] and vert[i][j+1]
	owner     [][]int         // owner[i][j]: the grid index of cell (i, j)
}

// newLocLattice makes the vertices of a w x h lattice with cells of d
// degrees and sub intermediate vertices per lattice edge.
func newLocLattice(r *rand.Rand, w, h, sub int, d float64) *locLattice {
	lt := &locLattice{w: w, h: h, sub: sub, x0: 104.80, y0: 26.55, d: d}
	lt.vert = make([][]orb.Point, w+1)
	for i := range w + 1 {
		lt.vert[i] = make([]orb.Point, h+1)
		for j := range h + 1 {
			x, y := lt.x0+float64(i)*d, lt.y0+float64(j)*d
			if i%2 == 1 {
				x += (r.Float64() - 0.5) * 0.5 * d
			}
			if j%2 == 1 {
				y += (r.Float64() - 0.5) * 0.5 * d
			}
			lt.vert[i][j] = orb.Point{locSnap7(x), locSnap7(y)}
		}
	}
	lt.hmid = lt.mids(r, w, h+1, func(i, j int) (orb.Point, orb.Point, bool) {
		return lt.vert[i][j], lt.vert[i+1][j], j%2 == 0
	})
	lt.vmid = lt.mids(r, w+1, h, func(i, j int) (orb.Point, orb.Point, bool) {
		return lt.vert[i][j], lt.vert[i][j+1], i%2 == 0
	})
	return lt
}

// mids makes the intermediate vertices of n x m lattice edges; ends returns
// an edge's end points and whether it lies on a straight line.
func (lt *locLattice) mids(r *rand.Rand, n, m int, ends func(i, j int) (orb.Point, orb.Point, bool)) [][][]orb.Point {
	out := make([][][]orb.Point, n)
	for i := range n {
		out[i] = make([][]orb.Point, m)
		for j := range m {
			a, b, straight := ends(i, j)
			pts := make([]orb.Point, lt.sub)
			for k := range lt.sub {
				t := float64(k+1) / float64(lt.sub+1)
				x, y := a[0]+t*(b[0]-a[0]), a[1]+t*(b[1]-a[1])
				jit := 0.0
				if !straight {
					jit = (r.Float64() - 0.5) * 0.2 * lt.d / float64(lt.sub+1)
				}
				switch {
				case a[1] == b[1]: // horizontal line: keep y exact
					pts[k] = orb.Point{locSnap7(x), a[1]}
				case a[0] == b[0]: // vertical line: keep x exact
					pts[k] = orb.Point{a[0], locSnap7(y)}
				case math.Abs(b[0]-a[0]) > math.Abs(b[1]-a[1]):
					pts[k] = orb.Point{locSnap7(x), locSnap7(y + jit)}
				default:
					pts[k] = orb.Point{locSnap7(x + jit), locSnap7(y)}
				}
			}
			out[i][j] = pts
		}
	}
	return out
}

// chain returns the vertices from lattice vertex a to its neighbour b,
// without b.
func (lt *locLattice) chain(a, b [2]int) []orb.Point {
	pts := []orb.Point{lt.vert[a[0]][a[1]]}
	var mid []orb.Point
	reverse := false
	switch {
	case a[1] == b[1]: // horizontal
		mid, reverse = lt.hmid[min(a[0], b[0])][a[1]], b[0] < a[0]
	default:
		mid, reverse = lt.vmid[a[0]][min(a[1], b[1])], b[1] < a[1]
	}
	mid = slices.Clone(mid)
	if reverse {
		slices.Reverse(mid)
	}
	return append(pts, mid...)
}

// grow assigns every cell not yet owned (owner -1) to one of k new grids,
// numbered from first, by growing k random seeds in random order.
func (lt *locLattice) grow(r *rand.Rand, k, first int) {
	var frontier [][3]int // cell i, j and grid
	for g := range k {
		for {
			i, j := r.IntN(lt.w), r.IntN(lt.h)
			if lt.owner[i][j] < 0 {
				lt.owner[i][j] = first + g
				frontier = append(frontier, [3]int{i, j, first + g})
				break
			}
		}
	}
	for len(frontier) > 0 {
		n := r.IntN(len(frontier))
		c := frontier[n]
		frontier[n] = frontier[len(frontier)-1]
		frontier = frontier[:len(frontier)-1]
		for _, dv := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			i, j := c[0]+dv[0], c[1]+dv[1]
			if i >= 0 && j >= 0 && i < lt.w && j < lt.h && lt.owner[i][j] < 0 {
				lt.owner[i][j] = c[2]
				frontier = append(frontier, [3]int{i, j, c[2]})
			}
		}
	}
}

// grids builds one Grid per owner index 0..n-1 with shuffled IDs.
func (lt *locLattice) grids(r *rand.Rand, n int) []*Grid {
	cells := make([][][2]int, n)
	for i := range lt.w {
		for j := range lt.h {
			cells[lt.owner[i][j]] = append(cells[lt.owner[i][j]], [2]int{i, j})
		}
	}
	ids := r.Perm(n)
	out := make([]*Grid, n)
	for g := range n {
		geom := lt.trace(cells[g])
		out[g] = &Grid{ID: GridID(ids[g] + 1), Name: "test grid " + strconv.Itoa(g), Geometry: geom, Bound: geom.Bound()}
	}
	return out
}

// trace returns the boundary of a set of cells as a MultiPolygon: every
// counter-clockwise ring is a polygon and every clockwise ring a hole of
// the first polygon that holds it.
func (lt *locLattice) trace(cells [][2]int) orb.MultiPolygon {
	type dirEdge struct{ a, b [2]int }
	has := map[dirEdge]bool{}
	for _, c := range cells {
		i, j := c[0], c[1]
		corners := [][2]int{{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}}
		for k := range 4 {
			has[dirEdge{corners[k], corners[(k+1)%4]}] = true
		}
	}
	out := map[[2]int][][2]int{}
	for e := range has {
		if !has[dirEdge{e.b, e.a}] {
			out[e.a] = append(out[e.a], e.b)
		}
	}
	starts := make([][2]int, 0, len(out))
	for v, ends := range out {
		slices.SortFunc(ends, locCmpCell)
		starts = append(starts, v)
	}
	slices.SortFunc(starts, locCmpCell)
	var rings []orb.Ring
	for _, s := range starts {
		for len(out[s]) > 0 {
			rings = append(rings, lt.walk(out, s))
		}
	}
	return locGroupRings(rings)
}

func locCmpCell(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// walk follows unused directed edges from s back to s and returns the
// closed ring, consuming the edges.
func (lt *locLattice) walk(out map[[2]int][][2]int, s [2]int) orb.Ring {
	var ring orb.Ring
	v := s
	for {
		next := out[v][0]
		out[v] = out[v][1:]
		ring = append(ring, lt.chain(v, next)...)
		v = next
		if v == s {
			return append(ring, ring[0])
		}
	}
}

// locGroupRings makes polygons of counter-clockwise rings and puts each
// clockwise ring into the first polygon whose outer ring holds it.
func locGroupRings(rings []orb.Ring) orb.MultiPolygon {
	var mp orb.MultiPolygon
	var holes []orb.Ring
	for _, r := range rings {
		if r.Orientation() == orb.CCW {
			mp = append(mp, orb.Polygon{r})
		} else {
			holes = append(holes, r)
		}
	}
	for _, h := range holes {
		placed := false
		for k := range mp {
			if !placed && locRingHoldsRing(mp[k][0], h) {
				mp[k] = append(mp[k], h)
				placed = true
			}
		}
		if !placed {
			mp[0] = append(mp[0], h)
		}
	}
	return mp
}

// locRingHoldsRing reports whether the centre of h's first edge lies in the
// polygon of outer ring o.
func locRingHoldsRing(o, h orb.Ring) bool {
	g := &Grid{Geometry: orb.MultiPolygon{{o}}}
	return GridContains(g, orb.Point{(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2})
}

// A locCity is a generated partition and what the tests need to know
// about it.
type locCity struct {
	lat    *locLattice
	grids  []*Grid
	donut  *Grid // a ring of cells around hole
	hole   *Grid // the grid that fills donut's hole
	multi  *Grid // a grid of two separate parts
	bounds orb.Bound
}

// newLocCity builds a 24 x 18 lattice with sub vertices per lattice edge:
// a donut grid (cells 2..6 x 2..6 minus 3..5 x 3..5) whose hole is another
// grid, a two-part grid (cells 9..10 x 2..3 and 13..14 x 2..3), and the
// remaining cells grown into k irregular grids.
func newLocCity(r *rand.Rand, sub, k int) *locCity {
	return newLocCitySized(r, 24, 18, sub, k, true)
}

// newLocCitySized is newLocCity with any lattice size; special adds the
// donut, hole and two-part grids (the lattice must then be at least 16 x 8).
func newLocCitySized(r *rand.Rand, w, h, sub, k int, special bool) *locCity {
	lt := newLocLattice(r, w, h, sub, 0.002)
	lt.owner = make([][]int, w)
	for i := range w {
		lt.owner[i] = make([]int, h)
		for j := range h {
			lt.owner[i][j] = -1
		}
	}
	n := 0
	if special {
		for i := 2; i <= 6; i++ {
			for j := 2; j <= 6; j++ {
				lt.owner[i][j] = 0
				if i >= 3 && i <= 5 && j >= 3 && j <= 5 {
					lt.owner[i][j] = 1
				}
			}
		}
		for _, c := range [][2]int{{9, 2}, {10, 2}, {9, 3}, {10, 3}, {13, 2}, {14, 2}, {13, 3}, {14, 3}} {
			lt.owner[c[0]][c[1]] = 2
		}
		n = 3
	}
	lt.grow(r, k, n)
	tc := &locCity{lat: lt, grids: lt.grids(r, n+k)}
	if special {
		tc.donut, tc.hole, tc.multi = tc.grids[0], tc.grids[1], tc.grids[2]
	}
	tc.bounds = tc.grids[0].Bound
	for _, g := range tc.grids[1:] {
		tc.bounds = tc.bounds.Union(g.Bound)
	}
	return tc
}

// cellGrid returns the grid that owns lattice cell (i, j).
func (tc *locCity) cellGrid(i, j int) *Grid {
	return tc.grids[tc.lat.owner[i][j]]
}
