package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// locGridName names a grid in failure messages.
func locGridName(g *Grid) string {
	if g == nil {
		return "<nil>"
	}
	return g.Name
}

// locCheck fails when the Locator and the brute-force reference
// disagree at p.
func locCheck(t *testing.T, l *Locator, b *BruteLocator, p orb.Point) {
	t.Helper()
	got, gotOK := l.Locate(p)
	want, wantOK := b.Locate(p)
	if got != want || gotOK != wantOK {
		t.Fatalf("Locate(%.10f, %.10f) = %s, %v, want %s, %v (brute force)", p[0], p[1], locGridName(got), gotOK, locGridName(want), wantOK)
	}
}

func TestLocateAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 1), 7))
	tc := newLocCity(r, 3, 30)
	l, b := NewLocator(tc.grids), NewBruteLocator(tc.grids)
	if l.Len() != len(tc.grids) {
		t.Fatalf("Len() = %d, want %d", l.Len(), len(tc.grids))
	}
	var xs, ys []float64 // every vertex coordinate, to land exactly on lines
	for _, g := range tc.grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				for _, v := range ring {
					xs, ys = append(xs, v[0]), append(ys, v[1])
				}
			}
		}
	}
	bd := tc.bounds
	w, h := bd.Max[0]-bd.Min[0], bd.Max[1]-bd.Min[1]
	for n := range 100000 {
		p := orb.Point{bd.Min[0] - 0.05*w + r.Float64()*1.1*w, bd.Min[1] - 0.05*h + r.Float64()*1.1*h}
		switch n % 4 {
		case 1:
			p[0] = xs[r.IntN(len(xs))]
		case 2:
			p[1] = ys[r.IntN(len(ys))]
		case 3:
			p = orb.Point{xs[r.IntN(len(xs))], ys[r.IntN(len(ys))]}
		}
		locCheck(t, l, b, p)
		if bd.Contains(p) {
			if _, ok := l.Locate(p); !ok {
				t.Fatalf("Locate(%v) found no grid inside the partitioned rectangle %v", p, bd)
			}
		}
	}
}

// locBoundaryPoints returns every vertex of every grid and the midpoint of
// every axis-parallel edge (exactly on the edge).
func locBoundaryPoints(grids []*Grid) []orb.Point {
	var out []orb.Point
	for _, g := range grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					a, c := ring[i], ring[i+1]
					out = append(out, a)
					if a[0] == c[0] || a[1] == c[1] {
						out = append(out, orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2})
					}
				}
			}
		}
	}
	return out
}

func TestSharedBoundaryPointsBelongToOneGrid(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 2), 7))
	tc := newLocCity(r, 3, 30)
	l, b := NewLocator(tc.grids), NewBruteLocator(tc.grids)
	bd := tc.bounds
	inner := 0
	for _, p := range locBoundaryPoints(tc.grids) {
		locCheck(t, l, b, p)
		onOuter := p[0] == bd.Min[0] || p[0] == bd.Max[0] || p[1] == bd.Min[1] || p[1] == bd.Max[1]
		in := b.Containing(p)
		switch {
		case !onOuter && len(in) != 1:
			t.Fatalf("%v lies in %d grids by rule 1, want exactly 1", p, len(in))
		case onOuter && len(in) > 1:
			t.Fatalf("outer boundary point %v lies in %d grids by rule 1, want at most 1", p, len(in))
		}
		if _, ok := l.Locate(p); !ok {
			t.Fatalf("Locate(%v) found no grid for a boundary point", p)
		}
		if !onOuter {
			inner++
		}
	}
	if inner < 1000 {
		t.Fatalf("only %d shared boundary points tested, want at least 1000", inner)
	}
}

func TestSharedEdgesGoEastAndNorth(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 3), 7))
	tc := newLocCity(r, 3, 30)
	l, lt := NewLocator(tc.grids), tc.lat
	vy := func(i, j int) float64 { return lt.vert[i][j][1] }
	vx := func(i, j int) float64 { return lt.vert[i][j][0] }
	cases := []struct {
		name string
		p    orb.Point
		want *Grid
	}{
		// Vertical straight line i = 8, between lattice rows: the cell east.
		{"vertical edge", orb.Point{vx(8, 10), (vy(8, 10) + vy(8, 11)) / 2}, tc.cellGrid(8, 10)},
		{"vertical edge sub-vertex", lt.vmid[8][10][1], tc.cellGrid(8, 10)},
		// Horizontal straight line j = 8: the cell north.
		{"horizontal edge", orb.Point{(vx(11, 8) + vx(12, 8)) / 2, vy(11, 8)}, tc.cellGrid(11, 8)},
		{"horizontal edge sub-vertex", lt.hmid[11][8][2], tc.cellGrid(11, 8)},
		// A lattice vertex where four cells meet: the north-east cell.
		{"four-cell vertex", lt.vert[12][10], tc.cellGrid(12, 10)},
		{"warped vertex", lt.vert[13][11], nil}, // checked against brute force below
		{"donut outer west edge", orb.Point{vx(2, 4), (vy(2, 4) + vy(2, 5)) / 2}, tc.donut},
		// The hole's rings: warped lines 3 and straight lines 6; their
		// intermediate vertices lie exactly on them.
		{"hole west edge", lt.vmid[3][4][0], tc.hole},
		{"hole east edge", orb.Point{vx(6, 4), (vy(6, 4) + vy(6, 5)) / 2}, tc.donut},
		// On a warped, nearly horizontal edge "just east" is above the
		// edge (the hole) iff the edge east of the point descends.
		{"hole south edge", lt.hmid[4][3][1], locPick(lt.hmid[4][3][2][1] <= lt.hmid[4][3][1][1], tc.hole, tc.donut)},
		{"hole north edge", orb.Point{(vx(4, 6) + vx(5, 6)) / 2, vy(4, 6)}, tc.donut},
		{"hole south-west corner", lt.vert[3][3], locPick(lt.hmid[3][3][0][1] <= lt.vert[3][3][1], tc.hole, tc.donut)},
		{"hole north-east corner", lt.vert[6][6], tc.donut},
	}
	b := NewBruteLocator(tc.grids)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := c.want
			if want == nil {
				want, _ = b.Locate(c.p)
			}
			if got, _ := l.Locate(c.p); got != want {
				t.Errorf("Locate(%v) = %s, want %s", c.p, locGridName(got), locGridName(want))
			}
			if in := b.Containing(c.p); len(in) != 1 || in[0] != want {
				t.Errorf("grids containing %v by rule 1 = %d, want only %s", c.p, len(in), locGridName(want))
			}
		})
	}
}

// locPick returns a if c, else b.
func locPick(c bool, a, b *Grid) *Grid {
	if c {
		return a
	}
	return b
}

func TestOuterBoundary(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 4), 7))
	tc := newLocCity(r, 3, 30)
	l, lt := NewLocator(tc.grids), tc.lat
	w, h := lt.w, lt.h
	mid := func(a, c orb.Point) orb.Point { return orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2} }
	east := lt.vert[w][7][0]
	cases := []struct {
		name  string
		p     orb.Point
		want  *Grid
		rule1 bool // whether rule 1 alone places the point
	}{
		{"west edge", mid(lt.vert[0][5], lt.vert[0][6]), tc.cellGrid(0, 5), true},
		{"south edge", mid(lt.vert[7][0], lt.vert[8][0]), tc.cellGrid(7, 0), true},
		{"east edge", mid(lt.vert[w][7], lt.vert[w][8]), tc.cellGrid(w-1, 7), false},
		{"east edge sub-vertex", lt.vmid[w][7][0], tc.cellGrid(w-1, 7), false},
		{"north edge", mid(lt.vert[9][h], lt.vert[10][h]), tc.cellGrid(9, h-1), false},
		{"south-west corner", lt.vert[0][0], tc.cellGrid(0, 0), true},
		{"south-east corner", lt.vert[w][0], tc.cellGrid(w-1, 0), false},
		{"north-east corner", lt.vert[w][h], tc.cellGrid(w-1, h-1), false},
		{"north-west corner", lt.vert[0][h], tc.cellGrid(0, h-1), false},
		{"just east within epsilon", orb.Point{east + 0.5e-9, lt.vmid[w][7][0][1]}, tc.cellGrid(w-1, 7), false},
		{"just east beyond epsilon", orb.Point{east + 1e-8, lt.vmid[w][7][0][1]}, nil, false},
	}
	b := NewBruteLocator(tc.grids)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := l.Locate(c.p)
			if got != c.want || ok != (c.want != nil) {
				t.Errorf("Locate(%v) = %s, %v, want %s", c.p, locGridName(got), ok, locGridName(c.want))
			}
			if in := b.Containing(c.p); (len(in) == 1) != c.rule1 {
				t.Errorf("%v lies in %d grids by rule 1, want rule 1 to decide: %v", c.p, len(in), c.rule1)
			}
			locCheck(t, l, b, c.p)
		})
	}
}

func TestHoleAndMultiPolygon(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 5), 7))
	tc := newLocCity(r, 3, 30)
	l := NewLocator(tc.grids)
	if got := len(tc.donut.Geometry); got != 1 || len(tc.donut.Geometry[0]) != 2 {
		t.Fatalf("donut has %d polygons, first with %d rings, want 1 polygon with a hole", got, len(tc.donut.Geometry[0]))
	}
	if got := len(tc.multi.Geometry); got != 2 {
		t.Fatalf("two-part grid has %d polygons, want 2", got)
	}
	centre := func(i, j int) orb.Point {
		a, c := tc.lat.vert[i][j], tc.lat.vert[i+1][j+1]
		return orb.Point{(a[0] + c[0]) / 2, (a[1] + c[1]) / 2}
	}
	cases := []struct {
		name string
		p    orb.Point
		want *Grid
	}{
		{"hole centre", centre(4, 4), tc.hole},
		{"hole corner cell", centre(3, 5), tc.hole},
		{"donut west", centre(2, 4), tc.donut},
		{"donut north-east", centre(6, 6), tc.donut},
		{"first part", centre(9, 2), tc.multi},
		{"second part", centre(14, 3), tc.multi},
		{"between parts", centre(11, 2), tc.cellGrid(11, 2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, _ := l.Locate(c.p); got != c.want {
				t.Errorf("Locate(%v) = %s, want %s", c.p, locGridName(got), locGridName(c.want))
			}
			for _, g := range []*Grid{tc.donut, tc.hole, tc.multi} {
				if got := GridContains(g, c.p); got != (g == c.want) {
					t.Errorf("GridContains(%s, %v) = %v, want %v", g.Name, c.p, got, g == c.want)
				}
			}
		})
	}
	if tc.cellGrid(11, 2) == tc.multi {
		t.Fatalf("the cells between the two parts belong to the two-part grid")
	}
}

func TestLocateBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 6), 7))
	tc := newLocCity(r, 2, 20)
	l := NewLocator(tc.grids)
	ps := make([]orb.Point, 5000)
	bd := tc.bounds
	for i := range ps {
		ps[i] = orb.Point{bd.Min[0] - 0.001 + r.Float64()*(bd.Max[0]-bd.Min[0]+0.002), bd.Min[1] - 0.001 + r.Float64()*(bd.Max[1]-bd.Min[1]+0.002)}
	}
	out := make([]*Grid, len(ps))
	for i := range out {
		out[i] = tc.grids[0] // stale values must be overwritten
	}
	l.LocateBatch(ps, out)
	misses := 0
	for i, p := range ps {
		want, _ := l.Locate(p)
		if out[i] != want {
			t.Fatalf("LocateBatch point %d %v = %s, want %s", i, p, locGridName(out[i]), locGridName(want))
		}
		if want == nil {
			misses++
		}
	}
	if misses == 0 || misses == len(ps) {
		t.Fatalf("%d of %d points missed, want some hits and some misses", misses, len(ps))
	}
	short := make([]*Grid, 3)
	l.LocateBatch(ps, short) // must not panic
	l.LocateBatch(ps[:2], short)
}

func TestLocateDoesNotAllocate(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 8), 7))
	tc := newLocCity(r, 3, 30)
	l := NewLocator(tc.grids)
	b := tc.bounds
	p := orb.Point{b.Min[0] + 0.3*(b.Max[0]-b.Min[0]), b.Min[1] + 0.6*(b.Max[1]-b.Min[1])}
	edge := tc.lat.vert[tc.lat.w][5]
	ps := []orb.Point{p, edge, {0, 0}}
	out := make([]*Grid, len(ps))
	if n := testing.AllocsPerRun(200, func() {
		for _, q := range ps {
			l.Locate(q)
		}
		l.LocateBatch(ps, out)
	}); n != 0 {
		t.Errorf("Locate and LocateBatch allocate %.1f times per run, want 0", n)
	}
}

func TestLocateBadInput(t *testing.T) {
	sq := func(id GridID, x0, y0, x1, y1 float64) *Grid {
		return &Grid{ID: id, Name: "square " + string(rune('0'+id)), Geometry: orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}}
	}
	nanGrid := sq(1, 0, 0, 1, 1)
	nanGrid.Geometry[0][0][2] = orb.Point{math.NaN(), 1}
	hugeGrid := sq(2, 0, 0, 1e9, 1e9)
	empty := &Grid{ID: 3, Name: "empty"}
	point := &Grid{ID: 4, Name: "point", Geometry: orb.MultiPolygon{{{{5, 5}, {5, 5}}}}}
	high, low := sq(9, 0, 0, 2, 2), sq(7, 1, 1, 3, 3)
	twin := sq(7, 1, 0, 3, 2) // same ID as low, given later
	l := NewLocator([]*Grid{nil, nanGrid, hugeGrid, empty, point, high, low, twin})
	if l.Len() != 3 {
		t.Errorf("Len() = %d, want 3 (only the usable grids)", l.Len())
	}
	cases := []struct {
		name string
		p    orb.Point
		want *Grid
	}{
		{"overlap goes to the lowest ID", orb.Point{1.5, 1.5}, low},
		{"equal IDs keep input order", orb.Point{1.5, 0.5}, twin},
		{"only the high grid", orb.Point{0.5, 0.5}, high},
		{"nan point", orb.Point{math.NaN(), 0.5}, nil},
		{"infinite point", orb.Point{math.Inf(-1), 0.5}, nil},
		{"far away", orb.Point{-50, 60}, nil},
		{"inside the nan grid's area", orb.Point{0.5, 0.9}, high},
	}
	b := NewBruteLocator([]*Grid{nil, nanGrid, hugeGrid, empty, point, high, low, twin})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got, _ := l.Locate(c.p); got != c.want {
				t.Errorf("Locate(%v) = %s, want %s", c.p, locGridName(got), locGridName(c.want))
			}
			if got, _ := b.Locate(c.p); got != c.want {
				t.Errorf("brute Locate(%v) = %s, want %s", c.p, locGridName(got), locGridName(c.want))
			}
		})
	}
	for _, g := range []*Grid{nil, nanGrid, hugeGrid, empty} {
		if GridContains(g, orb.Point{0.5, 0.5}) {
			t.Errorf("GridContains(unusable grid %v, ...) = true, want false", g)
		}
	}
	if g, d := NewLocator(nil).Nearest(orb.Point{1, 1}); g != nil || d != 0 {
		t.Errorf("empty Nearest = %v, %v, want nil, 0", g, d)
	}
}

func TestLocatorConcurrentUse(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 13), 7))
	tc := newLocCity(r, 2, 20)
	l := NewLocator(tc.grids)
	bd := tc.bounds
	ps := make([]orb.Point, 2000)
	want := make([]*Grid, len(ps))
	for i := range ps {
		ps[i] = orb.Point{bd.Min[0] - 0.002 + r.Float64()*(bd.Max[0]-bd.Min[0]+0.004), bd.Min[1] - 0.002 + r.Float64()*(bd.Max[1]-bd.Min[1]+0.004)}
		want[i], _ = l.Locate(ps[i])
	}
	errs := make(chan string, 4)
	for w := range 4 {
		go func() {
			for i := w; i < len(ps); i += 4 {
				got, _ := l.Locate(ps[i])
				near, _ := l.Nearest(ps[i])
				if got != want[i] || (got != nil && near != got) {
					errs <- "Locate(" + locGridName(got) + ") or Nearest(" + locGridName(near) + ") differs under concurrency, want " + locGridName(want[i])
					return
				}
			}
			errs <- ""
		}()
	}
	for range 4 {
		if msg := <-errs; msg != "" {
			t.Error(msg)
		}
	}
}
