package server

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/fixtures/messy"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/valyala/fasthttp"
)

// geocodeBody is a decoded GET /v1/geocode answer.
type geocodeBody struct {
	Address      string         `json:"address"`
	Normalized   string         `json:"normalized"`
	Parts        map[string]any `json:"parts"`
	Best         matchBody      `json:"best"`
	Alternatives []matchBody    `json:"alternatives"`
	CRS          string         `json:"crs"`
	Version      json.Number    `json:"version"`
	Error        *itemErrorBody `json:"error"`
}

// matchBody is one decoded match.
type matchBody struct {
	Building        *json.Number    `json:"building"`
	StandardAddress *string         `json:"standard_address"`
	Point           []float64       `json:"point"`
	Confidence      float64         `json:"confidence"`
	Matched         []string        `json:"matched"`
	Reason          string          `json:"reason"`
	Grid            json.RawMessage `json:"grid"`
	Community       json.RawMessage `json:"community"`
	Subdistrict     json.RawMessage `json:"subdistrict"`
	District        json.RawMessage `json:"district"`
	Grids           []string        `json:"grids"`
}

// itemErrorBody is a batch element's error.
type itemErrorBody struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// buildingID returns the match's building id, 0 for none.
func (m matchBody) buildingID() geo.BuildingID {
	if m.Building == nil {
		return 0
	}
	n, _ := strconv.ParseUint(m.Building.String(), 10, 64)
	return geo.BuildingID(n)
}

// gridCode returns the code of the match's grid, "" for none.
func (m matchBody) gridCode() string {
	var g struct{ Code string }
	_ = json.Unmarshal(m.Grid, &g)
	return g.Code
}

// geocodeURL builds a GET /v1/geocode target.
func geocodeURL(addr, c string) string {
	q := url.Values{"address": {addr}}
	if c != "" {
		q.Set("crs", c)
	}
	return "/v1/geocode?" + q.Encode()
}

// getGeocode geocodes one address and decodes the 200 answer.
func getGeocode(t *testing.T, s *Server, addr, c string) geocodeBody {
	t.Helper()
	r := do(t, s, http.MethodGet, geocodeURL(addr, c), "", "")
	if r.status != http.StatusOK {
		t.Fatalf("GET /v1/geocode %q = %d %s, want 200", addr, r.status, r.body)
	}
	var got geocodeBody
	decode(t, r.body, &got)
	return got
}

// hanDigits are the Chinese digits 0-9.
var hanDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// hanNumber writes 0 < n < 10000 in Chinese numerals: 12 -> 十二,
// 105 -> 一百零五. It is written here, apart from the normaliser it tests.
func hanNumber(n int) string {
	if n < 10 {
		return hanDigits[n]
	}
	var b strings.Builder
	zero := false
	for i, p := 3, 1000; i >= 0; i, p = i-1, p/10 {
		d := n / p % 10
		if d == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		b.WriteString(hanDigits[d])
		b.WriteString([]string{"", "十", "百", "千"}[i])
	}
	if n < 20 {
		// 十二, not 一十二, as people write it.
		return strings.TrimPrefix(b.String(), "一")
	}
	return b.String()
}

func TestHanNumber(t *testing.T) {
	for n, want := range map[int]string{3: "三", 10: "十", 12: "十二", 20: "二十", 105: "一百零五", 110: "一百一十", 1001: "一千零一"} {
		if got := hanNumber(n); got != want {
			t.Errorf("hanNumber(%d) = %q, want %q", n, got, want)
		}
	}
}

// issueForms writes b's address in the three forms of the issue:
// 六盘水钟山区人民中路十二号凉都花园3栋二单元501, 钟山区 荷城街道 人民中路12号3-2-501 and
// 贵州省六盘水市人民中路12号附近.
func issueForms(b *geo.Building) [3]string {
	a := b.Address
	return [3]string{
		"六盘水" + a.District + a.Road + hanNumber(a.Number) + "号" + a.Estate + a.Building + "栋二单元501",
		a.District + " " + a.Subdistrict + " " + a.Road + strconv.Itoa(a.Number) + "号" + a.Building + "-2-501",
		"贵州省六盘水市" + a.Road + strconv.Itoa(a.Number) + "号附近",
	}
}

// issueBuildings picks n buildings of the city with a road, door number,
// estate and numbered building, whose door (road and number) lies in one
// grid in the whole city, so that the third form, which gives only the
// door, can still name the grid.
func issueBuildings(t *testing.T, city *geo.City, n int) []*geo.Building {
	t.Helper()
	doorGrids := map[string]map[geo.GridCode]bool{}
	for _, b := range city.Buildings {
		k := b.Address.Door()
		if doorGrids[k] == nil {
			doorGrids[k] = map[geo.GridCode]bool{}
		}
		doorGrids[k][b.Grid] = true
	}
	var pool []*geo.Building
	for _, b := range city.Buildings {
		a := b.Address
		if a.Number > 0 && a.Estate != "" && a.Building != "" && len(doorGrids[a.Door()]) == 1 {
			if _, err := strconv.Atoi(a.Building); err == nil {
				pool = append(pool, b)
			}
		}
	}
	if len(pool) < n {
		t.Fatalf("only %d buildings fit the issue's forms, want %d", len(pool), n)
	}
	rng := rand.New(rand.NewPCG(testSeed(t, 1), 5))
	rng.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	return pool[:n]
}

// TestGeocodeIssueForms geocodes real buildings of the fixture city written
// in the issue's three messy forms: each lands in the building's grid, the
// two that name the building find it, and the grid chain is the one
// /v1/lookup gives for the building's entrance.
func TestGeocodeIssueForms(t *testing.T) {
	s := benchServer(t)
	for _, b := range issueBuildings(t, s.Snapshot().City, 12) {
		lk := do(t, s, http.MethodGet, lookupURL(b.Point, ""), "", "")
		var chain map[string]json.RawMessage
		decode(t, lk.body, &chain)
		for i, addr := range issueForms(b) {
			got := getGeocode(t, s, addr, "")
			if g := got.Best.gridCode(); g != b.Grid.String() {
				t.Errorf("form %d %q: grid %s, want %s (%s)", i+1, addr, g, b.Grid, got.Best.Reason)
			}
			if i < 2 && got.Best.buildingID() != b.ID {
				t.Errorf("form %d %q: building %d, want %d (%s)", i+1, addr, got.Best.buildingID(), b.ID, got.Best.Reason)
			}
			if i < 2 && (got.Best.StandardAddress == nil || *got.Best.StandardAddress != b.Address.String()) {
				t.Errorf("form %d %q: standard address %v, want %s", i+1, addr, got.Best.StandardAddress, b.Address)
			}
			if got.Best.buildingID() != b.ID {
				continue
			}
			for _, k := range []struct {
				name string
				got  json.RawMessage
			}{{"grid", got.Best.Grid}, {"community", got.Best.Community}, {"subdistrict", got.Best.Subdistrict}, {"district", got.Best.District}} {
				if string(k.got) != string(chain[k.name]) {
					t.Errorf("form %d: %s = %s, want /v1/lookup's %s", i+1, k.name, k.got, chain[k.name])
				}
			}
		}
	}
}

// TestGeocodeAnswerShape checks the members of an answer: the point in the
// requested crs, the confidence, the matched parts, the parts and the
// version.
func TestGeocodeAnswerShape(t *testing.T) {
	s := benchServer(t)
	b := issueBuildings(t, s.Snapshot().City, 1)[0]
	addr := issueForms(b)[0]
	for _, c := range []crs.CRS{crs.WGS84, crs.GCJ02, crs.BD09} {
		got := getGeocode(t, s, addr, c.String())
		want := crs.FromWGS84(c, b.Point)
		if len(got.Best.Point) != 2 || abs(got.Best.Point[0]-want[0]) > 1e-6 || abs(got.Best.Point[1]-want[1]) > 1e-6 {
			t.Errorf("crs %s: point %v, want %v", c, got.Best.Point, want)
		}
		if got.CRS != c.String() || got.Version.String() != "1" || got.Address != addr {
			t.Errorf("crs %s: crs %q version %s address %q", c, got.CRS, got.Version, got.Address)
		}
		if got.Best.Confidence < 0.9 || !containsAll(got.Best.Matched, "road", "number", "estate", "building") {
			t.Errorf("crs %s: confidence %v matched %v, want >= 0.9 with road, number, estate, building", c, got.Best.Confidence, got.Best.Matched)
		}
		if got.Parts["road"] != b.Address.Road || got.Parts["unit"] != json.Number("2") {
			t.Errorf("crs %s: parts %v, want road %s unit 2", c, got.Parts, b.Address.Road)
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func containsAll(xs []string, want ...string) bool {
	for _, w := range want {
		if !contains(xs, w) {
			return false
		}
	}
	return true
}

// TestGeocodeRoadOnly geocodes a road without a number: no building, and a
// grid among the grids the road's buildings lie in, which the answer lists.
func TestGeocodeRoadOnly(t *testing.T) {
	s := benchServer(t)
	b := issueBuildings(t, s.Snapshot().City, 1)[0]
	roadGrids := map[string]bool{}
	for _, o := range s.Snapshot().City.Buildings {
		if o.Address.Road == b.Address.Road && o.Address.District == b.Address.District {
			roadGrids[o.Grid.String()] = true
		}
	}
	got := getGeocode(t, s, b.Address.District+b.Address.Road, "")
	if got.Best.Building != nil || got.Best.StandardAddress != nil {
		t.Errorf("road-only answer has building %v", got.Best.Building)
	}
	if !roadGrids[got.Best.gridCode()] || len(got.Best.Grids) == 0 {
		t.Errorf("road-only answer: grid %s, grids %v; want one of %v", got.Best.gridCode(), got.Best.Grids, roadGrids)
	}
	for _, g := range got.Best.Grids {
		if !roadGrids[g] {
			t.Errorf("grids lists %s, where %s has no building", g, b.Address.Road)
		}
	}
	if got.Best.Confidence <= 0 || got.Best.Confidence >= 1 || got.Best.Point == nil {
		t.Errorf("road-only answer: confidence %v point %v", got.Best.Confidence, got.Best.Point)
	}
}

// TestGeocodeNoMatch checks that an address of nothing in the city is a
// normal answer with confidence 0 and a reason.
func TestGeocodeNoMatch(t *testing.T) {
	s := benchServer(t)
	for _, addr := range []string{"火星基地", "Baker Street 221B", "（附近）"} {
		got := getGeocode(t, s, addr, "")
		if got.Best.Confidence != 0 || got.Best.Reason == "" || got.Best.Building != nil ||
			string(got.Best.Grid) != "null" || got.Best.Point != nil {
			t.Errorf("%q: best = %+v, want confidence 0, a reason, null building, grid and point", addr, got.Best)
		}
	}
}

// TestGeocodeBatch checks that a batch answers in input order and that bad
// elements fail alone.
func TestGeocodeBatch(t *testing.T) {
	s := benchServer(t)
	bs := issueBuildings(t, s.Snapshot().City, 3)
	addrs := []any{issueForms(bs[0])[0], "", issueForms(bs[1])[1], 42, strings.Repeat("路", 200), issueForms(bs[2])[0], "a\x00b"}
	body, _ := json.Marshal(map[string]any{"crs": "gcj02", "addresses": addrs})
	r := do(t, s, http.MethodPost, "/v1/geocode", "application/json", string(body))
	if r.status != http.StatusOK {
		t.Fatalf("status = %d (%s)", r.status, r.body)
	}
	var got struct {
		CRS     string        `json:"crs"`
		Version json.Number   `json:"version"`
		Results []geocodeBody `json:"results"`
	}
	decode(t, r.body, &got)
	if len(got.Results) != len(addrs) || got.CRS != "gcj02" || got.Version != "1" {
		t.Fatalf("got %d results, crs %q, version %s; want %d, gcj02, 1", len(got.Results), got.CRS, got.Version, len(addrs))
	}
	wantBuilding := map[int]*geo.Building{0: bs[0], 2: bs[1], 5: bs[2]}
	for i, res := range got.Results {
		b, good := wantBuilding[i]
		switch {
		case good && (res.Error != nil || res.Best.buildingID() != b.ID):
			t.Errorf("results[%d] = building %d (error %v), want %d", i, res.Best.buildingID(), res.Error, b.ID)
		case good:
			want := crs.FromWGS84(crs.GCJ02, b.Point)
			if abs(res.Best.Point[0]-want[0]) > 1e-6 {
				t.Errorf("results[%d] point %v, want GCJ-02 %v", i, res.Best.Point, want)
			}
		case res.Error == nil || res.Error.Field != fmt.Sprintf("addresses[%d]", i) || res.Error.Detail == "":
			t.Errorf("results[%d] = %+v, want an error naming addresses[%d]", i, res, i)
		}
	}
}

// TestGeocodeBadInput checks that every bad request is a 4xx problem
// naming the field at fault.
func TestGeocodeBadInput(t *testing.T) {
	s := newTestServer(t)
	tooMany := `{"addresses":[` + strings.Repeat(`"a",`, maxGeocodeBatch) + `"a"]}`
	cases := []struct {
		name, method, target, ct, body string
		status                         int
		field                          string
	}{
		{"missing address", "GET", "/v1/geocode", "", "", 400, "address"},
		{"empty address", "GET", "/v1/geocode?address=", "", "", 400, "address"},
		{"blank address", "GET", "/v1/geocode?address=%20%E3%80%80%20", "", "", 400, "address"},
		{"huge address", "GET", geocodeURL(strings.Repeat("钟", 171), ""), "", "", 400, "address"},
		{"binary address", "GET", "/v1/geocode?address=%00%01%02abc", "", "", 400, "address"},
		{"invalid UTF-8", "GET", "/v1/geocode?address=%C1%F9%C5%CC%CB%AE", "", "", 400, "address"},
		{"replacement character", "GET", geocodeURL("钟山区\uFFFD路", ""), "", "", 400, "address"},
		{"bad crs", "GET", geocodeURL("钟山区", "mars"), "", "", 400, "crs"},
		{"bad content type", "POST", "/v1/geocode", "text/plain", "x", 415, "Content-Type"},
		{"compressed", "POST", "/v1/geocode", "application/json", `{}`, 415, "Content-Encoding"},
		{"malformed JSON", "POST", "/v1/geocode", "application/json", `{"addresses":[`, 400, "body"},
		{"not an object", "POST", "/v1/geocode", "application/json", `["a"]`, 422, "body"},
		{"no addresses", "POST", "/v1/geocode", "application/json", `{"crs":"gcj02"}`, 422, "addresses"},
		{"empty addresses", "POST", "/v1/geocode", "application/json", `{"addresses":[]}`, 422, "addresses"},
		{"addresses not array", "POST", "/v1/geocode", "application/json", `{"addresses":"a"}`, 422, "addresses"},
		{"unknown member", "POST", "/v1/geocode", "application/json", `{"addresses":["a"],"adress":1}`, 422, "adress"},
		{"bad batch crs", "POST", "/v1/geocode", "application/json", `{"addresses":["a"],"crs":"x"}`, 422, "crs"},
		{"body too large", "POST", "/v1/geocode", "application/json", `{"addresses":["` + strings.Repeat("a", 2000) + `"]}`, 413, "body"},
		{"empty CSV", "POST", "/v1/geocode", "text/csv", "", 400, "body"},
		{"CSV without address column", "POST", "/v1/geocode", "text/csv", "id,name\n1,x\n", 422, "address"},
		{"CSV without the named column", "POST", "/v1/geocode?column=addr2", "text/csv", "id,address\n1,x\n", 422, "column"},
		{"column name too long", "POST", "/v1/geocode?column=" + strings.Repeat("c", 300), "text/csv", "id,address\n1,x\n", 400, "column"},
		{"stream bad crs", "POST", "/v1/geocode?crs=x", "application/x-ndjson", `"a"`, 400, "crs"},
		{"reverse without lon", "GET", "/v1/reverse?lat=26.5", "", "", 400, "lon"},
		{"reverse bad lat", "GET", "/v1/reverse?lon=104.8&lat=91", "", "", 400, "lat"},
		{"reverse bad crs", "GET", "/v1/reverse?lon=104.8&lat=26.5&crs=x", "", "", 400, "crs"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.name == "compressed" {
				hdr = []string{"Content-Encoding", "gzip"}
			}
			r := do(t, s, tc.method, tc.target, tc.ct, tc.body, hdr...)
			wantProblem(t, r, tc.status, tc.field)
		})
	}
	t.Run("too many addresses", func(t *testing.T) {
		big := newTestServer(t, func(c *Config) { c.BodyLimit = 1 << 20 })
		wantProblem(t, do(t, big, "POST", "/v1/geocode", "application/json", tooMany), 413, "addresses")
	})
}

// TestGeocodeETag checks that a repeated GET with the view's tag is 304.
func TestGeocodeETag(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodGet, geocodeURL("人民中路5号", ""), "", "")
	tag := r.header.Get("ETag")
	if r.status != 200 || tag == "" {
		t.Fatalf("GET = %d with ETag %q", r.status, tag)
	}
	if r2 := do(t, s, http.MethodGet, geocodeURL("人民中路5号", ""), "", "", "If-None-Match", tag); r2.status != http.StatusNotModified {
		t.Errorf("GET with If-None-Match = %d, want 304", r2.status)
	}
}

// TestGeocodeTestCity checks exact answers on the small hand-made city.
func TestGeocodeTestCity(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, addr string
		building   geo.BuildingID
		grid       string
	}{
		{"door", "钟山区人民中路5号", 3, "520201001001002"},
		{"door in Chinese numerals", "六盘水市钟山区钟山大道四号", 5, "520201001002002"},
		{"door with noise", "贵州六盘水钟山区人民中路1号附近 电话13812345678", 1, "520201001001001"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := getGeocode(t, s, tc.addr, "")
			if got.Best.buildingID() != tc.building || got.Best.gridCode() != tc.grid {
				t.Errorf("Geocode(%q) = building %d grid %s, want %d %s (%s)", tc.addr,
					got.Best.buildingID(), got.Best.gridCode(), tc.building, tc.grid, got.Best.Reason)
			}
		})
	}
}

// messyAddresses returns n messy addresses of the fixture city and their
// buildings.
func messyAddresses(tb testing.TB, n int) []messy.Case {
	tb.Helper()
	return messy.Generate(fixtureSnapshot(tb).City, n, 1)
}

// BenchmarkGeocodeHandler measures GET /v1/geocode of messy addresses
// through Fiber's handler, without the network.
func BenchmarkGeocodeHandler(b *testing.B) {
	s := benchServer(b)
	cases := messyAddresses(b, 1024)
	uris := make([][]byte, len(cases))
	for i, c := range cases {
		uris[i] = []byte(geocodeURL(c.Input, ""))
	}
	h := s.App().Handler()
	var ctx fasthttp.RequestCtx
	ctx.Request.Header.SetMethod(http.MethodGet)
	ctx.Request.SetRequestURIBytes(uris[0])
	h(&ctx)
	if ctx.Response.StatusCode() != http.StatusOK {
		b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ctx.Request.SetRequestURIBytes(uris[i&1023])
		ctx.Response.Reset()
		h(&ctx)
		i++
	}
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "addr/s")
}
