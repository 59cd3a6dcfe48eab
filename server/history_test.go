package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// TestChangesPaging commits four edits on the test city and pages
// through them both ways, following the next links.
func TestChangesPaging(t *testing.T) {
	e := newEditEnv(t, testCity(t))
	g1 := mustCode(t, tCommunity1, 1)
	for i := range 2 {
		e.commit("admin", 2*i, edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "split"})
		e.commit("admin", 2*i+1, edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, addedGrid(t, e.s.Snapshot(), g1)}, Reason: "merge"})
	}
	cases := []struct {
		name, first string
		want        []int
	}{
		{"oldest first", "/v1/changes?limit=3", []int{1, 2, 3, 4}},
		{"newest first", "/v1/changes?limit=3&desc=true", []int{4, 3, 2, 1}},
		{"after a version", "/v1/changes?after=2&limit=1", []int{3, 4}},
		{"one unit", "/v1/changes?unit=520201001001&limit=2", []int{1, 2, 3, 4}},
		{"another unit", "/v1/changes?unit=520201001002", nil},
		{"by grid", "/v1/changes?grid=520201001001003", []int{1, 2}},
		{"since a date", "/v1/changes?since=2000-01-01&until=2999-01-01", []int{1, 2, 3, 4}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			for url, pages := tc.first, 0; url != "" && pages < 10; pages++ {
				var page struct {
					Changes []changeSummary `json:"changes"`
					Next    string          `json:"next"`
				}
				r := e.request(http.MethodGet, url, "", -1, "")
				if r.status != http.StatusOK {
					t.Fatalf("GET %s = %d %s", url, r.status, r.body)
				}
				decode(t, r.body, &page)
				for _, c := range page.Changes {
					got = append(got, int(c.Version))
				}
				url = page.Next
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Errorf("pages from %s = %v, want %v", tc.first, got, tc.want)
			}
		})
	}
	faults := []struct{ query, field string }{
		{"unit=52", "unit"}, {"grid=1", "grid"}, {"since=yesterday", "since"}, {"until=2024-02-30", "until"},
		{"after=-1", "after"}, {"limit=0", "limit"}, {"limit=1001", "limit"}, {"desc=maybe", "desc"},
	}
	for _, f := range faults {
		wantProblem(t, e.request(http.MethodGet, "/v1/changes?"+f.query, "", -1, ""), http.StatusBadRequest, f.field)
	}
	wantProblem(t, e.request(http.MethodGet, "/v1/changes/0", "", -1, ""), http.StatusBadRequest, "version")
	wantProblem(t, e.request(http.MethodGet, "/v1/grids/520201001001099/history", "", -1, ""), http.StatusNotFound, "code")
}

// TestAsOfCache checks the least-recently-used order, the shared build
// and that a failed build is not kept.
func TestAsOfCache(t *testing.T) {
	c := asOfCache{size: 2}
	builds := 0
	build := func(v uint64) func() (*view, error) {
		return func() (*view, error) {
			builds++
			if v == 9 {
				return nil, errors.New("boom")
			}
			return &view{}, nil
		}
	}
	a, _ := c.get(1, build(1))
	c.get(2, build(2))
	if again, _ := c.get(1, build(1)); again != a || builds != 2 {
		t.Errorf("second get of version 1: same view %v, %d builds; want the cached view and 2 builds", again == a, builds)
	}
	c.get(3, build(3)) // evicts 2, the least recently used
	c.get(1, build(1))
	if builds != 3 {
		t.Errorf("version 1 rebuilt after version 3 came in: %d builds, want 3", builds)
	}
	c.get(2, build(2))
	if builds != 4 {
		t.Errorf("version 2 not rebuilt after eviction: %d builds, want 4", builds)
	}
	for range 2 {
		if _, err := c.get(9, build(9)); err == nil || !strings.Contains(err.Error(), "boom") {
			t.Errorf("get(9) = %v, want the build error", err)
		}
	}
	if builds != 6 {
		t.Errorf("a failed build was cached: %d builds, want 6", builds)
	}
}
