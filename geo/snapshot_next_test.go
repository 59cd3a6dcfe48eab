package geo_test

import (
	"slices"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// splitCity splits the i-th grid with buildings on both sides of its
// middle latitude (counting over the city) and returns the city after.
func splitCity(tb testing.TB, s *geo.Snapshot, hist *edit.CodeHistory, i int) *edit.Result {
	tb.Helper()
	for k := range s.City.Grids {
		g := s.City.Grids[(i*37+k)%len(s.City.Grids)]
		if len(s.BuildingsIn(g.Code)) < 4 {
			continue
		}
		y := g.Bound.Center()[1]
		op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, y}, {g.Bound.Max[0] + 0.001, y}}}
		res, err := edit.Apply(s, op, edit.Options{History: hist})
		if err == nil && res.Valid && len(res.Impact.Moves) > 0 {
			return res
		}
	}
	tb.Fatal("no grid to split")
	return nil
}

// snapshotFacts lists what a snapshot answers about a city's grids,
// communities, buildings and units, and about the grids gone.
func snapshotFacts(s *geo.Snapshot, gone []*geo.Grid) []any {
	var out []any
	for _, g := range s.City.Grids {
		byCode, _ := s.Grid(g.Code)
		byID, _ := s.GridByID(g.ID)
		out = append(out, byCode, byID, len(s.BuildingsIn(g.Code)))
		for _, b := range s.BuildingsIn(g.Code) {
			out = append(out, b)
		}
	}
	for _, u := range s.City.Units {
		out = append(out, s.Stats(u.Code))
		for _, g := range s.GridsOf(u.Code) {
			out = append(out, g)
		}
	}
	for _, g := range gone {
		_, byCode := s.Grid(g.Code)
		h, _ := s.GridByID(g.ID)
		out = append(out, byCode, h == g)
	}
	return out
}

// TestNextSnapshotMatchesNew commits splits one after another, each
// snapshot made by NextSnapshot from the one before, through several
// flattenings of the shared maps' patch, and checks that each answers as
// NewSnapshot of the same city does, and that an earlier snapshot still
// answers as it did.
func TestNextSnapshotMatchesNew(t *testing.T) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	s, err := geo.NewSnapshot(c, 0)
	if err != nil {
		t.Fatal(err)
	}
	hist := edit.NewCodeHistory(c, s.Created)
	first := s
	firstFacts := snapshotFacts(s, nil)
	var gone []*geo.Grid
	steps := 120
	if testing.Short() {
		steps = 30
	}
	for i := range steps {
		res := splitCity(t, s, hist, i)
		next, err := geo.NextSnapshot(s, res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range res.Changes {
			if ch.Before != nil {
				gone = append(gone, ch.Before)
			}
		}
		want, err := geo.NewSnapshot(res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		// Splits retire no grid: the highest id is the newest grid's.
		if next.MaxGridID() != want.MaxGridID() || want.MaxGridID() < hist.MaxGridID() {
			t.Fatalf("split %d: MaxGridID = %d, NewSnapshot's %d, the history's %d", i, next.MaxGridID(), want.MaxGridID(), hist.MaxGridID())
		}
		if i%10 == 0 || i == steps-1 {
			if got, w := snapshotFacts(next, gone), snapshotFacts(want, gone); !slices.Equal(got, w) {
				t.Fatalf("split %d: NextSnapshot answers differently from NewSnapshot", i)
			}
		}
		hist = hist.Clone()
		hist.Record(res.Changes, next.Created)
		s = next
	}
	if !slices.Equal(snapshotFacts(first, nil), firstFacts) {
		t.Errorf("the first snapshot answers differently after the splits")
	}
}

// BenchmarkNextSnapshotAfterSplit indexes the city after one grid split
// of the scale-10 city (21,760 grids, 182,000 buildings) from the
// snapshot before, as a commit does.
func BenchmarkNextSnapshotAfterSplit(b *testing.B) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	s, err := geo.NewSnapshot(c, 0)
	if err != nil {
		b.Fatal(err)
	}
	res := splitCity(b, s, edit.NewCodeHistory(c, s.Created), 0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := geo.NextSnapshot(s, res.Next, 1); err != nil {
			b.Fatal(err)
		}
	}
}
