package address

import (
	"maps"
	"reflect"
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
		if !maps.Equal(y.gridCentre, want.gridCentre) {
			t.Errorf("edit %d: grid centres differ from a new index's", step)
		}
		if !reflect.DeepEqual(y.unitGrids, want.unitGrids) {
			t.Errorf("edit %d: units' grid lists differ from a new index's", step)
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
