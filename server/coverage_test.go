package server

import (
	"fmt"
	"math"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/valyala/fasthttp"
)

// coverageJSON is a decoded /v1/coverage answer.
type coverageJSON struct {
	Version int       `json:"version"`
	Minutes float64   `json:"minutes"`
	LimitM  float64   `json:"limit_m"`
	Level   string    `json:"level"`
	Total   tallyJSON `json:"total"`
	Units   []struct {
		Code      string `json:"code"`
		Name      string `json:"name"`
		Level     string `json:"level"`
		Community string `json:"community"`
		tallyJSON
	} `json:"units"`
}

// gapsJSON is a decoded /v1/coverage/gaps answer.
type gapsJSON struct {
	Type     string `json:"type"`
	Features []struct {
		Geometry struct {
			Type        string     `json:"type"`
			Coordinates [2]float64 `json:"coordinates"`
		} `json:"geometry"`
		Properties struct {
			Rank       int      `json:"rank"`
			ID         int      `json:"id"`
			Households int      `json:"households"`
			Grid       string   `json:"grid"`
			NearestM   *float64 `json:"nearest_m"`
			OffNetwork bool     `json:"off_network"`
		} `json:"properties"`
	} `json:"features"`
	LimitM float64   `json:"limit_m"`
	Total  tallyJSON `json:"total"`
	Grids  []struct {
		Code string `json:"code"`
		tallyJSON
	} `json:"grids"`
}

// TestCoverageTotals checks that at every level the units' tallies add up
// to the city's total, which counts every household of the fixture city.
func TestCoverageTotals(t *testing.T) {
	s := walkServer(t)
	households := cityHouseholds(s.Snapshot())
	if households != 780_000 {
		t.Errorf("the fixture city holds %d households, want 780,000 (README, fixtures)", households)
	}
	var first tallyJSON
	for _, level := range []string{"city", "district", "subdistrict", "community", "grid"} {
		var c coverageJSON
		getJSON(t, s, "/v1/coverage?level="+level+"&minutes=15", &c)
		c.Total.check(t, level+" total")
		if c.Level != level || c.LimitM != 1000 || c.Minutes != 15 || c.Total.Households != households || len(c.Units) == 0 {
			t.Fatalf("level %s: got level %q limit %v minutes %v, %d households in %d units; want %d households",
				level, c.Level, c.LimitM, c.Minutes, c.Total.Households, len(c.Units), households)
		}
		if level == "city" {
			first = c.Total
		} else if c.Total != first {
			t.Errorf("level %s: total %+v, want %+v as at every level", level, c.Total, first)
		}
		var sum tallyJSON
		for _, u := range c.Units {
			u.check(t, level+" "+u.Code)
			if u.Level != level || (level == "grid") != (u.Community != "") {
				t.Errorf("level %s: unit %s has level %q community %q", level, u.Code, u.Level, u.Community)
			}
			sum.Households += u.Households
			sum.HouseholdsCovered += u.HouseholdsCovered
			sum.Buildings += u.Buildings
			sum.BuildingsCovered += u.BuildingsCovered
		}
		if sum.Households != c.Total.Households || sum.HouseholdsCovered != c.Total.HouseholdsCovered ||
			sum.Buildings != c.Total.Buildings || sum.BuildingsCovered != c.Total.BuildingsCovered {
			t.Errorf("level %s: units add up to %+v, want the total %+v", level, sum, c.Total)
		}
	}
	if first.HouseholdsCovered == 0 || first.HouseholdsUncovered == 0 {
		t.Errorf("15-minute coverage %+v: want some households covered and some not in the fixture city", first)
	}
	// 4.5 and 5 minutes are both 300 m: the same tallies under the
	// minutes asked for, whichever was asked first.
	var five, fourHalf coverageJSON
	getJSON(t, s, "/v1/coverage?minutes=5", &five)
	getJSON(t, s, "/v1/coverage?minutes=4.5", &fourHalf)
	if five.Minutes != 5 || fourHalf.Minutes != 4.5 || five.LimitM != 300 || fourHalf.LimitM != 300 || five.Total != fourHalf.Total {
		t.Errorf("5 minutes: %v min, %v m, %+v; 4.5 minutes: %v min, %v m, %+v; want 300 m and equal tallies",
			five.Minutes, five.LimitM, five.Total, fourHalf.Minutes, fourHalf.LimitM, fourHalf.Total)
	}
	var ten coverageJSON
	getJSON(t, s, "/v1/coverage?minutes=10", &ten)
	if ten.LimitM != 500 || ten.Level != "district" || ten.Total.HouseholdsCovered >= first.HouseholdsCovered {
		t.Errorf("10 minutes: limit %v level %q covers %d households, want 500 m, district and fewer than %d",
			ten.LimitM, ten.Level, ten.Total.HouseholdsCovered, first.HouseholdsCovered)
	}
}

// TestCoverageGaps checks the gaps come worst first, that each listed
// building is really beyond the limit, and that limit=0 lists them all.
func TestCoverageGaps(t *testing.T) {
	s := walkServer(t)
	var all gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?minutes=15&limit=0", &all)
	if all.Type != "FeatureCollection" || len(all.Features) != all.Total.BuildingsUncovered || len(all.Features) == 0 {
		t.Fatalf("all gaps: %s with %d buildings, want all %d uncovered", all.Type, len(all.Features), all.Total.BuildingsUncovered)
	}
	prevHH, prevDist := math.MaxInt, math.Inf(1)
	for i, f := range all.Features {
		p := f.Properties
		dist := math.Inf(1)
		if p.NearestM != nil {
			dist = *p.NearestM
		}
		if p.Rank != i+1 || f.Geometry.Type != "Point" {
			t.Errorf("gap %d: rank %d geometry %s", i, p.Rank, f.Geometry.Type)
		}
		if p.Households > prevHH || (p.Households == prevHH && dist > prevDist) {
			t.Errorf("gap %d (building %d): %d households at %v m after %d at %v m: not worst first", i, p.ID, p.Households, dist, prevHH, prevDist)
		}
		if dist <= all.LimitM && !p.OffNetwork {
			t.Errorf("gap %d (building %d) is %v m from a station, within the %v m limit", i, p.ID, dist, all.LimitM)
		}
		prevHH, prevDist = p.Households, dist
	}
	uncoveredHH := 0
	for i, g := range all.Grids {
		g.check(t, "grid "+g.Code)
		if (g.HouseholdsUncovered == 0 && g.BuildingsUncovered == 0) || (i > 0 && g.HouseholdsUncovered > all.Grids[i-1].HouseholdsUncovered) {
			t.Errorf("grid gap %d (%s): %d uncovered households, not worst first", i, g.Code, g.HouseholdsUncovered)
		}
		uncoveredHH += g.HouseholdsUncovered
	}
	if uncoveredHH != all.Total.HouseholdsUncovered {
		t.Errorf("grid gaps hold %d uncovered households, want the total %d", uncoveredHH, all.Total.HouseholdsUncovered)
	}
	var top gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?limit=3", &top)
	if len(top.Features) != 3 || len(top.Grids) != min(3, len(all.Grids)) || top.Features[0].Properties.ID != all.Features[0].Properties.ID {
		t.Errorf("limit=3: %d buildings, %d grids, first %d; want 3, 3 and %d", len(top.Features), len(top.Grids),
			top.Features[0].Properties.ID, all.Features[0].Properties.ID)
	}
}

func TestCoverageBadInput(t *testing.T) {
	s := walkServer(t)
	cases := []struct {
		name, target string
		field        string
	}{
		{"unknown level", "/v1/coverage?level=county", "level"},
		{"level building", "/v1/coverage?level=building", "level"},
		{"minutes too small", "/v1/coverage?minutes=0.5", "minutes"},
		{"minutes too large", "/v1/coverage?minutes=61", "minutes"},
		{"minutes negative", "/v1/coverage?minutes=-15", "minutes"},
		{"minutes not a number", "/v1/coverage?minutes=15min", "minutes"},
		{"gaps minutes", "/v1/coverage/gaps?minutes=100", "minutes"},
		{"gaps negative limit", "/v1/coverage/gaps?limit=-1", "limit"},
		{"gaps limit too large", "/v1/coverage/gaps?limit=100001", "limit"},
		{"gaps limit not a number", "/v1/coverage/gaps?limit=ten", "limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, c.target, "", ""), http.StatusBadRequest, c.field)
		})
	}
}

// BenchmarkCoverageHandler measures GET /v1/coverage of the communities
// at 15 minutes through Fiber's handler: the coverage is computed once per
// snapshot, so this is the HTTP cost of serving it.
func BenchmarkCoverageHandler(b *testing.B) {
	for _, level := range []string{"district", "grid"} {
		b.Run("level="+level, func(b *testing.B) {
			benchGET(b, quietServer(b), "/v1/coverage?minutes=15&level="+level)
		})
	}
	b.Run("gaps", func(b *testing.B) {
		benchGET(b, quietServer(b), "/v1/coverage/gaps?limit=100")
	})
}

// benchGET measures one GET target through Fiber's handler.
func benchGET(b *testing.B, s *Server, target string) {
	h := s.App().Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(http.MethodGet)
	ctx.Request.SetRequestURI(target)
	h(&ctx)
	if ctx.Response.StatusCode() != http.StatusOK {
		b.Fatalf("status %d: %.300s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	b.ReportAllocs()
	for b.Loop() {
		ctx.Response.Reset()
		h(&ctx)
	}
	b.ReportMetric(float64(len(ctx.Response.Body())), "bytes/resp")
}

// TestTilesCarryCoverage checks that the grids tile layer carries each
// grid's 15-minute coverage share as /v1/coverage reports it, and the
// buildings layer flags the gaps.
func TestTilesCarryCoverage(t *testing.T) {
	s := walkServer(t)
	var doc tiles.TileJSON
	getJSON(t, s, "/tiles.json", &doc)
	for _, vl := range doc.VectorLayers {
		if _, ok := vl.Fields["coverage"]; vl.ID == tiles.LayerGrids && !ok {
			t.Errorf("TileJSON grids layer fields %v lack coverage", vl.Fields)
		}
		if _, ok := vl.Fields["uncovered"]; vl.ID == tiles.LayerBuildings && !ok {
			t.Errorf("TileJSON buildings layer fields %v lack uncovered", vl.Fields)
		}
	}
	var grids coverageJSON
	getJSON(t, s, "/v1/coverage?level=grid", &grids)
	tally := map[string]tallyJSON{}
	for _, u := range grids.Units {
		tally[u.Code] = u.tallyJSON
	}
	var gaps gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?limit=1", &gaps)
	gap := gaps.Features[0]
	p := gap.Geometry.Coordinates
	var k tiles.Key
	for key := range tiles.KeysIn(orb.Bound{Min: p, Max: p}, 15, 15) {
		k = key
	}
	r := do(t, s, http.MethodGet, fmt.Sprintf("/tiles/%d/%d/%d.mvt", k.Z, k.X, k.Y), "", "")
	if r.status != http.StatusOK {
		t.Fatalf("tile %v = %d (%.200s)", k, r.status, r.body)
	}
	layers, err := mvt.Unmarshal(r.body)
	if err != nil {
		t.Fatalf("tile %v: %v", k, err)
	}
	seenGrids, seenGap := 0, false
	for _, l := range layers {
		for _, f := range l.Features {
			switch l.Name {
			case tiles.LayerGrids:
				code, _ := f.Properties["code"].(string)
				got, ok := f.Properties["coverage"].(float64)
				want := tally[code]
				if want.Households == 0 {
					if ok {
						t.Errorf("tile %v grid %s without households: coverage %v, want none", k, code, got)
					}
					break
				}
				share := float64(want.HouseholdsCovered) / float64(want.Households)
				if !ok || got != math.Round(share*1000)/1000 {
					t.Errorf("tile %v grid %s: coverage %v, want %.3f", k, code, f.Properties["coverage"], share)
				}
				seenGrids++
			case tiles.LayerBuildings:
				if id, _ := f.ID.(float64); int(id) == gap.Properties.ID {
					seenGap = true
					if f.Properties["uncovered"] != 1.0 {
						t.Errorf("tile %v: gap building %v has uncovered %v, want 1", k, id, f.Properties["uncovered"])
					}
				}
			}
		}
	}
	if seenGrids == 0 || !seenGap {
		t.Errorf("tile %v: %d grids, gap building %d seen %v; want both", k, seenGrids, gap.Properties.ID, seenGap)
	}
}
