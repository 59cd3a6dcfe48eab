package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/paulmach/orb"
)

// recodeDoc is the JSON answer of a re-coding or a crosswalk.
type recodeDoc struct {
	Changeset *string `json:"changeset"`
	Version   int     `json:"version"`
	Community string  `json:"community"`
	Crosswalk []struct {
		Old  string `json:"old_code"`
		New  string `json:"new_code"`
		Grid int    `json:"grid_id"`
		Date string `json:"date"`
	} `json:"crosswalk"`
}

// TestRecodeFixtureCity merges two grids (retiring a code), splits one
// (adding a code out of order), re-codes the community and checks the
// crosswalk in JSON and CSV, that the retired code is not reused, the
// city-wide crosswalk, the grid history across the re-coding and as-of
// lookups of the old codes.
func TestRecodeFixtureCity(t *testing.T) {
	if testing.Short() {
		t.Skip("edits the generated city")
	}
	e := newEditEnv(t, fixtureSnapshot(t).City)
	e.token("huangtupo", access.RolePlanner, fxSubdistrict)
	e.token("hongyan", access.RolePlanner, fxOtherSubdistrict)
	a, b := neighbours(t, e.s.Snapshot(), fxCommunity)
	e.commit("huangtupo", 0, edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{a.Code, b.Code}, Reason: "one estate"})
	g, line := splitTarget(t, e.s.Snapshot(), fxCommunity)
	e.commit("huangtupo", 1, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "two estates"})

	url := "/v1/units/" + fxCommunity.String() + "/recode"
	wantProblem(t, e.request(http.MethodPost, url, "huangtupo", 2, ""), http.StatusBadRequest, "reason")
	wantProblem(t, e.request(http.MethodPost, url, "hongyan", 2, `{"reason":"x"}`), http.StatusForbidden, "")
	wantProblem(t, e.request(http.MethodPost, url, "huangtupo", -1, `{"reason":"x"}`), http.StatusPreconditionRequired, "If-Match")
	wantProblem(t, e.request(http.MethodPost, "/v1/units/520201011/recode", "huangtupo", 2, `{"reason":"x"}`), http.StatusBadRequest, "code")
	r := e.request(http.MethodPost, url, "huangtupo", 2, `{"reason":"standard order after the split"}`)
	if r.status != http.StatusCreated || r.header.Get("Location") != "/v1/changes/3" {
		t.Fatalf("recode = %d %.500s", r.status, r.body)
	}
	var doc recodeDoc
	decode(t, r.body, &doc)
	snap := e.s.Snapshot()
	if doc.Changeset == nil || doc.Version != 3 || doc.Community != fxCommunity.String() || len(doc.Crosswalk) != len(snap.GridsOf(fxCommunity)) {
		t.Fatalf("recode = %+v, want version 3 and a row per grid of %s", doc, fxCommunity)
	}
	changed := map[string]string{} // new -> old
	for _, row := range doc.Crosswalk {
		if row.New == b.Code.String() {
			t.Errorf("the re-coding reused the retired code %s for grid %d", b.Code, row.Grid)
		}
		if cur, ok := snap.GridByID(geo.GridID(row.Grid)); !ok || cur.Code.String() != row.New {
			t.Errorf("crosswalk row %+v: grid %d is not %s now", row, row.Grid, row.New)
		}
		if row.Old != row.New {
			changed[row.New] = row.Old
		}
	}
	if len(changed) == 0 {
		t.Fatal("the re-coding changed no code")
	}
	checkRecodeCSV(t, e, url, len(doc.Crosswalk))
	checkCrosswalkExport(t, e, len(changed))
	checkHistoryAcrossRecode(t, e, changed)
	wantProblem(t, e.request(http.MethodPost, "/v1/changes/3/revert", "huangtupo", 3, ""), http.StatusUnprocessableEntity, "")
}

// neighbours returns two grids of the community that share an edge, the
// second with the lower code so that merging retires a code in the middle
// of the range.
func neighbours(t *testing.T, s *geo.Snapshot, comm geo.DivisionCode) (*geo.Grid, *geo.Grid) {
	t.Helper()
	gs := s.GridsOf(comm)
	for i, lo := range gs {
		for _, hi := range gs[i+1:] {
			if sharedVertices(lo.Geometry, hi.Geometry) >= 2 && lo.Code.Seq() > 1 {
				return hi, lo
			}
		}
	}
	t.Fatalf("community %s has no neighbouring grids", comm)
	return nil, nil
}

// sharedVertices counts the vertices two areas have in common.
func sharedVertices(a, b orb.MultiPolygon) int {
	seen := map[orb.Point]bool{}
	for _, p := range a {
		for _, r := range p {
			for _, pt := range r {
				seen[pt] = true
			}
		}
	}
	n := 0
	for _, p := range b {
		for _, r := range p {
			for _, pt := range r[:max(len(r)-1, 0)] {
				if seen[pt] {
					n++
				}
			}
		}
	}
	return n
}

// checkRecodeCSV re-codes again as CSV: nothing to do, 200, every grid
// mapped to itself.
func checkRecodeCSV(t *testing.T, e *editEnv, url string, rows int) {
	t.Helper()
	r := do(t, e.s, http.MethodPost, url, "application/json", `{"reason":"again"}`,
		"Authorization", "Bearer "+e.secret["huangtupo"], "If-Match", "3", "Accept", "text/csv")
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\n")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") ||
		lines[0] != "old_code,new_code,grid_id,date" || len(lines) != rows+1 {
		t.Fatalf("recode as CSV = %d %s %.300s; want 200, a header and %d rows", r.status, r.header.Get("Content-Type"), r.body, rows)
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != 4 || f[0] != f[1] {
			t.Errorf("row %q of a second re-coding, want the code unchanged", l)
		}
	}
	if v := e.version(); v != 3 {
		t.Errorf("a re-coding with nothing to do moved the version to %d", v)
	}
}

// checkCrosswalkExport checks the city-wide crosswalk by versions.
func checkCrosswalkExport(t *testing.T, e *editEnv, changed int) {
	t.Helper()
	var doc recodeDoc
	decode(t, e.request(http.MethodGet, "/v1/crosswalk?from=2", "", -1, "").body, &doc)
	if len(doc.Crosswalk) != changed || doc.Version != 3 {
		t.Errorf("crosswalk from version 2 = %+v, want %d rows", doc, changed)
	}
	decode(t, e.request(http.MethodGet, "/v1/crosswalk?from=3", "", -1, "").body, &doc)
	if len(doc.Crosswalk) != 0 {
		t.Errorf("crosswalk from version 3 = %d rows, want none", len(doc.Crosswalk))
	}
	decode(t, e.request(http.MethodGet, "/v1/crosswalk?to=2", "", -1, "").body, &doc)
	if len(doc.Crosswalk) != 0 {
		t.Errorf("crosswalk to version 2 = %d rows, want none", len(doc.Crosswalk))
	}
	r := e.request(http.MethodGet, "/v1/crosswalk?from=2020-01-01&format=csv", "", -1, "")
	if n := strings.Count(string(r.body), "\n"); r.status != http.StatusOK || n != changed+1 {
		t.Errorf("crosswalk CSV = %d with %d lines, want %d", r.status, n, changed+1)
	}
	wantProblem(t, e.request(http.MethodGet, "/v1/crosswalk?to=99", "", -1, ""), http.StatusNotFound, "to")
	wantProblem(t, e.request(http.MethodGet, "/v1/crosswalk?from=soon", "", -1, ""), http.StatusBadRequest, "from")
	wantProblem(t, e.request(http.MethodGet, "/v1/crosswalk?format=xml", "", -1, ""), http.StatusBadRequest, "format")
}

// checkHistoryAcrossRecode follows a re-coded grid: its history lists
// both codes and the re-coding, and a lookup as of version 2 answers its
// old code.
func checkHistoryAcrossRecode(t *testing.T, e *editEnv, changed map[string]string) {
	t.Helper()
	snap := e.s.Snapshot()
	for newCode, oldCode := range changed {
		var hist struct {
			Codes   []edit.CodeSpan `json:"codes"`
			Changes []changeSummary `json:"changes"`
		}
		decode(t, e.request(http.MethodGet, "/v1/grids/"+newCode+"/history", "", -1, "").body, &hist)
		if len(hist.Codes) < 2 || hist.Codes[len(hist.Codes)-1].Code.String() != newCode || !hasCode(hist.Codes, oldCode) ||
			hist.Changes[len(hist.Changes)-1].Kind != store.KindRecode {
			t.Errorf("history of %s = %+v, want its old code %s, its new one and the re-coding", newCode, hist, oldCode)
		}
		code, err := geo.ParseGridCode(newCode)
		if err != nil {
			t.Fatal(err)
		}
		bs := snap.BuildingsIn(code)
		if len(bs) == 0 {
			continue
		}
		if got, _ := e.lookupCode(bs[0].Point, "&asof=2"); got != oldCode {
			t.Errorf("lookup as of version 2 in %s = %s, want the old code %s", newCode, got, oldCode)
		}
		if got, _ := e.lookupCode(bs[0].Point, ""); got != newCode {
			t.Errorf("lookup now in %s = %s", newCode, got)
		}
	}
}

// hasCode reports whether spans hold code.
func hasCode(spans []edit.CodeSpan, code string) bool {
	for _, s := range spans {
		if s.Code.String() == code {
			return true
		}
	}
	return false
}
