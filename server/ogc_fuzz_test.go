package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// FuzzOGCItemsQuery sends arbitrary query strings to the items route of
// every collection: each answer is a page (200) or a problem naming a
// field (400, 404), never a 500.
func FuzzOGCItemsQuery(f *testing.F) {
	for _, q := range []string{
		"limit=2&offset=3", "bbox=104.8,26.58,104.83,26.6&bbox-crs=EPSG:4326", "crs=EPSG:4544&limit=1",
		"filter=" + url.QueryEscape("households > 300 AND S_INTERSECTS(geometry, BBOX(104.8, 26.5, 105, 27))"),
		"filter-crs=EPSG:4490&filter=" + url.QueryEscape("S_WITHIN(geometry, POLYGON((26 104, 27 104, 27 105, 26 104)))"),
		"community=520201001001", "datetime=2024-01-01", "version=1", "f=json&households=320",
	} {
		f.Add(q, uint8(3))
	}
	s := newTestServer(f)
	f.Fuzz(func(t *testing.T, query string, pick uint8) {
		col := ogcCollections[int(pick)%len(ogcCollections)]
		u := &url.URL{Path: "/ogc/collections/" + col.id + "/items", RawQuery: query}
		target := u.String()
		if _, err := url.ParseRequestURI(target); err != nil || strings.IndexFunc(target, func(r rune) bool { return r <= ' ' || r >= 0x7f }) >= 0 {
			return // not a request line a client can send
		}
		r := do(t, s, http.MethodGet, target, "", "")
		switch r.status {
		case http.StatusOK:
		case http.StatusBadRequest, http.StatusNotFound:
			p := wantProblem(t, r, r.status, fieldOf(t, r))
			if p.Field == "" {
				t.Fatalf("GET %s = %d without a field: %s", target, r.status, r.body)
			}
		default:
			t.Fatalf("GET %s = %d %s", target, r.status, r.body)
		}
	})
}

// FuzzOGCFeatureBody sends arbitrary bodies to the Part 4 routes of a
// grid: each answer is a commit or a 4xx problem naming a field, never a
// 500.
func FuzzOGCFeatureBody(f *testing.F) {
	for _, b := range []string{
		`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[104.8,26.59],[104.812,26.59],[104.812,26.6],[104.8,26.6],[104.8,26.59]]]},"properties":{"reason":"x"}}`,
		`{"geometry":{"type":"MultiPolygon","coordinates":[]},"properties":{"community":"520201001001"}}`,
		`{"type":"Feature","geometry":null}`, `[]`, `{"type":"Feature","properties":{"name":"x"}}`,
	} {
		f.Add(b, uint8(0))
	}
	e := newEditEnv(f, testCity(f))
	f.Fuzz(func(t *testing.T, body string, pick uint8) {
		e.tb = t // the fuzz engine runs one input at a time per process
		method, target := http.MethodPut, "/ogc/collections/grids/items/1"
		switch pick % 3 {
		case 1:
			method = http.MethodPatch
		case 2:
			method, target = http.MethodPost, "/ogc/collections/grids/items"
		}
		r := e.ogcRequest(method, target+"?reason=fuzz", "admin", strconv.Itoa(e.version()), body)
		switch {
		case r.status == http.StatusOK || r.status == http.StatusCreated:
		case r.status >= 400 && r.status < 500:
			if r.status != http.StatusUnprocessableEntity && fieldOf(t, r) == "" {
				t.Fatalf("%s %s = %d without a field: %s", method, body, r.status, r.body)
			}
		default:
			t.Fatalf("%s %s = %d %s", method, body, r.status, r.body)
		}
	})
}
