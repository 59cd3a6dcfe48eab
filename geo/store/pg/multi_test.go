package pg

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
)

// waitFor reads ch until it reports at least v, failing after 10 s.
func waitFor(t *testing.T, ch <-chan uint64, v uint64) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got, ok := <-ch:
			if !ok {
				t.Fatalf("Watch closed before reporting version %d", v)
			}
			if got >= v {
				return
			}
		case <-timeout:
			t.Fatalf("Watch did not report version %d within 10 s", v)
		}
	}
}

func TestTwoInstances(t *testing.T) {
	ctx := context.Background()
	a, dsn := openNew(t, Options{})
	b := openAt(t, dsn, Options{})
	wctx, cancel := context.WithCancel(ctx)
	watch := b.Watch(wctx)
	waitFor(t, watch, 0) // listening

	st0, _ := a.Load(ctx)
	big := storetest.BiggestGrid(t, storetest.Snapshot(t, st0), 8)
	cs, _ := storetest.SplitChangeset(t, st0, big.Code, "a")
	if err := a.Append(ctx, cs); err != nil {
		t.Fatal(err)
	}
	waitFor(t, watch, 1)
	stA, _ := a.Load(ctx)
	stB, err := b.Load(ctx)
	if err != nil || stB.Version != 1 || storetest.StateHash(t, stB) != storetest.StateHash(t, stA) {
		t.Fatalf("B.Load after A's append = version %d, %v; want A's state at 1", stB.Version, err)
	}

	// B appends on the state it caught up to; A sees it too.
	storetest.AppendRenames(t, b, 2, "b")
	if v, _ := a.Version(ctx); v != 3 {
		t.Errorf("A.Version = %d, want 3", v)
	}
	if err := a.Append(ctx, storetest.RenameChangeset(stA, 9, "a")); !errors.Is(err, store.ErrConflict) {
		t.Errorf("A.Append on its stale state = %v, want a conflict", err)
	}
	waitFor(t, watch, 3)

	// Notifications sent while the listening connection is down are
	// lost; Watch must resync from head when it reconnects.
	var killed int
	err = a.pool.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE application_name = 'gridmap-watch' AND datname = current_database()`).Scan(&killed)
	if err != nil || killed != 1 {
		t.Fatalf("terminating the watch connection: %d terminated, %v", killed, err)
	}
	storetest.AppendRenames(t, a, 1, "a")
	waitFor(t, watch, 4)

	cancel()
	closedWithin(t, watch, "its context ended")
	other := b.Watch(ctx)
	b.Close()
	closedWithin(t, other, "the store closed")
	if _, ok := <-b.Watch(ctx); ok {
		t.Error("Watch on a closed store gave a value")
	}
}

// closedWithin fails unless ch is closed within 5 s.
func closedWithin(t *testing.T, ch <-chan uint64, after string) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
		case <-timeout:
			t.Fatalf("Watch not closed 5 s after %s", after)
		}
	}
}

func TestConcurrentAppendsOneWins(t *testing.T) {
	ctx := context.Background()
	a, dsn := openNew(t, Options{CheckpointEvery: 4})
	b := openAt(t, dsn, Options{CheckpointEvery: 4})
	stores := []*Store{a, b, a, b}
	for round := range 6 {
		st, err := a.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		errs := make([]error, len(stores))
		var wg sync.WaitGroup
		for i, s := range stores {
			cs := storetest.RenameChangeset(st, uint64(round*10+i), "w")
			wg.Go(func() { errs[i] = s.Append(ctx, cs) })
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			var ce *store.ConflictError
			switch {
			case err == nil:
				won++
			case !errors.As(err, &ce) || ce.Base != st.Version || ce.Current != st.Version+1:
				t.Errorf("round %d writer %d: Append = %v, want nil or a conflict on %d", round, i, err, st.Version)
			}
		}
		if won != 1 {
			t.Fatalf("round %d: %d appends on base %d won, want exactly 1", round, won, st.Version)
		}
	}
	stA, _ := a.Load(ctx)
	stB, _ := b.Load(ctx)
	if stA.Version != 6 || storetest.StateHash(t, stA) != storetest.StateHash(t, stB) {
		t.Errorf("after 6 rounds: A at %d, B at %d, same state %v; want 6 and equal", stA.Version, stB.Version, storetest.StateHash(t, stA) == storetest.StateHash(t, stB))
	}
}

// TestConcurrentReadersAndWriters runs readers and writers on two
// instances with pools of two connections (run it with -race): each
// writer retries on conflict until it has appended its share, and
// readers check that versions never go back.
func TestConcurrentReadersAndWriters(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a, dsn := openNew(t, Options{CheckpointEvery: 5, MaxConns: 2})
	b := openAt(t, dsn, Options{CheckpointEvery: 5, MaxConns: 2})
	const writers, each = 4, 4
	var readers, wg sync.WaitGroup
	stop := make(chan struct{})
	errs := make(chan error, 16)
	for i := range 4 {
		s := []*Store{a, b}[i%2]
		readers.Go(func() {
			if err := readUntil(ctx, s, stop); err != nil {
				errs <- err
			}
		})
	}
	for i := range writers {
		s := []*Store{a, b}[i%2]
		wg.Go(func() {
			for n := 0; n < each; {
				st, err := s.Load(ctx)
				if err == nil {
					err = s.Append(ctx, storetest.RenameChangeset(st, st.Version+1, "w"))
				}
				switch {
				case err == nil:
					n++
				case !errors.Is(err, store.ErrConflict):
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent use: %v", err)
	}
	if v, err := b.Version(ctx); err != nil || v != writers*each {
		t.Errorf("Version = %d, %v; want %d", v, err, writers*each)
	}
}

// readUntil loads, lists and rebuilds old states until stop is closed,
// checking that the version never goes back.
func readUntil(ctx context.Context, s *Store, stop <-chan struct{}) error {
	last := uint64(0)
	for {
		select {
		case <-stop:
			return nil
		default:
		}
		st, err := s.Load(ctx)
		if err != nil {
			return err
		}
		if st.Version < last {
			return errors.New("version went back")
		}
		last = st.Version
		if _, err := s.CityAt(ctx, st.Version/2); err != nil {
			return err
		}
		if _, err := s.Changes(ctx, store.Filter{After: st.Version / 2, Limit: 5}); err != nil {
			return err
		}
	}
}
