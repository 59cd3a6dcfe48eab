package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
)

// testAppendNext commits splits with AppendNext, handing the store the
// city each edit made, across checkpoints: the store's state is that very
// city (not a second copy), its history records the splits, every
// version rebuilt after a reopen (from the changesets and checkpoints
// alone) equals the state AppendNext left, and AppendNext refuses a stale
// base, a changeset that does not fit the store's state and a city that
// is not the one the changeset makes.
func testAppendNext(t *testing.T, open Opener) {
	ctx := context.Background()
	h := open(t, Config{CheckpointEvery: 2})
	st, err := h.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	big := BiggestGrid(t, Snapshot(t, st), 8)
	hashes := []uint64{StateHash(t, st)}
	for i := range 5 {
		g, ok := Snapshot(t, st).GridByID(big.ID)
		if !ok {
			t.Fatalf("version %d: grid %d gone", st.Version, big.ID)
		}
		cs, res := SplitChangeset(t, st, g.Code, "planner")
		if err := h.AppendNext(ctx, cs, res.Next); err != nil {
			t.Fatalf("split %d: AppendNext = %v", i, err)
		}
		next, err := h.Load(ctx)
		if err != nil || next.Version != st.Version+1 || cs.Version != next.Version {
			t.Fatalf("split %d: Load = version %d, %v; changeset %d, want %d", i, next.Version, err, cs.Version, st.Version+1)
		}
		if next.City != res.Next {
			t.Errorf("split %d: the store holds a copy of the city it was given", i)
		}
		for _, c := range res.Changes {
			if c.After != nil && c.Before == nil && !next.History.Used(c.After.Code) {
				t.Errorf("split %d: the history does not know new code %s", i, c.After.Code)
			}
		}
		if st.History.MaxGridID() >= next.History.MaxGridID() {
			t.Errorf("split %d: the history's highest id stays %d", i, st.History.MaxGridID())
		}
		hashes = append(hashes, StateHash(t, next))
		st = next
	}
	refuseNext(t, h, st)
	s := h.Reopen(Config{CheckpointEvery: 2})
	if got, err := s.Load(ctx); err != nil || StateHash(t, got) != hashes[len(hashes)-1] {
		t.Errorf("reopened: Load = %v, or the state differs from the one AppendNext left", err)
	}
	for v, want := range hashes {
		if got, err := s.CityAt(ctx, uint64(v)); err != nil || StateHash(t, got) != want {
			t.Errorf("reopened: CityAt(%d) = %v, or the state differs from the one AppendNext left", v, err)
		}
	}
}

// refuseNext checks AppendNext's refusals on a store at state st.
func refuseNext(t *testing.T, s store.Store, st *store.State) {
	t.Helper()
	ctx := context.Background()
	snap := Snapshot(t, st)
	g := BiggestGrid(t, snap, 8)
	cs, res := SplitChangeset(t, st, g.Code, "planner")

	stale := *cs
	stale.Base = st.Version - 1
	var ce *store.ConflictError
	if err := s.AppendNext(ctx, &stale, res.Next); !errors.As(err, &ce) || ce.Current != st.Version {
		t.Errorf("AppendNext(stale base) = %v, want a ConflictError at %d", err, st.Version)
	}

	misfit := *cs
	misfit.Changes = append([]store.GridChange(nil), cs.Changes...)
	for i, c := range misfit.Changes {
		if c.Before != nil {
			other := *snap.City.Grids[0]
			other.ID = c.ID
			misfit.Changes[i].Before = edit.EncodeGridFeature(&other)
		}
	}
	if err := s.AppendNext(ctx, &misfit, res.Next); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AppendNext(changeset that does not fit) = %v, want ErrInvalid", err)
	}

	wrong := *res.Next
	wrong.Grids = wrong.Grids[1:]
	if err := s.AppendNext(ctx, cs, &wrong); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AppendNext(a city with a grid less) = %v, want ErrInvalid", err)
	}
	if v, err := s.Version(ctx); err != nil || v != st.Version {
		t.Errorf("after the refusals: version %d, %v; want %d", v, err, st.Version)
	}
}
