package server

import (
	"encoding/json"
	"net/http"
	"testing"
)

// FuzzEditPreview sends arbitrary bodies to POST /v1/edits/preview on the
// test city: every answer is 200 with a preview, or a 4xx problem; never
// a 5xx, never a panic.
func FuzzEditPreview(f *testing.F) {
	for _, seed := range []string{
		`{"op":"split","grid":"520201001001001","line":{"type":"LineString","coordinates":[[104.799,26.595],[104.811,26.595]]}}`,
		`{"op":"merge","grids":["520201001001001","520201001001002"],"name":"钟环"}`,
		`{"op":"retire","grid":"520201001002001","into":["520201001002002"]}`,
		`{"op":"move_boundary","grids":["520201001002001","520201001002002"],"line":{"type":"LineString","coordinates":[[104.812,26.58],[104.812,26.59]]}}`,
		`{"op":"replace","grid":"520201001001001","geometry":{"type":"Polygon","coordinates":[[[104.8,26.59],[104.812,26.59],[104.812,26.6],[104.8,26.6],[104.8,26.59]]]}}`,
		`{"op":"create","community":"520201001002","geometry":{"type":"Polygon","coordinates":[[[104.801,26.581],[104.803,26.581],[104.803,26.583],[104.801,26.581]]]}}`,
		`{"op":"replace_layout","community":"520201001001","grids":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"520201001001001"},"geometry":{"type":"Polygon","coordinates":[[[104.8,26.59],[104.82,26.59],[104.82,26.6],[104.8,26.6],[104.8,26.59]]]}}]}}`,
		`{"op":"split","grid":"520201001001001","line":{"type":"LineString","coordinates":[[1e308,-1e308],[0,0]]}}`,
		`{"op":"merge","grids":[]}`, `[]`, `null`, `{"op":1}`, ``,
	} {
		f.Add(seed)
	}
	e := newEditEnv(f, testCity(f))
	f.Fuzz(func(t *testing.T, body string) {
		r := do(t, e.s, http.MethodPost, "/v1/edits/preview", "application/json", body, "Authorization", "Bearer "+e.secret["admin"])
		switch {
		case r.status == http.StatusOK:
			var doc previewDoc
			if err := json.Unmarshal(r.body, &doc); err != nil {
				t.Fatalf("preview of %q = 200 with %.200s: %v", body, r.body, err)
			}
		case r.status >= 400 && r.status < 500:
			var p problemBody
			if err := json.Unmarshal(r.body, &p); err != nil || p.Status != r.status {
				t.Fatalf("preview of %q = %d with %.200s, want a problem document", body, r.status, r.body)
			}
		default:
			t.Fatalf("preview of %q = %d %.300s, want 200 or 4xx", body, r.status, r.body)
		}
	})
}
