package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/valyala/fasthttp"
)

// keyAt returns the tile of zoom z that holds p.
func keyAt(tb testing.TB, p orb.Point, z uint32) tiles.Key {
	tb.Helper()
	for k := range tiles.KeysIn(orb.Bound{Min: p, Max: p}, z, z) {
		return k
	}
	tb.Fatalf("no tile at %v z%d", p, z)
	return tiles.Key{}
}

func tileURL(k tiles.Key) string { return fmt.Sprintf("/tiles/%d/%d/%d.mvt", k.Z, k.X, k.Y) }

// decodeTile decodes MVT bytes and returns the layers by name.
func decodeTile(tb testing.TB, data []byte) map[string]*mvt.Layer {
	tb.Helper()
	ls, err := mvt.Unmarshal(data)
	if err != nil {
		tb.Fatalf("decoding tile: %v", err)
	}
	byName := make(map[string]*mvt.Layer, len(ls))
	for _, l := range ls {
		byName[l.Name] = l
	}
	return byName
}

// gridNames returns the name property of every feature of the grids layer.
func gridNames(tb testing.TB, data []byte) []string {
	tb.Helper()
	l := decodeTile(tb, data)["grids"]
	if l == nil {
		tb.Fatalf("tile has no grids layer")
	}
	var names []string
	for _, f := range l.Features {
		names = append(names, fmt.Sprint(f.Properties["name"]))
	}
	return names
}

func TestTileJSON(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name    string
		hdr     []string
		wantURL string
	}{
		{"host of the request", nil, "http://example.com/tiles/{z}/{x}/{y}.mvt?v=1"},
		// No trusted proxy is configured: forwarded headers are the
		// client's word and are ignored (issue 13, item 7).
		{"untrusted forwarded https ignored", []string{"X-Forwarded-Proto", "https"}, "http://example.com/tiles/{z}/{x}/{y}.mvt?v=1"},
		{"odd scheme ignored", []string{"X-Forwarded-Proto", "javascript"}, "http://example.com/tiles/{z}/{x}/{y}.mvt?v=1"},
		{"untrusted forwarded host ignored", []string{"X-Forwarded-Host", "evil.com"}, "http://example.com/tiles/{z}/{x}/{y}.mvt?v=1"},
		{"bad forwarded host ignored", []string{"X-Forwarded-Host", "evil.com/x?"}, "http://example.com/tiles/{z}/{x}/{y}.mvt?v=1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/tiles.json", "", "", tc.hdr...)
			if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/json" {
				t.Fatalf("GET /tiles.json = %d %q: %s", r.status, r.header.Get("Content-Type"), r.body)
			}
			var doc tiles.TileJSON
			decode(t, r.body, &doc)
			if len(doc.Tiles) != 1 || doc.Tiles[0] != tc.wantURL {
				t.Errorf("tiles = %q, want [%q]", doc.Tiles, tc.wantURL)
			}
			if doc.TileJSON != "3.0.0" || doc.Scheme != "xyz" || doc.MaxZoom != tiles.DefaultMaxDataZoom || doc.Version != "1.0.1" {
				t.Errorf("tilejson %q scheme %q maxzoom %d version %q, want 3.0.0 xyz %d 1.0.1",
					doc.TileJSON, doc.Scheme, doc.MaxZoom, doc.Version, tiles.DefaultMaxDataZoom)
			}
			if b, want := doc.Bounds, [4]float64{104.80, 26.58, 104.83, 26.60}; !nearly(b[:], want[:], 1e-6) {
				t.Errorf("bounds = %v, want about the test city [104.80 26.58 104.83 26.60]", b)
			}
			layers := map[string]map[string]string{}
			for _, l := range doc.VectorLayers {
				layers[l.ID] = l.Fields
			}
			for _, id := range []string{"districts", "subdistricts", "communities", "grids", "buildings", "stations", "streets", "labels"} {
				if layers[id] == nil {
					t.Errorf("vector_layers lack %s", id)
				}
			}
			if layers["grids"]["code"] == "" || layers["grids"]["households"] == "" {
				t.Errorf("grids fields = %v, want code and households", layers["grids"])
			}
		})
	}
}

// TestTileResponses checks the headers and bodies of one tile of the test
// city: MISS then HIT, 304 on If-None-Match (plain or gzip tag), gzip when
// accepted, 204 for a tile outside the city.
func TestTileResponses(t *testing.T) {
	s := newTestServer(t)
	url := tileURL(keyAt(t, orb.Point{104.805, 26.595}, 14))
	first := do(t, s, http.MethodGet, url, "", "")
	if first.status != http.StatusOK || first.header.Get("X-Cache") != "MISS" {
		t.Fatalf("first GET %s = %d X-Cache %q, want 200 MISS", url, first.status, first.header.Get("X-Cache"))
	}
	if got := gridNames(t, first.body); !contains(got, "钟环社区第1网格") {
		t.Errorf("grids in %s = %q, want 钟环社区第1网格 among them", url, got)
	}
	etag := first.header.Get("ETag")
	for name, want := range map[string]string{"Content-Type": "application/vnd.mapbox-vector-tile",
		"Cache-Control": DefaultTileCacheControl, "Vary": "Accept-Encoding", "Content-Encoding": ""} {
		if got := first.header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	second := do(t, s, http.MethodGet, url, "", "")
	if second.header.Get("X-Cache") != "HIT" || !bytes.Equal(second.body, first.body) || second.header.Get("ETag") != etag {
		t.Errorf("second GET: X-Cache %q, same body %v, ETag %q; want HIT, same body, %q",
			second.header.Get("X-Cache"), bytes.Equal(second.body, first.body), second.header.Get("ETag"), etag)
	}
	gz := do(t, s, http.MethodGet, url, "", "", "Accept-Encoding", "br;q=1, gzip;q=0.8")
	if gz.header.Get("Content-Encoding") != "gzip" || gunzip(t, gz.body) == nil || !bytes.Equal(gunzip(t, gz.body), first.body) {
		t.Errorf("gzip GET: Content-Encoding %q, body gunzips to the plain tile: false", gz.header.Get("Content-Encoding"))
	}
	if got, want := gz.header.Get("ETag"), strings.TrimSuffix(etag, `"`)+`-gz"`; got != want {
		t.Errorf("gzip ETag = %q, want %q", got, want)
	}
	for _, inm := range []string{etag, gz.header.Get("ETag"), `"other", W/` + etag} {
		if r := do(t, s, http.MethodGet, url, "", "", "If-None-Match", inm); r.status != http.StatusNotModified || len(r.body) != 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 304 and none", inm, r.status, len(r.body))
		}
	}
	if r := do(t, s, http.MethodGet, url, "", "", "If-None-Match", `"other"`); r.status != http.StatusOK {
		t.Errorf("If-None-Match of another tag: %d, want 200", r.status)
	}
	if r := do(t, s, http.MethodGet, url, "", "", "Accept-Encoding", "gzip;q=0, *"); r.header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0 got Content-Encoding %q, want none", r.header.Get("Content-Encoding"))
	}
	empty := tileURL(keyAt(t, orb.Point{10, 10}, 14))
	if r := do(t, s, http.MethodGet, empty, "", ""); r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Errorf("GET %s (far from the city) = %d with %d bytes, want 204", empty, r.status, len(r.body))
	}
}

// nearly reports whether got and want differ by at most tol everywhere.
func nearly(got, want []float64, tol float64) bool {
	for i := range want {
		if i >= len(got) || got[i] < want[i]-tol || got[i] > want[i]+tol {
			return false
		}
	}
	return len(got) == len(want)
}

func gunzip(tb testing.TB, b []byte) []byte {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		tb.Errorf("gunzip: %v", err)
		return nil
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		tb.Errorf("gunzip: %v", err)
	}
	return out
}

func TestTileBadPaths(t *testing.T) {
	s := newTestServer(t)
	cases := []struct{ name, path, field string }{
		{"zoom too deep", "/tiles/99/0/0.mvt", "z"},
		{"x out of range", "/tiles/2/4/0.mvt", "x"},
		{"y out of range", "/tiles/2/0/4.mvt", "y"},
		{"y without .mvt", "/tiles/2/0/0", "y"},
		{"other extension", "/tiles/2/0/0.png", "y"},
		{"non-numeric z", "/tiles/a/0/0.mvt", "z"},
		{"non-numeric x", "/tiles/2/b/0.mvt", "x"},
		{"negative y", "/tiles/2/0/-1.mvt", "y"},
		{"huge x", "/tiles/2/99999999999/0.mvt", "x"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, tc.path, "", ""), http.StatusBadRequest, tc.field)
		})
	}
}

// TestTilesNeverStale swaps in snapshots with a renamed grid, with a new
// version and with the same version, and checks that the tile changes.
func TestTilesNeverStale(t *testing.T) {
	s := newTestServer(t)
	url := tileURL(keyAt(t, orb.Point{104.805, 26.595}, 14))
	do(t, s, http.MethodGet, url, "", "")
	before := do(t, s, http.MethodGet, url, "", "")
	if before.header.Get("X-Cache") != "HIT" {
		t.Fatalf("X-Cache = %q before the swap, want HIT", before.header.Get("X-Cache"))
	}
	for i, version := range []uint64{2, 2} {
		name := fmt.Sprintf("改名第%d网格", i)
		city := testCity(t)
		city.Grids[0].Name = name
		snap, err := geo.NewSnapshot(city, version)
		if err != nil {
			t.Fatal(err)
		}
		s.Swap(snap)
		after := do(t, s, http.MethodGet, url, "", "")
		if after.header.Get("X-Cache") != "MISS" || after.header.Get("ETag") == before.header.Get("ETag") || bytes.Equal(after.body, before.body) {
			t.Errorf("swap %d (version %d): X-Cache %q, ETag %q (was %q); want MISS and a new tile",
				i, version, after.header.Get("X-Cache"), after.header.Get("ETag"), before.header.Get("ETag"))
		}
		if got := gridNames(t, after.body); !contains(got, name) {
			t.Errorf("swap %d: grids %q, want %s among them", i, got, name)
		}
		before = after
	}
}

func TestTileCacheDisabled(t *testing.T) {
	s := newTestServer(t, func(c *Config) { c.TileCacheBytes = -1 })
	url := tileURL(keyAt(t, orb.Point{104.805, 26.595}, 13))
	for i := range 2 {
		if r := do(t, s, http.MethodGet, url, "", ""); r.status != http.StatusOK || r.header.Get("X-Cache") != "MISS" {
			t.Errorf("request %d without a cache: %d X-Cache %q, want 200 MISS", i, r.status, r.header.Get("X-Cache"))
		}
	}
	if err := (Config{TileCacheControl: "public\r\nSet-Cookie: x"}).Validate(); err == nil {
		t.Error("Validate accepted a Cache-Control with a line break")
	}
}

// TestTileFixtureCity fetches the z14 tile over a building of the
// generated city and finds the building's grid in its grids layer.
func TestTileFixtureCity(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	s := benchServer(t)
	b := s.Snapshot().City.Buildings[100]
	url := tileURL(keyAt(t, b.Point, 14))
	r := do(t, s, http.MethodGet, url, "", "", "Accept-Encoding", "gzip")
	if r.status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", url, r.status, r.body)
	}
	layers := decodeTile(t, gunzip(t, r.body))
	found := false
	for _, f := range layers["grids"].Features {
		found = found || f.Properties["code"] == b.Grid.String()
	}
	if !found || layers["buildings"] == nil {
		t.Errorf("tile %s: grid %s found %v, buildings layer %v; want both", url, b.Grid, found, layers["buildings"] != nil)
	}
}

// TestTilesOverListener reads tiles.json from a real listener and follows
// its absolute tile URL, with and without gzip.
func TestTilesOverListener(t *testing.T) {
	s := newTestServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.RunListener(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunListener: %v", err)
		}
	}()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(url, ae string) (*http.Response, []byte) {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Accept-Encoding", ae)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatalf("GET %s: reading: %v", url, err)
		}
		return resp, body
	}
	_, body := get("http://"+ln.Addr().String()+"/tiles.json", "")
	var doc tiles.TileJSON
	if err := json.Unmarshal(body, &doc); err != nil || len(doc.Tiles) != 1 || !strings.HasPrefix(doc.Tiles[0], "http://"+ln.Addr().String()+"/tiles/") {
		t.Fatalf("tiles.json over %s = %v %s", ln.Addr(), err, body)
	}
	k := keyAt(t, orb.Point{104.815, 26.585}, 15)
	url := strings.NewReplacer("{z}", fmt.Sprint(k.Z), "{x}", fmt.Sprint(k.X), "{y}", fmt.Sprint(k.Y)).Replace(doc.Tiles[0])
	plainResp, plain := get(url, "identity")
	gzResp, gz := get(url, "gzip, deflate")
	if plainResp.StatusCode != 200 || gzResp.StatusCode != 200 || gzResp.Header.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, gz), plain) {
		t.Errorf("GET %s: %d and %d (Content-Encoding %q); want 200s and a gzip body equal to the plain one",
			url, plainResp.StatusCode, gzResp.StatusCode, gzResp.Header.Get("Content-Encoding"))
	}
}

// FuzzTilePath checks that parseTilePath either names z, x or y or
// returns a valid key that reads back as the path (up to leading zeros).
func FuzzTilePath(f *testing.F) {
	for _, s := range []string{"14/13123/7012.mvt", "0/0/0.mvt", "99/0/0.mvt", "1/1/", "a/b/c.mvt", "22/4194303/004194303.mvt"} {
		f.Add(s)
	}
	zeros := regexp.MustCompile(`(^|/)0+([0-9])`)
	f.Fuzz(func(t *testing.T, path string) {
		parts := strings.SplitN(path, "/", 3)
		if len(parts) != 3 {
			return
		}
		k, err := parseTilePath(parts[0], parts[1], parts[2])
		if fe, ok := err.(*FieldError); err != nil && (!ok || !strings.Contains("zxy", fe.Field) || len(fe.Field) != 1) {
			t.Fatalf("parseTilePath(%q) = %v, want a *FieldError naming z, x or y", path, err)
		}
		if got := fmt.Sprintf("%d/%d/%d.mvt", k.Z, k.X, k.Y); err == nil && (k.Valid() != nil || got != zeros.ReplaceAllString(path, "$1$2")) {
			t.Fatalf("parseTilePath(%q) = %v (valid: %v), which does not read back", path, k, k.Valid())
		}
	})
}

// benchTiles measures GET of the z12-z16 tiles over 钟山区 through Fiber's
// handler, without the network, gzip accepted.
func benchTiles(b *testing.B, cacheBytes int64) {
	snap := fixtureSnapshot(b)
	s, err := New(Config{TileCacheBytes: cacheBytes}, snap, nil)
	if err != nil {
		b.Fatal(err)
	}
	keys := zhongshanKeys(b, snap)
	uris := make([][]byte, len(keys))
	for i, k := range keys {
		uris[i] = []byte(tileURL(k))
	}
	h := s.App().Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(http.MethodGet)
	ctx.Request.Header.Set("Accept-Encoding", "gzip")
	for _, u := range uris { // render (and cache) every tile once
		ctx.Request.SetRequestURIBytes(u)
		ctx.Response.Reset()
		h(&ctx)
		if st := ctx.Response.StatusCode(); st != http.StatusOK && st != http.StatusNoContent {
			b.Fatalf("GET %s = %d %s", u, st, ctx.Response.Body())
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx.Request.SetRequestURIBytes(uris[i%len(uris)])
		ctx.Response.Reset()
		h(&ctx)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tiles/s")
}

// BenchmarkTileHandlerCached serves tiles from the cache.
func BenchmarkTileHandlerCached(b *testing.B) { benchTiles(b, 0) }

// BenchmarkTileHandlerUncached renders every tile it serves.
func BenchmarkTileHandlerUncached(b *testing.B) { benchTiles(b, -1) }

// zhongshanKeys returns the z12-z16 tiles over 钟山区 (520201).
func zhongshanKeys(tb testing.TB, snap *geo.Snapshot) []tiles.Key {
	tb.Helper()
	u, ok := snap.Unit(520201000000)
	if !ok {
		tb.Fatal("no 钟山区 in the snapshot")
	}
	var keys []tiles.Key
	for k := range tiles.KeysIn(u.Geometry.Bound(), 12, 16) {
		keys = append(keys, k)
	}
	return keys
}

// TestTilesWrkScript keeps testdata/tiles.lua, the wrk load script of
// the tiles, in step with the fixture city: it lists every z12-z16 tile
// over 钟山区. Regenerate with go test ./server -run TestTilesWrkScript -update.
func TestTilesWrkScript(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	var b bytes.Buffer
	b.WriteString(`-- Load script for GET /tiles/{z}/{x}/{y}.mvt: every z12-z16 tile over
-- 钟山区 of the fixture city (seed 1), requested in turn.
-- Generated by: go test ./server -run TestTilesWrkScript -update
-- Use: wrk -t1 -c32 -d10s -s server/testdata/tiles.lua -H 'Accept-Encoding: gzip' http://127.0.0.1:8080
local paths = {
`)
	for _, k := range zhongshanKeys(t, fixtureSnapshot(t)) {
		fmt.Fprintf(&b, "  %q,\n", tileURL(k))
	}
	b.WriteString(`}
local reqs = {}
local n = 0
init = function(args)
  for i, p in ipairs(paths) do
    reqs[i] = wrk.format("GET", p)
  end
end
request = function()
  n = n % #reqs + 1
  return reqs[n]
end
`)
	path := filepath.Join("testdata", "tiles.lua")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, b.Bytes()) {
		t.Errorf("%s is out of date (%v); regenerate with go test ./server -run TestTilesWrkScript -update", path, err)
	}
}
