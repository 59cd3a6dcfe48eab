package edit

import (
	"fmt"
	"hash/fnv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func TestApplyAccepted(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	big := largestGrid(s, u.Code)
	a, b := neighbourPair(t, s, u.Code)
	chain := sharedChain(t, a, b)
	nGrids := len(s.GridsOf(u.Code))
	cases := []struct {
		name       string
		op         Op
		wantGrids  int // grids in the community after
		wantKinds  map[ChangeKind]int
		wantMovesA bool // some building moves
	}{
		{"split", Op{Kind: KindSplit, Grid: big.Code, Line: lineAcross(t, big, 0)}, nGrids + 1, map[ChangeKind]int{ChangeAdded: 1, ChangeReshaped: 1}, false},
		{"split diagonal", Op{Kind: KindSplit, Grid: big.Code, Line: lineAcross(t, big, 60)}, nGrids + 1, map[ChangeKind]int{ChangeAdded: 1, ChangeReshaped: 1}, false},
		{"merge", Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}, Name: "合并网格"}, nGrids - 1, map[ChangeKind]int{ChangeRetired: 1, ChangeReshaped: 1}, true},
		{"move boundary", Op{Kind: KindMoveBoundary, Grids: []geo.GridCode{a.Code, b.Code}, Line: bentChain(chain, a, 8)}, nGrids, map[ChangeKind]int{ChangeReshaped: 2}, false},
		{"retire into one", Op{Kind: KindRetire, Grid: b.Code, Into: []geo.GridCode{a.Code}}, nGrids - 1, map[ChangeKind]int{ChangeRetired: 1, ChangeReshaped: 1}, true},
		{"create", Op{Kind: KindCreate, Community: u.Code, Geometry: square(midpoint(chain), 30), Name: "新网格"}, nGrids + 1, map[ChangeKind]int{ChangeAdded: 1, ChangeReshaped: 2}, false},
		{"replace grows", Op{Kind: KindReplace, Grid: a.Code, Geometry: mustUnion(t, a.Geometry, square(midpoint(chain), 25))}, nGrids, map[ChangeKind]int{ChangeReshaped: 2}, false},
		{"replace shrinks", Op{Kind: KindReplace, Grid: a.Code, Geometry: mustDifference(t, a.Geometry, square(midpoint(chain), 25))}, nGrids, map[ChangeKind]int{ChangeReshaped: 2}, false},
		{"replace_layout merged", Op{Kind: KindReplaceLayout, Community: u.Code,
			Layout: withGeometry(withGeometry(layoutOf(t, s, u.Code), b.Code, nil), a.Code, mustUnion(t, a.Geometry, b.Geometry))},
			nGrids - 1, map[ChangeKind]int{ChangeRetired: 1, ChangeReshaped: 1}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, next := mustAccept(t, s, tc.op)
			if got := len(next.GridsOf(u.Code)); got != tc.wantGrids {
				t.Errorf("grids in %s = %d, want %d", u.Code, got, tc.wantGrids)
			}
			got := map[ChangeKind]int{}
			for _, c := range res.Changes {
				if c.Kind != ChangeStitched {
					got[c.Kind]++
				}
			}
			for k, n := range tc.wantKinds {
				if got[k] != n {
					t.Errorf("changes of kind %s = %d, want %d (all: %v)", k, got[k], n, got)
				}
			}
			if tc.wantMovesA && len(res.Impact.Moves) == 0 {
				t.Errorf("no building moves, want some")
			}
			checkImpact(t, s, res)
			validateCity(t, res.Next)
		})
	}
}

// bentChain returns the shared chain with its middle moved offM meters
// into grid a, ends kept: a new shared boundary.
func bentChain(chain orb.LineString, a *geo.Grid, offM float64) orb.LineString {
	m := midpoint(chain)
	c, _ := pointOnSurface(a.Geometry)
	kx, ky := metersPerDegree(m[1])
	dx, dy := (c[0]-m[0])*kx, (c[1]-m[1])*ky
	l := dx*dx + dy*dy
	if l == 0 {
		return chain
	}
	f := offM / sqrt(l)
	p := orb.Point{m[0] + dx*f/kx, m[1] + dy*f/ky}
	return orb.LineString{chain[0], p, chain[len(chain)-1]}
}

// checkImpact checks that the preview agrees with the next city: every
// move is real, flows sum to moves, counts match the buildings.
func checkImpact(t *testing.T, s *geo.Snapshot, res *Result) {
	t.Helper()
	next, err := geo.NewSnapshot(res.Next, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range res.Impact.Moves {
		old, _ := s.Building(m.Building)
		now, _ := next.Building(m.Building)
		if old.Grid != m.From || now.Grid != m.To {
			t.Errorf("move of building %d: %s -> %s, but city has %s -> %s", m.Building, m.From, m.To, old.Grid, now.Grid)
		}
	}
	total := 0
	for _, f := range res.Impact.Flows {
		total += f.Buildings
	}
	if total != len(res.Impact.Moves) {
		t.Errorf("flows sum to %d buildings, want %d moves", total, len(res.Impact.Moves))
	}
	for _, gc := range res.Impact.Grids {
		g, ok := next.GridByID(gc.ID)
		if !ok {
			if gc.HouseholdsAfter != 0 {
				t.Errorf("retired grid %d has %d households after", gc.ID, gc.HouseholdsAfter)
			}
			continue
		}
		if st := next.Stats(g.Community()); st.Grids == 0 {
			t.Errorf("community of grid %s has no grids", g.Code)
		}
		hh := 0
		for _, b := range next.BuildingsIn(g.Code) {
			hh += b.Households
		}
		if gc.HouseholdsAfter != hh || g.Households != hh {
			t.Errorf("grid %s households after = %d (grid says %d), buildings sum to %d", g.Code, gc.HouseholdsAfter, g.Households, hh)
		}
	}
	if len(res.Changes) > 0 && len(res.Impact.Tiles) == 0 {
		t.Errorf("no tiles for %d changes", len(res.Changes))
	}
	for _, k := range res.Impact.Tiles {
		if !k.Valid() || k.Z < MinTileZoom || k.Z > MaxTileZoom {
			t.Errorf("bad tile %+v", k)
		}
	}
}

func TestApplyMore(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	t.Run("replace_layout own grids is a valid no-op", func(t *testing.T) {
		res := mustApply(t, s, Op{Kind: KindReplaceLayout, Community: u.Code, Layout: layoutOf(t, s, u.Code)})
		if !res.Valid || len(res.Changes) != 0 || len(res.Impact.Moves) != 0 {
			t.Errorf("re-upload: valid %v, %d changes, %d moves; want valid, none (errors %v)", res.Valid, len(res.Changes), len(res.Impact.Moves), res.Errors)
		}
	})
	t.Run("move boundary onto itself is a no-op", func(t *testing.T) {
		res := mustApply(t, s, Op{Kind: KindMoveBoundary, Grids: []geo.GridCode{a.Code, b.Code}, Line: sharedChain(t, a, b)})
		if !res.Valid || len(res.Changes) != 0 {
			t.Errorf("same boundary: valid %v, changes %d; want valid, none (errors %v)", res.Valid, len(res.Changes), res.Errors)
		}
	})
	t.Run("retire into two neighbours", func(t *testing.T) {
		g, into := gridWithNeighbours(t, s, u.Code, 2)
		res, next := mustAccept(t, s, Op{Kind: KindRetire, Grid: g.Code, Into: into})
		for _, c := range into {
			n, _ := next.Grid(c)
			old, _ := s.Grid(c)
			if areaM2(n.Geometry, 0) <= areaM2(old.Geometry, 0) {
				t.Errorf("neighbour %s did not grow", c)
			}
		}
		if _, ok := next.Grid(g.Code); ok {
			t.Errorf("retired grid %s still exists", g.Code)
		}
		validateCity(t, res.Next)
	})
	t.Run("split with codes and names", func(t *testing.T) {
		g := largestGrid(s, u.Code)
		free, _ := geo.NewGridCode(u.Code, 900)
		res, next := mustAccept(t, s, Op{Kind: KindSplit, Grid: g.Code, Line: lineAcross(t, g, 90),
			Codes: []geo.GridCode{free, g.Code}, Names: []string{"西网格", "东网格"}})
		w, ok1 := next.Grid(free)
		e, ok2 := next.Grid(g.Code)
		if !ok1 || !ok2 || w.Name != "西网格" || e.Name != "东网格" || e.ID != g.ID || w.ID <= g.ID {
			t.Fatalf("parts: %v %v; want %s 西网格 (new id) and %s 东网格 (id %d)", w, e, free, g.Code, g.ID)
		}
		if w.Bound.Center()[0] > e.Bound.Center()[0] {
			t.Errorf("standard order: part %s is east of part %s", free, g.Code)
		}
		validateCity(t, res.Next)
	})
	t.Run("new grid ids and codes are never reused", func(t *testing.T) {
		hist := NewCodeHistory(s.City, time.Time{})
		res := mustApply(t, s, Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}})
		hist.Record(res.Changes, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
		next, _ := geo.NewSnapshot(res.Next, 2)
		g, _ := next.Grid(a.Code)
		res2, err := Apply(next, Op{Kind: KindSplit, Grid: g.Code, Line: lineAcross(t, g, 0)}, Options{History: hist})
		if err != nil || !res2.Valid {
			t.Fatalf("split after merge: %v %v", err, res2.Errors)
		}
		for _, c := range res2.Changes {
			if c.Kind != ChangeAdded {
				continue
			}
			if c.After.Code == b.Code || c.ID == b.ID {
				t.Errorf("new grid reuses retired code %s or id %d", c.After.Code, c.ID)
			}
			if c.After.Code.Seq() <= hist.MaxSeq(u.Code) {
				t.Errorf("new code %s not above the highest sequence ever used %d", c.After.Code, hist.MaxSeq(u.Code))
			}
			if c.ID <= hist.MaxGridID() {
				t.Errorf("new id %d not above the highest id ever used %d", c.ID, hist.MaxGridID())
			}
		}
	})
}

// gridWithNeighbours returns a grid of the community with at least n
// neighbours in it, and the codes of n of them.
func gridWithNeighbours(t testing.TB, s *geo.Snapshot, comm geo.DivisionCode, n int) (*geo.Grid, []geo.GridCode) {
	t.Helper()
	gs := s.GridsOf(comm)
	for _, g := range gs {
		var nb []geo.GridCode
		for _, h := range gs {
			if h.ID != g.ID && sharedLengthM(g.Geometry, h.Geometry, 26) > 20 {
				nb = append(nb, h.Code)
			}
		}
		if len(nb) >= n {
			return g, nb[:n]
		}
	}
	t.Fatalf("no grid of %s has %d neighbours", comm, n)
	return nil, nil
}

func TestApplyDoesNotModifySnapshot(t *testing.T) {
	s := testSnapshot(t)
	before := fingerprint(s.City)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	for _, op := range []Op{
		{Kind: KindSplit, Grid: a.Code, Line: lineAcross(t, a, 30)},
		{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}},
		{Kind: KindCreate, Community: u.Code, Geometry: square(midpoint(sharedChain(t, a, b)), 40)},
		{Kind: KindReplaceLayout, Community: u.Code, Layout: layoutOf(t, s, u.Code)},
	} {
		mustApply(t, s, op)
	}
	if after := fingerprint(s.City); after != before {
		t.Errorf("the base city changed under Apply: fingerprint %x, want %x", after, before)
	}
}

// fingerprint hashes every grid coordinate, code and count and every
// building's grid of c.
func fingerprint(c *geo.City) uint64 {
	h := fnv.New64a()
	for _, g := range c.Grids {
		fmt.Fprint(h, g.ID, g.Code, g.Name, g.Households, g.Buildings, g.Bound)
		for _, p := range ringPoints(nil, g.Geometry) {
			fmt.Fprint(h, p[0], p[1])
		}
	}
	for _, b := range c.Buildings {
		fmt.Fprint(h, b.ID, b.Grid)
	}
	return h.Sum64()
}

// TestApplyConcurrent runs edits on one snapshot from several goroutines,
// as concurrent previews do; run it with -race.
func TestApplyConcurrent(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	ops := []Op{
		{Kind: KindSplit, Grid: a.Code, Line: lineAcross(t, a, 20)},
		{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}},
		{Kind: KindRetire, Grid: b.Code, Into: []geo.GridCode{a.Code}},
		{Kind: KindReplaceLayout, Community: u.Code, Layout: layoutOf(t, s, u.Code)},
	}
	want := fingerprint(s.City)
	var wg sync.WaitGroup
	for _, op := range ops {
		wg.Go(func() {
			for range 3 {
				if res, err := Apply(s, op, Options{}); err != nil || !res.Valid {
					t.Errorf("Apply(%s) = %v %v", op.Kind, err, res.Errors)
				}
			}
		})
	}
	wg.Wait()
	if fingerprint(s.City) != want {
		t.Errorf("concurrent edits changed the base city")
	}
}
