package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
)

// servedTiles fetches every tile of box b in zooms 0-16 from the tile
// route and returns the SHA-256 of each non-empty one.
func servedTiles(t *testing.T, e *editEnv, b orb.Bound) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k := range tiles.KeysIn(b, 0, 16) {
		r := e.request(http.MethodGet, "/tiles/"+k.String()+".mvt", "", -1, "")
		switch r.status {
		case http.StatusOK:
			s := sha256.Sum256(r.body)
			out[k.String()] = hex.EncodeToString(s[:])
		case http.StatusNoContent:
		default:
			t.Fatalf("GET tile %s = %d", k, r.status)
		}
	}
	return out
}

// readServedArchive fetches an archive and reads every tile of b (zooms
// 0-16) from it with npm pmtiles in Node.
func readServedArchive(t *testing.T, e *editEnv, query string, b orb.Bound) map[string]string {
	t.Helper()
	r := e.request(http.MethodGet, "/v1/export/tiles.pmtiles"+query, "", -1, "")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != pmtilesContentType {
		t.Fatalf("GET archive%s = %d %s %.200s", query, r.status, r.header.Get("Content-Type"), r.body)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "a.pmtiles")
	var keys [][3]uint32
	for k := range tiles.KeysIn(b, 0, 16) {
		keys = append(keys, [3]uint32{k.Z, k.X, k.Y})
	}
	kb, _ := json.Marshal(keys)
	if err := os.WriteFile(file, r.body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "keys.json"), kb, 0o644); err != nil {
		t.Fatal(err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH: install Node.js 20 or later")
	}
	out, err := exec.Command(node, filepath.Join("..", "tiles", "archive", "pmcheck", "check.mjs"), file, filepath.Join(dir, "keys.json")).Output()
	if err != nil {
		t.Fatalf("node pmcheck (npm ci for pmtiles): %v %s", err, errStderr(err))
	}
	var got struct {
		Tiles map[string]*string `json:"tiles"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	tilesOut := map[string]string{}
	for k, h := range got.Tiles {
		if h != nil {
			tilesOut[k] = *h
		}
	}
	return tilesOut
}

func errStderr(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return string(ee.Stderr)
	}
	return ""
}

// TestTileArchiveServed reads the archive of the current and of a past
// version with npm pmtiles: every tile equals the tile route's for that
// version, byte for byte after decompression, and empty tiles are absent.
func TestTileArchiveServed(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	b := e.s.Snapshot().City.Grids[0].Bound.Union(e.s.Snapshot().City.Grids[4].Bound)
	before := servedTiles(t, e, b)
	g1 := mustCode(t, tCommunity1, 1)
	e.commit("admin", 0, edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "split"})
	after := servedTiles(t, e, b)
	if fmt.Sprint(before) == fmt.Sprint(after) {
		t.Fatal("the split changed no tile")
	}
	for _, c := range []struct {
		name, query string
		want        map[string]string
	}{
		{"current", "", after},
		{"past version", "?version=0", before},
		{"current by number", "?version=1&minzoom=0&maxzoom=16", after},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := readServedArchive(t, e, c.query, b)
			if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("archive%s holds %d tiles, the tile route %d; they differ", c.query, len(got), len(c.want))
			}
		})
	}
}

// TestTileArchiveRanges reads parts of the archive with Range requests,
// as a pmtiles reader in a browser does.
func TestTileArchiveRanges(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	whole := e.request(http.MethodGet, "/v1/export/tiles.pmtiles", "", -1, "")
	size := len(whole.body)
	cases := []struct {
		rng    string
		status int
		body   string
		cr     string
	}{
		{"bytes=0-6", http.StatusPartialContent, "PMTiles", fmt.Sprintf("bytes 0-6/%d", size)},
		{"bytes=-1", http.StatusPartialContent, string(whole.body[size-1:]), fmt.Sprintf("bytes %d-%d/%d", size-1, size-1, size)},
		{"bytes=0-99999999", http.StatusPartialContent, string(whole.body), fmt.Sprintf("bytes 0-%d/%d", size-1, size)},
		{fmt.Sprintf("bytes=%d-", size), http.StatusRequestedRangeNotSatisfiable, "", fmt.Sprintf("bytes */%d", size)},
		{"bytes=0-1,5-6", http.StatusOK, string(whole.body), ""},
	}
	for _, c := range cases {
		r := do(t, e.s, http.MethodGet, "/v1/export/tiles.pmtiles", "", "", "Range", c.rng)
		if r.status != c.status || string(r.body) != c.body || r.header.Get("Content-Range") != c.cr {
			t.Errorf("Range %s = %d %q (%d bytes), want %d %q", c.rng, r.status, r.header.Get("Content-Range"), len(r.body), c.status, c.cr)
		}
	}
	etag := whole.header.Get("ETag")
	if r := do(t, e.s, http.MethodGet, "/v1/export/tiles.pmtiles", "", "", "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match %s = %d, want 304", etag, r.status)
	}
}

// TestTileArchiveBadInput checks that every bad parameter is a problem
// naming it.
func TestTileArchiveBadInput(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	cases := []struct {
		query, field string
		status       int
	}{
		{"version=abc", "version", http.StatusBadRequest},
		{"version=-1", "version", http.StatusBadRequest},
		{"version=7", "version", http.StatusNotFound},
		{"minzoom=23", "minzoom", http.StatusBadRequest},
		{"maxzoom=x", "maxzoom", http.StatusBadRequest},
		{"minzoom=9&maxzoom=3", "minzoom", http.StatusBadRequest},
		{"bbox=1,2,3", "bbox", http.StatusBadRequest},
		{"bbox=105,26,104,27", "bbox", http.StatusBadRequest},
		{"bbox=104,-91,105,27", "bbox", http.StatusBadRequest},
	}
	for _, c := range cases {
		wantProblem(t, e.request(http.MethodGet, "/v1/export/tiles.pmtiles?"+c.query, "", -1, ""), c.status, c.field)
	}
}
