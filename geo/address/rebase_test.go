package address

import (
	"reflect"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// splitNext returns the snapshot after splitting, east-west through its
// middle, the first grid from the k-th of s's list on that splits validly.
func splitNext(tb testing.TB, s *geo.Snapshot, k int) *geo.Snapshot {
	tb.Helper()
	grids := s.City.Grids
	for i := k % len(grids); i < len(grids); i++ {
		g := grids[i]
		mid := g.Bound.Center()[1]
		line := orb.LineString{{g.Bound.Min[0] - 0.001, mid}, {g.Bound.Max[0] + 0.001, mid}}
		res, err := edit.Apply(s, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line}, edit.Options{})
		if err != nil || !res.Valid || len(res.Impact.Moves) == 0 {
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

// TestRebaseMatchesNew splits grids of the fixture city one after
// another, rebasing the index on each version, and checks the parts a
// rebase redoes (units' grid lists, grid centres) against an index built
// afresh for that version.
func TestRebaseMatchesNew(t *testing.T) {
	snap, err := geo.NewSnapshot(fixtureCity(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	x := NewIndex(snap)
	for step := range 5 {
		next := splitNext(t, snap, 97*step+len(snap.City.Grids)/3)
		y, ok := x.Rebase(snap.City, next.City)
		if !ok {
			t.Fatalf("edit %d: Rebase refused a grid split", step)
		}
		want := NewIndex(next)
		if !reflect.DeepEqual(y.unitGrids, want.unitGrids) {
			t.Errorf("edit %d: units' grid lists and centres differ from a new index's", step)
		}
		snap, x = next, y
	}
}

// BenchmarkRebaseSplitScale10 rebases the scale-10 city's index on the
// version after one grid split, as the server does after each commit.
func BenchmarkRebaseSplitScale10(b *testing.B) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := geo.NewSnapshot(c, 1)
	if err != nil {
		b.Fatal(err)
	}
	x := NewIndex(snap)
	next := splitNext(b, snap, len(c.Grids)/2)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := x.Rebase(c, next.City); !ok {
			b.Fatal("Rebase refused a grid split")
		}
	}
}

// TestRebaseUnit checks a unit's grid list and centre after edits that
// remove, replace or add its first grid, against the list built afresh.
func TestRebaseUnit(t *testing.T) {
	grid := func(code geo.GridCode, x float64) *geo.Grid {
		return &geo.Grid{Code: code, Bound: orb.Bound{Min: orb.Point{x, 0}, Max: orb.Point{x + 1, 1}}}
	}
	g1, g2, g3 := grid(520201001001001, 0), grid(520201001001002, 10), grid(520201001001003, 20)
	g0, g1b := grid(520201001001000, 30), grid(g1.Code, 40)
	was := unitGrids{codes: []geo.GridCode{g1.Code, g2.Code, g3.Code}, centre: g1.Bound.Center()}
	cases := []struct {
		name    string
		removed []*geo.Grid
		added   []*geo.Grid
		now     []*geo.Grid
	}{
		{"first removed", []*geo.Grid{g1}, nil, []*geo.Grid{g2, g3}},
		{"first reshaped", []*geo.Grid{g1}, []*geo.Grid{g1b}, []*geo.Grid{g1b, g2, g3}},
		{"a grid before the first", nil, []*geo.Grid{g0}, []*geo.Grid{g0, g1, g2, g3}},
		{"the last split", []*geo.Grid{g3}, []*geo.Grid{g3, g0}, []*geo.Grid{g0, g1, g2, g3}},
		{"all removed", []*geo.Grid{g1, g2, g3}, nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			gone := map[geo.GridCode]bool{}
			for _, g := range tc.removed {
				gone[g.Code] = true
			}
			got, ok := rebaseUnit(was, gone, slices.Clone(tc.added), tc.now)
			x := &Index{unitGrids: map[geo.DivisionCode]unitGrids{}}
			x.indexGrids(tc.now)
			want, wantOK := x.unitGrids[g1.Code.Community()]
			if ok != wantOK || !reflect.DeepEqual(got, want) {
				t.Errorf("rebaseUnit = %v, %v; want %v, %v", got, ok, want, wantOK)
			}
		})
	}
}
