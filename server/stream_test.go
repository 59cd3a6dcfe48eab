package server

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// testSeed returns SEED from the environment or def, and logs it.
func testSeed(tb testing.TB, def uint64) uint64 {
	tb.Helper()
	seed := def
	if v := os.Getenv("SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			tb.Fatalf("SEED=%q: %v", v, err)
		}
		seed = n
	}
	tb.Logf("seed %d (rerun with SEED=%d)", seed, seed)
	return seed
}

func TestStreamCSVRows(t *testing.T) {
	s := newTestServer(t)
	in := "id,name,lon,lat,note\r\n" +
		"1,\"Zhang, San\",104.805,26.595,a\r\n" +
		"2,b,104.815,26.585,\"multi\nline\"\n" +
		"\n" +
		"3,c,abc,26.5,x\n" +
		"4,d,104.805,26.579,outside\n" +
		"5,e,104.828,26.582\n" +
		"6,f,104.815,26.595,x,extra\n" +
		"7,g,\" 104.805 \",\"26.585\",quoted\n" +
		"8,h,104.805,95,far north"
	want := "id,name,lon,lat,note,grid,community,subdistrict,district,error\n" +
		"1,\"Zhang, San\",104.805,26.595,a,520201001001001,520201001001,520201001000,520201000000,\n" +
		"2,b,104.815,26.585,\"multi\nline\",520201001002002,520201001002,520201001000,520201000000,\n" +
		"3,c,abc,26.5,x,,,,,lon is not a number\n" +
		"4,d,104.805,26.579,outside,,,,,no grid\n" +
		"5,e,104.828,26.582,,,,,,\"the row has 4 fields, the header 5\"\n" +
		"6,f,104.815,26.595,x,,,,,\"the row has 6 fields, the header 5\"\n" +
		"7,g,\" 104.805 \",\"26.585\",quoted,520201001002001,520201001002,520201001000,520201000000,\n" +
		"8,h,104.805,95,far north,,,,,lat is outside -90..90\n"
	r := do(t, s, http.MethodPost, "/v1/lookup", "text/csv", in)
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q, want text/csv", ct)
	}
	if got := string(r.body); got != want {
		t.Errorf("CSV output:\n%s\nwant:\n%s", got, want)
	}
}

func TestStreamNDJSONRows(t *testing.T) {
	s := newTestServer(t)
	g1 := `"grid":"520201001001001","community":"520201001001","subdistrict":"520201001000","district":"520201000000"}`
	g4 := `"grid":"520201001002002","community":"520201001002","subdistrict":"520201001000","district":"520201000000"}`
	null := `"grid":null,"community":null,"subdistrict":null,"district":null,"error":`
	cases := []struct{ in, want string }{
		{`{"id":1,"lon":104.805,"lat":26.595,"tags":{"a":[1,2]}}`, `{"id":1,"lon":104.805,"lat":26.595,"tags":{"a":[1,2]},` + g1},
		{` [104.815, 26.585] `, `{"lon":104.815,"lat":26.585,` + g4},
		{`{"lat":26.595,"lng":104.805}`, `{"lat":26.595,"lng":104.805,` + g1},
		{`{"id":2,"lon":"104.8","lat":26.5}`, `{"id":2,"lon":"104.8","lat":26.5,` + null + `"lon must be a number"}`},
		{`{}`, `{` + null + `"lon is missing"}`},
		{`{"lon":104.805,"lat":26.579}`, `{"lon":104.805,"lat":26.579,` + null + `"no grid"}`},
		{`[1,2,3]`, `{"point":[1,2,3],` + null + `"want a [lon, lat] array of two numbers"}`},
		{`[]`, `{"point":[],` + null + `"want a [lon, lat] array of two numbers"}`},
		{`[1 2]`, `{"error":"malformed JSON at byte 3: want ',' or ']'"}`},
		{`{"lon":1,}`, `{"error":"malformed JSON at byte 9: want a member name"}`},
		{`"hello"`, `{"error":"want a JSON object or a [lon, lat] array"}`},
		{`{"lon":181,"lat":0} x`, `{"error":"malformed JSON at byte 20: unexpected data after the value"}`},
	}
	var in, want strings.Builder
	for _, tc := range cases {
		in.WriteString(tc.in + "\r\n\n")
		want.WriteString(tc.want + "\n")
	}
	r := do(t, s, http.MethodPost, "/v1/lookup", "application/x-ndjson", in.String())
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (body %s)", r.status, r.body)
	}
	gotLines := strings.Split(strings.TrimSuffix(string(r.body), "\n"), "\n")
	wantLines := strings.Split(strings.TrimSuffix(want.String(), "\n"), "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("got %d lines, want %d:\n%s", len(gotLines), len(wantLines), r.body)
	}
	for i := range wantLines {
		if gotLines[i] != wantLines[i] {
			t.Errorf("line %d (%s):\n got %s\nwant %s", i, cases[i].in, gotLines[i], wantLines[i])
		}
		if !json.Valid([]byte(gotLines[i])) {
			t.Errorf("line %d is not valid JSON: %s", i, gotLines[i])
		}
	}
}

// randomCityPoints returns n points in and around the test city.
func randomCityPoints(rng *rand.Rand, n int) []orb.Point {
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = orb.Point{104.795 + rng.Float64()*0.04, 26.575 + rng.Float64()*0.03}
	}
	return ps
}

// TestStreamOrderManyChunks streams thousands of rows through many small
// chunks and checks every row against a direct lookup, in order.
func TestStreamOrderManyChunks(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t, 7), 0))
	s := newTestServer(t, func(c *Config) { c.MaxStreamPoints = 1 << 20; c.StreamWorkers = 3 })
	ps := randomCityPoints(rng, 5000)
	for _, form := range []string{"csv", "ndjson"} {
		t.Run(form, func(t *testing.T) {
			var in strings.Builder
			ct := "application/x-ndjson"
			if form == "csv" {
				ct = "text/csv"
				in.WriteString("seq,lat,lon\n")
			}
			for i, p := range ps {
				g := crs.FromWGS84(crs.GCJ02, p)
				if form == "csv" {
					fmt.Fprintf(&in, "%d,%s,%s\n", i, ftoa(g[1]), ftoa(g[0]))
				} else {
					fmt.Fprintf(&in, `{"seq":%d,"lat":%s,"lon":%s}`+"\n", i, ftoa(g[1]), ftoa(g[0]))
				}
			}
			r := do(t, s, http.MethodPost, "/v1/lookup?crs=gcj02", ct, in.String())
			if r.status != http.StatusOK {
				t.Fatalf("status = %d (body %.300s)", r.status, r.body)
			}
			checkStreamOrder(t, s, form, string(r.body), ps)
		})
	}
}

// checkStreamOrder checks that the output rows carry seq 0..n-1 in order
// and the grid that a direct lookup gives.
func checkStreamOrder(t *testing.T, s *Server, form, out string, ps []orb.Point) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	if form == "csv" {
		sc.Scan() // header
	}
	i := 0
	for ; sc.Scan(); i++ {
		var seq int
		var grid string
		if form == "csv" {
			f := strings.Split(sc.Text(), ",")
			if len(f) != 8 {
				t.Fatalf("row %d has %d fields: %s", i, len(f), sc.Text())
			}
			seq, _ = strconv.Atoi(f[0])
			grid = f[3]
		} else {
			var row struct {
				Seq  int     `json:"seq"`
				Grid *string `json:"grid"`
			}
			decode(t, sc.Bytes(), &row)
			seq = row.Seq
			if row.Grid != nil {
				grid = *row.Grid
			}
		}
		if seq != i {
			t.Fatalf("row %d has seq %d: order lost", i, seq)
		}
		want := ""
		if g, ok := s.Snapshot().Locate(ps[i]); ok {
			want = g.Code.String()
		}
		if grid != want {
			t.Errorf("row %d (%v): grid %q, want %q", i, ps[i], grid, want)
		}
	}
	if i != len(ps) {
		t.Errorf("got %d rows, want %d", i, len(ps))
	}
}

func TestStreamLimits(t *testing.T) {
	s := newTestServer(t) // 100 rows, 512-byte records
	var rows strings.Builder
	rows.WriteString("lon,lat\n")
	for range 150 {
		rows.WriteString("104.805,26.595\n")
	}
	r := do(t, s, http.MethodPost, "/v1/lookup", "text/csv", rows.String())
	lines := strings.Split(strings.TrimSuffix(string(r.body), "\n"), "\n")
	if len(lines) != 1+100+1 {
		t.Fatalf("got %d lines, want header + 100 rows + error row", len(lines))
	}
	if last := lines[len(lines)-1]; !strings.Contains(last, "more than 100 rows") {
		t.Errorf("last line = %q, want the row-limit error", last)
	}

	cases := []struct {
		name, ct, body, want string
	}{
		{"ndjson line over the limit", "application/x-ndjson", strings.Repeat(pad(`{"lon":104.805,"lat":26.595,"pad":"`, 600, `"}`)+"\n", 3),
			strings.Repeat(`{"error":"the line is longer than 512 bytes"}`+"\n", 3)},
		{"csv record over the limit", "text/csv", "a,lon,lat\n" + pad("", 600, ",104.805,26.595\n") + "1,104.805,26.595\n",
			"a,lon,lat,grid,community,subdistrict,district,error\n,,,,,,,the record is longer than 512 bytes\n" +
				"1,104.805,26.595,520201001001001,520201001001,520201001000,520201000000,\n"},
		{"record past the chunk", "application/x-ndjson", `[104.805,26.595]` + "\n" + pad("[", 5000, "]\n") + `[104.805,26.595]` + "\n",
			`{"lon":104.805,"lat":26.595,` + `"grid":"520201001001001","community":"520201001001","subdistrict":"520201001000","district":"520201000000"}` +
				"\n" + `{"error":"the record is longer than 512 bytes"}` + "\n" +
				`{"lon":104.805,"lat":26.595,` + `"grid":"520201001001001","community":"520201001001","subdistrict":"520201001000","district":"520201000000"}` + "\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/v1/lookup", tc.ct, tc.body)
			// Whether a long line reaches a worker whole or is skipped
			// by the reader depends on how the body arrives; the row
			// says the same either way.
			got := strings.ReplaceAll(string(r.body), "the line is longer", "the record is longer")
			if want := strings.ReplaceAll(tc.want, "the line is longer", "the record is longer"); got != want {
				t.Errorf("output:\n%.300s\nwant:\n%.300s", r.body, tc.want)
			}
		})
	}
}

func TestStreamBadRequests(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name, target, ct, body string
		status                 int
		field                  string
	}{
		{"csv without lon", "/v1/lookup", "text/csv", "x1,lat\n1,2\n", 422, "lon"},
		{"csv without lat", "/v1/lookup", "text/csv", "lon,latitud\n1,2\n", 422, "lat"},
		{"csv empty", "/v1/lookup", "text/csv", "", 400, "body"},
		{"csv blank", "/v1/lookup", "text/csv", "\n\n", 400, "body"},
		{"ndjson empty", "/v1/lookup", "application/x-ndjson", "", 400, "body"},
		{"unknown crs", "/v1/lookup?crs=utm", "text/csv", "lon,lat\n1,2\n", 400, "crs"},
		{"csv header too long", "/v1/lookup", "text/csv", strings.Repeat("a", 2000) + ",lon,lat\n", 413, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, do(t, s, http.MethodPost, tc.target, tc.ct, tc.body), tc.status, tc.field)
		})
	}
}

func TestStreamHeaderOnly(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodPost, "/v1/lookup", "text/csv", "\xef\xbb\xbfLon,Lat")
	if want := "Lon,Lat,grid,community,subdistrict,district,error\n"; r.status != 200 || string(r.body) != want {
		t.Errorf("header-only CSV = %d %q, want 200 %q", r.status, r.body, want)
	}
}

// pad returns prefix + n spaces + suffix.
func pad(prefix string, n int, suffix string) string {
	return prefix + strings.Repeat(" ", n) + suffix
}
