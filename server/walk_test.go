package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/walk"
)

var (
	walkOnce sync.Once
	walkSrv  *Server
	walkErr  error
)

// walkServer returns one server over the fixture city (seed 1, scale 1)
// shared by the service-circle tests, so that its walking network and
// coverage are built once per test binary.
func walkServer(tb testing.TB) *Server {
	tb.Helper()
	snap := fixtureSnapshot(tb)
	walkOnce.Do(func() { walkSrv, walkErr = New(Config{}, snap, nil) })
	if walkErr != nil {
		tb.Fatalf("New: %v", walkErr)
	}
	return walkSrv
}

var (
	quietOnce sync.Once
	quietSrv  *Server
	quietErr  error
)

// quietServer returns a server over the fixture city whose view was
// stored without running the warmers, so that benchmarks measure their
// route alone rather than tile and index builds running beside them. The
// walking network and coverage are built by the first request.
func quietServer(tb testing.TB) *Server {
	tb.Helper()
	snap := fixtureSnapshot(tb)
	quietOnce.Do(func() {
		quietSrv, quietErr = New(Config{}, nil, nil)
		if quietErr == nil {
			quietSrv.view.Store(newView(snap))
		}
	})
	if quietErr != nil {
		tb.Fatalf("New: %v", quietErr)
	}
	return quietSrv
}

// getJSON GETs target, checks the status and decodes the body into v.
func getJSON(tb testing.TB, s *Server, target string, v any) response {
	tb.Helper()
	r := do(tb, s, http.MethodGet, target, "", "")
	if r.status != http.StatusOK {
		tb.Fatalf("GET %s = %d, want 200 (%.300s)", target, r.status, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("GET %s: decoding %.200s: %v", target, r.body, err)
	}
	return r
}

// postJSON POSTs a JSON body, checks the status and decodes the answer.
func postJSON(tb testing.TB, s *Server, target, body string, v any) {
	tb.Helper()
	r := do(tb, s, http.MethodPost, target, "application/json", body)
	if r.status != http.StatusOK {
		tb.Fatalf("POST %s %s = %d, want 200 (%.300s)", target, body, r.status, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("POST %s: decoding %.200s: %v", target, r.body, err)
	}
}

// tallyJSON is a decoded coverage tally.
type tallyJSON struct {
	Households          int     `json:"households"`
	HouseholdsCovered   int     `json:"households_covered"`
	HouseholdsUncovered int     `json:"households_uncovered"`
	Buildings           int     `json:"buildings"`
	BuildingsCovered    int     `json:"buildings_covered"`
	BuildingsUncovered  int     `json:"buildings_uncovered"`
	Share               float64 `json:"share"`
}

// check reports a tally whose parts do not add up.
func (tl tallyJSON) check(tb testing.TB, where string) {
	tb.Helper()
	if tl.HouseholdsCovered+tl.HouseholdsUncovered != tl.Households || tl.BuildingsCovered+tl.BuildingsUncovered != tl.Buildings {
		tb.Errorf("%s: tally %+v does not add up", where, tl)
	}
	if tl.Households > 0 {
		if want := float64(tl.HouseholdsCovered) / float64(tl.Households); tl.Share < want-5e-5 || tl.Share > want+5e-5 {
			tb.Errorf("%s: share %v, want %.4f", where, tl.Share, want)
		}
	}
}

// cityHouseholds sums the households of every building of the snapshot.
func cityHouseholds(s *geo.Snapshot) int {
	n := 0
	for _, b := range s.City.Buildings {
		n += b.Households
	}
	return n
}

// TestWalkRoutesNotReady checks the service-circle routes answer 503
// before the first snapshot.
func TestWalkRoutesNotReady(t *testing.T) {
	s, err := New(Config{}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/v1/stations", "/v1/stations/1/circle", "/v1/coverage", "/v1/coverage/gaps",
		"/v1/nearest-station?lon=104.8&lat=26.6", "/v1/buildings/1/station"} {
		wantProblem(t, do(t, s, http.MethodGet, target, "", ""), http.StatusServiceUnavailable, "")
	}
	wantProblem(t, do(t, s, http.MethodPost, "/v1/circles", "application/json", `{"point":[104.8,26.6]}`), http.StatusServiceUnavailable, "")
}

// TestWalkRoutesWithoutStreets checks that a city without walkable streets
// answers 503 with the no-walking-network problem, never 500.
func TestWalkRoutesWithoutStreets(t *testing.T) {
	c := testCity(t)
	c.Streets = nil
	snap, err := geo.NewSnapshot(c, 1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{}, snap, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/v1/stations", "/v1/coverage", "/v1/stations/1/circle"} {
		p := wantProblem(t, do(t, s, http.MethodGet, target, "", ""), http.StatusServiceUnavailable, "")
		if p.Type != problemNoNetwork {
			t.Errorf("GET %s: problem type %q, want %q", target, p.Type, problemNoNetwork)
		}
	}
	// The tiles still render, without the coverage properties.
	if r := do(t, s, http.MethodGet, "/tiles.json", "", ""); r.status != http.StatusOK {
		t.Errorf("GET /tiles.json = %d, want 200 (%.200s)", r.status, r.body)
	}
}

// TestWalkStatusMapping checks each sentinel of the walking engine maps to
// its documented status.
func TestWalkStatusMapping(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"unknown station", fmt.Errorf("doing x: %w", walk.ErrUnknownStation), http.StatusNotFound},
		{"unknown building", fmt.Errorf("doing x: %w", walk.ErrUnknownBuilding), http.StatusNotFound},
		{"limit", fmt.Errorf("doing x: %w", walk.ErrLimitRange), http.StatusBadRequest},
		{"k", fmt.Errorf("doing x: %w", walk.ErrBadK), http.StatusBadRequest},
		{"geometry", fmt.Errorf("doing x: %w", walk.ErrBadGeometry), http.StatusBadRequest},
		{"off network", fmt.Errorf("doing x: %w", walk.ErrOffNetwork), http.StatusUnprocessableEntity},
		{"no station", fmt.Errorf("doing x: %w", walk.ErrNoStation), http.StatusUnprocessableEntity},
		{"no candidates", fmt.Errorf("doing x: %w", walk.ErrNoCandidates), http.StatusUnprocessableEntity},
		{"empty network", fmt.Errorf("doing x: %w", walk.ErrEmptyNetwork), http.StatusServiceUnavailable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := problemOf(c.err).status; got != c.want {
				t.Errorf("problemOf(%v).status = %d, want %d", c.err, got, c.want)
			}
			fe, ok := walkFieldErr("x", c.err).(*FieldError)
			if c.want < 500 && (!ok || fe.status() != c.want || fe.Field != "x") {
				t.Errorf("walkFieldErr(x, %v) = %v, want a FieldError for x with %d", c.err, fe, c.want)
			}
			if c.want >= 500 && ok {
				t.Errorf("walkFieldErr(x, %v) blames the field; want the error unchanged", c.err)
			}
		})
	}
}

// TestWalkFollowsSwap checks that coverage is computed per snapshot: after
// a Swap to a city with one more household the totals follow.
func TestWalkFollowsSwap(t *testing.T) {
	s := newTestServer(t)
	var before coverageJSON
	getJSON(t, s, "/v1/coverage?level=city", &before)
	c := testCity(t)
	c.Buildings[0].Households++
	snap, err := geo.NewSnapshot(c, 2)
	if err != nil {
		t.Fatal(err)
	}
	s.Swap(snap)
	var after coverageJSON
	getJSON(t, s, "/v1/coverage?level=city", &after)
	if after.Version != 2 || after.Total.Households != before.Total.Households+1 {
		t.Errorf("after Swap: version %d with %d households, want version 2 with %d", after.Version, after.Total.Households, before.Total.Households+1)
	}
}

// TestCoverageCacheBounded asks for more distinct limits than the cache
// keeps and checks it stays bounded while every answer stays right.
func TestCoverageCacheBounded(t *testing.T) {
	s := newTestServer(t)
	var prev coverageJSON
	for m := 1; m <= maxCachedCoverages+5; m++ {
		var c coverageJSON
		getJSON(t, s, "/v1/coverage?level=city&minutes="+strconv.Itoa(m*4), &c)
		if c.Minutes != float64(m*4) || c.Total.HouseholdsCovered < prev.Total.HouseholdsCovered {
			t.Errorf("%d minutes: %v minutes, %d covered after %d at a shorter walk", m*4, c.Minutes, c.Total.HouseholdsCovered, prev.Total.HouseholdsCovered)
		}
		prev = c
	}
	w := &s.view.Load().walk
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.covs) > maxCachedCoverages || len(w.order) != len(w.covs) {
		t.Errorf("cache holds %d coverages (%d in order), want at most %d", len(w.covs), len(w.order), maxCachedCoverages)
	}
}
