package bolt

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
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

// BenchmarkAppendSplitScale10 appends, with fsync, the changeset of one
// grid split of the scale-10 city (21,760 grids, 182,000 buildings): the
// store's part of a commit. "next" hands the store the city the edit made
// (AppendNext, as the server commits); "replay" has the store apply the
// changeset itself (Append). Each iteration splits another grid; the
// splits are computed outside the timer.
func BenchmarkAppendSplitScale10(b *testing.B) {
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	for _, mode := range []string{"next", "replay"} {
		b.Run(mode, func(b *testing.B) {
			s, err := OpenOptions(b.TempDir(), func() (*geo.City, error) { return city, nil }, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			ctx := context.Background()
			st, _ := s.Load(ctx)
			snap := storetest.Snapshot(b, st)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				cs, res := splitSome(b, snap, st, &i)
				b.StartTimer()
				if mode == "next" {
					err = s.AppendNext(ctx, cs, res.Next)
				} else {
					err = s.Append(ctx, cs)
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				st, _ = s.Load(ctx)
				if snap, err = geo.NextSnapshot(snap, st.City, st.Version); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
		})
	}
}

// splitSome computes the split of the next grid from *i on with
// buildings on both sides, on snap (the state st).
func splitSome(b *testing.B, snap *geo.Snapshot, st *store.State, i *int) (*store.Changeset, *edit.Result) {
	for range len(snap.City.Grids) {
		g := snap.City.Grids[(*i*97)%len(snap.City.Grids)]
		*i++
		if len(snap.BuildingsIn(g.Code)) < 4 {
			continue
		}
		op := storetest.SplitOp(b, snap, g.Code)
		res, err := edit.Apply(snap, op, edit.Options{History: st.History})
		if err != nil || !res.Valid {
			continue
		}
		cs, err := store.NewChangeset(st.Version, "bench", "split", op, res)
		if err != nil {
			b.Fatal(err)
		}
		return cs, res
	}
	b.Fatal("no grid to split")
	return nil, nil
}

// BenchmarkCheckpointScale10 encodes the checkpoint of a scale-10 state
// (21,760 grids) after one split: what a commit every CheckpointEvery
// versions adds.
func BenchmarkCheckpointScale10(b *testing.B) {
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	s, err := OpenOptions(b.TempDir(), func() (*geo.City, error) { return city, nil }, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	st, _ := s.Load(ctx)
	i := 0
	cs, res := splitSome(b, storetest.Snapshot(b, st), st, &i)
	if err := s.AppendNext(ctx, cs, res.Next); err != nil {
		b.Fatal(err)
	}
	st, _ = s.Load(ctx)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeCheckpoint(st, s.base); err != nil {
			b.Fatal(err)
		}
	}
}
