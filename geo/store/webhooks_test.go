package store_test

import (
	"context"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/webhooktest"
)

// TestBoltWebhooks runs the webhook store checks on the embedded store,
// reopening its directory as a restart.
func TestBoltWebhooks(t *testing.T) {
	dir := t.TempDir()
	seed := func() (*geo.City, error) { return fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1}) }
	b, err := store.OpenOptions(dir, seed, store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	commit := func() uint64 { return AppendRename(t, b) }
	reopen := func() store.WebhookStore {
		b.Close()
		if b, err = store.OpenOptions(dir, nil, store.Options{NoSync: true}); err != nil {
			t.Fatal(err)
		}
		return b
	}
	webhooktest.Run(t, b, commit, reopen)
}

// AppendRename appends a changeset renaming one grid and returns its
// version.
func AppendRename(t *testing.T, st store.Store) uint64 {
	t.Helper()
	ctx := context.Background()
	s, err := st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	g := s.City.Grids[int(s.Version)%len(s.City.Grids)]
	n := *g
	n.Name = "renamed"
	cs := &store.Changeset{Base: s.Version, Author: "test", Reason: "test", Kind: string(edit.KindReplace), Unit: g.Community(),
		Changes: []store.GridChange{{ID: g.ID, Kind: edit.ChangeReshaped, Before: edit.EncodeGridFeature(g), After: edit.EncodeGridFeature(&n)}}}
	if err := st.Append(ctx, cs); err != nil {
		t.Fatal(err)
	}
	return cs.Version
}
