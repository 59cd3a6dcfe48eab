package pg

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
	"github.com/jackc/pgx/v5"
)

// TestConformance runs the store suite on stores on fresh databases of
// the test cluster; a restart opens a new Store on the database, and a
// corrupt changeset is written with SQL.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, c storetest.Config) *storetest.Handle {
		opts := func(c storetest.Config) Options { return Options{Now: c.Now, CheckpointEvery: c.CheckpointEvery} }
		s, dsn := openNew(t, opts(c))
		h := &storetest.Handle{Store: s}
		h.Reopen = func(c storetest.Config) storetest.Store {
			s.Close()
			r, err := OpenOptions(context.Background(), dsn, storetest.NoSeed(t), opts(c))
			if err != nil {
				t.Fatalf("reopening = %v", err)
			}
			t.Cleanup(func() { r.Close() })
			return r
		}
		h.Corrupt = func(v uint64) {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, `UPDATE changesets SET changes = '[{"id": 1, "after": {"type": "Feature"}}]' WHERE version = $1`, v); err != nil {
				t.Fatal(err)
			}
		}
		return h
	})
}

// TestRecodeKeepsGridsTable checks the PostGIS grids table after a split
// and a re-coding that swaps codes, and after reopening.
func TestRecodeKeepsGridsTable(t *testing.T) {
	ctx := context.Background()
	s, dsn := openNew(t, Options{})
	st0, _ := s.Load(ctx)
	big := storetest.BiggestGrid(t, storetest.Snapshot(t, st0), 8)
	cs1, _ := storetest.SplitChangeset(t, st0, big.Code, "张三")
	if err := s.Append(ctx, cs1); err != nil {
		t.Fatalf("Append(split) = %v", err)
	}
	st1, _ := s.Load(ctx)
	rr, err := edit.Recode(storetest.Snapshot(t, st1), big.Community(), time.Now(), st1.History)
	if err != nil || len(rr.Changes) == 0 {
		t.Fatalf("Recode = %v with %d changes, want some", err, len(rr.Changes))
	}
	if err := s.Append(ctx, store.NewRecodeChangeset(1, "李四", "re-code", rr)); err != nil {
		t.Fatalf("Append(recode) = %v", err)
	}
	s.Close()
	s2 := openAt(t, dsn, Options{})
	got, err := s2.Load(ctx)
	if err != nil || got.Version != 2 {
		t.Fatalf("reopened: version %d, %v; want 2", got.Version, err)
	}
	checkGridsTable(t, s2, got)
}

// TestAppendRefusalsWriteNothing appends a changeset whose id is taken
// (refused by the unique index) and others the store refuses, and checks
// that no row was written.
func TestAppendRefusalsWriteNothing(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t, Options{})
	st, _ := s.Load(ctx)
	taken := storetest.RenameChangeset(st, 2, "a")
	if err := s.Append(ctx, taken); err != nil {
		t.Fatal(err)
	}
	st, _ = s.Load(ctx)
	dupID := storetest.RenameChangeset(st, 3, "a")
	dupID.ID = taken.ID
	if err := s.Append(ctx, dupID); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Append(id taken) = %v, want ErrInvalid", err)
	}
	if err := s.Append(ctx, storetest.RenameChangeset(st, 3, "")); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Append(no author) = %v, want ErrInvalid", err)
	}
	if n := countRows(t, s, "changesets"); n != 1 {
		t.Errorf("%d changeset rows after refused changesets, want 1", n)
	}
}

// countRows counts the rows of a table.
func countRows(t testing.TB, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.pool.QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCheckpointRows checks that checkpoints are written every
// CheckpointEvery changesets and that a state is rebuilt from the one at
// or below it, with the changesets before it gone.
func TestCheckpointRows(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t, Options{CheckpointEvery: 3})
	storetest.AppendRenames(t, s, 10, "a")
	_ = s.later.Wait() // checkpoints are written after the commits, in the background
	if n := countRows(t, s, "checkpoints"); n != 4 {
		t.Errorf("%d checkpoints after 10 changesets every 3, want 4 (0, 3, 6, 9)", n)
	}
	want, err := s.CityAt(ctx, 8)
	if err != nil {
		t.Fatal(err)
	}
	st7, err := s.CityAt(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(ctx, st7); err != nil {
		t.Fatalf("Checkpoint(7) = %v", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM changesets WHERE version <= 7`); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CityAt(ctx, 8); err != nil || storetest.StateHash(t, got) != storetest.StateHash(t, want) {
		t.Errorf("CityAt(8) from the checkpoint at 7 = %v, want the state it had", err)
	}
}
