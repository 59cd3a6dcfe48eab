package bulk

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// splitNext splits the biggest grid of the first community with 8 grids
// of s and returns the next version's snapshot.
func splitNext(tb testing.TB, s *geo.Snapshot) *geo.Snapshot {
	tb.Helper()
	var g *geo.Grid
	for _, u := range s.City.Units {
		if gs := s.GridsOf(u.Code); u.Level() == geo.LevelCommunity && len(gs) >= 8 {
			g = gs[0]
			break
		}
	}
	y := g.Bound.Center()[1]
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, y}, {g.Bound.Max[0] + 0.001, y}}}
	res, err := edit.Apply(s, op, edit.Options{})
	if err != nil || !res.Valid {
		tb.Fatalf("split: %v %v", err, res.Errors)
	}
	next, err := geo.NextSnapshot(s, res.Next, s.Version+1)
	if err != nil {
		tb.Fatal(err)
	}
	return next
}

// sameFragments reports whether two answers give every grid of s, and a
// retired grid, the same pieces.
func checkSameAnswers(t *testing.T, got, want *Answers, s *geo.Snapshot, gone []*geo.Grid) {
	t.Helper()
	for _, g := range s.City.Grids {
		f, w := got.Of(g), want.Of(g)
		if f == nil || w == nil || f.Grid != g || !bytes.Equal(f.JSON, w.JSON) || !bytes.Equal(f.CSV, w.CSV) || !bytes.Equal(f.NDJSON, w.NDJSON) {
			t.Fatalf("grid %s: patched answers %+v, built %+v", g.Code, f, w)
		}
	}
	for _, g := range gone {
		if f := got.Of(g); f != nil && f.Grid == g {
			t.Errorf("grid %s, gone, still answers", g.Code)
		}
	}
}

// TestNewAnswersPatches checks that answers patched from the previous
// version's equal answers built afresh, share the unchanged grids'
// pieces, and leave the previous version's answers as they were.
func TestNewAnswersPatches(t *testing.T) {
	s0, err := fixtures.Reference()
	if err != nil {
		t.Fatal(err)
	}
	a0 := NewAnswers(nil, s0)
	s1 := splitNext(t, s0)
	a1 := NewAnswers(a0, s1)
	var gone []*geo.Grid
	for _, g := range s0.City.Grids {
		if h, ok := s1.GridByID(g.ID); !ok || h != g {
			gone = append(gone, g)
		}
	}
	if len(gone) == 0 {
		t.Fatal("the split changed no grid")
	}
	checkSameAnswers(t, a1, NewAnswers(nil, s1), s1, gone)
	checkSameAnswers(t, a0, NewAnswers(nil, s0), s0, nil)
	for _, g := range s1.City.Grids {
		if old := a0.Of(g); old != nil && old.Grid == g && &a1.Of(g).JSON[0] != &old.JSON[0] {
			t.Fatalf("grid %s unchanged, but its pieces were built again", g.Code)
		}
	}
	s2 := splitNext(t, s1)
	checkSameAnswers(t, NewAnswers(a1, s2), NewAnswers(nil, s2), s2, nil)
}

// BenchmarkNewAnswersAfterSplit builds the answers of the version after
// a split from the previous version's, at scale 10 (21,760 grids).
func BenchmarkNewAnswersAfterSplit(b *testing.B) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	s0, err := geo.NewSnapshot(c, 0)
	if err != nil {
		b.Fatal(err)
	}
	a0 := NewAnswers(nil, s0)
	s1 := splitNext(b, s0)
	b.ReportAllocs()
	for b.Loop() {
		NewAnswers(a0, s1)
	}
}
