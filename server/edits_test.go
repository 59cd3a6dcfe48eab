package server

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/access"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Units of the generated city the editing tests work in.
const (
	fxSubdistrict      = geo.DivisionCode(520201011000) // 黄土坡街道
	fxOtherSubdistrict = geo.DivisionCode(520201012000) // 红岩街道
	fxCommunity        = geo.DivisionCode(520201011001) // 曹家湾社区
)

// previewDoc is the part of a preview the tests read.
type previewDoc struct {
	Base      int    `json:"base"`
	Valid     bool   `json:"valid"`
	Community string `json:"community"`
	Changes   []struct {
		ID   int    `json:"id"`
		Kind string `json:"kind"`
	} `json:"changes"`
	Impact struct {
		BuildingsMoved  int   `json:"buildings_moved"`
		HouseholdsMoved int   `json:"households_moved"`
		Tiles           []any `json:"tiles"`
		Flows           []struct {
			From, To   string
			Households int
		} `json:"flows"`
		Grids []struct {
			Code             string `json:"code"`
			HouseholdsBefore int    `json:"households_before"`
			HouseholdsAfter  int    `json:"households_after"`
		} `json:"grids"`
	} `json:"impact"`
}

// TestSplitCommitFixtureCity previews and commits a split on the generated
// city, then checks lookups on both sides, the changed tile, history,
// as-of lookups and the stale-base answer, and reverts it.
func TestSplitCommitFixtureCity(t *testing.T) {
	if testing.Short() {
		t.Skip("edits the generated city")
	}
	e := newEditEnv(t, fixtureSnapshot(t).City)
	e.token("huangtupo", access.RolePlanner, fxSubdistrict)
	before := time.Now().UTC().Add(-time.Hour)
	snap := e.s.Snapshot()
	g, line := splitTarget(t, snap, fxCommunity)
	bs := snap.BuildingsIn(g.Code)
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "the estate grew past 500 households"}

	// Preview: valid, with its impact.
	r := e.request(http.MethodPost, "/v1/edits/preview", "huangtupo", -1, opJSON(t, op))
	if r.status != http.StatusOK {
		t.Fatalf("preview = %d %.500s", r.status, r.body)
	}
	var pv previewDoc
	decode(t, r.body, &pv)
	if !pv.Valid || pv.Base != 0 || pv.Community != fxCommunity.String() || pv.Impact.BuildingsMoved == 0 ||
		len(pv.Impact.Tiles) == 0 || len(pv.Impact.Grids) < 2 || len(pv.Impact.Flows) != 1 {
		t.Fatalf("preview = %.800s; want a valid split of %s moving buildings, with tiles, grid counts and one flow", r.body, g.Code)
	}
	tileURL, etag := tileETag(t, e, bs[0].Point)

	v := e.commit("huangtupo", 0, op)
	sides := map[string]int{}
	next := e.s.Snapshot()
	for _, b := range bs {
		code, st := e.lookupCode(b.Point, "")
		nb, _ := next.Building(b.ID)
		if st != http.StatusOK || code != nb.Grid.String() {
			t.Errorf("lookup of building %d = %q %d, want %s", b.ID, code, st, nb.Grid)
		}
		sides[code]++
	}
	if len(sides) != 2 || sides[g.Code.String()] == 0 {
		t.Fatalf("lookups after the split answer grids %v, want %s and the new grid", sides, g.Code)
	}
	newCode := otherKey(sides, g.Code.String())
	if r := e.request(http.MethodGet, tileURL, "", -1, ""); r.header.Get("ETag") == etag || r.status != http.StatusOK {
		t.Errorf("tile %s after the split = %d ETag %s, want 200 with a new ETag (was %s)", tileURL, r.status, r.header.Get("ETag"), etag)
	}
	checkVersion(t, e, v)
	checkStale(t, e, op, v)
	checkHistoryAfterSplit(t, e, g.Code, newCode)
	checkAsOf(t, e, bs, g.Code, newCode, before)
	checkRevert(t, e, bs, g.Code, newCode)
}

// otherKey returns the key of m that is not k.
func otherKey(m map[string]int, k string) string {
	for key := range m {
		if key != k {
			return key
		}
	}
	return ""
}

// tileETag fetches the zoom-14 tile holding p and returns its URL and ETag.
func tileETag(t *testing.T, e *editEnv, p orb.Point) (string, string) {
	t.Helper()
	k := maptile.At(p, 14)
	url := fmt.Sprintf("/tiles/14/%d/%d.mvt", k.X, k.Y)
	r := e.request(http.MethodGet, url, "", -1, "")
	if r.status != http.StatusOK || r.header.Get("ETag") == "" {
		t.Fatalf("GET %s = %d, ETag %q", url, r.status, r.header.Get("ETag"))
	}
	return url, r.header.Get("ETag")
}

// checkVersion checks GET /v1/version against the store's version.
func checkVersion(t *testing.T, e *editEnv, want int) {
	t.Helper()
	r := e.request(http.MethodGet, "/v1/version", "", -1, "")
	var got struct{ Version int }
	decode(t, r.body, &got)
	if got.Version != want {
		t.Errorf("GET /v1/version = %s, want version %d", r.body, want)
	}
}

// checkStale commits on version 0 again: 409 listing the changeset since.
func checkStale(t *testing.T, e *editEnv, op edit.Op, current int) {
	t.Helper()
	p := wantEditProblem(t, e.request(http.MethodPost, "/v1/edits", "huangtupo", 0, opJSON(t, op)), http.StatusConflict, "")
	if p.Base != 0 || p.Current != current || len(p.Committed) != current || p.Committed[0].Version != 1 || p.Committed[0].Author != "huangtupo" {
		t.Errorf("stale commit = base %d current %d committed %+v; want the changeset of version 1 by huangtupo", p.Base, p.Current, p.Committed)
	}
	pv := e.request(http.MethodPost, "/v1/edits/preview", "huangtupo", 0, opJSON(t, op))
	wantEditProblem(t, pv, http.StatusConflict, "")
}

// checkHistoryAfterSplit checks the change list, one changeset and the new
// grid's history.
func checkHistoryAfterSplit(t *testing.T, e *editEnv, old geo.GridCode, newCode string) {
	t.Helper()
	var list struct {
		Changes []changeSummary `json:"changes"`
		Next    string          `json:"next"`
	}
	decode(t, e.request(http.MethodGet, "/v1/changes?unit=520201011", "", -1, "").body, &list)
	if len(list.Changes) != 1 || list.Changes[0].Author != "huangtupo" || list.Changes[0].Kind != "split" ||
		!strings.Contains(list.Changes[0].Reason, "500") || list.Next != "" {
		t.Errorf("GET /v1/changes = %+v, want the split by huangtupo and no next page", list)
	}
	decode(t, e.request(http.MethodGet, "/v1/changes?author=nobody", "", -1, "").body, &list)
	if len(list.Changes) != 0 {
		t.Errorf("changes by nobody = %+v, want none", list.Changes)
	}
	r := e.request(http.MethodGet, "/v1/changes/1", "", -1, "")
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"before":{"type":"Feature"`) ||
		!strings.Contains(string(r.body), `"after":{"type":"Feature"`) || !strings.Contains(string(r.body), newCode) {
		t.Errorf("GET /v1/changes/1 = %d %.300s, want features before and after", r.status, r.body)
	}
	wantProblem(t, e.request(http.MethodGet, "/v1/changes/9", "", -1, ""), http.StatusNotFound, "")
	var hist struct {
		Grid struct {
			Code    string `json:"code"`
			Current bool   `json:"current"`
		} `json:"grid"`
		Codes   []edit.CodeSpan `json:"codes"`
		Changes []changeSummary `json:"changes"`
	}
	decode(t, e.request(http.MethodGet, "/v1/grids/"+newCode+"/history", "", -1, "").body, &hist)
	if hist.Grid.Code != newCode || !hist.Grid.Current || len(hist.Codes) != 1 || len(hist.Changes) != 1 || hist.Changes[0].Version != 1 {
		t.Errorf("history of %s = %+v, want one code span and the split", newCode, hist)
	}
	decode(t, e.request(http.MethodGet, "/v1/grids/"+old.String()+"/history", "", -1, "").body, &hist)
	if len(hist.Changes) != 1 || hist.Codes[0].Code.String() != old.String() {
		t.Errorf("history of %s = %+v, want the split", old, hist)
	}
}

// checkAsOf looks the split grid's buildings up as of version 0 and of a
// time before the edit: every one answers the old grid.
func checkAsOf(t *testing.T, e *editEnv, bs []*geo.Building, old geo.GridCode, newCode string, before time.Time) {
	t.Helper()
	for _, q := range []string{"&asof=0", "&asof=" + before.Format(time.RFC3339), "&asof=" + before.Format(time.DateOnly)} {
		for _, b := range bs {
			if code, st := e.lookupCode(b.Point, q); code != old.String() {
				t.Errorf("lookup%s of building %d = %q %d, want the old grid %s", q, b.ID, code, st, old)
				break
			}
		}
	}
	newSide := 0
	for _, b := range bs {
		if code, _ := e.lookupCode(b.Point, "&asof=1"); code == newCode {
			newSide++
		}
	}
	if newSide == 0 {
		t.Errorf("lookups as of version 1 never answer %s", newCode)
	}
	cases := []struct {
		name, asof string
		status     int
	}{
		{"future version", "99", http.StatusNotFound},
		{"not a time", "yesterday", http.StatusBadRequest},
		{"bad date", "2024-13-01", http.StatusBadRequest},
	}
	for _, tc := range cases {
		r := e.request(http.MethodGet, lookupURL(bs[0].Point, "")+"&asof="+tc.asof, "", -1, "")
		wantProblem(t, r, tc.status, "asof")
	}
}

// checkRevert reverts the split: lookups answer the old grid again, as a
// new version.
func checkRevert(t *testing.T, e *editEnv, bs []*geo.Building, old geo.GridCode, newCode string) {
	t.Helper()
	wantProblem(t, e.request(http.MethodPost, "/v1/changes/1/revert", "huangtupo", -1, ""), http.StatusPreconditionRequired, "If-Match")
	wantProblem(t, e.request(http.MethodPost, "/v1/changes/1/revert", "other", 1, ""), http.StatusUnauthorized, "")
	r := e.request(http.MethodPost, "/v1/changes/1/revert", "huangtupo", 1, `{"reason":"drawn on the wrong road"}`)
	if r.status != http.StatusCreated {
		t.Fatalf("revert = %d %.500s", r.status, r.body)
	}
	for _, b := range bs {
		if code, _ := e.lookupCode(b.Point, ""); code != old.String() {
			t.Errorf("lookup of building %d after the revert = %q, want %s", b.ID, code, old)
		}
	}
	checkVersion(t, e, 2)
	var hist struct {
		Grid struct {
			Current bool `json:"current"`
		} `json:"grid"`
		Codes []edit.CodeSpan `json:"codes"`
	}
	decode(t, e.request(http.MethodGet, "/v1/grids/"+newCode+"/history", "", -1, "").body, &hist)
	if hist.Grid.Current || len(hist.Codes) != 1 || hist.Codes[0].Current() {
		t.Errorf("history of the reverted grid %s = %+v, want a retired grid with a closed span", newCode, hist)
	}
}
