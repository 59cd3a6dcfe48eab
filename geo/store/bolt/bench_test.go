package bolt

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
)

// BenchmarkOpenAfter10kChangesets opens a store holding 10,199 small
// changesets (renames) on the generated city, checkpointed every 200, so
// the load decodes the base city and the checkpoint at 10,000 and replays
// 199 changesets. Target: under 2 s.
func BenchmarkOpenAfter10kChangesets(b *testing.B) {
	const n = 10_199
	dir := b.TempDir()
	s, err := OpenOptions(dir, seedCity, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	storetest.AppendRenames(b, s, n, "bench")
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		s, err := OpenOptions(dir, nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		st, err := s.Load(context.Background())
		if err != nil || st.Version != n {
			b.Fatalf("Load = version %d, %v; want %d", st.Version, err, n)
		}
		s.Close()
	}
}

// BenchmarkAppend appends one small changeset with fsync.
func BenchmarkAppend(b *testing.B) {
	s, _ := openTemp(b, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		st, _ := s.Load(ctx)
		if err := s.Append(ctx, storetest.RenameChangeset(st, st.Version+1, "bench")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCityAt rebuilds a state 150 changesets past a checkpoint.
func BenchmarkCityAt(b *testing.B) {
	s, _ := openTemp(b, Options{NoSync: true})
	storetest.AppendRenames(b, s, 360, "bench")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.CityAt(ctx, 350); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommitEdit runs one grid split end to end: validate and
// preview (edit.Apply), build the changeset, append it durably (fsync)
// and build the next snapshot. Each iteration splits the grid back out of
// the previous one's result, so the work stays the same.
func BenchmarkCommitEdit(b *testing.B) {
	s, _ := openTemp(b, Options{})
	ctx := context.Background()
	st, _ := s.Load(ctx)
	snap, _ := geo.NewSnapshot(st.City, 0)
	big := storetest.BiggestGrid(b, snap, 8)
	comm := big.Community()
	b.ReportAllocs()
	for b.Loop() {
		st, _ := s.Load(ctx)
		snap, err := geo.NewSnapshot(st.City, st.Version)
		if err != nil {
			b.Fatal(err)
		}
		g, _ := snap.GridByID(big.ID)
		op := storetest.SplitOp(b, snap, g.Code)
		if len(snap.GridsOf(comm)) > 30 {
			b.StopTimer()
			s, _ = openTemp(b, Options{})
			b.StartTimer()
			continue
		}
		res, err := edit.Apply(snap, op, edit.Options{History: st.History})
		if err != nil || !res.Valid {
			b.Fatalf("Apply = %v %v", err, res.Errors)
		}
		cs, err := store.NewChangeset(st.Version, "bench", "split", op, res)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Append(ctx, cs); err != nil {
			b.Fatal(err)
		}
	}
}
