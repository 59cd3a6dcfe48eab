package pgstore

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

func TestAppendLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, dsn := openNew(t, Options{})
	st0, err := s.Load(ctx)
	if err != nil || st0.Version != 0 {
		t.Fatalf("Load of a new store = version %v, %v; want 0", st0, err)
	}
	big := biggestGrid(t, snapshot(t, st0), 8)
	comm := big.Community()

	cs1, res1 := splitChangeset(t, st0, big.Code, "张三")
	if err := s.Append(ctx, cs1); err != nil {
		t.Fatalf("Append(split) = %v", err)
	}
	st1, _ := s.Load(ctx)
	if got, want := stateHash(t, st1), stateHash(t, &store.State{Version: 1, City: res1.Next, History: st1.History}); got != want {
		t.Errorf("the store's city at 1 differs from the edit's next city")
	}
	rr, err := edit.Recode(snapshot(t, st1), comm, time.Now(), st1.History)
	if err != nil || len(rr.Changes) == 0 {
		t.Fatalf("Recode = %v with %d changes, want some", err, len(rr.Changes))
	}
	cs2 := store.NewRecodeChangeset(1, "李四", "re-code", rr)
	if err := s.Append(ctx, cs2); err != nil {
		t.Fatalf("Append(recode) = %v", err)
	}
	st2, _ := s.Load(ctx)
	gs := snapshot(t, st2).GridsOf(comm)
	cs3, _ := splitChangeset(t, st2, gs[len(gs)-1].Code, "王五")
	if err := s.Append(ctx, cs3); err != nil {
		t.Fatalf("Append(second split) = %v", err)
	}
	live, _ := s.Load(ctx)
	if live.Version != 3 || cs1.Version != 1 || cs2.Version != 2 || cs3.Version != 3 || cs3.ID == "" || cs3.Time.IsZero() {
		t.Fatalf("versions %d %d %d (id %q), state %d; want 1 2 3", cs1.Version, cs2.Version, cs3.Version, cs3.ID, live.Version)
	}
	want := stateHash(t, live)
	s.Close()
	if _, err := s.Load(ctx); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Load after Close = %v, want ErrClosed", err)
	}

	s2, err := Open(ctx, dsn, func() (*geo.City, error) { t.Error("seed called for an existing store"); return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	got, err := s2.Load(ctx)
	if err != nil || got.Version != 3 || stateHash(t, got) != want {
		t.Errorf("reopened: version %d, %v, same state %v; want 3, the state before closing", got.Version, err, stateHash(t, got) == want)
	}
	checkGridsTable(t, s2, got) // after a re-coding that swaps codes
	all, err := s2.Changes(ctx, store.Filter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("Changes = %d changesets, %v; want 3", len(all), err)
	}
	if all[0].Author != "张三" || all[1].Kind != store.KindRecode || len(all[1].Crosswalk) == 0 || len(all[0].Moves) != len(cs1.Moves) {
		t.Errorf("stored changesets lost fields: %+v", all[1])
	}
	if !all[2].Time.Equal(cs3.Time) || all[2].ID != cs3.ID {
		t.Errorf("stored changeset 3 time %v id %q, Append gave %v %q", all[2].Time, all[2].ID, cs3.Time, cs3.ID)
	}
	if op, err := edit.ParseOp(all[0].Op); err != nil || op.Kind != edit.KindSplit || op.Grid != big.Code {
		t.Errorf("stored op = %v %v, %v; want the split of %s", op.Kind, op.Grid, err, big.Code)
	}
}

func TestAppendConflict(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t, Options{})
	st, _ := s.Load(ctx)
	appendRenames(t, s, 2, "a")
	stale := renameChangeset(st, 1, "b")
	err := s.Append(ctx, stale)
	var ce *store.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, store.ErrConflict) || ce.Base != 0 || ce.Current != 2 {
		t.Fatalf("Append(stale) = %v, want a conflict base 0 current 2", err)
	}
	if v, _ := s.Version(ctx); v != 2 || stale.Version != 0 {
		t.Errorf("after a conflict: version %d, changeset version %d; want 2, 0", v, stale.Version)
	}
}

func TestAppendInvalid(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t, Options{})
	st, _ := s.Load(ctx)
	wrongBefore := renameChangeset(st, 1, "a")
	moved := *st.City.Grids[5]
	moved.Code++
	wrongBefore.Changes[0].Before = edit.EncodeGridFeature(&moved)
	taken := renameChangeset(st, 2, "a")
	if err := s.Append(ctx, taken); err != nil {
		t.Fatal(err)
	}
	st, _ = s.Load(ctx)
	dupID := renameChangeset(st, 3, "a")
	dupID.ID = taken.ID
	cases := []struct {
		name string
		cs   *store.Changeset
	}{
		{"no author", renameChangeset(st, 1, "")},
		{"no changes", &store.Changeset{Base: 1, Author: "a"}},
		{"before does not match", func() *store.Changeset { wrongBefore.Base = 1; return wrongBefore }()},
		{"broken feature", &store.Changeset{Base: 1, Author: "a", Changes: []store.GridChange{{ID: 3, After: []byte(`{"type":"Feature"}`)}}}},
		{"id taken", dupID},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := s.Append(ctx, tc.cs); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Append = %v, want ErrInvalid", err)
			}
		})
	}
	if v, _ := s.Version(ctx); v != 1 {
		t.Errorf("version %d after refused changesets, want 1", v)
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

func TestChangesFilter(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s, _ := openNew(t, Options{Now: fakeClock(start)})
	appendRenames(t, s, 6, "alice")
	appendRenames(t, s, 4, "bob")
	cs5, err := s.Changeset(ctx, 5)
	if err != nil {
		t.Fatal(err)
	}
	g5, err := edit.DecodeGridFeature(cs5.Changes[0].Before)
	if err != nil {
		t.Fatal(err)
	}
	sub := g5.Community().Parent()
	cases := []struct {
		name string
		f    store.Filter
		want []uint64
	}{
		{"all", store.Filter{}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"page", store.Filter{After: 3, Limit: 3}, []uint64{4, 5, 6}},
		{"newest first", store.Filter{Desc: true, Limit: 3}, []uint64{10, 9, 8}},
		{"newest first, next page", store.Filter{Desc: true, Before: 8, Limit: 3}, []uint64{7, 6, 5}},
		{"newest first, after", store.Filter{Desc: true, After: 8}, []uint64{10, 9}},
		{"between", store.Filter{After: 2, Before: 5}, []uint64{3, 4}},
		{"author", store.Filter{Author: "bob"}, []uint64{7, 8, 9, 10}},
		{"time", store.Filter{Since: start.Add(3 * time.Minute), Until: start.Add(5 * time.Minute)}, []uint64{2, 3}},
		{"grid", store.Filter{Grid: g5.ID}, []uint64{5}},
		{"code", store.Filter{Code: g5.Code}, []uint64{5}},
		{"community", store.Filter{Unit: g5.Community(), After: 4, Before: 6}, []uint64{5}},
		{"subdistrict", store.Filter{Unit: sub, Before: 6, Desc: true, Limit: 1}, []uint64{5}},
		{"city unit", store.Filter{Unit: 520200000000, Author: "alice", Limit: 2}, []uint64{1, 2}},
		{"other city", store.Filter{Unit: 521100000000}, nil},
		{"unknown author", store.Filter{Author: "carol"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Changes(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var vs []uint64
			for _, cs := range got {
				vs = append(vs, cs.Version)
			}
			if !slices.Equal(vs, tc.want) {
				t.Errorf("Changes(%+v) = %v, want %v", tc.f, vs, tc.want)
			}
		})
	}
	if _, err := s.Changeset(ctx, 11); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Changeset(11) = %v, want ErrNotFound", err)
	}
}

func TestCityAtAndVersionAt(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	s, dsn := openNew(t, Options{CheckpointEvery: 3, Now: fakeClock(start)})
	st0, _ := s.Load(ctx)
	hashes := []uint64{stateHash(t, st0)}
	for range 8 {
		appendRenames(t, s, 1, "a")
		st, _ := s.Load(ctx)
		hashes = append(hashes, stateHash(t, st))
	}
	if n := countRows(t, s, "checkpoints"); n != 3 {
		t.Errorf("%d checkpoints after 8 changesets every 3, want 3 (0, 3, 6)", n)
	}
	s.Close()
	s = openAt(t, dsn, Options{CheckpointEvery: 3})
	for v, want := range hashes {
		st, err := s.CityAt(ctx, uint64(v))
		if err != nil || st.Version != uint64(v) || stateHash(t, st) != want {
			t.Errorf("CityAt(%d) = %v, hash differs from the state after that append", v, err)
		}
	}
	if _, err := s.CityAt(ctx, 9); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("CityAt(9) = %v, want ErrNotFound", err)
	}
	// The clock ticks once at creation (start+1m), then once per changeset.
	cases := []struct {
		name string
		at   time.Time
		want uint64
	}{
		{"before any", start, 0},
		{"at the first", start.Add(2 * time.Minute), 1},
		{"between", start.Add(5*time.Minute + time.Second), 4},
		{"after all", start.Add(time.Hour), 8},
	}
	for _, tc := range cases {
		if got, err := s.VersionAt(ctx, tc.at); err != nil || got != tc.want {
			t.Errorf("%s: VersionAt(%v) = %d, %v; want %d", tc.name, tc.at, got, err, tc.want)
		}
	}
}

func TestLoadStartsFromCheckpoint(t *testing.T) {
	ctx := context.Background()
	s, dsn := openNew(t, Options{CheckpointEvery: 5})
	appendRenames(t, s, 12, "a")
	st, _ := s.Load(ctx)
	want := stateHash(t, st)
	// Break a changeset below the last checkpoint (10): a load that
	// replays all history would fail; one from the checkpoint does not.
	if _, err := s.pool.Exec(ctx, `UPDATE changesets SET changes = '[{"id": 1, "after": {"type": "Feature"}}]' WHERE version = 3`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openAt(t, dsn, Options{})
	if got, err := s.Load(ctx); err != nil || stateHash(t, got) != want {
		t.Errorf("Load after reopening = %v, same state %v; want the state before", err, err == nil && stateHash(t, got) == want)
	}
	if _, err := s.CityAt(ctx, 4); !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("CityAt(4) over the broken changeset = %v, want an error", err)
	}
	st7, err := s.CityAt(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Checkpoint(ctx, st7); err != nil {
		t.Fatalf("Checkpoint(7) = %v", err)
	}
	if err := s.Checkpoint(ctx, st7); err != nil {
		t.Errorf("Checkpoint(7) again = %v, want nil", err)
	}
	if err := s.Checkpoint(ctx, &store.State{Version: 99, City: st7.City, History: st7.History}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Checkpoint(99) = %v, want ErrInvalid", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM changesets WHERE version <= 7`); err != nil {
		t.Fatal(err)
	}
	if got, err := s.CityAt(ctx, 8); err != nil || got.Version != 8 {
		t.Errorf("CityAt(8) from the checkpoint at 7 = %v", err)
	}
}
