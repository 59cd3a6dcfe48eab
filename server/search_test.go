package server

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/search"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// searchBody is the decoded answer of GET /v1/search.
type searchBody struct {
	Results []struct {
		Kind     string    `json:"kind"`
		Code     string    `json:"code"`
		Name     string    `json:"name"`
		FullName string    `json:"full_name"`
		Match    string    `json:"match"`
		BBox     []float64 `json:"bbox"`
		Point    []float64 `json:"point"`
	} `json:"results"`
}

func searchFor(t *testing.T, s *Server, query string) searchBody {
	t.Helper()
	r := do(t, s, http.MethodGet, "/v1/search?"+query, "", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /v1/search?%s = %d %s", query, r.status, r.body)
	}
	var got searchBody
	decode(t, r.body, &got)
	return got
}

func TestSearch(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, q string
		// want is "kind code match" of the first results, in order.
		want []string
		n    int // the number of results, when not len(want)
	}{
		{"grid code", "520201001001002", []string{"grid 520201001001002 exact"}, 0},
		{"district code", "520201", []string{"district 520201000000 exact", "subdistrict 520201001000 prefix",
			"community 520201001001 prefix", "community 520201001002 prefix", "grid 520201001001001 prefix"}, 9},
		{"full subdistrict code", "520201001000", []string{"subdistrict 520201001000 exact"}, 0},
		{"community code prefix of its grids", "520201001002", []string{"community 520201001002 exact",
			"grid 520201001002001 prefix", "grid 520201001002002 prefix", "grid 520201001002003 prefix"}, 0},
		{"full-width digits", "５２０２０１００１", []string{"subdistrict 520201001000 exact", "community 520201001001 prefix"}, 8},
		{"short community name", "钟环社区", []string{"community 520201001001 exact", "grid 520201001001001 prefix",
			"grid 520201001001002 prefix"}, 0},
		{"official community name", "凉都社区居民委员会", []string{"community 520201001002 exact"}, 0},
		{"grid name", "钟环社区第2网格", []string{"grid 520201001001002 exact"}, 0},
		{"grid name part", "第3网格", []string{"grid 520201001002003 substring"}, 0},
		{"substrings by level", "社区", []string{"community 520201001001 substring",
			"community 520201001002 substring", "grid 520201001001001 substring"}, 7},
		{"subdistrict prefix", "荷城", []string{"subdistrict 520201001000 prefix"}, 0},
		{"limit", "社区&limit=2", []string{"community 520201001001 substring", "community 520201001002 substring"}, 0},
		{"no match", "不存在的地方", nil, 0},
		{"city itself is not a result", "六盘水市", nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q, limit, _ := strings.Cut(tc.q, "&")
			query := "q=" + url.QueryEscape(q)
			if limit != "" {
				query += "&" + limit
			}
			got := searchFor(t, s, query)
			want := tc.n
			if want == 0 {
				want = len(tc.want)
			}
			if len(got.Results) != want {
				t.Errorf("%d results %+v, want %d", len(got.Results), got.Results, want)
			}
			for i, w := range tc.want {
				if i >= len(got.Results) {
					break
				}
				r := got.Results[i]
				if g := r.Kind + " " + r.Code + " " + r.Match; g != w {
					t.Errorf("result %d = %q, want %q", i, g, w)
				}
			}
		})
	}
}

// TestSearchRanksMatchBeforeLevel renames a grid so that its name starts
// with the query that the communities only contain: the grid comes first.
func TestSearchRanksMatchBeforeLevel(t *testing.T) {
	city := testCity(t)
	city.Grids[4].Name = "社区服务网格"
	snap, err := geo.NewSnapshot(city, 1)
	if err != nil {
		t.Fatal(err)
	}
	hits := search.New(snap).Search("社区", 3)
	var got []string
	for _, h := range hits {
		got = append(got, h.Entry.Code+" "+h.Class.String())
	}
	want := []string{"520201001002003 prefix", "520201001001 substring", "520201001002 substring"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("search(社区) = %q, want %q", got, want)
	}
}

// TestSearchResultShape checks names, boxes and interior points.
func TestSearchResultShape(t *testing.T) {
	s := newTestServer(t)
	got := searchFor(t, s, "q=520201001002")
	comm := got.Results[0]
	if comm.Name != "凉都社区" || comm.FullName != "凉都社区居民委员会" {
		t.Errorf("community names = %q, %q; want 凉都社区, 凉都社区居民委员会", comm.Name, comm.FullName)
	}
	if want := []float64{104.80, 26.58, 104.83, 26.59}; !nearly(comm.BBox, want, 1e-9) {
		t.Errorf("community bbox = %v, want %v", comm.BBox, want)
	}
	for _, r := range got.Results {
		if r.Kind != "grid" {
			continue
		}
		code, err := geo.ParseGridCode(r.Code)
		if err != nil {
			t.Fatalf("result code %q: %v", r.Code, err)
		}
		g, _ := s.Snapshot().Grid(code)
		if len(r.Point) != 2 || !planar.MultiPolygonContains(g.Geometry, orb.Point{r.Point[0], r.Point[1]}) {
			t.Errorf("grid %s point %v is not inside it", r.Code, r.Point)
		}
		if r.FullName != "" {
			t.Errorf("grid %s full_name = %q, want none", r.Code, r.FullName)
		}
	}
}

func TestSearchBadInput(t *testing.T) {
	s := newTestServer(t)
	cases := []struct{ name, query, field string }{
		{"missing q", "limit=3", "q"},
		{"blank q", "q=%20%20", "q"},
		{"q too long", "q=" + strings.Repeat("a", maxSearchQueryBytes+1), "q"},
		{"q not UTF-8", "q=%ff%fe", "q"},
		{"limit zero", "q=a&limit=0", "limit"},
		{"limit too big", "q=a&limit=101", "limit"},
		{"limit not a number", "q=a&limit=ten", "limit"},
		{"limit empty", "q=a&limit=", "limit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodGet, "/v1/search?"+tc.query, "", ""), http.StatusBadRequest, tc.field)
		})
	}
	if got := searchFor(t, s, "q="+strings.Repeat("网", maxSearchQueryBytes/3)); len(got.Results) != 0 {
		t.Errorf("a 198-byte query found %d results, want 0", len(got.Results))
	}
}

// TestSearchFixtureCity searches every 50th grid of the generated city by
// code and by name, and checks every grid's point lies inside it.
func TestSearchFixtureCity(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	s := benchServer(t)
	grids := s.Snapshot().City.Grids
	for i := 0; i < len(grids); i += 50 {
		g := grids[i]
		for _, q := range []string{g.Code.String(), g.Name} {
			got := searchFor(t, s, "limit=3&q="+url.QueryEscape(q))
			if len(got.Results) == 0 || got.Results[0].Code != g.Code.String() || got.Results[0].Match != "exact" {
				t.Errorf("search %q = %+v, want grid %s first, exact", q, got.Results, g.Code)
			}
		}
	}
	outside := 0
	ix := search.New(s.Snapshot())
	for _, g := range grids {
		if hits := ix.Search(g.Code.String(), 1); len(hits) != 1 || !planar.MultiPolygonContains(g.Geometry, hits[0].Entry.Point()) {
			outside++
		}
	}
	if outside > 0 {
		t.Errorf("%d of %d grids have their interior point outside", outside, len(grids))
	}
}
