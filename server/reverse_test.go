package server

import (
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// reverseBody is a decoded GET /v1/reverse answer.
type reverseBody struct {
	Building *struct {
		ID              json.Number `json:"id"`
		StandardAddress string      `json:"standard_address"`
		Point           []float64   `json:"point"`
		Distance        float64     `json:"distance_m"`
		Grid            string      `json:"grid"`
	} `json:"building"`
	Grid        json.RawMessage `json:"grid"`
	Community   json.RawMessage `json:"community"`
	Subdistrict json.RawMessage `json:"subdistrict"`
	District    json.RawMessage `json:"district"`
	CRS         string          `json:"crs"`
}

// reverseURL builds a GET /v1/reverse target.
func reverseURL(p orb.Point, c string) string {
	return "/v1/reverse?lon=" + ftoa(p[0]) + "&lat=" + ftoa(p[1]) + "&crs=" + c
}

// TestReverseBuildings asks for points a meter from sampled building
// entrances, in several coordinate systems: each answer is that building,
// its standard address, a distance of about a meter, and the grid chain
// /v1/lookup gives for the point.
func TestReverseBuildings(t *testing.T) {
	s := benchServer(t)
	bs := s.Snapshot().City.Buildings
	rng := rand.New(rand.NewPCG(testSeed(t, 1), 9))
	for range 40 {
		b := bs[rng.IntN(len(bs))]
		p := orb.Point{b.Point[0] + 7e-6, b.Point[1] + 5e-6}
		for _, c := range []crs.CRS{crs.WGS84, crs.GCJ02, crs.BD09} {
			q := crs.FromWGS84(c, p)
			r := do(t, s, http.MethodGet, reverseURL(q, c.String()), "", "")
			var got reverseBody
			decode(t, r.body, &got)
			if r.status != http.StatusOK || got.Building == nil || got.Building.ID.String() != ftoa(float64(b.ID)) {
				t.Fatalf("reverse %s of building %d = %d %s", c, b.ID, r.status, r.body)
			}
			if got.Building.StandardAddress != b.Address.String() || got.Building.Grid != b.Grid.String() ||
				got.Building.Distance < 0.3 || got.Building.Distance > 2 || got.CRS != c.String() {
				t.Errorf("reverse %s of building %d = %s", c, b.ID, r.body)
			}
			want := crs.FromWGS84(c, b.Point)
			if abs(got.Building.Point[0]-want[0]) > 1e-6 || abs(got.Building.Point[1]-want[1]) > 1e-6 {
				t.Errorf("reverse %s: point %v, want %v", c, got.Building.Point, want)
			}
			lk := do(t, s, http.MethodGet, lookupURL(q, c.String()), "", "")
			var chain map[string]json.RawMessage
			decode(t, lk.body, &chain)
			if lk.status == http.StatusOK && (string(got.Grid) != string(chain["grid"]) || string(got.District) != string(chain["district"])) {
				t.Errorf("reverse %s chain %s, want /v1/lookup's %s", c, got.Grid, chain["grid"])
			}
		}
	}
}

// TestReverseOutside checks a point outside every grid: the nearest
// building still answers, far away, and the chain is null.
func TestReverseOutside(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodGet, reverseURL(orb.Point{104.70, 26.50}, ""), "", "")
	var got reverseBody
	decode(t, r.body, &got)
	if r.status != 200 || got.Building == nil || got.Building.ID != "4" || got.Building.Distance < 10_000 {
		t.Errorf("reverse outside = %d %s, want building 4 over 10 km away", r.status, r.body)
	}
	if string(got.Grid) != "null" || string(got.Community) != "null" || string(got.Subdistrict) != "null" {
		t.Errorf("reverse outside chain = %s %s %s, want null", got.Grid, got.Community, got.Subdistrict)
	}
	tag := r.header.Get("ETag")
	if r2 := do(t, s, http.MethodGet, reverseURL(orb.Point{104.70, 26.50}, ""), "", "", "If-None-Match", tag); r2.status != http.StatusNotModified {
		t.Errorf("reverse with If-None-Match %s = %d, want 304", tag, r2.status)
	}
}

// TestReverseNotReady checks that the address routes wait for a snapshot.
func TestReverseNotReady(t *testing.T) {
	s, err := New(Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{reverseURL(orb.Point{104.8, 26.5}, ""), geocodeURL("人民中路", "")} {
		if r := do(t, s, http.MethodGet, target, "", ""); r.status != http.StatusServiceUnavailable {
			t.Errorf("GET %s before a snapshot = %d, want 503", target, r.status)
		}
	}
}
