// Package storetest is the conformance suite of store.Store: the bbolt
// store (geo/store/bolt) and the PostgreSQL store (geo/store/pg) run the
// same checks through Run, so they agree on versions, conflicts,
// listing, history, checkpoints, tokens and the webhook outbox. What only
// one backend has (crash durability, PostGIS tables, several instances)
// is tested beside that backend.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/paulmach/orb"
)

// A Store is what the suite checks: the changeset store, the token
// registry and the webhook outbox, which every backend is.
type Store interface {
	store.Store
	access.Registry
	store.WebhookStore
}

// Config is what a check asks of a new store.
type Config struct {
	// Now is the store's clock; nil means time.Now.
	Now func() time.Time
	// CheckpointEvery is the checkpoint interval; 0 means the default.
	CheckpointEvery int
}

// A Handle is a store under test and the backend's hooks for what the
// Store interface cannot do.
type Handle struct {
	Store
	// Reopen closes the store if open and opens the same one again with
	// c, as after a restart; seeding it again fails the test.
	Reopen func(c Config) Store
	// Corrupt damages the stored changeset of version v so that it no
	// longer decodes or replays. The store is closed when it is called.
	Corrupt func(v uint64)
}

// An Opener opens a new store of Seed's city configured by c, closed
// when t ends.
type Opener func(t *testing.T, c Config) *Handle

// Run runs every check on stores that open makes.
func Run(t *testing.T, open Opener) {
	for _, c := range []struct {
		name string
		run  func(*testing.T, Opener)
	}{
		{"AppendLoadRoundTrip", testAppendLoadRoundTrip},
		{"AppendConflict", testAppendConflict},
		{"AppendInvalid", testAppendInvalid},
		{"AppendNext", testAppendNext},
		{"ChangesFilter", testChangesFilter},
		{"CityAtAndVersionAt", testCityAtAndVersionAt},
		{"LoadStartsFromCheckpoint", testLoadStartsFromCheckpoint},
		{"RevertOp", testRevertOp},
		{"Staff", testStaff},
		{"ConcurrentReaders", testConcurrentReaders},
		{"Tokens", testTokens},
		{"TokenRefusals", testTokenRefusals},
		{"Webhooks", testWebhooks},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, open) })
	}
}

var (
	seedOnce sync.Once
	seedC    *geo.City
	seedErr  error
)

// Seed returns the generated reference city (seed 1, scale 1), shared
// and read-only: the city every store of the suite starts from.
func Seed() (*geo.City, error) {
	seedOnce.Do(func() { seedC, seedErr = fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1}) })
	return seedC, seedErr
}

// NoSeed returns a seed function for opening an existing store: called,
// it fails the test.
func NoSeed(t testing.TB) func() (*geo.City, error) {
	return func() (*geo.City, error) {
		t.Error("seed called for an existing store")
		return nil, fmt.Errorf("no seed for an existing store")
	}
}

// FakeClock returns a clock that advances one minute per call from start.
func FakeClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	t := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Minute)
		return t
	}
}

// RenameChangeset returns a small changeset on st: grid number n (mod the
// grid count) renamed to "rename-n" by author.
func RenameChangeset(st *store.State, n uint64, author string) *store.Changeset {
	g := st.City.Grids[int(n)%len(st.City.Grids)]
	r := *g
	r.Name = fmt.Sprintf("rename-%d", n)
	return &store.Changeset{
		Base: st.Version, Author: author, Reason: "test", Kind: string(edit.KindReplace), Unit: g.Community(),
		Changes: []store.GridChange{{ID: g.ID, Kind: edit.ChangeReshaped, Before: edit.EncodeGridFeature(g), After: edit.EncodeGridFeature(&r)}},
	}
}

// AppendRenames appends n rename changesets by author.
func AppendRenames(t testing.TB, s store.Store, n int, author string) {
	t.Helper()
	ctx := context.Background()
	for range n {
		st, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, RenameChangeset(st, st.Version+1, author)); err != nil {
			t.Fatalf("Append = %v", err)
		}
	}
}

// StateHash hashes what a state holds: grids, building grids, history.
func StateHash(t testing.TB, st *store.State) uint64 {
	t.Helper()
	h := fnv.New64a()
	fmt.Fprint(h, st.Version)
	for _, g := range st.City.Grids {
		fmt.Fprint(h, g.ID, g.Code, g.Name, g.Households, g.Buildings, g.Bound, g.Geometry)
	}
	for _, b := range st.City.Buildings {
		fmt.Fprint(h, b.ID, b.Grid)
	}
	hist, err := json.Marshal(st.History)
	if err != nil {
		t.Fatal(err)
	}
	h.Write(hist)
	return h.Sum64()
}

// Snapshot builds the snapshot of st.
func Snapshot(t testing.TB, st *store.State) *geo.Snapshot {
	t.Helper()
	s, err := geo.NewSnapshot(st.City, st.Version)
	if err != nil {
		t.Fatalf("NewSnapshot(%d) = %v", st.Version, err)
	}
	return s
}

// SplitChangeset computes a split of grid code on st with an east-west
// line across its middle, by author.
func SplitChangeset(t testing.TB, st *store.State, code geo.GridCode, author string) (*store.Changeset, *edit.Result) {
	t.Helper()
	return EditChangeset(t, st, SplitOp(t, Snapshot(t, st), code), author)
}

// EditChangeset applies op to st and returns the changeset of the edit.
func EditChangeset(t testing.TB, st *store.State, op edit.Op, author string) (*store.Changeset, *edit.Result) {
	t.Helper()
	res, err := edit.Apply(Snapshot(t, st), op, edit.Options{History: st.History})
	if err != nil || !res.Valid {
		t.Fatalf("Apply(%s) = %v %v", op.Kind, err, res.Errors)
	}
	cs, err := store.NewChangeset(st.Version, author, "test "+string(op.Kind), op, res)
	if err != nil {
		t.Fatal(err)
	}
	return cs, res
}

// SplitOp returns the split of grid code of s with an east-west line
// across its middle.
func SplitOp(t testing.TB, s *geo.Snapshot, code geo.GridCode) edit.Op {
	t.Helper()
	g, ok := s.Grid(code)
	if !ok {
		t.Fatalf("no grid %s at version %d", code, s.Version)
	}
	y := g.Bound.Center()[1]
	return edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, y}, {g.Bound.Max[0] + 0.001, y}}}
}

// BiggestGrid returns the grid with the most households of the first
// community with at least n grids.
func BiggestGrid(t testing.TB, s *geo.Snapshot, n int) *geo.Grid {
	t.Helper()
	for _, u := range s.City.Units {
		gs := s.GridsOf(u.Code)
		if u.Level() != geo.LevelCommunity || len(gs) < n {
			continue
		}
		big := gs[0]
		for _, g := range gs {
			if g.Households > big.Households {
				big = g
			}
		}
		return big
	}
	t.Fatal("no community with enough grids")
	return nil
}
