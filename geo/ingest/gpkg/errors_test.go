package gpkg

import (
	"database/sql"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// exec runs SQL statements on a GeoPackage opened read-write.
func execSQL(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// corrupt replaces the geometry of feature fid 2 in layer pts with blob,
// after dropping GDAL's triggers (they call SpatiaLite functions).
func corrupt(t *testing.T, path string, blob string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	var triggers []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		triggers = append(triggers, n)
	}
	rows.Close()
	db.Close()
	var stmts []string
	for _, n := range triggers {
		stmts = append(stmts, "DROP TRIGGER "+quoteIdent(n))
	}
	execSQL(t, path, append(stmts, "UPDATE pts SET geom = "+blob+" WHERE fid = 2")...)
}

func TestBadFiles(t *testing.T) {
	dir := t.TempDir()
	good := writeGPKG(t, dir, "good.gpkg", "pts", cityGeoJSON, "-a_srs", "EPSG:4490")
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	copyOf := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	text := filepath.Join(dir, "grids.gpkg.txt")
	os.WriteFile(text, []byte("网格编码,名称\n1,a\n"), 0o644)
	plain := filepath.Join(dir, "plain.sqlite")
	execSQL(t, plain, "CREATE TABLE t (a INTEGER)")
	truncated := filepath.Join(dir, "truncated.gpkg")
	os.WriteFile(truncated, data[:len(data)/3], 0o644)
	magic, version, envelope, wkbBad := copyOf("magic.gpkg"), copyOf("version.gpkg"), copyOf("envelope.gpkg"), copyOf("wkb.gpkg")
	corrupt(t, magic, "X'58590000E6100000'")
	corrupt(t, version, "X'47500201E6100000'")
	corrupt(t, envelope, "X'4750000BE6100000'")
	corrupt(t, wkbBad, "X'47500001E610000001030000000100000005000000'")

	cases := []struct {
		name, path, layer string
		feature           int
		says              string
	}{
		{"missing file", filepath.Join(dir, "nope.gpkg"), "pts", 0, "no such file"},
		{"not sqlite", text, "pts", 0, "not a SQLite 3 database"},
		{"sqlite, not gpkg", plain, "pts", 0, "not a GeoPackage"},
		{"no such layer", good, "grids", 0, `no feature layer "grids" (layers: pts)`},
		{"bad magic", magic, "pts", 2, `not the GeoPackage magic "GP"`},
		{"bad version", version, "pts", 2, "version 2"},
		{"bad envelope", envelope, "pts", 2, "envelope indicator 5"},
		{"truncated wkb", wkbBad, "pts", 2, "count 5 exceeds"},
		{"truncated file", truncated, "pts", 0, "malformed"},
	}
	for _, tc := range cases {
		l, err := Read(tc.path, tc.layer)
		if err == nil {
			t.Errorf("%s: Read = %d features, want an error", tc.name, len(l.Features))
			continue
		}
		msg := err.Error()
		t.Logf("%s: %s", tc.name, msg)
		if !strings.Contains(msg, tc.path) || !strings.Contains(msg, tc.says) {
			t.Errorf("%s: error %q, want the file and %q", tc.name, msg, tc.says)
		}
		var ie *ingest.Error
		if tc.feature >= 0 && tc.name != "missing file" && (!errors.As(err, &ie) || ie.Feature != tc.feature) {
			t.Errorf("%s: error %#v, want an *ingest.Error at feature %d", tc.name, err, tc.feature)
		}
	}
}

// gpBlob builds a GeoPackage blob: header with flags and envelope bytes,
// then the WKB of g.
func gpBlob(flags byte, envelope int, g orb.Geometry) []byte {
	b := []byte{'G', 'P', 0, flags, 0, 0, 0, 0}
	binary.LittleEndian.PutUint32(b[4:], 4490)
	b = append(b, make([]byte, envelope)...)
	if g == nil {
		return b
	}
	w, _ := wkb.Marshal(g)
	return append(b, w...)
}

func TestDecodeBlob(t *testing.T) {
	poly := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	for env, size := range envelopeBytes {
		g, srs, err := decodeBlob(gpBlob(byte(env<<1)|1, size, poly))
		if err != nil || srs != 4490 || !orb.Equal(g, poly) {
			t.Errorf("envelope %d: %v %d %v", env, g, srs, err)
		}
	}
	if g, _, err := decodeBlob(gpBlob(flagEmpty|1, 0, orb.Point{math.NaN(), math.NaN()})); g != nil || err != nil {
		t.Errorf("empty flag: %v %v", g, err)
	}
	if g, _, err := decodeBlob(gpBlob(1, 0, orb.Point{math.NaN(), math.NaN()})); g != nil || err != nil {
		t.Errorf("NaN point: %v %v", g, err)
	}
	// Big-endian header, big-endian ISO WKB LineString Z (1002).
	b := []byte{'G', 'P', 0, 0, 0, 0, 0x11, 0x8a, 0, 0, 0, 0x03, 0xea, 0, 0, 0, 2}
	for _, v := range []float64{1, 2, 3, 4, 5, 6} {
		b = binary.BigEndian.AppendUint64(b, math.Float64bits(v))
	}
	g, srs, err := decodeBlob(b)
	if err != nil || srs != 4490 || !orb.Equal(g, orb.LineString{{1, 2}, {4, 5}}) {
		t.Errorf("big-endian LineString Z: %v %d %v", g, srs, err)
	}
	// EWKB flags: MultiPoint M with one point.
	e := []byte{'G', 'P', 0, 1, 0, 0, 0, 0, 1}
	e = binary.LittleEndian.AppendUint32(e, 4|ewkbM)
	e = binary.LittleEndian.AppendUint32(e, 1)
	e = append(e, 1)
	e = binary.LittleEndian.AppendUint32(e, 1|ewkbM)
	for _, v := range []float64{7, 8, 9} {
		e = binary.LittleEndian.AppendUint64(e, math.Float64bits(v))
	}
	if g, _, err := decodeBlob(e); err != nil || !orb.Equal(g, orb.MultiPoint{{7, 8}}) {
		t.Errorf("EWKB MultiPoint M: %v %v", g, err)
	}
	bad := map[string][]byte{
		"short":       []byte("GP"),
		"extended":    gpBlob(flagExtended|1, 0, poly),
		"trailing":    append(gpBlob(1, 0, poly), 0),
		"collection":  gpBlob(1, 0, orb.Collection{orb.Point{1, 2}}),
		"byte order":  append(gpBlob(1, 0, nil), 7, 1, 0, 0, 0),
		"type 4001":   append(gpBlob(1, 0, nil), 1, 0xa1, 0x0f, 0, 0),
		"wrong part":  append(append(gpBlob(1, 0, nil), 1, 6, 0, 0, 0, 1, 0, 0, 0), mustWKB(orb.Point{1, 2})...),
		"huge count":  append(gpBlob(1, 0, nil), 1, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff),
		"no envelope": gpBlob(4<<1|1, 10, nil),
	}
	for name, blob := range bad {
		if g, _, err := decodeBlob(blob); err == nil {
			t.Errorf("%s: decodeBlob = %v, want an error", name, g)
		}
	}
}

func mustWKB(g orb.Geometry) []byte {
	b, err := wkb.Marshal(g)
	if err != nil {
		panic(err)
	}
	return b
}

// FuzzDecodeBlob checks that no blob panics the decoder or makes it
// allocate beyond its input: every point decoded needs 16 input bytes.
func FuzzDecodeBlob(f *testing.F) {
	f.Add(gpBlob(3, 32, orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}))
	f.Add(gpBlob(1, 0, orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}, {{{5, 5}, {6, 5}, {6, 6}, {5, 5}}}}))
	f.Add(gpBlob(1, 0, orb.MultiLineString{{{0, 0}, {1, 1}}}))
	f.Add(gpBlob(1, 0, orb.MultiPoint{{0, 0}, {1, 1}}))
	f.Add(gpBlob(flagEmpty|1, 0, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		g, _, err := decodeBlob(b)
		if err != nil {
			return
		}
		if n := len(thirdparty.Points(g)); n*16 > len(b) {
			t.Fatalf("%d points from %d bytes", n, len(b))
		}
	})
}
