package store

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// TestConcurrentReaders runs readers (Load, Version, Changes, CityAt,
// VersionAt) while a writer appends; run it with -race.
func TestConcurrentReaders(t *testing.T) {
	ctx := context.Background()
	b, _ := openTemp(t, Options{CheckpointEvery: 10, NoSync: true})
	const writes = 40
	var done atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for r := range 4 {
		wg.Go(func() {
			last := uint64(0)
			for !done.Load() {
				st, err := b.Load(ctx)
				if err != nil {
					errs <- err
					return
				}
				if st.Version < last {
					t.Errorf("reader %d: version went back from %d to %d", r, last, st.Version)
				}
				last = st.Version
				if _, err := b.Changes(ctx, Filter{After: st.Version / 2, Limit: 5}); err != nil {
					errs <- err
					return
				}
				if old, err := b.CityAt(ctx, st.Version/2); err != nil || old.Version != st.Version/2 {
					errs <- err
					return
				}
				if _, err := b.VersionAt(ctx, st.Time); err != nil {
					errs <- err
					return
				}
				_ = len(st.City.Grids) + len(st.History.All())
			}
		})
	}
	appendRenames(t, b, writes, "writer")
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("reader: %v", err)
		}
	}
	if v, _ := b.Version(ctx); v != writes {
		t.Errorf("version %d, want %d", v, writes)
	}
}
