package store

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

var (
	seedOnce sync.Once
	seedC    *geo.City
	seedErr  error
)

// seedCity returns the generated reference city, shared and read-only.
func seedCity() (*geo.City, error) {
	seedOnce.Do(func() { seedC, seedErr = fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1}) })
	return seedC, seedErr
}

// openTemp opens a new store in a temporary directory.
func openTemp(t testing.TB, opts Options) (*Bolt, string) {
	t.Helper()
	dir := t.TempDir()
	b, err := OpenOptions(dir, seedCity, opts)
	if err != nil {
		t.Fatalf("OpenOptions = %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return b, dir
}

// fakeClock returns a clock that advances one minute per call from start.
func fakeClock(start time.Time) func() time.Time {
	var mu sync.Mutex
	t := start
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Minute)
		return t
	}
}

// renameChangeset returns a small synthetic changeset on st: grid number v
// (mod the grid count) renamed to "rename-v" by author.
func renameChangeset(st *State, v uint64, author string) *Changeset {
	g := st.City.Grids[int(v)%len(st.City.Grids)]
	n := *g
	n.Name = fmt.Sprintf("rename-%d", v)
	return &Changeset{
		Base: st.Version, Author: author, Reason: "test", Kind: string(edit.KindReplace), Unit: g.Community(),
		Changes: []GridChange{{ID: g.ID, Kind: edit.ChangeReshaped, Before: edit.EncodeGridFeature(g), After: edit.EncodeGridFeature(&n)}},
	}
}

// appendRenames appends n rename changesets by author.
func appendRenames(t testing.TB, b *Bolt, n int, author string) {
	t.Helper()
	ctx := context.Background()
	for range n {
		st, err := b.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Append(ctx, renameChangeset(st, st.Version+1, author)); err != nil {
			t.Fatalf("Append = %v", err)
		}
	}
}

// stateHash hashes what a state holds: grids, building grids, history.
func stateHash(t testing.TB, st *State) uint64 {
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

// commitEdit applies op to the store's current state and appends it.
func commitEdit(t testing.TB, b *Bolt, op edit.Op, author string) (*Changeset, *edit.Result) {
	t.Helper()
	ctx := context.Background()
	st, err := b.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s, err := geo.NewSnapshot(st.City, st.Version)
	if err != nil {
		t.Fatal(err)
	}
	res, err := edit.Apply(s, op, edit.Options{History: st.History})
	if err != nil || !res.Valid {
		t.Fatalf("Apply(%s) = %v %v", op.Kind, err, res.Errors)
	}
	cs, err := NewChangeset(st.Version, author, "test "+string(op.Kind), op, res)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Append(ctx, cs); err != nil {
		t.Fatalf("Append(%s) = %v", op.Kind, err)
	}
	return cs, res
}
