package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// suggestJSON is a decoded suggestion.
type suggestJSON struct {
	K          int     `json:"k"`
	LimitM     float64 `json:"limit_m"`
	Candidates int     `json:"candidates"`
	Sites      []struct {
		Rank  int        `json:"rank"`
		Point [2]float64 `json:"point"`
		Grid  *struct {
			Code string `json:"code"`
		} `json:"grid"`
		GainHouseholds int `json:"gain_households"`
		GainBuildings  int `json:"gain_buildings"`
	} `json:"sites"`
	Gain struct {
		Households int `json:"households"`
		Buildings  int `json:"buildings"`
	} `json:"gain"`
	Before tallyJSON `json:"before"`
	After  tallyJSON `json:"after"`
}

// TestSuggestGainsAreReal asks for 3 sites over the whole city and checks
// that coverage after adding them rises by exactly the gains reported, and
// that the first site's gain is what a what-if circle from it newly
// covers.
func TestSuggestGainsAreReal(t *testing.T) {
	s := walkServer(t)
	var sg suggestJSON
	postJSON(t, s, "/v1/coverage/suggest", `{"k":3,"minutes":15,"min_spacing_m":300}`, &sg)
	sg.Before.check(t, "before")
	sg.After.check(t, "after")
	if sg.K != 3 || len(sg.Sites) == 0 || len(sg.Sites) > 3 || sg.LimitM != 1000 || sg.Candidates == 0 {
		t.Fatalf("suggest: k %d, %d sites, limit %v, %d candidates; want up to 3 sites at 1000 m", sg.K, len(sg.Sites), sg.LimitM, sg.Candidates)
	}
	var base coverageJSON
	getJSON(t, s, "/v1/coverage?level=city", &base)
	if sg.Before != base.Total {
		t.Errorf("before %+v, want the 15-minute coverage %+v", sg.Before, base.Total)
	}
	hh, bd := 0, 0
	for i, st := range sg.Sites {
		if st.Rank != i+1 || st.GainHouseholds <= 0 || (i > 0 && st.GainHouseholds > sg.Sites[i-1].GainHouseholds) {
			t.Errorf("site %d: rank %d gain %d, want positive gains, largest first", i, st.Rank, st.GainHouseholds)
		}
		hh += st.GainHouseholds
		bd += st.GainBuildings
	}
	if got := sg.After.HouseholdsCovered - sg.Before.HouseholdsCovered; got != hh || sg.Gain.Households != hh {
		t.Errorf("coverage rose by %d households, the sites' gains add up to %d (gain member %d)", got, hh, sg.Gain.Households)
	}
	if got := sg.After.BuildingsCovered - sg.Before.BuildingsCovered; got != bd || sg.Gain.Buildings != bd {
		t.Errorf("coverage rose by %d buildings, the sites' gains add up to %d (gain member %d)", got, bd, sg.Gain.Buildings)
	}
	checkFirstGain(t, s, sg)
}

// checkFirstGain draws the what-if circle of the first site and sums the
// households of the buildings it covers that the stations leave uncovered.
func checkFirstGain(t *testing.T, s *Server, sg suggestJSON) {
	t.Helper()
	var gaps gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?limit=0", &gaps)
	uncovered := map[int]bool{}
	for _, f := range gaps.Features {
		uncovered[f.Properties.ID] = true
	}
	first := sg.Sites[0]
	var c circleJSON
	postJSON(t, s, "/v1/circles", fmt.Sprintf(`{"point":[%s,%s],"buildings":true}`, ftoa(first.Point[0]), ftoa(first.Point[1])), &c)
	hh, bd := 0, 0
	for _, b := range c.Summary.Covered {
		if uncovered[b.ID] {
			hh += b.Households
			bd++
		}
	}
	if hh != first.GainHouseholds || bd != first.GainBuildings {
		t.Errorf("site 1 at %v: its circle newly covers %d households in %d buildings, it claims %d in %d",
			first.Point, hh, bd, first.GainHouseholds, first.GainBuildings)
	}
}

// TestSuggestWithinUnits restricts candidates to the district with the most
// uncovered households and checks every site stands in it.
func TestSuggestWithinUnits(t *testing.T) {
	s := walkServer(t)
	var c coverageJSON
	getJSON(t, s, "/v1/coverage?level=district", &c)
	worst := c.Units[0]
	for _, u := range c.Units {
		if u.HouseholdsUncovered > worst.HouseholdsUncovered {
			worst = u
		}
	}
	var sg suggestJSON
	postJSON(t, s, "/v1/coverage/suggest", `{"k":2,"units":["`+worst.Code+`"]}`, &sg)
	if len(sg.Sites) == 0 {
		t.Fatalf("no site in district %s with %d uncovered households", worst.Code, worst.HouseholdsUncovered)
	}
	for _, st := range sg.Sites {
		if st.Grid == nil || !strings.HasPrefix(st.Grid.Code, worst.Code[:6]) {
			t.Errorf("site %d at %v stands in grid %+v, outside district %s", st.Rank, st.Point, st.Grid, worst.Code)
		}
	}
	// Candidates given explicitly: a building door of the worst gap.
	var gaps gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?limit=1", &gaps)
	p := gaps.Features[0].Geometry.Coordinates
	postJSON(t, s, "/v1/coverage/suggest", fmt.Sprintf(`{"k":1,"candidates":[[%s,%s]]}`, ftoa(p[0]), ftoa(p[1])), &sg)
	if len(sg.Sites) != 1 || sg.Sites[0].GainHouseholds < gaps.Features[0].Properties.Households {
		t.Errorf("candidate at the worst gap %v: sites %+v, want one gaining at least its %d households", p, sg.Sites, gaps.Features[0].Properties.Households)
	}
}

func TestSuggestBadInput(t *testing.T) {
	s := walkServer(t)
	var grid *geo.Grid = s.Snapshot().City.Grids[0]
	cases := []struct {
		name, body string
		status     int
		field      string
	}{
		{"k zero", `{"k":0}`, http.StatusBadRequest, "k"},
		{"k negative", `{"k":-2}`, http.StatusBadRequest, "k"},
		{"k too large", `{"k":51}`, http.StatusBadRequest, "k"},
		{"k fractional", `{"k":1.5}`, http.StatusBadRequest, "k"},
		{"k a string", `{"k":"5"}`, http.StatusBadRequest, "k"},
		{"minutes out of range", `{"k":1,"minutes":0}`, http.StatusBadRequest, "minutes"},
		{"malformed JSON", `{"k":1,`, http.StatusBadRequest, "body"},
		{"not an object", `[1]`, http.StatusBadRequest, "body"},
		{"unknown member", `{"k":1,"sites":2}`, http.StatusBadRequest, "sites"},
		{"bad unit code", `{"units":["52"]}`, http.StatusBadRequest, "units[0]"},
		{"unknown unit", `{"units":["520200000000","520299999000"]}`, http.StatusBadRequest, "units[1]"},
		{"grid code as unit", `{"units":["` + grid.Code.String() + `"]}`, http.StatusBadRequest, "units[0]"},
		{"unknown grid", `{"grids":["520201001001199"]}`, http.StatusBadRequest, "grids[0]"},
		{"negative spacing", `{"min_spacing_m":-1}`, http.StatusBadRequest, "min_spacing_m"},
		{"candidate off the network", `{"candidates":[[104.83,26.59],[106.5,27.9]]}`, http.StatusUnprocessableEntity, "candidates[1]"},
		{"candidate not a pair", `{"candidates":[[104.83]]}`, http.StatusBadRequest, "candidates[0]"},
		{"candidate bad crs", `{"candidates":[[104.83,26.59]],"crs":"x"}`, http.StatusBadRequest, "crs"},
		{"spacing leaves no site", `{"min_spacing_m":5000}`, http.StatusUnprocessableEntity, "min_spacing_m"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodPost, "/v1/coverage/suggest", "application/json", c.body), c.status, c.field)
		})
	}
}

// FuzzWalkBodies posts arbitrary bodies to the what-if circle and the site
// suggestion on the small test city: the answer is a 200 or a 4xx problem,
// never a 5xx.
func FuzzWalkBodies(f *testing.F) {
	for _, seed := range []string{`{"point":[104.805,26.59]}`, `{"point":[104.805,26.59],"crs":"gcj02","minutes":5,"bands":[3,5],"buildings":true}`,
		`{"k":2}`, `{"k":1,"units":["520201001001"],"min_spacing_m":100}`, `{"k":1,"candidates":[[104.81,26.585]]}`,
		`{"k":1,"grids":["520201001001001"]}`, `{"point":[1e999,0]}`, `{`, `[]`, `null`, `{"k":null,"point":null}`} {
		f.Add(seed)
	}
	s := newTestServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		for _, target := range []string{"/v1/circles", "/v1/coverage/suggest"} {
			r := do(t, s, http.MethodPost, target, "application/json", body)
			if r.status != http.StatusOK && (r.status < 400 || r.status >= 500) {
				t.Fatalf("POST %s %q = %d (%s)", target, body, r.status, r.body)
			}
		}
	})
}
