package storetest

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/gridmap/gridmap/geo/store"
)

// testAppendLoadRoundTrip commits a split, a re-coding and a second
// split, and checks the replayed state against the edit's own, the
// versions, and that a reopened store loads the same state and lists the
// changesets with every field.
func testAppendLoadRoundTrip(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	st0, err := h.Load(ctx)
	if err != nil || st0.Version != 0 {
		t.Fatalf("Load of a new store = version %v, %v; want 0", st0, err)
	}
	big := BiggestGrid(t, Snapshot(t, st0), 8)
	comm := big.Community()
	cs1, res1 := SplitChangeset(t, st0, big.Code, "张三")
	if err := h.Append(ctx, cs1); err != nil {
		t.Fatalf("Append(split) = %v", err)
	}
	st1, _ := h.Load(ctx)
	if StateHash(t, st1) != StateHash(t, &store.State{Version: 1, City: res1.Next, History: st1.History}) {
		t.Errorf("the store's replayed city differs from the edit's next city")
	}
	rr, err := edit.Recode(Snapshot(t, st1), comm, time.Now(), st1.History)
	if err != nil || len(rr.Changes) == 0 {
		t.Fatalf("Recode = %v with %d changes, want some", err, len(rr.Changes))
	}
	cs2 := store.NewRecodeChangeset(1, "李四", "re-code", rr)
	if err := h.Append(ctx, cs2); err != nil {
		t.Fatalf("Append(recode) = %v", err)
	}
	st2, _ := h.Load(ctx)
	gs := Snapshot(t, st2).GridsOf(comm)
	cs3, _ := SplitChangeset(t, st2, gs[len(gs)-1].Code, "王五")
	if err := h.Append(ctx, cs3); err != nil {
		t.Fatalf("Append(second split) = %v", err)
	}
	live, _ := h.Load(ctx)
	if live.Version != 3 || cs1.Version != 1 || cs2.Version != 2 || cs3.Version != 3 || cs3.ID == "" || cs3.Time.IsZero() {
		t.Fatalf("versions %d %d %d (id %q), state %d; want 1 2 3", cs1.Version, cs2.Version, cs3.Version, cs3.ID, live.Version)
	}
	want := StateHash(t, live)
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Load(ctx); !errors.Is(err, store.ErrClosed) {
		t.Errorf("Load after Close = %v, want ErrClosed", err)
	}
	s2 := h.Reopen(Config{})
	got, err := s2.Load(ctx)
	if err != nil || got.Version != 3 || StateHash(t, got) != want {
		t.Errorf("reopened: version %d, %v, same state %v; want 3, the state before closing", got.Version, err, StateHash(t, got) == want)
	}
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

// testAppendConflict appends on a stale base.
func testAppendConflict(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	st, _ := h.Load(ctx)
	AppendRenames(t, h, 2, "a")
	stale := RenameChangeset(st, 1, "b")
	err := h.Append(ctx, stale)
	var ce *store.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, store.ErrConflict) || ce.Base != 0 || ce.Current != 2 {
		t.Fatalf("Append(stale) = %v, want a conflict base 0 current 2", err)
	}
	if v, _ := h.Version(ctx); v != 2 || stale.Version != 0 {
		t.Errorf("after a conflict: version %d, changeset version %d; want 2, 0", v, stale.Version)
	}
}

// testAppendInvalid appends changesets that cannot be stored.
func testAppendInvalid(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	st, _ := h.Load(ctx)
	wrongBefore := RenameChangeset(st, 1, "a")
	moved := *st.City.Grids[5]
	moved.Code++
	wrongBefore.Changes[0].Before = edit.EncodeGridFeature(&moved)
	cases := []struct {
		name string
		cs   *store.Changeset
	}{
		{"nil", nil},
		{"no author", RenameChangeset(st, 1, "")},
		{"no changes", &store.Changeset{Author: "a"}},
		{"before does not match", wrongBefore},
		{"broken feature", &store.Changeset{Author: "a", Changes: []store.GridChange{{ID: 3, After: []byte(`{"type":"Feature"}`)}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := h.Append(ctx, tc.cs); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Append = %v, want ErrInvalid", err)
			}
		})
	}
	if v, _ := h.Version(ctx); v != 0 {
		t.Errorf("version %d after refused changesets, want 0", v)
	}
}

// testChangesFilter lists ten renames by two authors with every filter.
func testChangesFilter(t *testing.T, open Opener) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	h := open(t, Config{Now: FakeClock(start)})
	AppendRenames(t, h, 6, "alice")
	AppendRenames(t, h, 4, "bob")
	cs5, err := h.Changeset(ctx, 5)
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
			got, err := h.Changes(ctx, tc.f)
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
	if _, err := h.Changeset(ctx, 11); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Changeset(11) = %v, want ErrNotFound", err)
	}
}

// testCityAtAndVersionAt rebuilds every version of a reopened store and
// finds versions by time.
func testCityAtAndVersionAt(t *testing.T, open Opener) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	h := open(t, Config{CheckpointEvery: 3, Now: FakeClock(start)})
	st0, _ := h.Load(ctx)
	hashes := []uint64{StateHash(t, st0)}
	for range 8 {
		AppendRenames(t, h, 1, "a")
		st, _ := h.Load(ctx)
		hashes = append(hashes, StateHash(t, st))
	}
	s := h.Reopen(Config{CheckpointEvery: 3})
	for v, want := range hashes {
		st, err := s.CityAt(ctx, uint64(v))
		if err != nil || st.Version != uint64(v) || StateHash(t, st) != want {
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

// testLoadStartsFromCheckpoint breaks a changeset below the last
// checkpoint: a load that replayed all history would fail; one from the
// checkpoint does not, while rebuilding a version over the break fails.
func testLoadStartsFromCheckpoint(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{CheckpointEvery: 5})
	AppendRenames(t, h, 12, "a")
	st, _ := h.Load(ctx)
	want := StateHash(t, st)
	h.Close()
	h.Corrupt(3)
	s := h.Reopen(Config{})
	if got, err := s.Load(ctx); err != nil || StateHash(t, got) != want {
		t.Errorf("Load after reopening = %v, same state %v; want the state before", err, err == nil && StateHash(t, got) == want)
	}
	if _, err := s.CityAt(ctx, 4); !errors.Is(err, store.ErrInvalid) && !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("CityAt(4) over the broken changeset = %v, want ErrCorrupt or ErrInvalid", err)
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
	if got, err := s.CityAt(ctx, 8); err != nil || got.Version != 8 {
		t.Errorf("CityAt(8) from the checkpoint at 7 = %v", err)
	}
}

// testRevertOp splits a grid, commits the revert, and checks that the
// community's grids are back.
func testRevertOp(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{})
	st0, _ := h.Load(ctx)
	s0 := Snapshot(t, st0)
	big := BiggestGrid(t, s0, 8)
	cs, _ := SplitChangeset(t, st0, big.Code, "a")
	if err := h.Append(ctx, cs); err != nil {
		t.Fatal(err)
	}
	st1, _ := h.Load(ctx)
	op, err := store.RevertOp(Snapshot(t, st1), cs)
	if err != nil {
		t.Fatal(err)
	}
	rev, _ := EditChangeset(t, st1, op, "a")
	if err := h.Append(ctx, rev); err != nil {
		t.Fatal(err)
	}
	st2, _ := h.Load(ctx)
	before, after := s0.GridsOf(big.Community()), Snapshot(t, st2).GridsOf(big.Community())
	if len(after) != len(before) {
		t.Fatalf("after the revert %d grids, want %d", len(after), len(before))
	}
	for i, g := range before {
		a := after[i]
		if a.ID != g.ID || a.Code != g.Code || a.Households != g.Households || math.Abs(planar.AreaM2(a.Geometry, 26.6)-planar.AreaM2(g.Geometry, 26.6)) > 0.01 {
			t.Errorf("grid %s after the revert: id %d households %d, want id %d households %d", a.Code, a.ID, a.Households, g.ID, g.Households)
		}
	}
	if _, err := store.RevertOp(Snapshot(t, st2), &store.Changeset{Kind: store.KindRecode}); !errors.Is(err, store.ErrNotRevertible) {
		t.Errorf("RevertOp(recode) = %v, want ErrNotRevertible", err)
	}
}
