package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/pgstore/pgtest"
	"github.com/paulmach/orb"
)

// cluster is the package's throw-away PostgreSQL, started by the first
// test that needs it.
var cluster pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	if err := cluster.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "stopping the test cluster:", err)
	}
	os.Exit(code)
}

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

// openNew opens a store on a fresh database and returns it with the
// database's DSN; the store is closed when the test ends.
func openNew(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	dsn := cluster.Database(t)
	return openAt(t, dsn, opts), dsn
}

// openAt opens a store on an existing database, seeding it if new, and
// closes it when the test ends.
func openAt(t testing.TB, dsn string, opts Options) *Store {
	t.Helper()
	s, err := OpenOptions(context.Background(), dsn, seedCity, opts)
	if err != nil {
		t.Fatalf("OpenOptions = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
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

// renameChangeset returns a small changeset on st: grid number n (mod the
// grid count) renamed to "rename-n" by author.
func renameChangeset(st *store.State, n uint64, author string) *store.Changeset {
	g := st.City.Grids[int(n)%len(st.City.Grids)]
	r := *g
	r.Name = fmt.Sprintf("rename-%d", n)
	return &store.Changeset{
		Base: st.Version, Author: author, Reason: "test", Kind: string(edit.KindReplace), Unit: g.Community(),
		Changes: []store.GridChange{{ID: g.ID, Kind: edit.ChangeReshaped, Before: edit.EncodeGridFeature(g), After: edit.EncodeGridFeature(&r)}},
	}
}

// appendRenames appends n rename changesets by author.
func appendRenames(t testing.TB, s store.Store, n int, author string) {
	t.Helper()
	ctx := context.Background()
	for range n {
		st, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, renameChangeset(st, st.Version+1, author)); err != nil {
			t.Fatalf("Append = %v", err)
		}
	}
}

// stateHash hashes what a state holds: grids, building grids, history.
func stateHash(t testing.TB, st *store.State) uint64 {
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

// snapshot builds the snapshot of st.
func snapshot(t testing.TB, st *store.State) *geo.Snapshot {
	t.Helper()
	s, err := geo.NewSnapshot(st.City, st.Version)
	if err != nil {
		t.Fatalf("NewSnapshot(%d) = %v", st.Version, err)
	}
	return s
}

// splitChangeset computes a split of grid g (by code) on st with an
// east-west line across its middle.
func splitChangeset(t testing.TB, st *store.State, code geo.GridCode, author string) (*store.Changeset, *edit.Result) {
	t.Helper()
	s := snapshot(t, st)
	g, ok := s.Grid(code)
	if !ok {
		t.Fatalf("no grid %s at version %d", code, st.Version)
	}
	y := g.Bound.Center()[1]
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, y}, {g.Bound.Max[0] + 0.001, y}}}
	res, err := edit.Apply(s, op, edit.Options{History: st.History})
	if err != nil || !res.Valid {
		t.Fatalf("Apply(split %s) = %v %v", code, err, res.Errors)
	}
	cs, err := store.NewChangeset(st.Version, author, "split "+code.String(), op, res)
	if err != nil {
		t.Fatal(err)
	}
	return cs, res
}

// biggestGrid returns the grid with the most households of the first
// community with at least n grids.
func biggestGrid(t testing.TB, s *geo.Snapshot, n int) *geo.Grid {
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

// testSeed returns SEED from the environment or the time, and logs it.
func testSeed(t testing.TB) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		seed = v
	}
	t.Logf("SEED=%d", seed)
	return seed
}
