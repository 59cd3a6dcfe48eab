package server

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// testPointG1 lies inside grid 1 of the hand-built test city.
var testPointG1 = orb.Point{104.805, 26.595}

// TestCommitRejectsInvalidEdits commits every kind of invalid edit on the
// test city: each is a 422 problem carrying its validation code, and the
// version does not move.
func TestCommitRejectsInvalidEdits(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	g1, g2 := mustCode(t, tCommunity1, 1), mustCode(t, tCommunity1, 2)
	g3, g5 := mustCode(t, tCommunity2, 1), mustCode(t, tCommunity2, 3)
	poly := func(pts ...orb.Point) orb.MultiPolygon { return orb.MultiPolygon{{orb.Ring(pts)}} }
	layout := func(gs ...edit.LayoutGrid) edit.Op {
		return edit.Op{Kind: edit.KindReplaceLayout, Community: tCommunity1, Layout: gs}
	}
	cases := []struct {
		name string
		op   edit.Op
		want edit.ProblemCode
	}{
		{"unknown grid", edit.Op{Kind: edit.KindSplit, Grid: mustCode(t, tCommunity1, 9), Line: orb.LineString{{104.79, 26.595}, {104.83, 26.595}}}, edit.CodeUnknownGrid},
		{"wrong community", edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, g3}}, edit.CodeWrongCommunity},
		{"not neighbours", edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g3, g5}}, edit.CodeNotNeighbours},
		{"duplicate grid", edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, g1}}, edit.CodeDuplicateGrid},
		{"line misses the grid", edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.85, 26.595}, {104.86, 26.595}}}, edit.CodeNoCut},
		{"self-intersection", edit.Op{Kind: edit.KindReplace, Grid: g1, Geometry: poly(
			orb.Point{104.80, 26.59}, orb.Point{104.81, 26.60}, orb.Point{104.81, 26.59}, orb.Point{104.80, 26.595}, orb.Point{104.80, 26.59})}, edit.CodeSelfIntersection},
		{"spike", edit.Op{Kind: edit.KindReplace, Grid: g1, Geometry: poly(
			orb.Point{104.80, 26.59}, orb.Point{104.81, 26.59}, orb.Point{104.81, 26.60}, orb.Point{104.805, 26.60},
			orb.Point{104.805, 26.595}, orb.Point{104.805, 26.60}, orb.Point{104.80, 26.60}, orb.Point{104.80, 26.59})}, edit.CodeSpike},
		{"degenerate ring", edit.Op{Kind: edit.KindReplace, Grid: g1, Geometry: poly(
			orb.Point{104.80, 26.59}, orb.Point{104.81, 26.59}, orb.Point{104.80, 26.59})}, edit.CodeDegenerateRing},
		{"unclosed ring", edit.Op{Kind: edit.KindReplace, Grid: g1, Geometry: poly(
			orb.Point{104.80, 26.59}, orb.Point{104.81, 26.59}, orb.Point{104.81, 26.60}, orb.Point{104.80, 26.60})}, edit.CodeUnclosedRing},
		{"empty ring", edit.Op{Kind: edit.KindReplace, Grid: g1, Geometry: orb.MultiPolygon{{{}}}}, edit.CodeEmptyRing},
		{"outside the community", edit.Op{Kind: edit.KindReplace, Grid: g1, Geometry: multi(square(104.80, 26.59, 104.81, 26.61))}, edit.CodeOutsideCommunity},
		{"gap", layout(edit.LayoutGrid{Code: g1, Geometry: multi(square(104.80, 26.59, 104.81, 26.60))},
			edit.LayoutGrid{Code: g2, Geometry: multi(square(104.811, 26.59, 104.82, 26.60))}), edit.CodeGap},
		{"overlap", layout(edit.LayoutGrid{Code: g1, Geometry: multi(square(104.80, 26.59, 104.815, 26.60))},
			edit.LayoutGrid{Code: g2, Geometry: multi(square(104.81, 26.59, 104.82, 26.60))}), edit.CodeOverlap},
		{"code taken", edit.Op{Kind: edit.KindCreate, Community: tCommunity1, Code: g2, Geometry: multi(square(104.801, 26.591, 104.803, 26.593))}, edit.CodeCodeTaken},
		{"unknown community", edit.Op{Kind: edit.KindCreate, Community: 520201001009, Geometry: multi(square(104.801, 26.591, 104.803, 26.593))}, edit.CodeUnknownCommunity},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.op.Reason = "test"
			r := e.request(http.MethodPost, "/v1/edits", "admin", 0, opJSON(t, tc.op))
			p := wantEditProblem(t, r, http.StatusUnprocessableEntity, "")
			codes := make([]string, len(p.Errors))
			for i, pe := range p.Errors {
				codes[i] = pe.Code
			}
			if p.Type != problemInvalidEdit || !slices.Contains(codes, string(tc.want)) {
				t.Errorf("%s: type %s, errors %v; want %s among them", tc.name, p.Type, codes, tc.want)
			}
			if tc.want == edit.CodeGap || tc.want == edit.CodeOverlap {
				if !strings.Contains(string(r.body), `"geometry":{"type":`) {
					t.Errorf("%s problem lacks its offending area as GeoJSON: %.400s", tc.want, r.body)
				}
			}
			pv := e.request(http.MethodPost, "/v1/edits/preview", "admin", -1, opJSON(t, tc.op))
			var doc previewDoc
			decode(t, pv.body, &doc)
			if pv.status != http.StatusOK || doc.Valid {
				t.Errorf("preview = %d valid %v, want 200 and invalid", pv.status, doc.Valid)
			}
		})
	}
	if v := e.version(); v != 0 {
		t.Errorf("invalid edits moved the version to %d", v)
	}
}

// TestEditBodyFaults checks the 4xx answers for bodies that are not an
// edit, each naming the field at fault.
func TestEditBodyFaults(t *testing.T) {
	e := newEditEnv(t, testCity(t), func(c *Config) { c.BodyLimit = 2048 })
	cases := []struct {
		name, body, ct, field string
		status                int
	}{
		{"unknown op", `{"op":"paint","reason":"x"}`, "application/json", "op", http.StatusBadRequest},
		{"missing line", `{"op":"split","grid":"520201001001001","reason":"x"}`, "application/json", "line", http.StatusBadRequest},
		{"bad code", `{"op":"retire","grid":"5202","into":["520201001001002"],"reason":"x"}`, "application/json", "grid", http.StatusBadRequest},
		{"lon out of range", `{"op":"split","grid":"520201001001001","line":{"type":"LineString","coordinates":[[204,26],[104,26]]},"reason":"x"}`, "application/json", "line.coordinates[0]", http.StatusBadRequest},
		{"empty body", "", "application/json", "body", http.StatusBadRequest},
		{"too large", `{"op":"merge","reason":"` + strings.Repeat("x", 3000) + `"}`, "application/json", "body", http.StatusRequestEntityTooLarge},
		{"wrong type", `op=merge`, "application/x-www-form-urlencoded", "Content-Type", http.StatusUnsupportedMediaType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, e.s, http.MethodPost, "/v1/edits", tc.ct, tc.body, "Authorization", "Bearer "+e.secret["admin"], "If-Match", "0")
			p := wantProblem(t, r, tc.status, tc.field)
			if tc.field != "" && !strings.HasPrefix(p.Field, tc.field) {
				t.Errorf("field = %q, want %q", p.Field, tc.field)
			}
		})
	}
	for _, im := range []string{`"0"`, `W/"v0-abc"`, "v0"} {
		r := do(t, e.s, http.MethodPost, "/v1/edits", "application/json", `{"op":"merge","grids":["520201001001001","520201001001002"]}`,
			"Authorization", "Bearer "+e.secret["admin"], "If-Match", im)
		wantProblem(t, r, http.StatusBadRequest, "reason")
	}
	r := do(t, e.s, http.MethodPost, "/v1/edits", "application/json", `{"op":"merge"}`, "Authorization", "Bearer "+e.secret["admin"], "If-Match", "*")
	wantProblem(t, r, http.StatusBadRequest, "If-Match")
}
