package server

import (
	"encoding/json"
	"net/http"
	"testing"
)

type unitNode struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  string `json:"level"`
	Counts *struct {
		Subdistricts, Communities, Grids, Buildings, Households int
	} `json:"counts"`
	Households int         `json:"households"`
	Children   []*unitNode `json:"children"`
}

func treeDepth(n *unitNode) int {
	d := 0
	for _, k := range n.Children {
		d = max(d, 1+treeDepth(k))
	}
	return d
}

func TestUnitsTree(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, query string
		wantDepth   int
	}{
		{"default stops at communities", "", 3},
		{"depth 0", "?depth=0", 0},
		{"depth 1", "?depth=1", 1},
		{"depth 4 has grids", "?depth=4", 4},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/v1/units"+tc.query, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("status = %d (body %s)", r.status, r.body)
			}
			var got struct {
				Version int         `json:"version"`
				Units   []*unitNode `json:"units"`
			}
			decode(t, r.body, &got)
			if len(got.Units) != 1 || got.Units[0].Code != "520200000000" {
				t.Fatalf("roots = %+v, want the city 520200000000", got.Units)
			}
			city := got.Units[0]
			if d := treeDepth(city); d != tc.wantDepth {
				t.Errorf("tree depth = %d, want %d", d, tc.wantDepth)
			}
			c := city.Counts
			if c.Subdistricts != 1 || c.Communities != 2 || c.Grids != 5 || c.Buildings != 6 || c.Households != 1680 {
				t.Errorf("city counts = %+v, want 1 subdistrict, 2 communities, 5 grids, 6 buildings, 1680 households", *c)
			}
		})
	}
	for _, q := range []string{"?depth=5", "?depth=-1", "?depth=x"} {
		wantProblem(t, do(t, s, http.MethodGet, "/v1/units"+q, "", ""), http.StatusBadRequest, "depth")
	}
}

func TestUnit(t *testing.T) {
	s := newTestServer(t)
	type body struct {
		Unit     unitNode    `json:"unit"`
		Parents  []unitNode  `json:"parents"`
		Children []*unitNode `json:"children"`
	}
	cases := []struct {
		name, code   string
		wantCode     string
		wantParents  []string
		wantChildren int
		wantHH       int
	}{
		{"community, 12 digits", "520201001002", "520201001002", []string{"520200000000", "520201000000", "520201001000"}, 3, 1060},
		{"subdistrict, 9 digits", "520201001", "520201001000", []string{"520200000000", "520201000000"}, 2, 1680},
		{"district, 6 digits", "520201", "520201000000", []string{"520200000000"}, 1, 1680},
		{"city, 4 digits", "5202", "520200000000", nil, 1, 1680},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/v1/units/"+tc.code, "", "")
			if r.status != http.StatusOK {
				t.Fatalf("status = %d (body %s)", r.status, r.body)
			}
			var got body
			decode(t, r.body, &got)
			if got.Unit.Code != tc.wantCode || got.Unit.Counts.Households != tc.wantHH {
				t.Errorf("unit = %s with %d households, want %s with %d", got.Unit.Code, got.Unit.Counts.Households, tc.wantCode, tc.wantHH)
			}
			var parents []string
			for _, p := range got.Parents {
				parents = append(parents, p.Code)
			}
			if !equalStrings(parents, tc.wantParents) {
				t.Errorf("parents = %v, want %v", parents, tc.wantParents)
			}
			if len(got.Children) != tc.wantChildren {
				t.Errorf("%d children, want %d", len(got.Children), tc.wantChildren)
			}
		})
	}
	bad := []struct {
		name, code string
		status     int
	}{
		{"letters", "52020a", 400},
		{"wrong length", "5202010", 400},
		{"grid code", "520201001001001", 400},
		{"bad structure", "520200001000", 400},
		{"unknown", "520203", 404},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, "/v1/units/"+tc.code, "", ""), tc.status, "code")
		})
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGridFeature(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodGet, "/v1/grids/520201001002003", "", "")
	if r.status != http.StatusOK {
		t.Fatalf("status = %d (body %s)", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/geo+json" {
		t.Errorf("Content-Type = %q, want application/geo+json", ct)
	}
	var f struct {
		Type     string `json:"type"`
		ID       int    `json:"id"`
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates [][][][]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties struct {
			ID         int                         `json:"id"`
			Code       string                      `json:"code"`
			Name       string                      `json:"name"`
			Community  struct{ Code, Name string } `json:"community"`
			District   struct{ Code, Name string } `json:"district"`
			Households int                         `json:"households"`
			Buildings  int                         `json:"buildings"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(r.body, &f); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	p := f.Properties
	if f.Type != "Feature" || f.ID != 5 || p.ID != 5 || p.Code != "520201001002003" || p.Name != "凉都社区第3网格" {
		t.Errorf("feature = %s id %d, properties %+v, want Feature 5 凉都社区第3网格", f.Type, f.ID, p)
	}
	if p.Community.Code != "520201001002" || p.District.Name != "钟山区" || p.Households != 310 || p.Buildings != 1 {
		t.Errorf("properties = %+v, want community 520201001002, 钟山区, 310 households, 1 building", p)
	}
	if f.Geometry.Type != "MultiPolygon" || len(f.Geometry.Coordinates) != 1 || len(f.Geometry.Coordinates[0]) != 2 {
		t.Errorf("geometry = %s with %v, want one polygon with a hole", f.Geometry.Type, f.Geometry.Coordinates)
	}
	for _, tc := range []struct {
		code   string
		status int
	}{{"52020100100200", 400}, {"520201001002x03", 400}, {"520201001002000", 400}, {"520201001002009", 404}} {
		wantProblem(t, do(t, s, http.MethodGet, "/v1/grids/"+tc.code, "", ""), tc.status, "code")
	}
}
