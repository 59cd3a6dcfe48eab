package bolt

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/gob"
	"encoding/json"
	"errors"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/geo/store/storetest"
	bbolt "go.etcd.io/bbolt"
)

// TestReopenSharesBaseCity checks that a reopened store holds the base
// city once: the state of version 0 and the states replayed on it share
// the base city's buildings rather than a second decoded copy.
func TestReopenSharesBaseCity(t *testing.T) {
	ctx := context.Background()
	b, dir := openTemp(t, Options{NoSync: true})
	b.Close()
	b, err := OpenOptions(dir, nil, Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening = %v", err)
	}
	st, _ := b.Load(ctx)
	if st.City != b.base.City() {
		t.Errorf("version 0 after reopening: the state's city is a second copy of the base city")
	}
	storetest.AppendRenames(t, b, 2, "a")
	b.Close()
	b, err = OpenOptions(dir, nil, Options{NoSync: true})
	if err != nil {
		t.Fatalf("reopening = %v", err)
	}
	defer b.Close()
	st, _ = b.Load(ctx)
	if st.City.Buildings[0] != b.base.City().Buildings[0] {
		t.Errorf("version 2 after reopening: buildings are not shared with the base city")
	}
	zero, err := b.CityAt(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if zero.City != b.base.City() {
		t.Errorf("CityAt(0) decodes the base city again")
	}
}

// gobCheckpoint encodes cp as encodeCheckpoint frames it (gzipped gob).
func gobCheckpoint(t testing.TB, cp *checkpoint) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := gob.NewEncoder(zw).Encode(cp); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestCheckpointColumns checks that the base checkpoint's building
// columns give back every building, that the decoded buildings share one
// copy of each address word, and that a checkpoint written before the
// columns (buildings and grids in full) still loads.
func TestCheckpointColumns(t *testing.T) {
	city, err := seedCity()
	if err != nil {
		t.Fatal(err)
	}
	st := &store.State{City: city, History: edit.NewCodeHistory(city, time.Time{})}
	data, err := encodeCheckpoint(st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := decodeCheckpoint(data)
	if err != nil {
		t.Fatal(err)
	}
	got := cp.City.Buildings
	if len(got) != len(city.Buildings) {
		t.Fatalf("decoded %d buildings, want %d", len(got), len(city.Buildings))
	}
	for i, b := range city.Buildings {
		if *got[i] != *b {
			t.Fatalf("building %d decodes as %+v, want %+v", i, *got[i], *b)
		}
	}
	if unsafe.StringData(got[0].Address.Province) != unsafe.StringData(got[len(got)-1].Address.Province) {
		t.Errorf("decoded buildings hold separate copies of the province name")
	}

	old := gobCheckpoint(t, &checkpoint{City: city})
	if cp, err = decodeCheckpoint(old); err != nil || len(cp.City.Buildings) != len(city.Buildings) {
		t.Fatalf("old base checkpoint = %v", err)
	}
	base := store.NewBaseCity(cp.City)
	grids := append([]*geo.Grid(nil), city.Grids...)
	renamed := *grids[3]
	renamed.Name = "renamed"
	grids[3] = &renamed
	hist, _ := json.Marshal(st.History)
	later, err := decodeCheckpoint(gobCheckpoint(t, &checkpoint{Version: 5, Grids: grids, History: hist}))
	if err != nil {
		t.Fatal(err)
	}
	s5, err := stateOf(base, later)
	if err != nil {
		t.Fatal(err)
	}
	if s5.City.Grids[3].Name != "renamed" || len(s5.City.Grids) != len(city.Grids) {
		t.Errorf("old later checkpoint: grid 3 is %q of %d grids", s5.City.Grids[3].Name, len(s5.City.Grids))
	}
}

// TestCheckpointColumnsCorrupt checks that columns of unequal length or a
// word index out of range are store.ErrCorrupt, not a panic.
func TestCheckpointColumnsCorrupt(t *testing.T) {
	city, err := seedCity()
	if err != nil {
		t.Fatal(err)
	}
	for name, spoil := range map[string]func(c *buildingColumns){
		"short grid column": func(c *buildingColumns) { c.Grid = c.Grid[1:] },
		"word out of range": func(c *buildingColumns) { c.Address[5] = uint32(len(c.Words)) },
		"odd points":        func(c *buildingColumns) { c.Point = c.Point[1:] },
	} {
		c := newBuildingColumns(city.Buildings[:10])
		spoil(c)
		if _, err := c.buildings(); !errors.Is(err, store.ErrCorrupt) {
			t.Errorf("%s: %v, want store.ErrCorrupt", name, err)
		}
	}
}

// setFormat rewrites the format in a closed store's meta record.
func setFormat(t *testing.T, dir string, f int) {
	t.Helper()
	db := openRaw(t, dir)
	defer db.Close()
	err := db.Update(func(tx *bbolt.Tx) error {
		m, err := readMeta(tx)
		if err != nil {
			return err
		}
		m.Format = f
		data, _ := json.Marshal(m)
		return tx.Bucket(bucketMeta).Put(metaKey, data)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFormatUpgrade checks that a format-1 store with a format-1 base
// checkpoint opens, that its first changeset marks it format 2, and that
// a format newer than this binary's is refused.
func TestFormatUpgrade(t *testing.T) {
	city, err := seedCity()
	if err != nil {
		t.Fatal(err)
	}
	b, dir := openTemp(t, Options{NoSync: true})
	want := storetest.StateHash(t, mustLoad(t, b))
	b.Close()
	old := gobCheckpoint(t, &checkpoint{City: city, History: mustJSON(t, edit.NewCodeHistory(city, time.Time{}))})
	db := openRaw(t, dir)
	if err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucketCheckpoints).Put(key(0), old) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	setFormat(t, dir, 1)
	b, err = OpenOptions(dir, nil, Options{NoSync: true})
	if err != nil {
		t.Fatalf("opening a format-1 store = %v", err)
	}
	if got := storetest.StateHash(t, mustLoad(t, b)); got != want {
		t.Errorf("a format-1 store loads a different state")
	}
	storetest.AppendRenames(t, b, 1, "a")
	b.Close()
	var m *meta
	db = openRaw(t, dir)
	_ = db.View(func(tx *bbolt.Tx) error { m, err = readMeta(tx); return err })
	db.Close()
	if m == nil || m.Format != formatVersion {
		t.Errorf("after a changeset the meta record is %+v, want format %d", m, formatVersion)
	}
	setFormat(t, dir, formatVersion+1)
	if b, err := OpenOptions(dir, nil, Options{NoSync: true}); !errors.Is(err, store.ErrCorrupt) {
		if b != nil {
			b.Close()
		}
		t.Errorf("opening a newer format = %v, want store.ErrCorrupt", err)
	}
}

func mustLoad(t testing.TB, b *Store) *store.State {
	t.Helper()
	st, err := b.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// BenchmarkReopenCity opens a store of the fixture city (its base
// checkpoint decoded: the restart path) and reports the heap an open
// store holds.
func BenchmarkReopenCity(b *testing.B) {
	dir := b.TempDir()
	st, err := OpenOptions(dir, seedCity, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if st, err = OpenOptions(dir, nil, Options{NoSync: true}); err != nil {
			b.Fatal(err)
		}
		if i < b.N-1 {
			st.Close()
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/(1<<20), "store-MiB")
	st.Close()
}

// BenchmarkRestartScale10 is a restart's work before /readyz at scale 10
// (21,760 grids, about 180,000 buildings): open the store (its base
// checkpoint decoded) and index the latest state as a snapshot. It
// reports the heap the open store and its snapshot hold.
func BenchmarkRestartScale10(b *testing.B) {
	dir := b.TempDir()
	st, err := OpenOptions(dir, func() (*geo.City, error) { return fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10}) }, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	st.Close()
	st = nil // the seed city goes with it
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var snap *geo.Snapshot
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if st, err = OpenOptions(dir, nil, Options{NoSync: true}); err != nil {
			b.Fatal(err)
		}
		s := mustLoad(b, st)
		if snap, err = geo.NewSnapshot(s.City, s.Version); err != nil {
			b.Fatal(err)
		}
		if i < b.N-1 {
			st.Close()
		}
	}
	b.StopTimer()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(snap)
	b.ReportMetric(float64(after.HeapAlloc-min(before.HeapAlloc, after.HeapAlloc))/(1<<20), "heap-MiB")
	st.Close()
}
