package walk

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// splitNext returns the snapshot after splitting, east-west through its
// middle, the first grid from the middle of s's list that splits validly.
func splitNext(tb testing.TB, s *geo.Snapshot) *geo.Snapshot {
	tb.Helper()
	grids := s.City.Grids
	for i := len(grids) / 2; i < len(grids); i++ {
		g := grids[i]
		mid := g.Bound.Center()[1]
		line := orb.LineString{{g.Bound.Min[0] - 0.001, mid}, {g.Bound.Max[0] + 0.001, mid}}
		res, err := edit.Apply(s, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line}, edit.Options{})
		if err != nil || !res.Valid {
			continue
		}
		next, err := geo.NextSnapshot(s, res.Next, s.Version+1)
		if err != nil {
			tb.Fatalf("indexing the split of %s: %v", g.Code, err)
		}
		return next
	}
	tb.Fatal("no grid splits validly")
	return nil
}

// BenchmarkRebaseSplitScale10 rebases the scale-10 city's walking network
// and 15-minute coverage on the version after one grid split, as the
// server does after each commit.
func BenchmarkRebaseSplitScale10(b *testing.B) {
	n := cityNetwork(b, 10)
	cov, err := n.Coverage(Band15)
	if err != nil {
		b.Fatal(err)
	}
	next := splitNext(b, n.Snapshot())
	b.ReportAllocs()
	for b.Loop() {
		m, ok := n.Rebase(next)
		if !ok {
			b.Fatal("Rebase refused a grid split")
		}
		if _, ok := cov.Rebase(m); !ok {
			b.Fatal("Coverage.Rebase refused the rebased network")
		}
	}
}

// TestRebaseMatchesNew splits grids of the reference city one after
// another, rebasing the walking network and the 15-minute coverage on
// each version, and checks every grid's and unit's tally, the buildings'
// grids and the off-network buildings against a network and coverage
// built afresh for that version.
func TestRebaseMatchesNew(t *testing.T) {
	n := cityNetwork(t, 1)
	cov, err := n.Coverage(Band15)
	if err != nil {
		t.Fatal(err)
	}
	for step := range 4 {
		next := splitNext(t, n.Snapshot())
		m, ok := n.Rebase(next)
		if !ok {
			t.Fatalf("edit %d: Rebase refused a grid split", step)
		}
		if cov, ok = cov.Rebase(m); !ok {
			t.Fatalf("edit %d: Coverage.Rebase refused the rebased network", step)
		}
		fresh, err := New(next, n.g, n.Options())
		if err != nil {
			t.Fatal(err)
		}
		want, err := fresh.Coverage(Band15)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(m.bGrid, fresh.bGrid) || !slices.Equal(m.offBuildings, fresh.offBuildings) {
			t.Fatalf("edit %d: the rebased network's building grids differ from a new network's", step)
		}
		for _, g := range next.City.Grids {
			got, _ := cov.GridTally(g.Code)
			if w, _ := want.GridTally(g.Code); got != w {
				t.Errorf("edit %d: GridTally(%s) = %+v, want %+v", step, g.Code, got, w)
			}
		}
		for level := geo.LevelDistrict; level <= geo.LevelGrid; level++ {
			got, _ := cov.Units(level)
			w, _ := want.Units(level)
			if !slices.Equal(got, w) {
				t.Errorf("edit %d: Units(%s) differ from a new coverage's", step, level)
			}
		}
		if cov.Total() != want.Total() {
			t.Errorf("edit %d: Total() = %+v, want %+v", step, cov.Total(), want.Total())
		}
		n = m
	}
}

// TestGridRemapSharedEnds checks gridRemap's merge of the span two
// sorted grid lists differ in against a lookup of every code, on random
// edits that replace, remove and add grids, at the ends too.
func TestGridRemapSharedEnds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	network := func(gs []*geo.Grid, lookup bool) *Network {
		n := &Network{snap: &geo.Snapshot{City: &geo.City{Grids: gs}}}
		if lookup {
			n.gridAt = map[geo.GridCode]int32{}
			for i, g := range gs {
				n.gridAt[g.Code] = int32(i)
			}
		}
		return n
	}
	for range 1000 {
		var a, b []*geo.Grid
		for i := range rng.IntN(30) {
			a = append(a, &geo.Grid{Code: geo.GridCode(520201001001000 + 2*i)})
		}
		if rng.IntN(3) == 0 {
			b = append(b, &geo.Grid{Code: 520201001000999})
		}
		for _, g := range a {
			switch rng.IntN(6) {
			case 0:
			case 1:
				b = append(b, &geo.Grid{Code: g.Code})
			case 2:
				b = append(b, g, &geo.Grid{Code: g.Code + 1})
			default:
				b = append(b, g)
			}
		}
		if !sortedWhereChanged(a, b) {
			t.Fatalf("sortedWhereChanged = false for a sorted edit")
		}
		got := gridRemap(network(a, false), network(b, false))
		want := gridRemap(network(a, false), network(b, true))
		if !slices.Equal(got, want) {
			t.Fatalf("gridRemap = %v, want %v", got, want)
		}
	}
	a := []*geo.Grid{{Code: 520201001001001}, {Code: 520201001001003}}
	if sortedWhereChanged(a, []*geo.Grid{a[0], {Code: 520201001001000}, a[1]}) {
		t.Errorf("sortedWhereChanged = true for a grid out of order")
	}
}
