package server

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

type lookupBody struct {
	Grid struct {
		ID   int    `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"grid"`
	Community   struct{ Code, Name string } `json:"community"`
	Subdistrict struct{ Code, Name string } `json:"subdistrict"`
	District    struct{ Code, Name string } `json:"district"`
	CRS         string                      `json:"crs"`
	Version     int                         `json:"version"`
}

func lookupURL(p orb.Point, c string) string {
	q := url.Values{}
	q.Set("lon", fmt.Sprint(p[0]))
	q.Set("lat", fmt.Sprint(p[1]))
	if c != "" {
		q.Set("crs", c)
	}
	return "/v1/lookup?" + q.Encode()
}

func TestLookupFindsGrid(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name      string
		p         orb.Point
		crs       crs.CRS
		crsParam  string
		wantGrid  string
		wantComm  string
		wantGridN string
	}{
		{"g1 wgs84 default", orb.Point{104.805, 26.595}, crs.WGS84, "", "520201001001001", "520201001001", "钟环社区第1网格"},
		{"g2 wgs84 named", orb.Point{104.815, 26.595}, crs.WGS84, "wgs84", "520201001001002", "520201001001", "钟环社区第2网格"},
		{"g3 cgcs2000", orb.Point{104.805, 26.585}, crs.CGCS2000, "cgcs2000", "520201001002001", "520201001002", "凉都社区第1网格"},
		{"g4 gcj02", orb.Point{104.815, 26.585}, crs.GCJ02, "gcj02", "520201001002002", "520201001002", "凉都社区第2网格"},
		{"g5 bd09", orb.Point{104.828, 26.582}, crs.BD09, "bd09", "520201001002003", "520201001002", "凉都社区第3网格"},
		{"g5 alias", orb.Point{104.828, 26.588}, crs.GCJ02, "GCJ-02", "520201001002003", "520201001002", "凉都社区第3网格"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, lookupURL(crs.FromWGS84(tc.crs, tc.p), tc.crsParam), "", "")
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200 (body %s)", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", ct)
			}
			var got lookupBody
			decode(t, r.body, &got)
			if got.Grid.Code != tc.wantGrid || got.Grid.Name != tc.wantGridN || got.Community.Code != tc.wantComm {
				t.Errorf("lookup(%v) = grid %s %s community %s, want %s %s %s", tc.p, got.Grid.Code, got.Grid.Name,
					got.Community.Code, tc.wantGrid, tc.wantGridN, tc.wantComm)
			}
			if got.Subdistrict.Code != "520201001000" || got.Subdistrict.Name != "荷城街道" ||
				got.District.Code != "520201000000" || got.District.Name != "钟山区" {
				t.Errorf("lookup(%v) chain = %+v %+v, want 荷城街道 and 钟山区", tc.p, got.Subdistrict, got.District)
			}
			if got.CRS != tc.crs.String() || got.Version != 1 {
				t.Errorf("crs, version = %q, %d, want %q, 1", got.CRS, got.Version, tc.crs)
			}
			if r.header.Get("ETag") == "" {
				t.Error("no ETag")
			}
		})
	}
}

func TestLookupNoGrid(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name        string
		p           orb.Point
		wantNearest string
		minM, maxM  float64
	}{
		// 0.001 degree of latitude is about 110.6 m.
		{"south of g3", orb.Point{104.805, 26.579}, "520201001002001", 100, 120},
		{"in g5's hole", orb.Point{104.825, 26.585}, "520201001002003", 90, 105},
		{"far away", orb.Point{116.4, 39.9}, "", 1e6, 2e6},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, lookupURL(tc.p, ""), "", "")
			p := wantProblem(t, r, http.StatusNotFound, "")
			if p.Type != problemNoGrid {
				t.Errorf("type = %q, want %q", p.Type, problemNoGrid)
			}
			if p.Nearest == nil {
				t.Fatalf("no nearest grid in %s", r.body)
			}
			if tc.wantNearest != "" && p.Nearest.Code != tc.wantNearest {
				t.Errorf("nearest = %s, want %s", p.Nearest.Code, tc.wantNearest)
			}
			if p.Distance < tc.minM || p.Distance > tc.maxM {
				t.Errorf("distance_m = %g, want %g..%g", p.Distance, tc.minM, tc.maxM)
			}
		})
	}
}

func TestLookupBadInput(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, query, field string
	}{
		{"no parameters", "", "lon"},
		{"missing lat", "lon=104.8", "lat"},
		{"empty lon", "lon=&lat=26.5", "lon"},
		{"non-numeric lon", "lon=abc&lat=26.5", "lon"},
		{"non-numeric lat", "lon=104.8&lat=26.5x", "lat"},
		{"NaN lon", "lon=NaN&lat=26.5", "lon"},
		{"Inf lat", "lon=104.8&lat=-Inf", "lat"},
		{"overflow lat", "lon=104.8&lat=1e400", "lat"},
		{"lon out of range", "lon=180.5&lat=26.5", "lon"},
		{"lat out of range", "lon=104.8&lat=-90.01", "lat"},
		{"unknown crs", "lon=104.8&lat=26.5&crs=mars", "crs"},
		{"hex junk", "lon=0x&lat=26.5", "lon"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, "/v1/lookup?"+tc.query, "", "")
			p := wantProblem(t, r, http.StatusBadRequest, tc.field)
			if p.Type != problemInvalidField {
				t.Errorf("type = %q, want %q", p.Type, problemInvalidField)
			}
			if p.Instance != "/v1/lookup" {
				t.Errorf("instance = %q, want /v1/lookup", p.Instance)
			}
		})
	}
}

func TestLookupETag(t *testing.T) {
	s := newTestServer(t)
	target := lookupURL(orb.Point{104.805, 26.595}, "")
	first := do(t, s, http.MethodGet, target, "", "")
	tag := first.header.Get("ETag")
	if tag == "" {
		t.Fatal("no ETag")
	}
	cases := []struct {
		name, inm string
		want      int
	}{
		{"same tag", tag, http.StatusNotModified},
		{"weak and listed", `"other", W/` + tag, http.StatusNotModified},
		{"star", "*", http.StatusNotModified},
		{"other tag", `"v0-x"`, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodGet, target, "", "", "If-None-Match", tc.inm)
			if r.status != tc.want {
				t.Errorf("status = %d, want %d", r.status, tc.want)
			}
			if tc.want == http.StatusNotModified && len(r.body) != 0 {
				t.Errorf("304 body = %q, want empty", r.body)
			}
		})
	}
	s.Swap(testSnapshot(t))
	if r := do(t, s, http.MethodGet, target, "", "", "If-None-Match", tag); r.status != http.StatusOK {
		t.Errorf("after Swap: status = %d, want 200 (a new snapshot has a new tag)", r.status)
	}
}
