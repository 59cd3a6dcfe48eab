package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Codes of the hand-built test city.
const (
	tCity        = geo.DivisionCode(520200000000)
	tDistrict    = geo.DivisionCode(520201000000)
	tSubdistrict = geo.DivisionCode(520201001000)
	tCommunity1  = geo.DivisionCode(520201001001)
	tCommunity2  = geo.DivisionCode(520201001002)
)

// square returns the counter-clockwise ring of a lon/lat box.
func square(minLon, minLat, maxLon, maxLat float64) orb.Ring {
	return orb.Ring{{minLon, minLat}, {maxLon, minLat}, {maxLon, maxLat}, {minLon, maxLat}, {minLon, minLat}}
}

func multi(rings ...orb.Ring) orb.MultiPolygon {
	return orb.MultiPolygon{orb.Polygon(rings)}
}

// testCity builds a small city with known answers: one district, one
// subdistrict, two communities and five 0.01-degree square grids sharing
// vertex-identical edges:
//
//	26.60 +------+------+
//	      |  g1  |  g2  |          community 1
//	26.59 +------+------+------+
//	      |  g3  |  g4  |  g5  |   community 2 (g5 has a hole)
//	26.58 +------+------+------+
//	   104.80 104.81 104.82 104.83
func testCity(tb testing.TB) *geo.City {
	tb.Helper()
	hole := orb.Ring{{104.824, 26.584}, {104.824, 26.586}, {104.826, 26.586}, {104.826, 26.584}, {104.824, 26.584}}
	grid := func(id geo.GridID, comm geo.DivisionCode, seq int, name string, geom orb.MultiPolygon) *geo.Grid {
		code, err := geo.NewGridCode(comm, seq)
		if err != nil {
			tb.Fatalf("NewGridCode(%s, %d): %v", comm, seq, err)
		}
		return &geo.Grid{ID: id, Code: code, Name: name, Geometry: geom, Bound: geom.Bound()}
	}
	grids := []*geo.Grid{
		grid(1, tCommunity1, 1, "钟环社区第1网格", multi(square(104.80, 26.59, 104.81, 26.60))),
		grid(2, tCommunity1, 2, "钟环社区第2网格", multi(square(104.81, 26.59, 104.82, 26.60))),
		grid(3, tCommunity2, 1, "凉都社区第1网格", multi(square(104.80, 26.58, 104.81, 26.59))),
		grid(4, tCommunity2, 2, "凉都社区第2网格", multi(square(104.81, 26.58, 104.82, 26.59))),
		grid(5, tCommunity2, 3, "凉都社区第3网格", multi(square(104.82, 26.58, 104.83, 26.59), hole)),
	}
	lshape := multi(orb.Ring{{104.80, 26.58}, {104.83, 26.58}, {104.83, 26.59}, {104.82, 26.59}, {104.82, 26.60}, {104.80, 26.60}, {104.80, 26.58}})
	units := []*geo.Unit{
		{Code: tCity, Name: "六盘水市", Geometry: lshape},
		{Code: tDistrict, Name: "钟山区", Geometry: lshape},
		{Code: tSubdistrict, Name: "荷城街道", Geometry: lshape},
		{Code: tCommunity1, Name: "钟环社区居民委员会", Geometry: multi(square(104.80, 26.59, 104.82, 26.60))},
		{Code: tCommunity2, Name: "凉都社区居民委员会", Geometry: multi(square(104.80, 26.58, 104.83, 26.59))},
	}
	addr := func(comm, road string, n int) geo.Address {
		return geo.Address{Province: "贵州省", City: "六盘水市", District: "钟山区", Subdistrict: "荷城街道",
			Community: comm, Road: road, Number: n, Estate: "凉都花园", Building: "1"}
	}
	buildings := []*geo.Building{
		{ID: 1, Point: orb.Point{104.805, 26.595}, Address: addr("钟环社区", "人民中路", 1), Households: 120, Floors: 6, Units: 2, Grid: grids[0].Code},
		{ID: 2, Point: orb.Point{104.806, 26.596}, Address: addr("钟环社区", "人民中路", 3), Households: 200, Floors: 9, Units: 3, Grid: grids[0].Code},
		{ID: 3, Point: orb.Point{104.815, 26.595}, Address: addr("钟环社区", "人民中路", 5), Households: 300, Floors: 11, Units: 2, Grid: grids[1].Code},
		{ID: 4, Point: orb.Point{104.805, 26.585}, Address: addr("凉都社区", "钟山大道", 2), Households: 350, Floors: 18, Units: 2, Grid: grids[2].Code},
		{ID: 5, Point: orb.Point{104.815, 26.585}, Address: addr("凉都社区", "钟山大道", 4), Households: 400, Floors: 18, Units: 3, Grid: grids[3].Code},
		{ID: 6, Point: orb.Point{104.822, 26.582}, Address: addr("凉都社区", "钟山大道", 6), Households: 310, Floors: 7, Units: 1, Grid: grids[4].Code},
	}
	for _, g := range grids {
		for _, b := range buildings {
			if b.Grid == g.Code {
				g.Buildings++
				g.Households += b.Households
			}
		}
	}
	return &geo.City{
		Code: tCity, Name: "六盘水市", Province: "贵州省",
		Units: units, Grids: grids, Buildings: buildings,
		Stations: []*geo.Station{
			{ID: 1, Kind: geo.StationCentre, Name: "荷城街道党群服务中心", Unit: tSubdistrict, Point: orb.Point{104.811, 26.589}},
			{ID: 2, Kind: geo.StationCommunity, Name: "钟环社区党群服务站", Unit: tCommunity1, Point: orb.Point{104.808, 26.598}},
			{ID: 3, Kind: geo.StationCommunity, Name: "凉都社区党群服务站", Unit: tCommunity2, Point: orb.Point{104.812, 26.583}},
		},
		Streets: []*geo.Street{
			{ID: 1, Name: "人民中路", Class: "primary", Line: orb.LineString{{104.80, 26.59}, {104.83, 26.59}}},
			{ID: 2, Name: "钟山大道", Class: "secondary", Line: orb.LineString{{104.81, 26.58}, {104.81, 26.60}}},
		},
	}
}

// testSnapshot indexes testCity as version 1.
func testSnapshot(tb testing.TB) *geo.Snapshot {
	tb.Helper()
	s, err := geo.NewSnapshot(testCity(tb), 1)
	if err != nil {
		tb.Fatalf("NewSnapshot(testCity): %v", err)
	}
	return s
}

// newTestServer builds a server over the test city with small limits that
// tests can reach: 5 batch points, 1 KiB JSON bodies, 100 stream rows.
func newTestServer(tb testing.TB, mod ...func(*Config)) *Server {
	tb.Helper()
	cfg := Config{MaxBatchPoints: 5, BodyLimit: 1024, MaxStreamPoints: 100, StreamChunkBytes: 4096, MaxRecordBytes: 512}
	for _, m := range mod {
		m(&cfg)
	}
	s, err := New(cfg, testSnapshot(tb), nil)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return s
}

// response is what a test request got back.
type response struct {
	status int
	header http.Header
	body   []byte
	// summary is a stream's last line (its counts), cut from body.
	summary string
}

// splitSummary cuts a stream's last line, the summary of its counts, from
// out; summary is "" if the last line is not one.
func splitSummary(out []byte) (rows []byte, summary string) {
	body := bytes.TrimSuffix(out, []byte("\n"))
	i := bytes.LastIndexByte(body, '\n') + 1
	last := string(body[i:])
	if strings.HasPrefix(last, `{"summary":`) || strings.Contains(last, "#summary rows_in=") {
		return out[:i], last
	}
	return out, ""
}

// do sends a request through app.Test.
func do(tb testing.TB, s *Server, method, target, contentType, body string, hdr ...string) response {
	tb.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s %s: reading body: %v", method, target, err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: b}
	r.body, r.summary = splitSummary(b)
	return r
}

// problemBody is the decoded problem+json document.
type problemBody struct {
	Type     string  `json:"type"`
	Title    string  `json:"title"`
	Status   int     `json:"status"`
	Detail   string  `json:"detail"`
	Instance string  `json:"instance"`
	Field    string  `json:"field"`
	Distance float64 `json:"distance_m"`
	Nearest  *struct {
		ID   int    `json:"id"`
		Code string `json:"code"`
	} `json:"nearest"`
}

// wantProblem checks that r is a problem+json response with the status
// and field, and returns it.
func wantProblem(tb testing.TB, r response, status int, field string) problemBody {
	tb.Helper()
	if r.status != status {
		tb.Errorf("status = %d, want %d (body %s)", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Errorf("Content-Type = %q, want application/problem+json", ct)
	}
	var p problemBody
	if err := json.Unmarshal(r.body, &p); err != nil {
		tb.Fatalf("problem body %s: %v", r.body, err)
	}
	if p.Status != status {
		tb.Errorf("problem status = %d, want %d", p.Status, status)
	}
	if p.Field != field {
		tb.Errorf("problem field = %q, want %q (detail %q)", p.Field, field, p.Detail)
	}
	if p.Type == "" || p.Title == "" || p.Instance == "" {
		tb.Errorf("problem %s lacks type, title or instance", r.body)
	}
	return p
}

// decode unmarshals a JSON body into v.
func decode(tb testing.TB, b []byte, v any) {
	tb.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		tb.Fatalf("decoding %s: %v", b, err)
	}
}

func ftoa(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
