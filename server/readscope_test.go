package server

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// outsideMarks are strings only community 2 of the test city (and the
// subdistrict's own station) put in an answer: its code (every grid code
// of it starts so), its name, the subdistrict centre's name, and
// coordinates of its buildings, hole and split line.
var outsideMarks = []string{"520201001002", "凉都社区", "荷城街道党群服务中心", "26.585", "26.582", "26.584"}

// A scopedRead is one request of the walk over the read routes.
type scopedRead struct {
	method, path, contentType, body string
	// want is the status the scoped viewer must get (0: any but 5xx).
	want int
}

// scopedReads lists, per registered route ("METHOD template"), the
// requests a scoped viewer makes of it. Writes are listed with no
// requests: they are the editing routes, guarded by roles and scopes.
func scopedReads(t *testing.T) map[string][]scopedRead {
	in, out := orb.Point{104.805, 26.595}, orb.Point{104.815, 26.585}
	tile := func(p orb.Point, z maptile.Zoom) string {
		k := maptile.At(p, z)
		return fmt.Sprintf("/tiles/%d/%d/%d.mvt", k.Z, k.X, k.Y)
	}
	get := func(path string, want int) scopedRead {
		return scopedRead{method: http.MethodGet, path: path, want: want}
	}
	post := func(path, ct, body string) scopedRead {
		return scopedRead{method: http.MethodPost, path: path, contentType: ct, body: body}
	}
	q := func(p orb.Point) string { return fmt.Sprintf("lon=%v&lat=%v", p[0], p[1]) }
	m := map[string][]scopedRead{
		"GET /healthz": {get("/healthz", 200)}, "GET /readyz": {get("/readyz", 200)},
		"GET /metrics": {get("/metrics", 200)}, "GET /openapi.yaml": nil, // the API's description, no city data
		"GET /styles/gridmap.json": {get("/styles/gridmap.json", 200)},
		"GET /v1/version":          {get("/v1/version", 200)},
		"GET /v1/lookup": {get("/v1/lookup?"+q(out), 404), get("/v1/lookup?"+q(in), 200),
			get("/v1/lookup?"+q(out)+"&asof=1", 404), get("/v1/lookup?"+q(out)+"&asof=0", 404)},
		"POST /v1/lookup": {post("/v1/lookup", "application/json", `{"points":[[104.815,26.585],[104.805,26.595]]}`),
			post("/v1/lookup", "text/csv", "lon,lat\n104.815,26.585\n104.805,26.595\n"),
			post("/v1/lookup", "application/x-ndjson", `{"lon":104.815,"lat":26.585}`+"\n")},
		"GET /v1/units": {get("/v1/units", 200), get("/v1/units?depth=4", 200)},
		"GET /v1/units/:code": {get("/v1/units/520201001002", 404), get("/v1/units/520201001001", 200),
			get("/v1/units/520201001", 200), get("/v1/units/5202", 200)},
		"GET /v1/grids/:code/staff": {get("/v1/grids/520201001002001/staff", 404), get("/v1/grids/520201001001001/staff", 200)},
		"PUT /v1/grids/:code/staff": nil,
		"GET /v1/grids/:code":       {get("/v1/grids/520201001002001", 404), get("/v1/grids/520201001001001", 200)},
		"GET /v1/export/:layer.geojson": {get("/v1/export/units.geojson", 200), get("/v1/export/grids.geojson", 200),
			get("/v1/export/buildings.geojson", 200), get("/v1/export/stations.geojson", 200), get("/v1/export/streets.geojson", 200)},
		"GET /v1/import/repairs.geojson": {get("/v1/import/repairs.geojson", 200)},
		"GET /v1/changes/stream":         nil, // read as a stream in TestScopedChangeStream
		"GET /v1/webhooks":               {get("/v1/webhooks", 403)}, "POST /v1/webhooks": nil,
		"GET /v1/webhooks/:id": {get("/v1/webhooks/x", 403)}, "DELETE /v1/webhooks/:id": nil,
		"POST /v1/edits/preview": nil, "POST /v1/edits": nil,
		"GET /v1/changes":                  {get("/v1/changes", 200), get("/v1/changes?unit=520201001002", 200)},
		"GET /v1/changes/:version":         {get("/v1/changes/1", 404), get("/v1/changes/2", 200)},
		"POST /v1/changes/:version/revert": nil,
		"GET /v1/grids/:code/history": {get("/v1/grids/520201001002001/history", 404),
			get("/v1/grids/520201001001001/history", 200)},
		"POST /v1/units/:code/recode": nil,
		"GET /v1/crosswalk":           {get("/v1/crosswalk", 200), get("/v1/crosswalk?format=csv", 200)},
		"GET /v1/token":               {get("/v1/token", 200)},
		"GET /v1/tokens":              {get("/v1/tokens", 403)}, "POST /v1/tokens": nil, "DELETE /v1/tokens/:id": nil,
		"GET /v1/geocode": {get("/v1/geocode?address="+"钟山大道4号", 200), get("/v1/geocode?address="+"钟山大道6号", 200)},
		"POST /v1/geocode": {post("/v1/geocode", "application/json", `{"addresses":["钟山大道4号","人民中路1号"]}`),
			post("/v1/geocode", "text/csv", "address\n钟山大道4号\n")},
		"GET /v1/reverse":              {get("/v1/reverse?"+q(out), 200)},
		"GET /tiles.json":              {get("/tiles.json", 200)},
		"GET /tiles/:z/:x/:y":          {get(tile(out, 16), 0), get(tile(out, 14), 0), get(tile(out, 10), 0), get(tile(in, 16), 200)},
		"GET /v1/search":               {get("/v1/search?q="+"凉都", 200), get("/v1/search?q=5202010010", 200), get("/v1/search?q=钟山", 200)},
		"GET /v1/export/tiles.pmtiles": {get("/v1/export/tiles.pmtiles?minzoom=10&maxzoom=15", 200)},
		"GET /ogc":                     {get("/ogc", 200)}, "GET /ogc/conformance": {get("/ogc/conformance", 200)},
		"GET /ogc/collections":                      {get("/ogc/collections", 200)},
		"POST /ogc/collections/:collectionId/items": nil, "PUT /ogc/collections/:collectionId/items/:featureId": nil,
		"PATCH /ogc/collections/:collectionId/items/:featureId": nil, "DELETE /ogc/collections/:collectionId/items/:featureId": nil,
		"GET /ogc/collections/:collectionId/items/:featureId": {get("/ogc/collections/grids/items/3", 404), get("/ogc/collections/grids/items/3?version=0", 404),
			get("/ogc/collections/buildings/items/4", 404), get("/ogc/collections/stations/items/3", 404),
			get("/ogc/collections/communities/items/520201001002", 404), get("/ogc/collections/grids/items/1", 200)},
		"GET /v1/export/grids": {get("/v1/export/grids", 200), get("/v1/export/grids?format=csv", 200),
			get("/v1/export/grids?unit=520201001", 200)},
		"POST /v1/export/grids":       {post("/v1/export/grids", "application/json", `{"format":"json","unit":"520201001"}`)},
		"GET /v1/export/gaps":         {get("/v1/export/gaps", 200)},
		"GET /v1/stations":            {get("/v1/stations", 200)},
		"GET /v1/stations/:id":        {get("/v1/stations/3", 404), get("/v1/stations/1", 404), get("/v1/stations/2", 200)},
		"GET /v1/stations/:id/circle": {get("/v1/stations/3/circle", 404), get("/v1/stations/2/circle?buildings=true", 200)},
		"POST /v1/circles":            {post("/v1/circles", "application/json", `{"point":[104.812,26.59],"buildings":true,"minutes":15}`)},
		"GET /v1/coverage": {get("/v1/coverage?level=community", 200), get("/v1/coverage?level=grid", 200),
			get("/v1/coverage?level=district", 200)},
		"GET /v1/coverage/gaps":         {get("/v1/coverage/gaps", 200)},
		"POST /v1/coverage/suggest":     {post("/v1/coverage/suggest", "application/json", `{"k":2,"minutes":15}`)},
		"GET /v1/nearest-station":       {get("/v1/nearest-station?"+q(out), 0)},
		"GET /v1/buildings/:id/station": {get("/v1/buildings/4/station", 404), get("/v1/buildings/1/station", 0)},
	}
	for _, c := range []string{"districts", "subdistricts", "communities", "grids", "buildings", "stations", "streets"} {
		m["GET /ogc/collections/:collectionId"] = append(m["GET /ogc/collections/:collectionId"], get("/ogc/collections/"+c, 200))
		m["GET /ogc/collections/:collectionId/queryables"] = append(m["GET /ogc/collections/:collectionId/queryables"], get("/ogc/collections/"+c+"/queryables", 200))
		m["GET /ogc/collections/:collectionId/schema"] = append(m["GET /ogc/collections/:collectionId/schema"], get("/ogc/collections/"+c+"/schema", 200))
		m["GET /ogc/collections/:collectionId/items"] = append(m["GET /ogc/collections/:collectionId/items"],
			get("/ogc/collections/"+c+"/items?limit=1000", 200), get("/ogc/collections/"+c+"/items?limit=1000&datetime=1", 0))
	}
	return m
}

// newScopedEnv serves the test city with reads needing a token, two
// committed splits (version 1 in community 2, version 2 in community 1),
// community 2 re-coded (version 3) and import repairs in both; token
// "scoped" is a viewer's of community 1. Without warm, new versions are
// not warmed (nor published to the change feed): warming ends by dropping
// the cached tiles of every other view, scoped ones included.
func newScopedEnv(t *testing.T, warm bool) *editEnv {
	e := newEditEnv(t, testCity(t), func(c *Config) { c.ReadRequiresToken = true })
	if !warm {
		e.s.warmers = nil
	}
	e.token("scoped", access.RoleViewer, tCommunity1)
	e.commit("admin", 0, edit.Op{Kind: edit.KindSplit, Grid: mustCode(t, tCommunity2, 1),
		Line: orb.LineString{{104.799, 26.585}, {104.811, 26.585}}, Reason: "divided"})
	e.commit("admin", 1, smallSplit(t))
	if r := e.request(http.MethodPost, "/v1/units/520201001002/recode", "admin", 2, `{"reason":"renumbered"}`); r.status != http.StatusCreated {
		t.Fatalf("recode of community 2 = %d %.300s", r.status, r.body)
	}
	e.s.importRepairs = func(context.Context) ([]byte, error) {
		return []byte(`{"type":"FeatureCollection","features":[` +
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[104.815,26.585]},"properties":{"kind":"snap","grids":"520201001002001","community":"520201001002"}},` +
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[104.805,26.595]},"properties":{"kind":"snap","grids":"520201001001001","community":"520201001001"}}]}`), nil
	}
	return e
}

// TestScopedViewerReadsOnlyItsScope walks every route the server
// registered (so that no new route escapes) as a viewer scoped to
// community 1: no answer holds anything of community 2, and the answers
// about it are the same 404 as for what does not exist. The admin's
// answers to the same requests do hold community 2, so the check can fail.
func TestScopedViewerReadsOnlyItsScope(t *testing.T) {
	e := newScopedEnv(t, true)
	table := scopedReads(t)
	adminSaw := 0
	for _, r := range e.s.routes {
		if r.method == http.MethodHead {
			continue
		}
		reads, ok := table[r.method+" "+r.path]
		if !ok {
			t.Errorf("route %s %s is not in scopedReads: say what a scoped viewer may read of it", r.method, r.path)
			continue
		}
		for _, rd := range reads {
			scoped := e.read(rd, "scoped")
			what := rd.method + " " + rd.path + " " + rd.body
			if scoped.status >= 500 || rd.want != 0 && scoped.status != rd.want {
				t.Errorf("%s as the scoped viewer = %d %.300s, want %d", what, scoped.status, scoped.body, rd.want)
			}
			answer := withoutEcho(scoped.body, rd)
			for _, m := range outsideMarks {
				if bytes.Contains(answer, []byte(m)) {
					t.Errorf("%s as the scoped viewer leaks %q: %.400s", what, m, scoped.body)
				}
			}
			if admin := e.read(rd, "admin"); containsAny(withoutEcho(admin.body, rd), outsideMarks) {
				adminSaw++
			}
		}
	}
	if adminSaw < 30 {
		t.Errorf("the admin saw community 2 in %d answers, want at least 30: the requests do not reach outside the scope", adminSaw)
	}
}

// read makes rd as token and returns the answer with every gzip member
// in it (a tile archive's tiles) decompressed and appended.
func (e *editEnv) read(rd scopedRead, token string) response {
	hdr := []string{"Authorization", "Bearer " + e.secret[token]}
	r := do(e.tb, e.s, rd.method, rd.path, rd.contentType, rd.body, hdr...)
	r.body = append(r.body, []byte(r.summary)...)
	r.body = append(r.body, gunzipAll(r.body)...)
	return r
}

// withoutEcho returns answer without the words of the request itself
// (a code asked for, a point's coordinates), which an answer may repeat
// without telling anything: the status checks what is answered about them.
func withoutEcho(answer []byte, rd scopedRead) []byte {
	words := strings.FieldsFunc(rd.path+" "+rd.body, func(r rune) bool { return strings.ContainsRune("/?&=,\"[]{}: \n", r) })
	slices.SortFunc(words, func(a, b string) int { return len(b) - len(a) }) // longest first
	for _, w := range words {
		answer = bytes.ReplaceAll(answer, []byte(w), nil)
	}
	return answer
}

// gunzipAll returns the decompressed bytes of every gzip stream found in b.
func gunzipAll(b []byte) []byte {
	var out []byte
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte{0x1f, 0x8b, 0x08})
		if j < 0 {
			return out
		}
		i += j
		if zr, err := gzip.NewReader(bytes.NewReader(b[i:])); err == nil {
			zr.Multistream(false)
			d, _ := io.ReadAll(zr)
			out = append(out, d...)
		}
		i += 3
	}
}

func containsAny(b []byte, marks []string) bool {
	for _, m := range marks {
		if bytes.Contains(b, []byte(m)) {
			return true
		}
	}
	return false
}

// TestScopedChangeStream reads the change feed from the start as the
// scoped viewer: version 1 (community 2) is not sent, version 2 is.
func TestScopedChangeStream(t *testing.T) {
	e := newScopedEnv(t, true)
	base := serveOn(t, e.s)
	for _, tc := range []struct {
		token   string
		wantOut bool
	}{{"scoped", false}, {"admin", true}} {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/v1/changes/stream?since=0", nil)
		req.Header.Set("Authorization", "Bearer "+e.secret[tc.token])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		var got strings.Builder
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() && sc.Text() != "id: 2" {
			got.WriteString(sc.Text() + "\n")
		}
		resp.Body.Close()
		cancel()
		if sawOut := strings.Contains(got.String(), "id: 1\n") || containsAny([]byte(got.String()), outsideMarks); sawOut != tc.wantOut {
			t.Errorf("change feed as %s before version 2: community 2's version 1 sent = %v, want %v:\n%s", tc.token, sawOut, tc.wantOut, got.String())
		}
	}
}

// TestScopedTilesCachedPerScope fetches one tile of community 1 as the
// scoped viewer and as the admin, twice each: each gets its own tile
// (community 2 only in the admin's) and a cache hit the second time.
func TestScopedTilesCachedPerScope(t *testing.T) {
	e := newScopedEnv(t, false)
	k := maptile.At(orb.Point{104.81, 26.59}, 14)
	path := fmt.Sprintf("/tiles/14/%d/%d.mvt", k.X, k.Y)
	bodies := map[string][]byte{}
	for _, tok := range []string{"scoped", "admin", "scoped", "admin"} {
		r := e.read(scopedRead{method: http.MethodGet, path: path}, tok)
		if r.status != http.StatusOK {
			t.Fatalf("tile as %s = %d", tok, r.status)
		}
		if prev, ok := bodies[tok]; ok {
			if x := r.header.Get("X-Cache"); x != "HIT" || !bytes.Equal(prev, r.body) {
				t.Errorf("second tile as %s: X-Cache %q, same bytes %v; want a HIT of the same tile", tok, x, bytes.Equal(prev, r.body))
			}
			if cc := r.header.Get("Cache-Control"); (tok == "scoped") != strings.HasPrefix(cc, "private") {
				t.Errorf("tile as %s: Cache-Control %q", tok, cc)
			}
		}
		bodies[tok] = r.body
	}
	if containsAny(bodies["scoped"], outsideMarks) || !containsAny(bodies["admin"], outsideMarks) {
		t.Errorf("community 2 in the scoped tile: %v, in the admin's: %v; want false, true",
			containsAny(bodies["scoped"], outsideMarks), containsAny(bodies["admin"], outsideMarks))
	}
}
