package store

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// testCommunity returns the first community with at least n grids, and
// its two neighbouring grids sharing the longest boundary.
func testCommunity(t testing.TB, s *geo.Snapshot, n int) (geo.DivisionCode, *geo.Grid) {
	t.Helper()
	for _, u := range s.City.Units {
		if u.Level() == geo.LevelCommunity && len(s.GridsOf(u.Code)) >= n {
			gs := s.GridsOf(u.Code)
			big := gs[0]
			for _, g := range gs {
				if g.Households > big.Households {
					big = g
				}
			}
			return u.Code, big
		}
	}
	t.Fatal("no community")
	return 0, nil
}

// lastGrid returns the community's grid with the highest code in the
// store's current state.
func lastGrid(t testing.TB, b *Bolt, comm geo.DivisionCode) *geo.Grid {
	t.Helper()
	st, _ := b.Load(context.Background())
	s, err := geo.NewSnapshot(st.City, st.Version)
	if err != nil {
		t.Fatal(err)
	}
	gs := s.GridsOf(comm)
	return gs[len(gs)-1]
}

// splitLine returns an east-west line across g's middle.
func splitLine(g *geo.Grid) orb.LineString {
	y := g.Bound.Center()[1]
	return orb.LineString{{g.Bound.Min[0] - 0.001, y}, {g.Bound.Max[0] + 0.001, y}}
}

func TestAppendLoadRoundTrip(t *testing.T) {
	ctx := context.Background()
	b, dir := openTemp(t, Options{})
	st0, _ := b.Load(ctx)
	s0, _ := geo.NewSnapshot(st0.City, 0)
	comm, big := testCommunity(t, s0, 8)

	cs1, res1 := commitEdit(t, b, edit.Op{Kind: edit.KindSplit, Grid: big.Code, Line: splitLine(big)}, "张三")
	st1, _ := b.Load(ctx)
	if stateHash(t, &State{Version: 1, City: res1.Next, History: st1.History}) != stateHash(t, st1) {
		t.Errorf("the store's replayed city differs from the edit's next city")
	}
	s1, _ := geo.NewSnapshot(st1.City, 1)
	rr, err := edit.Recode(s1, comm, time.Now(), st1.History)
	if err != nil || len(rr.Changes) == 0 {
		t.Fatalf("Recode = %v with %d changes, want some", err, len(rr.Changes))
	}
	cs2 := NewRecodeChangeset(1, "李四", "re-code", rr)
	if err := b.Append(ctx, cs2); err != nil {
		t.Fatalf("Append(recode) = %v", err)
	}
	last := lastGrid(t, b, comm)
	cs3, _ := commitEdit(t, b, edit.Op{Kind: edit.KindSplit, Grid: last.Code, Line: splitLine(last)}, "王五")
	live, _ := b.Load(ctx)
	if live.Version != 3 || cs1.Version != 1 || cs2.Version != 2 || cs3.Version != 3 || cs3.ID == "" {
		t.Fatalf("versions %d %d %d, state %d; want 1 2 3", cs1.Version, cs2.Version, cs3.Version, live.Version)
	}
	if _, err := geo.NewSnapshot(live.City, live.Version); err != nil {
		t.Fatalf("NewSnapshot(live) = %v", err)
	}
	want := stateHash(t, live)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Load(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Load after Close = %v, want ErrClosed", err)
	}
	b2, err := Open(dir, func() (*geo.City, error) { t.Fatal("seed called for an existing store"); return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	got, _ := b2.Load(ctx)
	if got.Version != 3 || stateHash(t, got) != want {
		t.Errorf("reopened state version %d hash %x, want 3 %x", got.Version, stateHash(t, got), want)
	}
	all, err := b2.Changes(ctx, Filter{})
	if err != nil || len(all) != 3 || all[0].Author != "张三" || all[1].Kind != KindRecode || len(all[1].Crosswalk) == 0 {
		t.Fatalf("Changes = %d changesets, %v", len(all), err)
	}
	if op, err := edit.ParseOp(all[0].Op); err != nil || op.Kind != edit.KindSplit {
		t.Errorf("stored op = %v, %v; want the split", op.Kind, err)
	}
}

func TestAppendConflict(t *testing.T) {
	ctx := context.Background()
	b, _ := openTemp(t, Options{})
	st, _ := b.Load(ctx)
	appendRenames(t, b, 2, "a")
	stale := renameChangeset(st, 1, "b")
	err := b.Append(ctx, stale)
	var ce *ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) || ce.Base != 0 || ce.Current != 2 {
		t.Fatalf("Append(stale) = %v, want a conflict base 0 current 2", err)
	}
	if v, _ := b.Version(ctx); v != 2 || stale.Version != 0 {
		t.Errorf("after a conflict: version %d, changeset version %d; want 2, 0", v, stale.Version)
	}
}

func TestAppendInvalid(t *testing.T) {
	ctx := context.Background()
	b, _ := openTemp(t, Options{})
	st, _ := b.Load(ctx)
	noAuthor := renameChangeset(st, 1, "")
	wrongBefore := renameChangeset(st, 1, "a")
	g := st.City.Grids[5]
	moved := *g
	moved.Code++
	wrongBefore.Changes[0].Before = edit.EncodeGridFeature(&moved)
	cases := []struct {
		name string
		cs   *Changeset
	}{
		{"no author", noAuthor},
		{"no changes", &Changeset{Author: "a"}},
		{"before does not match", wrongBefore},
		{"broken feature", &Changeset{Author: "a", Changes: []GridChange{{ID: 3, After: []byte(`{"type":"Feature"}`)}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := b.Append(ctx, tc.cs); !errors.Is(err, ErrInvalid) {
				t.Errorf("Append = %v, want ErrInvalid", err)
			}
		})
	}
	if v, _ := b.Version(ctx); v != 0 {
		t.Errorf("version %d after refused changesets, want 0", v)
	}
}

func TestChangesFilter(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b, _ := openTemp(t, Options{Now: fakeClock(start)})
	appendRenames(t, b, 6, "alice")
	appendRenames(t, b, 4, "bob")
	cs5, _ := b.Changeset(ctx, 5)
	id5 := cs5.Changes[0].ID
	code5 := geo.GridCode(0)
	if g, err := edit.DecodeGridFeature(cs5.Changes[0].Before); err == nil {
		code5 = g.Code
	}
	cases := []struct {
		name string
		f    Filter
		want []uint64
	}{
		{"all", Filter{}, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{"page", Filter{After: 3, Limit: 3}, []uint64{4, 5, 6}},
		{"newest first", Filter{Desc: true, Limit: 3}, []uint64{10, 9, 8}},
		{"newest first, next page", Filter{Desc: true, Before: 8, Limit: 3}, []uint64{7, 6, 5}},
		{"between", Filter{After: 2, Before: 5}, []uint64{3, 4}},
		{"author", Filter{Author: "bob"}, []uint64{7, 8, 9, 10}},
		{"time", Filter{Since: start.Add(3 * time.Minute), Until: start.Add(5 * time.Minute)}, []uint64{2, 3}},
		{"grid", Filter{Grid: id5}, []uint64{5}},
		{"code", Filter{Code: code5}, []uint64{5}},
		{"city unit", Filter{Unit: 520200000000, Author: "alice", Limit: 2}, []uint64{1, 2}},
		{"other city", Filter{Unit: 521100000000}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := b.Changes(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var vs []uint64
			for _, cs := range got {
				vs = append(vs, cs.Version)
			}
			if len(vs) != len(tc.want) || (len(vs) > 0 && !equal(vs, tc.want)) {
				t.Errorf("Changes(%+v) = %v, want %v", tc.f, vs, tc.want)
			}
		})
	}
}

func equal(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}

func TestCityAtAndVersionAt(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	b, dir := openTemp(t, Options{CheckpointEvery: 3, Now: fakeClock(start)})
	st0, _ := b.Load(ctx)
	hashes := []uint64{stateHash(t, st0)}
	for range 8 {
		appendRenames(t, b, 1, "a")
		st, _ := b.Load(ctx)
		hashes = append(hashes, stateHash(t, st))
	}
	b.Close()
	b, err := OpenOptions(dir, nil, Options{CheckpointEvery: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for v, want := range hashes {
		st, err := b.CityAt(ctx, uint64(v))
		if err != nil || stateHash(t, st) != want {
			t.Errorf("CityAt(%d) = %v, hash differs from the state after that append", v, err)
		}
	}
	if _, err := b.CityAt(ctx, 9); !errors.Is(err, ErrNotFound) {
		t.Errorf("CityAt(9) = %v, want ErrNotFound", err)
	}
	// The clock ticks once at creation (start+1m), then once per changeset.
	for _, tc := range []struct {
		at   time.Time
		want uint64
	}{
		{start, 0}, {start.Add(2 * time.Minute), 1}, {start.Add(5*time.Minute + time.Second), 4}, {start.Add(time.Hour), 8},
	} {
		if got, err := b.VersionAt(ctx, tc.at); err != nil || got != tc.want {
			t.Errorf("VersionAt(%v) = %d, %v; want %d", tc.at, got, err, tc.want)
		}
	}
}

func TestLoadStartsFromCheckpoint(t *testing.T) {
	ctx := context.Background()
	b, dir := openTemp(t, Options{CheckpointEvery: 5})
	appendRenames(t, b, 12, "a")
	st, _ := b.Load(ctx)
	want := stateHash(t, st)
	b.Close()
	// Break a changeset below the last checkpoint (10): a load that
	// replays all history would fail; one from the checkpoint does not.
	db := openRaw(t, dir)
	if err := db.Update(func(tx *boltTx) error { return tx.Bucket(bucketChangesets).Put(key(3), []byte("{broken")) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := OpenOptions(dir, nil, Options{})
	if err != nil {
		t.Fatalf("reopening = %v", err)
	}
	defer b.Close()
	if got, _ := b.Load(ctx); stateHash(t, got) != want {
		t.Errorf("state after reopening differs")
	}
	if _, err := b.CityAt(ctx, 4); !errors.Is(err, ErrCorrupt) {
		t.Errorf("CityAt(4) over the broken changeset = %v, want ErrCorrupt", err)
	}
	st7, err := b.CityAt(ctx, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Checkpoint(ctx, st7); err != nil {
		t.Fatalf("Checkpoint(7) = %v", err)
	}
	if err := b.Checkpoint(ctx, &State{Version: 99, City: st7.City, History: st7.History}); !errors.Is(err, ErrInvalid) {
		t.Errorf("Checkpoint(99) = %v, want ErrInvalid", err)
	}
}

func TestRevertOp(t *testing.T) {
	ctx := context.Background()
	b, _ := openTemp(t, Options{})
	st0, _ := b.Load(ctx)
	s0, _ := geo.NewSnapshot(st0.City, 0)
	comm, big := testCommunity(t, s0, 8)
	cs, _ := commitEdit(t, b, edit.Op{Kind: edit.KindSplit, Grid: big.Code, Line: splitLine(big)}, "a")
	st1, _ := b.Load(ctx)
	s1, _ := geo.NewSnapshot(st1.City, 1)
	op, err := RevertOp(s1, cs)
	if err != nil {
		t.Fatal(err)
	}
	commitEdit(t, b, op, "a")
	st2, _ := b.Load(ctx)
	s2, _ := geo.NewSnapshot(st2.City, 2)
	before, after := s0.GridsOf(comm), s2.GridsOf(comm)
	if len(after) != len(before) {
		t.Fatalf("after the revert %d grids, want %d", len(after), len(before))
	}
	for i, g := range before {
		h := after[i]
		if h.ID != g.ID || h.Code != g.Code || h.Households != g.Households || math.Abs(area(h.Geometry)-area(g.Geometry)) > 1e-12 {
			t.Errorf("grid %s after the revert: id %d households %d, want id %d households %d", h.Code, h.ID, h.Households, g.ID, g.Households)
		}
	}
	if _, err := RevertOp(s2, &Changeset{Kind: KindRecode}); !errors.Is(err, ErrNotRevertible) {
		t.Errorf("RevertOp(recode) = %v, want ErrNotRevertible", err)
	}
}

// area returns the planar area of mp in square degrees.
func area(mp orb.MultiPolygon) float64 {
	s := 0.0
	for _, p := range mp {
		for i, r := range p {
			a := 0.0
			for k := 0; k+1 < len(r); k++ {
				a += r[k][0]*r[k+1][1] - r[k+1][0]*r[k][1]
			}
			if i > 0 {
				a = -math.Abs(a)
			}
			s += math.Abs(a) / 2
		}
	}
	return s
}
