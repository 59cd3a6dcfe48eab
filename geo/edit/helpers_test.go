package edit

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/paulmach/orb"
)

var (
	cityOnce sync.Once
	citySnap *geo.Snapshot
	cityErr  error
)

// testSnapshot returns the generated reference city (seed 1, scale 1) as
// version 1. It is shared by the tests, which must not modify it.
func testSnapshot(t testing.TB) *geo.Snapshot {
	t.Helper()
	cityOnce.Do(func() {
		var c *geo.City
		c, cityErr = fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
		if cityErr == nil {
			citySnap, cityErr = geo.NewSnapshot(c, 1)
		}
	})
	if cityErr != nil {
		t.Fatalf("generating the test city: %v", cityErr)
	}
	return citySnap
}

// testCommunity returns a community with at least n grids: the first such
// by code, so tests are deterministic.
func testCommunity(t testing.TB, s *geo.Snapshot, n int) *geo.Unit {
	t.Helper()
	for _, u := range s.City.Units {
		if u.Level() == geo.LevelCommunity && len(s.GridsOf(u.Code)) >= n && len(u.Geometry) > 0 {
			return u
		}
	}
	t.Fatalf("no community with %d grids", n)
	return nil
}

// neighbourPair returns two grids of the community sharing the longest
// boundary.
func neighbourPair(t testing.TB, s *geo.Snapshot, comm geo.DivisionCode) (*geo.Grid, *geo.Grid) {
	t.Helper()
	gs := s.GridsOf(comm)
	lat := gs[0].Bound.Center()[1]
	var a, b *geo.Grid
	best := 0.0
	for i, g := range gs {
		for _, h := range gs[i+1:] {
			if l := sharedLengthM(g.Geometry, h.Geometry, lat); l > best {
				a, b, best = g, h, l
			}
		}
	}
	if a == nil {
		t.Fatalf("community %s has no neighbouring grids", comm)
	}
	return a, b
}

// lineAcross returns a straight line through g's interior point at angle
// deg (degrees from east), reaching well beyond g's bounds on both sides.
func lineAcross(t testing.TB, g *geo.Grid, deg float64) orb.LineString {
	t.Helper()
	c, ok := pointOnSurface(g.Geometry)
	if !ok {
		t.Fatalf("grid %s has no interior point", g.Code)
	}
	b := g.Bound
	r := math.Hypot(b.Max[0]-b.Min[0], b.Max[1]-b.Min[1])
	dx, dy := math.Cos(deg*math.Pi/180)*r, math.Sin(deg*math.Pi/180)*r
	return orb.LineString{{c[0] - dx, c[1] - dy}, {c[0] + dx, c[1] + dy}}
}

// mustApply applies op and fails the test on an error.
func mustApply(t testing.TB, s *geo.Snapshot, op Op) *Result {
	t.Helper()
	res, err := Apply(s, op, Options{})
	if err != nil {
		t.Fatalf("Apply(%s) error: %v", op.Kind, err)
	}
	return res
}

// mustAccept applies op, requires it valid, checks the invariants of the
// next city and returns its snapshot.
func mustAccept(t testing.TB, s *geo.Snapshot, op Op) (*Result, *geo.Snapshot) {
	t.Helper()
	res := mustApply(t, s, op)
	if !res.Valid {
		t.Fatalf("Apply(%s) invalid: %v", op.Kind, res.Errors)
	}
	next, err := geo.NewSnapshot(res.Next, s.Version+1)
	if err != nil {
		t.Fatalf("NewSnapshot(next) = %v", err)
	}
	checkCommunity(t, next, res.Community)
	return res, next
}

// checkCommunity checks that the community is partitioned exactly: grid
// areas sum to the community's, every building lies in exactly one grid
// (the one it names), and shared edges are vertex-identical.
func checkCommunity(t testing.TB, s *geo.Snapshot, comm geo.DivisionCode) {
	t.Helper()
	u, _ := s.Unit(comm)
	gs := s.GridsOf(comm)
	lat := u.Geometry.Bound().Center()[1]
	sum := 0.0
	for _, g := range gs {
		sum += areaM2(g.Geometry, lat)
		if g.Bound != g.Geometry.Bound() {
			t.Errorf("grid %s: Bound %v, want %v", g.Code, g.Bound, g.Geometry.Bound())
		}
	}
	if want := areaM2(u.Geometry, lat); math.Abs(sum-want) > 1 {
		t.Errorf("community %s: grids cover %.3f m², want %.3f m²", comm, sum, want)
	}
	for _, g := range gs {
		for _, b := range s.BuildingsIn(g.Code) {
			var in []geo.GridCode
			for _, h := range gs {
				if geo.GridContains(h, b.Point) {
					in = append(in, h.Code)
				}
			}
			if len(in) != 1 || in[0] != b.Grid {
				t.Errorf("building %d (grid %s) lies in grids %v, want exactly its own", b.ID, b.Grid, in)
			}
		}
	}
	checkVertexIdentical(t, s, gs)
}

// checkVertexIdentical fails on a T-junction: a vertex of one grid lying
// inside an edge of another grid near the given ones.
func checkVertexIdentical(t testing.TB, s *geo.Snapshot, gs []*geo.Grid) {
	t.Helper()
	box := gs[0].Bound
	for _, g := range gs {
		box = box.Union(g.Bound)
	}
	var near []*geo.Grid
	for _, g := range s.City.Grids {
		if g.Bound.Intersects(box) {
			near = append(near, g)
		}
	}
	var pts []orb.Point
	for _, g := range near {
		pts = ringPoints(pts, g.Geometry)
	}
	idx := newPointIndex(pts)
	for _, g := range near {
		forEdges(g.Geometry, func(a, b orb.Point) {
			idx.Near(a, b, stitchEps, func(p orb.Point) {
				if onSegmentInterior(p, a, b, stitchEps) {
					t.Errorf("grid %s: vertex %v lies inside its edge %v-%v (a T-junction)", g.Code, p, a, b)
				}
			})
		})
	}
}

// validateCity runs cityio.Validate, the reader's full check, on c.
func validateCity(t testing.TB, c *geo.City) {
	t.Helper()
	if err := cityio.Validate(c); err != nil {
		t.Errorf("cityio.Validate(next) = %v", err)
	}
}

// hasProblem reports whether res holds an error with the code.
func hasProblem(res *Result, code ProblemCode) bool {
	return slices.ContainsFunc(res.Errors, func(p Problem) bool { return p.Code == code })
}

// largestGrid returns the community's grid with the most area.
func largestGrid(s *geo.Snapshot, comm geo.DivisionCode) *geo.Grid {
	gs := slices.Clone(s.GridsOf(comm))
	slices.SortFunc(gs, func(a, b *geo.Grid) int {
		return cmp.Compare(areaM2(b.Geometry, 0), areaM2(a.Geometry, 0))
	})
	return gs[0]
}

func sqrt(x float64) float64 { return math.Sqrt(x) }

func cos(x float64) float64 { return math.Cos(x) }

func sin(x float64) float64 { return math.Sin(x) }
