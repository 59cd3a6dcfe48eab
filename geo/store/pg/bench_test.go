package pg

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/geo/store/storetest"
)

// BenchmarkAppend appends one small changeset (a grid renamed): the head
// lock, the replay, the changeset row, the grids table and the NOTIFY in
// one transaction. The test cluster runs with fsync off, so this measures
// the store and PostgreSQL's work, not the disk.
func BenchmarkAppend(b *testing.B) {
	s, _ := openNew(b, Options{})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		st, err := s.Load(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Append(ctx, storetest.RenameChangeset(st, st.Version+1, "bench")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendSplit appends a real edit: a grid split with its moved
// buildings and stitched neighbours. Each iteration splits the part that
// kept the grid's id (computed untimed); a fresh database is used once
// the community holds 30 grids.
func BenchmarkAppendSplit(b *testing.B) {
	ctx := context.Background()
	s, _ := openNew(b, Options{})
	st, _ := s.Load(ctx)
	big := storetest.BiggestGrid(b, storetest.Snapshot(b, st), 8)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		st, _ := s.Load(ctx)
		snap := storetest.Snapshot(b, st)
		if len(snap.GridsOf(big.Community())) > 30 {
			s, _ = openNew(b, Options{})
			st, _ = s.Load(ctx)
			snap = storetest.Snapshot(b, st)
		}
		g, _ := snap.GridByID(big.ID)
		cs, _ := storetest.SplitChangeset(b, st, g.Code, "bench")
		b.StartTimer()
		if err := s.Append(ctx, cs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoad opens a second instance on a database holding 450
// changesets, checkpointed every 200: it reads and decodes the base city
// and the checkpoint at 400 and replays 50 changesets.
func BenchmarkLoad(b *testing.B) {
	ctx := context.Background()
	s, dsn := openNew(b, Options{})
	storetest.AppendRenames(b, s, 450, "bench")
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		o, err := OpenOptions(ctx, dsn, nil, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if st, err := o.Load(ctx); err != nil || st.Version != 450 {
			b.Fatalf("Load = %v, want version 450", err)
		}
		o.Close()
	}
}

// BenchmarkLoadCurrent loads the latest state when the instance already
// holds it: one round trip to read head.
func BenchmarkLoadCurrent(b *testing.B) {
	ctx := context.Background()
	s, _ := openNew(b, Options{})
	storetest.AppendRenames(b, s, 3, "bench")
	b.ReportAllocs()
	for b.Loop() {
		if st, err := s.Load(ctx); err != nil || st.Version != 3 {
			b.Fatalf("Load = %v, want version 3", err)
		}
	}
}
