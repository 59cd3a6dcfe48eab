package storetest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gridmap/gridmap/geo/store"
)

// testConcurrentReaders runs readers (Load, Version, Changes, CityAt,
// VersionAt) while a writer appends; run it with -race.
func testConcurrentReaders(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{CheckpointEvery: 10})
	const writes = 40
	var done atomic.Bool
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for r := range 4 {
		wg.Go(func() {
			last := uint64(0)
			for !done.Load() {
				st, err := h.Load(ctx)
				if err != nil {
					errs <- err
					return
				}
				if st.Version < last {
					t.Errorf("reader %d: version went back from %d to %d", r, last, st.Version)
				}
				last = st.Version
				if _, err := h.Changes(ctx, store.Filter{After: st.Version / 2, Limit: 5}); err != nil {
					errs <- err
					return
				}
				if old, err := h.CityAt(ctx, st.Version/2); err != nil || old.Version != st.Version/2 {
					errs <- err
					return
				}
				if _, err := h.VersionAt(ctx, st.Time); err != nil {
					errs <- err
					return
				}
				_ = len(st.City.Grids) + len(st.History.All())
			}
		})
	}
	AppendRenames(t, h, writes, "writer")
	done.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("reader: %v", err)
		}
	}
	if v, _ := h.Version(ctx); v != writes {
		t.Errorf("version %d, want %d", v, writes)
	}
}
