package tiles

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// testSeed returns the seed of randomised tests: SEED from the environment
// or the given default. Tests print it so a failure can be replayed.
func testSeed(t testing.TB, def uint64) uint64 {
	t.Helper()
	seed := def
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with SEED=%d)", seed, seed)
	return seed
}

// A lattice is a jittered grid of cells whose shared edges carry wiggly
// intermediate vertices. Any set of cells traced with trace gets rings
// that are vertex-identical with its neighbours', as the fixture city's.
type lattice struct {
	nx, ny int
	vert   [][]orb.Point          // (nx+1) x (ny+1) corners, j grows northwards
	hedge  map[[2]int][]orb.Point // edge from (i,j) to (i+1,j), without its ends
	vedge  map[[2]int][]orb.Point // edge from (i,j) to (i,j+1), without its ends
}

// newLattice builds an nx x ny lattice of cells of size degrees south-west
// corner at origin, with per-edge wiggle vertices.
func newLattice(rng *rand.Rand, origin orb.Point, nx, ny int, size float64) *lattice {
	l := &lattice{nx: nx, ny: ny, hedge: map[[2]int][]orb.Point{}, vedge: map[[2]int][]orb.Point{}}
	l.vert = make([][]orb.Point, nx+1)
	for i := range l.vert {
		l.vert[i] = make([]orb.Point, ny+1)
		for j := range l.vert[i] {
			jx, jy := (rng.Float64()-0.5)*size*0.3, (rng.Float64()-0.5)*size*0.3
			l.vert[i][j] = snap7(orb.Point{origin[0] + float64(i)*size + jx, origin[1] + float64(j)*size + jy})
		}
	}
	wiggle := func(a, b orb.Point) []orb.Point {
		n := 2 + rng.IntN(8)
		pts := make([]orb.Point, n)
		dx, dy := b[0]-a[0], b[1]-a[1]
		for k := range pts {
			t := float64(k+1) / float64(n+1)
			w := (rng.Float64() - 0.5) * 0.08
			pts[k] = snap7(orb.Point{a[0] + t*dx - w*dy, a[1] + t*dy + w*dx})
		}
		return pts
	}
	for i := 0; i <= nx; i++ {
		for j := 0; j <= ny; j++ {
			if i < nx {
				l.hedge[[2]int{i, j}] = wiggle(l.vert[i][j], l.vert[i+1][j])
			}
			if j < ny {
				l.vedge[[2]int{i, j}] = wiggle(l.vert[i][j], l.vert[i][j+1])
			}
		}
	}
	return l
}

func snap7(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*1e7) / 1e7, math.Round(p[1]*1e7) / 1e7}
}

// edgePoints returns the points from corner a to corner b (adjacent
// corners), without b.
func (l *lattice) edgePoints(a, b [2]int) []orb.Point {
	out := []orb.Point{l.vert[a[0]][a[1]]}
	var mid []orb.Point
	rev := false
	switch {
	case b[0] == a[0]+1:
		mid = l.hedge[a]
	case b[0] == a[0]-1:
		mid, rev = l.hedge[b], true
	case b[1] == a[1]+1:
		mid = l.vedge[a]
	default:
		mid, rev = l.vedge[b], true
	}
	for k := range mid {
		if rev {
			out = append(out, mid[len(mid)-1-k])
		} else {
			out = append(out, mid[k])
		}
	}
	return out
}

// trace returns the outline of a set of cells as a multipolygon with
// counter-clockwise exteriors and clockwise holes (lon/lat, y up). The set
// must not touch itself at a single corner.
func (l *lattice) trace(cells map[[2]int]bool) orb.MultiPolygon {
	next := map[[2]int][2]int{} // directed boundary edge start -> end corner
	for c := range cells {
		i, j := c[0], c[1]
		sides := [4][3]int{{i, j - 1, 0}, {i + 1, j, 1}, {i, j + 1, 2}, {i - 1, j, 3}}
		corners := [5][2]int{{i, j}, {i + 1, j}, {i + 1, j + 1}, {i, j + 1}, {i, j}}
		for _, s := range sides {
			if !cells[[2]int{s[0], s[1]}] {
				next[corners[s[2]]] = corners[s[2]+1]
			}
		}
	}
	var rings []orb.Ring
	for len(next) > 0 {
		start := minCorner(next)
		var ring orb.Ring
		for c := start; ; {
			n := next[c]
			delete(next, c)
			ring = append(ring, l.edgePoints(c, n)...)
			if c = n; c == start {
				break
			}
		}
		rings = append(rings, append(ring, ring[0]))
	}
	var mp orb.MultiPolygon
	for _, r := range rings {
		if r.Orientation() == orb.CCW {
			mp = append(mp, orb.Polygon{r})
		}
	}
	for _, r := range rings {
		if r.Orientation() == orb.CW {
			for k := range mp {
				if ringContains(mp[k][0], r[0]) {
					mp[k] = append(mp[k], r)
					break
				}
			}
		}
	}
	return mp
}

func minCorner(m map[[2]int][2]int) [2]int {
	first := true
	var best [2]int
	for c := range m {
		if first || c[0] < best[0] || (c[0] == best[0] && c[1] < best[1]) {
			best, first = c, false
		}
	}
	return best
}

func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
		a, b := r[i], r[j]
		if (a[1] > p[1]) != (b[1] > p[1]) && p[0] < (b[0]-a[0])*(p[1]-a[1])/(b[1]-a[1])+a[0] {
			in = !in
		}
	}
	return in
}

// testCity builds a small city on a 12 x 8 lattice of ~450 m cells near
// 钟山区: two districts of two subdistricts of two communities each, one
// grid per cell except a ring-shaped grid around a one-cell grid (a hole)
// and a two-part grid (a multipolygon), with buildings, streets and
// stations.
func testCity(t testing.TB, seed uint64) *geo.Snapshot {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 7))
	const nx, ny = 12, 8
	lat := newLattice(rng, orb.Point{104.80, 26.56}, nx, ny, 0.0045)
	commOf := map[[2]int]geo.DivisionCode{}
	for i := 0; i < nx; i++ {
		for j := 0; j < ny; j++ {
			d := geo.DivisionCode(520201000000)
			if i >= 6 {
				d = 520204000000
			}
			sub := d + geo.DivisionCode(1000*(1+j/4))
			commOf[[2]int{i, j}] = sub + geo.DivisionCode(1+(i%6)/3)
		}
	}
	c := &geo.City{Code: 520200000000, Name: "六盘水市", Province: "贵州省"}
	c.Units = unitsOf(lat, commOf)
	grids := gridCells(t, commOf)
	c.Grids = buildGrids(lat, grids)
	addBuildings(rng, c, lat, grids)
	addStreets(c, lat)
	addStations(c, lat, commOf)
	s, err := geo.NewSnapshot(c, 1)
	if err != nil {
		t.Fatalf("NewSnapshot: %v", err)
	}
	return s
}
