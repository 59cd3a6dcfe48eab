package tiles

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

var update = flag.Bool("update", false, "rewrite the golden tiles in testdata/")

// goldenKeys returns the golden tiles of the reference city: the tiles
// holding the city government (104.8304 E, 26.5925 N) at z10, z14, z16 and
// z18 (overzoomed), and the one holding the 水城区 government
// (104.95705 E, 26.54608 N) at z13.
func goldenKeys(t testing.TB, s *geo.Snapshot) []Key {
	t.Helper()
	at := func(p orb.Point, z uint32) Key {
		w := project(p)
		return Key{Z: z, X: tileIndex(w[0], z), Y: tileIndex(w[1], z)}
	}
	gov, shuicheng := orb.Point{104.8304, 26.5925}, orb.Point{104.95705, 26.54608}
	return []Key{at(gov, 10), at(gov, 14), at(gov, 16), at(gov, 18), at(shuicheng, 13)}
}

// TestGoldenTiles compares tiles of the reference city with
// testdata/Z-X-Y.mvt and their decoded form testdata/Z-X-Y.json. Run
// `go test ./tiles -run TestGoldenTiles -update` to rewrite them after an
// intended change, and review the JSON diff.
func TestGoldenTiles(t *testing.T) {
	r := cityRenderer(t)
	checkCityFingerprint(t, r.snap)
	for _, k := range goldenKeys(t, r.snap) {
		name := fmt.Sprintf("%d-%d-%d", k.Z, k.X, k.Y)
		t.Run(name, func(t *testing.T) {
			data, err := r.Render(k)
			if err != nil || len(data) == 0 {
				t.Fatalf("Render(%v) = %d bytes, %v; want a tile with features", k, len(data), err)
			}
			dump := tileJSONDump(t, k, data)
			mvtPath := filepath.Join("testdata", name+".mvt")
			jsonPath := filepath.Join("testdata", name+".json")
			if *update {
				if err := os.WriteFile(mvtPath, data, 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(jsonPath, dump, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(mvtPath)
			if err != nil {
				t.Fatalf("reading golden tile: %v (run go test ./tiles -run TestGoldenTiles -update)", err)
			}
			wantJSON, err := os.ReadFile(jsonPath)
			if err != nil {
				t.Fatalf("reading golden JSON: %v (run go test ./tiles -run TestGoldenTiles -update)", err)
			}
			if !bytes.Equal(dump, wantJSON) {
				t.Errorf("tile %s decodes differently from %s (diff it after -update)", k, jsonPath)
			}
			if !bytes.Equal(data, want) {
				t.Errorf("tile %s: %d bytes differ from %s (%d bytes)", k, len(data), mvtPath, len(want))
			}
		})
	}
}

// checkCityFingerprint compares a hash of the reference city with
// testdata/city.sha256, so that a change in fixtures.Generate is reported
// as such rather than as a change in rendering.
func checkCityFingerprint(t *testing.T, s *geo.Snapshot) {
	t.Helper()
	raw, err := json.Marshal(s.City)
	if err != nil {
		t.Fatalf("encoding the city: %v", err)
	}
	sum := sha256.Sum256(raw)
	got := hex.EncodeToString(sum[:]) + "\n"
	path := filepath.Join("testdata", "city.sha256")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v (run go test ./tiles -run TestGoldenTiles -update)", path, err)
	}
	if string(want) != got {
		t.Fatalf("the reference city (fixtures.Generate, seed 1) changed since the golden tiles were written: " +
			"check the fixtures change, then run go test ./tiles -run TestGoldenTiles -update and review the JSON diff")
	}
}

// TestGoldenCityDigest renders every tile of the reference city from z0 to
// z16, and those of 钟山区 at z17-z18, and compares a hash of them all
// with testdata/city-tiles.sha256: any change to any byte of any tile
// shows here, where the golden tiles cover five. Rewrite it with -update
// (see TestGoldenTiles) after an intended change.
func TestGoldenCityDigest(t *testing.T) {
	r := cityRenderer(t)
	checkCityFingerprint(t, r.snap)
	all := sha256.New()
	n := 0
	add := func(k Key) {
		data, err := r.Render(k)
		if err != nil {
			t.Fatalf("Render(%v): %v", k, err)
		}
		sum := sha256.Sum256(data)
		all.Write(sum[:])
		n++
	}
	for k := range KeysIn(r.Bound(), 0, 16) {
		add(k)
	}
	for k := range KeysIn(zhongshan(t, r.snap), 17, 18) {
		add(k)
	}
	got := fmt.Sprintf("%x %d tiles\n", all.Sum(nil), n)
	path := filepath.Join("testdata", "city-tiles.sha256")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading %s: %v (run go test ./tiles -run TestGoldenCityDigest -update)", path, err)
	}
	if string(want) != got {
		t.Errorf("the tiles of the reference city hash to %q, want %q from %s: some tile changed "+
			"(find it with the golden tiles, or render the city before and after)", got, want, path)
	}
}
