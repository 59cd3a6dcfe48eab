package bolt

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/paulmach/orb"
	bbolt "go.etcd.io/bbolt"
)

// smallCity is the seed city cut to a few of each feature, holes and
// several polygons included, for the corruption tests and the fuzzer.
func smallCity(t testing.TB) *geo.City {
	t.Helper()
	city, err := seedCity()
	if err != nil {
		t.Fatal(err)
	}
	c := *city
	c.Grids, c.Buildings, c.Streets = c.Grids[:3], c.Buildings[:5], c.Streets[:2]
	c.Units, c.Stations = c.Units[:4], c.Stations[:2]
	g := *c.Grids[0]
	hole := orb.Ring{{106.8, 26.6}, {106.81, 26.6}, {106.81, 26.61}, {106.8, 26.6}}
	g.Geometry = append(orb.MultiPolygon{append(orb.Polygon{}, g.Geometry[0]...)}, orb.Polygon{hole, hole})
	c.Grids = append([]*geo.Grid{&g}, c.Grids[1:]...)
	return &c
}

// TestBaseCheckpointRoundTrip checks that a format-3 base checkpoint
// gives back the city it was made of, field for field, and that a base
// checkpoint of format 2 (building columns inside the gob) still loads.
func TestBaseCheckpointRoundTrip(t *testing.T) {
	full, err := seedCity()
	if err != nil {
		t.Fatal(err)
	}
	for name, city := range map[string]*geo.City{"seed city": full, "small city": smallCity(t)} {
		st := &store.State{City: city, History: edit.NewCodeHistory(city, time.Time{}), Time: time.Unix(1700000000, 0).UTC()}
		data, err := encodeCheckpoint(st, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !isBase(data) {
			t.Fatalf("%s: the base checkpoint does not start with the format-3 magic", name)
		}
		cp, err := decodeCheckpoint(data)
		if err != nil {
			t.Fatalf("%s: decoding = %v", name, err)
		}
		assertSameCity(t, name, cp.City, city)
		if !cp.Time.Equal(st.Time) {
			t.Errorf("%s: time %v, want %v", name, cp.Time, st.Time)
		}
	}

	data, err := encodeCheckpoint(&store.State{City: full, History: edit.NewCodeHistory(full, time.Time{})}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := decodeCheckpoint(gzipHead(t, data))
	if err != nil {
		t.Fatalf("a format-3 base checkpoint with a gzipped head = %v", err)
	}
	assertSameCity(t, "gzipped head", cp.City, full)

	c := *full
	c.Buildings = nil
	old := gobCheckpoint(t, &checkpoint{City: &c, Buildings: newBuildingColumns(full.Buildings)})
	cp, err = decodeCheckpoint(old)
	if err != nil {
		t.Fatalf("a format-2 base checkpoint = %v", err)
	}
	assertSameCity(t, "format 2", cp.City, full)
}

// gzipHead rewrites a format-3 base checkpoint with its head gzipped, as
// the first binaries writing format 3 did.
func gzipHead(t testing.TB, data []byte) []byte {
	t.Helper()
	at := len(baseMagic) + 8
	end := at + int(binary.LittleEndian.Uint64(data[len(baseMagic):]))
	var zb bytes.Buffer
	zw := gzip.NewWriter(&zb)
	if _, err := zw.Write(data[at:end]); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), baseMagic...)
	out = binary.LittleEndian.AppendUint64(out, uint64(zb.Len()))
	out = append(out, zb.Bytes()...)
	return append(out, data[end:]...)
}

// assertSameCity compares two cities feature by feature.
func assertSameCity(t *testing.T, name string, got, want *geo.City) {
	t.Helper()
	if got.Code != want.Code || got.Name != want.Name || got.Province != want.Province {
		t.Errorf("%s: city %d %s %s, want %d %s %s", name, got.Code, got.Name, got.Province, want.Code, want.Name, want.Province)
	}
	same := func(what string, n, m int, eq func(i int) bool) {
		if n != m {
			t.Errorf("%s: %d %s, want %d", name, n, what, m)
			return
		}
		for i := range n {
			if !eq(i) {
				t.Errorf("%s: %s %d differs", name, what, i)
				return
			}
		}
	}
	same("grids", len(got.Grids), len(want.Grids), func(i int) bool { return reflect.DeepEqual(*got.Grids[i], *want.Grids[i]) })
	same("units", len(got.Units), len(want.Units), func(i int) bool { return reflect.DeepEqual(*got.Units[i], *want.Units[i]) })
	same("streets", len(got.Streets), len(want.Streets), func(i int) bool { return reflect.DeepEqual(*got.Streets[i], *want.Streets[i]) })
	same("stations", len(got.Stations), len(want.Stations), func(i int) bool { return *got.Stations[i] == *want.Stations[i] })
	same("buildings", len(got.Buildings), len(want.Buildings), func(i int) bool { return *got.Buildings[i] == *want.Buildings[i] })
}

// TestBaseCheckpointShares checks that the decoded rings are capped, so
// that appending to one copies instead of overwriting the next ring in
// the shared block.
func TestBaseCheckpointShares(t *testing.T) {
	city := smallCity(t)
	data, err := encodeCheckpoint(&store.State{City: city, History: edit.NewCodeHistory(city, time.Time{})}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cp, err := decodeCheckpoint(data)
	if err != nil {
		t.Fatal(err)
	}
	g0, g1 := cp.City.Grids[0], cp.City.Grids[1]
	want := g1.Geometry[0][0][0]
	r := g0.Geometry[len(g0.Geometry)-1][0]
	_ = append(r, orb.Point{1, 1})
	_ = append(g0.Geometry, orb.Polygon{})
	_ = append(g0.Geometry[0], orb.Ring{})
	if g1.Geometry[0][0][0] != want || len(g0.Geometry) != 2 {
		t.Errorf("appending to grid 0's geometry changed grid 1's: %v, want %v", g1.Geometry[0][0][0], want)
	}
}

// TestBaseCheckpointCorrupt checks that a base checkpoint cut short at
// any byte, or with a count or word spoilt, is store.ErrCorrupt and never
// a panic.
func TestBaseCheckpointCorrupt(t *testing.T) {
	city := smallCity(t)
	data, err := encodeCheckpoint(&store.State{City: city, History: edit.NewCodeHistory(city, time.Time{})}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Every byte of the raw columns; the gob head every few bytes.
	head := len(baseMagic) + 8 + int(binary.LittleEndian.Uint64(data[len(baseMagic):]))
	step := func(i int) int {
		if i < head {
			return 13
		}
		return 1
	}
	for n := len(baseMagic); n < len(data); n += step(n) {
		if _, err := decodeCheckpoint(data[:n]); !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("cut at %d of %d bytes: %v, want store.ErrCorrupt", n, len(data), err)
		}
	}
	spoilt := 0
	for i := len(baseMagic); i < len(data); i += step(i) {
		bad := append([]byte(nil), data...)
		bad[i] ^= 0xff
		cp, err := decodeCheckpoint(bad)
		switch {
		case err == nil && cp.City == nil:
			t.Fatalf("byte %d spoilt: no error and no city", i)
		case err != nil && !errors.Is(err, store.ErrCorrupt):
			t.Fatalf("byte %d spoilt: %v, want store.ErrCorrupt", i, err)
		case err != nil:
			spoilt++
		}
	}
	if spoilt == 0 {
		t.Errorf("no spoilt byte was noticed")
	}
}

// FuzzDecodeCheckpoint feeds decodeCheckpoint damaged checkpoints of
// both layouts: it must return a checkpoint or store.ErrCorrupt, never
// panic.
func FuzzDecodeCheckpoint(f *testing.F) {
	city := smallCity(f)
	data, err := encodeCheckpoint(&store.State{City: city, History: edit.NewCodeHistory(city, time.Time{})}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(gzipHead(f, data))
	f.Add(gobCheckpoint(f, &checkpoint{City: city}))
	f.Add(append(append([]byte(nil), baseMagic...), 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f))
	f.Fuzz(func(t *testing.T, data []byte) {
		cp, err := decodeCheckpoint(data)
		if err != nil && !errors.Is(err, store.ErrCorrupt) {
			t.Fatalf("decodeCheckpoint = %v, want store.ErrCorrupt", err)
		}
		if err == nil && cp == nil {
			t.Fatalf("decodeCheckpoint = nil, nil")
		}
	})
}

// TestDropMappedKeepsData checks that the mapped bytes of a checkpoint
// read again after dropMapped still decode to the same city (the pages
// fault back in from the file).
func TestDropMappedKeepsData(t *testing.T) {
	b, _ := openTemp(t, Options{NoSync: true})
	want := b.base.City()
	err := b.db.View(func(tx *bbolt.Tx) error {
		data := tx.Bucket(bucketCheckpoints).Get(key(0))
		dropMapped(data)
		cp, err := decodeCheckpoint(data)
		if err != nil {
			return err
		}
		assertSameCity(t, "after dropMapped", cp.City, want)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
