package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// ogcFeatureJSON returns a GeoJSON Feature of mp with properties.
func ogcFeatureJSON(tb testing.TB, mp orb.MultiPolygon, props map[string]any) string {
	tb.Helper()
	f := geojson.NewFeature(mp)
	f.Properties = props
	b, err := json.Marshal(f)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// ogcRequest sends a Part 4 request as token with If-Match ifMatch ("" for
// none).
func (e *editEnv) ogcRequest(method, target, token, ifMatch, body string) response {
	e.tb.Helper()
	var hdr []string
	if token != "" {
		hdr = append(hdr, "Authorization", "Bearer "+e.secret[token])
	}
	if ifMatch != "" {
		hdr = append(hdr, "If-Match", ifMatch)
	}
	ct := ""
	if body != "" {
		ct = "application/geo+json"
	}
	return do(e.tb, e.s, method, target, ct, body, hdr...)
}

// TestOGCPart4 creates, replaces, updates and retires grids through the
// OGC API and reads them back, now and as they were.
func TestOGCPart4(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	e.token("planner", "planner", tCommunity1)
	item1 := "/ogc/collections/grids/items/1"
	r := e.ogcRequest(http.MethodGet, item1, "", "", "")
	etag := r.header.Get("ETag")
	if r.status != 200 || etag == "" {
		t.Fatalf("GET %s = %d, ETag %q", item1, r.status, etag)
	}
	before := string(getFeature(t, e, item1).Geometry.Coordinates)

	grown := multi(square(104.80, 26.59, 104.812, 26.60))
	r = e.ogcRequest(http.MethodPut, item1, "planner", etag, ogcFeatureJSON(t, grown, map[string]any{"reason": "widen grid 1", "households": 1}))
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("ETag"), `"v1-`) {
		t.Fatalf("PUT = %d ETag %q %s", r.status, r.header.Get("ETag"), r.body)
	}
	if got := e.ogcRequest(http.MethodGet, item1, "", "", "").header.Get("ETag"); got != r.header.Get("ETag") {
		t.Errorf("GET after PUT has ETag %q, the PUT answered %q", got, r.header.Get("ETag"))
	}
	etag = r.header.Get("ETag")
	if got := string(getFeature(t, e, item1).Geometry.Coordinates); got == before || !strings.Contains(got, "104.812") {
		t.Errorf("after PUT grid 1 is %s", got)
	}
	if got := string(getFeature(t, e, item1+"?version=0").Geometry.Coordinates); got != before {
		t.Errorf("version=0 of grid 1 = %s, want %s", got, before)
	}
	var cs struct {
		Time time.Time `json:"time"`
	}
	decode(t, e.request(http.MethodGet, "/v1/changes/1", "", -1, "").body, &cs)
	at := url.QueryEscape(cs.Time.Add(-time.Millisecond).Format(time.RFC3339Nano))
	if got := string(getPage(t, e.s, "/ogc/collections/grids/items?code=520201001001001&datetime="+at).Features[0].Geometry.Coordinates); got != before {
		t.Errorf("grid 1 at %s = %s, want the geometry before the edit", at, got)
	}

	r = e.ogcRequest(http.MethodPatch, item1, "planner", "1", `{"geometry":`+geomJSON(t, multi(square(104.80, 26.59, 104.81, 26.60)))+`}`+"")
	if r.status != http.StatusBadRequest { // no reason
		t.Errorf("PATCH without a reason = %d %s", r.status, r.body)
	}
	r = e.ogcRequest(http.MethodPatch, item1+"?reason=back", "planner", etag, `{"geometry":`+geomJSON(t, multi(square(104.80, 26.59, 104.81, 26.60)))+`}`)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("ETag"), `"v2-`) {
		t.Fatalf("PATCH = %d %s", r.status, r.body)
	}

	small := multi(square(104.801, 26.591, 104.803, 26.593))
	r = e.ogcRequest(http.MethodPost, "/ogc/collections/grids/items", "planner", "2",
		ogcFeatureJSON(t, small, map[string]any{"community": tCommunity1.String(), "name": "新网格", "reason": "new"}))
	loc := r.header.Get("Location")
	if r.status != http.StatusCreated || !strings.Contains(loc, "/ogc/collections/grids/items/") {
		t.Fatalf("POST = %d Location %q %s", r.status, loc, r.body)
	}
	if f := getFeature(t, e, relative(t, loc)); f.Properties["name"] != "新网格" || f.Properties["community"] != tCommunity1.String() {
		t.Errorf("created grid = %v", f.Properties)
	}

	g1 := mustCode(t, tCommunity1, 1).String()
	r = e.ogcRequest(http.MethodDelete, "/ogc/collections/grids/items/2?reason=fold&into="+g1, "planner", "3", "")
	if r.status != http.StatusOK {
		t.Fatalf("DELETE = %d %s", r.status, r.body)
	}
	wantProblem(t, e.ogcRequest(http.MethodGet, "/ogc/collections/grids/items/2", "", "", ""), 404, "featureId")
	getFeature(t, e, "/ogc/collections/grids/items/2?version=3")
}

func getFeature(t *testing.T, e *editEnv, target string) ogcFeatDoc {
	t.Helper()
	r := e.ogcRequest(http.MethodGet, target, "", "", "")
	if r.status != 200 {
		t.Fatalf("GET %s = %d %s", target, r.status, r.body)
	}
	var f ogcFeatDoc
	decode(t, r.body, &f)
	return f
}

func geomJSON(tb testing.TB, g orb.Geometry) string {
	b, err := json.Marshal(geojson.NewGeometry(g))
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestOGCPart4SameAnswersAsEdits sends the same faulty edits to PUT
// /ogc/collections/grids/items/1 and POST /v1/edits and requires the same
// status, problem type, field and validation codes, and no new version.
func TestOGCPart4SameAnswersAsEdits(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	e.token("planner", "planner", tCommunity1)
	e.token("other", "planner", tCommunity2)
	g1 := mustCode(t, tCommunity1, 1)
	poly := func(pts ...orb.Point) orb.MultiPolygon { return orb.MultiPolygon{{orb.Ring(pts)}} }
	ok := multi(square(104.80, 26.59, 104.812, 26.60))
	cases := []struct {
		name          string
		geom          orb.MultiPolygon
		token, ifm    string
		reason        string
		rawGeom       string // replaces geom when set
		wantStatus    int
		wantFieldPart string
	}{
		{name: "self-intersection", geom: poly(orb.Point{104.80, 26.59}, orb.Point{104.81, 26.60}, orb.Point{104.81, 26.59}, orb.Point{104.80, 26.595}, orb.Point{104.80, 26.59}), wantStatus: 422},
		{name: "spike", geom: poly(orb.Point{104.80, 26.59}, orb.Point{104.81, 26.59}, orb.Point{104.81, 26.60}, orb.Point{104.805, 26.60},
			orb.Point{104.805, 26.595}, orb.Point{104.805, 26.60}, orb.Point{104.80, 26.60}, orb.Point{104.80, 26.59}), wantStatus: 422},
		{name: "unclosed ring", geom: poly(orb.Point{104.80, 26.59}, orb.Point{104.81, 26.59}, orb.Point{104.81, 26.60}, orb.Point{104.80, 26.60}), wantStatus: 422},
		{name: "degenerate ring", geom: poly(orb.Point{104.80, 26.59}, orb.Point{104.81, 26.59}, orb.Point{104.80, 26.59}), wantStatus: 422},
		{name: "outside the community", geom: multi(square(104.80, 26.59, 104.81, 26.61)), wantStatus: 422},
		{name: "longitude out of range", rawGeom: `{"type":"Polygon","coordinates":[[[200,26.59],[104.81,26.59],[104.81,26.6],[200,26.59]]]}`, wantStatus: 400},
		{name: "not a geometry", rawGeom: `{"type":"Circle","coordinates":[1,2]}`, wantStatus: 400},
		{name: "no token", geom: ok, token: "-", wantStatus: 401},
		{name: "viewer", geom: ok, token: "viewer", wantStatus: 403},
		{name: "out of scope", geom: ok, token: "other", wantStatus: 403},
		{name: "no If-Match", geom: ok, ifm: "-", wantStatus: 428},
		{name: "stale If-Match", geom: ok, ifm: "7", wantStatus: 409},
		{name: "bad If-Match", geom: ok, ifm: "abc", wantStatus: 400},
		{name: "no reason", geom: ok, reason: "-", wantStatus: 400},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			token, ifm, reason := c.token, c.ifm, c.reason
			if token == "" {
				token = "planner"
			} else if token == "-" {
				token = ""
			}
			if ifm == "" {
				ifm = "0"
			} else if ifm == "-" {
				ifm = ""
			}
			if reason == "" {
				reason = "test"
			} else if reason == "-" {
				reason = ""
			}
			geom := c.rawGeom
			if geom == "" {
				geom = geomJSON(t, c.geom)
			}
			props := ""
			if reason != "" {
				props = `"reason":` + strconv.Quote(reason)
			}
			feature := `{"type":"Feature","geometry":` + geom + `,"properties":{` + props + `}}`
			op := `{"op":"replace","grid":"` + g1.String() + `","geometry":` + geom
			if reason != "" {
				op += `,"reason":` + strconv.Quote(reason)
			}
			op += "}"
			got := e.ogcRequest(http.MethodPut, "/ogc/collections/grids/items/1", token, ifm, feature)
			want := e.ogcRequest(http.MethodPost, "/v1/edits", token, ifm, op)
			gp := wantEditProblem(t, got, c.wantStatus, fieldOf(t, want))
			wp := wantEditProblem(t, want, c.wantStatus, gp.Field)
			if gp.Type != wp.Type || !slices.Equal(errorCodes(gp), errorCodes(wp)) {
				t.Errorf("OGC answered %s %v, /v1/edits %s %v", gp.Type, errorCodes(gp), wp.Type, errorCodes(wp))
			}
			if e.version() != 0 {
				t.Fatalf("version moved to %d", e.version())
			}
		})
	}
	r := e.ogcRequest(http.MethodPut, "/ogc/collections/buildings/items/1", "planner", "0", `{"type":"Feature"}`)
	wantProblem(t, r, http.StatusMethodNotAllowed, "collectionId")
	r = e.ogcRequest(http.MethodPut, "/ogc/collections/grids/items/1", "planner", "0",
		ogcFeatureJSON(t, ok, map[string]any{"reason": "x", "code": "520201001001009"}))
	wantProblem(t, r, http.StatusBadRequest, "properties.code")
	r = e.ogcRequest(http.MethodDelete, "/ogc/collections/grids/items/1?reason=x", "planner", "0", "")
	wantProblem(t, r, http.StatusBadRequest, "into")
}

func fieldOf(tb testing.TB, r response) string {
	var p problemBody
	decode(tb, r.body, &p)
	return p.Field
}

func errorCodes(p editProblemBody) []string {
	var cs []string
	for _, e := range p.Errors {
		cs = append(cs, e.Code)
	}
	return cs
}

// TestOGCPagingAcrossAnEdit commits an edit between two pages: the next
// link keeps reading the version the first page came from, so the pages
// still hold every grid of that version exactly once.
func TestOGCPagingAcrossAnEdit(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	first := getPage(t, e.s, "/ogc/collections/grids/items?limit=2")
	g1 := mustCode(t, tCommunity1, 1).String()
	if r := e.ogcRequest(http.MethodDelete, "/ogc/collections/grids/items/2?reason=fold&into="+g1, "admin", "0", ""); r.status != http.StatusOK {
		t.Fatalf("DELETE = %d %s", r.status, r.body)
	}
	rest := allPages(t, e.s, relative(t, first.next()))
	var ids []string
	for _, f := range append(first.Features, rest...) {
		ids = append(ids, jsonText(f.ID))
	}
	if want := []string{"1", "2", "3", "4", "5"}; !slices.Equal(ids, want) {
		t.Errorf("paging across the edit gave grids %v, want %v", ids, want)
	}
	if now := getPage(t, e.s, "/ogc/collections/grids/items"); now.NumberMatched != 4 {
		t.Errorf("after the edit %d grids, want 4", now.NumberMatched)
	}
}
