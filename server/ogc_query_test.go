package server

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// coords decodes a feature's coordinates as nested float slices.
func coords(tb testing.TB, f ogcFeatDoc) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(f.Geometry.Coordinates, &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

// swapped returns nested coordinates with every position's axes swapped.
func swapped(v any) any {
	xs, ok := v.([]any)
	if !ok {
		return v
	}
	if len(xs) == 2 {
		if a, ok := xs[0].(float64); ok {
			return []any{xs[1], a}
		}
	}
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = swapped(x)
	}
	return out
}

// TestOGCCRS checks that EPSG:4326 and EPSG:4490 answer the CRS84
// coordinates latitude first, with Content-Crs, and that bbox-crs reads
// boxes in each system's axis order.
func TestOGCCRS(t *testing.T) {
	s := newTestServer(t)
	base := getPage(t, s, "/ogc/collections/grids/items?limit=100")
	for _, c := range []string{"EPSG:4326", epsgPrefix + "4490", "[EPSG:4490]"} {
		target := "/ogc/collections/grids/items?limit=100&crs=" + url.QueryEscape(c)
		r := do(t, s, http.MethodGet, target, "", "")
		if h := r.header.Get("Content-Crs"); !strings.HasPrefix(h, "<"+epsgPrefix) {
			t.Errorf("crs=%s: Content-Crs = %q", c, h)
		}
		var p ogcPage
		decode(t, r.body, &p)
		for i, f := range p.Features {
			if got, want := coords(t, f), swapped(coords(t, base.Features[i])); !jsonEqual(got, want) {
				t.Errorf("crs=%s feature %v: coordinates are not the CRS84 ones swapped", c, f.ID)
			}
		}
	}
	if h := do(t, s, http.MethodGet, "/ogc/collections/grids/items", "", "").header.Get("Content-Crs"); h != "<"+crs84URI+">" {
		t.Errorf("default Content-Crs = %q", h)
	}
	lonLat := getPage(t, s, "/ogc/collections/grids/items?bbox=104.805,26.585,104.815,26.595")
	latLon := getPage(t, s, "/ogc/collections/grids/items?bbox=26.585,104.805,26.595,104.815&bbox-crs="+url.QueryEscape(epsgPrefix+"4490"))
	if lonLat.NumberMatched != 4 || latLon.NumberMatched != 4 {
		t.Errorf("bbox over g1-g4: CRS84 matched %d, EPSG:4490 %d, want 4 and 4", lonLat.NumberMatched, latLon.NumberMatched)
	}
	item := do(t, s, http.MethodGet, "/ogc/collections/buildings/items/3?crs=EPSG:4490", "", "")
	var f ogcFeatDoc
	decode(t, item.body, &f)
	if got := string(f.Geometry.Coordinates); got != "[26.595,104.815]" {
		t.Errorf("building 3 in EPSG:4490 = %s, want [26.595,104.815]", got)
	}
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// TestOGCFilters checks the simple property filters, bbox and CQL2
// filters against counts known from the test city.
func TestOGCFilters(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		target string
		want   int
	}{
		{"/ogc/collections/grids/items?community=520201001002", 3},
		{"/ogc/collections/grids/items?code=520201001001002", 1},
		{"/ogc/collections/grids/items?households=320", 1},
		{"/ogc/collections/buildings/items?community=" + url.QueryEscape("钟环社区"), 3},
		{"/ogc/collections/grids/items?filter=" + url.QueryEscape("households > 300"), 4},
		{"/ogc/collections/grids/items?filter-lang=cql2-text&filter=" + url.QueryEscape("households BETWEEN 300 AND 350 OR name LIKE '%第3网格'"), 4},
		{"/ogc/collections/grids/items?filter=" + url.QueryEscape("S_INTERSECTS(geometry, POINT(104.825 26.585))"), 0}, // in g5's hole
		{"/ogc/collections/grids/items?filter=" + url.QueryEscape("S_INTERSECTS(geometry, POINT(104.822 26.582))"), 1},
		{"/ogc/collections/grids/items?filter=" + url.QueryEscape("S_WITHIN(geometry, BBOX(104.799, 26.579, 104.821, 26.591))"), 2},
		{"/ogc/collections/buildings/items?filter=" + url.QueryEscape("S_WITHIN(geometry, POLYGON((104.80 26.58, 104.81 26.58, 104.81 26.60, 104.80 26.60, 104.80 26.58)))"), 3},
		{"/ogc/collections/buildings/items?filter-crs=" + url.QueryEscape(epsgPrefix+"4326") + "&filter=" + url.QueryEscape("S_INTERSECTS(geometry, BBOX(26.58, 104.80, 26.60, 104.81))"), 3},
		{"/ogc/collections/streets/items?filter=" + url.QueryEscape("S_CONTAINS(geometry, POINT(104.81 26.585)) AND class = 'secondary'"), 1},
		{"/ogc/collections/stations/items?filter=" + url.QueryEscape("community IS NULL"), 1},
		{"/ogc/collections/communities/items?filter=" + url.QueryEscape("parent = '520201001' AND NOT code IN ('520201001001')"), 1},
		{"/ogc/collections/grids/items?community=520201001002&filter=" + url.QueryEscape("households >= 400") + "&bbox=104.81,26.58,104.83,26.59", 1},
	}
	for _, c := range cases {
		if p := getPage(t, s, c.target); p.NumberMatched != c.want || p.NumberReturned != min(c.want, 10) {
			t.Errorf("%s: numberMatched %d returned %d, want %d", c.target, p.NumberMatched, p.NumberReturned, c.want)
		}
	}
}

// TestOGCBadParameters checks that every bad parameter is a 400 (or 404)
// problem naming it.
func TestOGCBadParameters(t *testing.T) {
	s := newTestServer(t)
	items := "/ogc/collections/grids/items?"
	cases := []struct {
		target, field string
		status        int
	}{
		{items + "bbox=1,2,3", "bbox", 400},
		{items + "bbox=a,2,3,4", "bbox", 400},
		{items + "bbox=3,2,1,4", "bbox", 400},
		{items + "bbox=1,2,3,95", "bbox", 400},
		{items + "bbox=", "bbox", 400},
		{items + "bbox=1,2,3,4&bbox-crs=EPSG:3857", "bbox-crs", 400},
		{items + "limit=0", "limit", 400},
		{items + "limit=ten", "limit", 400},
		{items + "offset=-1", "offset", 400},
		{items + "crs=EPSG:9999", "crs", 400},
		{items + "crs=" + url.QueryEscape("http://www.opengis.net/def/crs/EPSG/0/"), "crs", 400},
		{items + "datetime=yesterday", "datetime", 400},
		{items + "datetime=2024-01-01/2024-02-01", "datetime", 400},
		{items + "version=x", "version", 400},
		{items + "version=99", "version", 404},
		{items + "filter=" + url.QueryEscape("households >"), "filter", 400},
		{items + "filter=" + url.QueryEscape("colour = 'red'"), "filter", 400},
		{items + "filter=" + url.QueryEscape("S_INTERSECTS(geometry, POLYGON((0 0, 1 1, 1 0, 0 1, 0 0)))"), "filter", 400},
		{items + "filter=", "filter", 400},
		{items + "filter=a&filter-lang=cql2-json", "filter-lang", 400},
		{items + "filter-crs=EPSG:1", "filter-crs", 400},
		{items + "households=many", "households", 400},
		{items + "colour=red", "colour", 400},
		{items + "f=html", "f", 400},
		{"/ogc/collections/roads/items", "collectionId", 404},
		{"/ogc/collections/grids/items/999", "featureId", 404},
		{"/ogc/collections/grids/items/1?crs=EPSG:1", "crs", 400},
		{"/ogc/collections/nope", "collectionId", 404},
		{"/ogc/collections/nope/queryables", "collectionId", 404},
		{"/ogc?bogus=1", "bogus", 400},
	}
	for _, c := range cases {
		r := do(t, s, http.MethodGet, c.target, "", "")
		t.Run(c.target, func(t *testing.T) { wantProblem(t, r, c.status, c.field) })
	}
	r := do(t, s, http.MethodGet, items+"filter="+url.QueryEscape("households > 450 AND"), "", "")
	if p := wantProblem(t, r, 400, "filter"); !strings.Contains(p.Detail, "at character 21") {
		t.Errorf("filter problem %q does not name the position", p.Detail)
	}
}

// TestOGCPagingLimits checks the default and largest page sizes.
func TestOGCPagingLimits(t *testing.T) {
	s := benchServer(t)
	n := len(s.Snapshot().City.Buildings)
	if p := getPage(t, s, "/ogc/collections/buildings/items"); p.NumberReturned != ogcDefaultLimit || p.NumberMatched != n {
		t.Errorf("default page: %d of %d, want %d of %d", p.NumberReturned, p.NumberMatched, ogcDefaultLimit, n)
	}
	p := getPage(t, s, "/ogc/collections/buildings/items?limit=1000000")
	if p.NumberReturned != ogcMaxLimit || p.next() == "" {
		t.Errorf("limit above the maximum: %d returned, next %q; want %d and a next link", p.NumberReturned, p.next(), ogcMaxLimit)
	}
	seen := map[string]bool{}
	for _, f := range allPages(t, s, "/ogc/collections/buildings/items?limit=7000&crs=EPSG:4490") {
		id := jsonText(f.ID)
		if seen[id] {
			t.Fatalf("building %s paged twice", id)
		}
		seen[id] = true
	}
	if len(seen) != n {
		t.Errorf("paged %d buildings, want %d", len(seen), n)
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestOGCGaussKruger checks the CGCS2000 Gauss-Krüger output (northing
// first, meters to the millimetre) and round trips of bbox-crs and
// filter-crs through it.
func TestOGCGaussKruger(t *testing.T) {
	s := newTestServer(t)
	gk := epsgPrefix + "4544" // 3-degree CM 105E, which holds the test city
	r := do(t, s, http.MethodGet, "/ogc/collections/buildings/items/3?crs="+url.QueryEscape(gk), "", "")
	if h := r.header.Get("Content-Crs"); h != "<"+gk+">" {
		t.Errorf("Content-Crs = %q", h)
	}
	var f ogcFeatDoc
	decode(t, r.body, &f)
	var pos [2]float64
	if err := json.Unmarshal(f.Geometry.Coordinates, &pos); err != nil {
		t.Fatal(err)
	}
	n, e := pos[0], pos[1]
	// 104.815E is 0.185 degrees west of the central meridian: about 18.4 km
	// west of the false easting; 26.595N is about 2,943 km north.
	if n < 2.94e6 || n > 2.95e6 || e < 481e3 || e > 482e3 {
		t.Fatalf("building 3 in EPSG:4544 = %v, want northing ~2943 km, easting ~481.5 km", pos)
	}
	if text := string(f.Geometry.Coordinates); len(text) > 30 {
		t.Errorf("coordinates %s are not rounded to the millimetre", text)
	}
	box := strings.Join([]string{ftoa(n - 5), ftoa(e - 5), ftoa(n + 5), ftoa(e + 5)}, ",")
	p := getPage(t, s, "/ogc/collections/buildings/items?bbox-crs="+url.QueryEscape(gk)+"&bbox="+box)
	if p.NumberMatched != 1 || jsonText(p.Features[0].ID) != "3" {
		t.Errorf("a 10 m box around building 3 in EPSG:4544 matched %d features", p.NumberMatched)
	}
	filter := "S_INTERSECTS(geometry, POINT(" + ftoa(n) + " " + ftoa(e) + "))"
	p = getPage(t, s, "/ogc/collections/grids/items?filter-crs="+url.QueryEscape(gk)+"&filter="+url.QueryEscape(filter))
	if p.NumberMatched != 1 || jsonText(p.Features[0].ID) != "2" {
		t.Errorf("building 3's position in EPSG:4544 intersects %d grids, want grid 2", p.NumberMatched)
	}
	lists := do(t, s, http.MethodGet, "/ogc/collections/grids", "", "")
	for _, want := range []string{gk, epsgPrefix + "4496", epsgPrefix + "4523", crs84URI} {
		if !strings.Contains(string(lists.body), `"`+want+`"`) {
			t.Errorf("the crs list lacks %s", want)
		}
	}
}
