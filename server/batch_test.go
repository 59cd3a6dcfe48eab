package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

type batchBody struct {
	CRS     string        `json:"crs"`
	Version int           `json:"version"`
	Results []*lookupBody `json:"results"`
}

func TestBatchKeepsOrderAndNulls(t *testing.T) {
	s := newTestServer(t)
	cases := []struct {
		name string
		crs  crs.CRS
		body func(ps []orb.Point) string
	}{
		{"wgs84 implied", crs.WGS84, func(ps []orb.Point) string { return `{"points":` + pointsJSON(ps) + `}` }},
		{"gcj02 after points", crs.GCJ02, func(ps []orb.Point) string {
			return ` { "points" : ` + pointsJSON(ps) + ` , "crs" : "gcj02" } `
		}},
		{"bd09 escaped key", crs.BD09, func(ps []orb.Point) string {
			return `{"\u0063rs":"bd09","points":` + pointsJSON(ps) + `}`
		}},
	}
	wgs := []orb.Point{{104.815, 26.585}, {104.805, 26.579}, {104.805, 26.595}, {104.825, 26.585}, {104.828, 26.582}}
	want := []string{"520201001002002", "", "520201001001001", "", "520201001002003"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ps := make([]orb.Point, len(wgs))
			for i, p := range wgs {
				ps[i] = crs.FromWGS84(tc.crs, p)
			}
			r := do(t, s, http.MethodPost, "/v1/lookup", "application/json; charset=utf-8", tc.body(ps))
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200 (body %s)", r.status, r.body)
			}
			var got batchBody
			decode(t, r.body, &got)
			if got.CRS != tc.crs.String() || got.Version != 1 {
				t.Errorf("crs, version = %q, %d, want %q, 1", got.CRS, got.Version, tc.crs)
			}
			if len(got.Results) != len(want) {
				t.Fatalf("got %d results, want %d", len(got.Results), len(want))
			}
			for i, res := range got.Results {
				code := ""
				if res != nil {
					code = res.Grid.Code
				}
				if code != want[i] {
					t.Errorf("results[%d] (%v) = %q, want %q", i, wgs[i], code, want[i])
				}
			}
		})
	}
}

func pointsJSON(ps []orb.Point) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("[" + ftoa(p[0]) + "," + ftoa(p[1]) + "]")
	}
	b.WriteByte(']')
	return b.String()
}

func TestBatchBadInput(t *testing.T) {
	s := newTestServer(t)
	big := `{"points":[[104.8,26.5]],"pad":"` + strings.Repeat("x", 1100) + `"}`
	cases := []struct {
		name, ct, body string
		status         int
		field          string
	}{
		{"malformed JSON", "application/json", `{"points":[[104.8,26.5]`, 400, "body"},
		{"trailing garbage", "application/json", `{"points":[[104.8,26.5]]} x`, 400, "body"},
		{"not an object", "application/json", `[[104.8,26.5]]`, 422, "body"},
		{"empty body", "application/json", ``, 400, "body"},
		{"whitespace body", "application/json", `   `, 400, "body"},
		{"points missing", "application/json", `{"crs":"wgs84"}`, 422, "points"},
		{"points empty", "application/json", `{"points":[]}`, 422, "points"},
		{"points a string", "application/json", `{"points":"104.8,26.5"}`, 422, "points"},
		{"points null", "application/json", `{"points":null}`, 422, "points"},
		{"element an object", "application/json", `{"points":[[104.8,26.5],{"lon":1}]}`, 422, "points[1]"},
		{"element three numbers", "application/json", `{"points":[[104.8,26.5,3]]}`, 422, "points[0]"},
		{"element one number", "application/json", `{"points":[[104.8]]}`, 422, "points[0]"},
		{"element string coordinate", "application/json", `{"points":[[104.8,26.5],[104.8,"26.5"]]}`, 422, "points[1]"},
		{"lon out of range", "application/json", `{"points":[[104.8,26.5],[104.8,26.5],[181,26.5]]}`, 422, "points[2]"},
		{"lat out of range", "application/json", `{"points":[[104.8,91]]}`, 422, "points[0]"},
		{"overflow", "application/json", `{"points":[[1e999,26.5]]}`, 422, "points[0]"},
		{"leading zero", "application/json", `{"points":[[01,26.5]]}`, 422, "points[0]"},
		{"bad number", "application/json", `{"points":[[-,26.5]]}`, 400, "body"},
		{"NaN literal", "application/json", `{"points":[[NaN,26.5]]}`, 422, "points[0]"},
		{"crs unknown", "application/json", `{"crs":"mars","points":[[104.8,26.5]]}`, 422, "crs"},
		{"crs a number", "application/json", `{"crs":4326,"points":[[104.8,26.5]]}`, 422, "crs"},
		{"unknown member", "application/json", `{"point":[[104.8,26.5]]}`, 422, "point"},
		{"too many points", "application/json", `{"points":[[1,1],[1,1],[1,1],[1,1],[1,1],[1,1]]}`, 413, "points"},
		{"body too large", "application/json", big, 413, "body"},
		{"wrong content type", "text/plain", `{"points":[[104.8,26.5]]}`, 415, "Content-Type"},
		{"no content type", "", `{"points":[[104.8,26.5]]}`, 415, "Content-Type"},
		{"form content type", "application/x-www-form-urlencoded", `lon=1`, 415, "Content-Type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, s, http.MethodPost, "/v1/lookup", tc.ct, tc.body)
			wantProblem(t, r, tc.status, tc.field)
		})
	}
	r := do(t, s, http.MethodPost, "/v1/lookup", "application/json", "\x1f\x8b", "Content-Encoding", "gzip")
	wantProblem(t, r, http.StatusUnsupportedMediaType, "Content-Encoding")
}

func TestParseBatch(t *testing.T) {
	cases := []struct {
		name, body string
		wantCRS    crs.CRS
		wantN      int
		wantErr    string
	}{
		{"minimal", `{"points":[[1,2]]}`, crs.WGS84, 1, ""},
		{"exponents and negatives", `{"points":[[-1.5e1,2E-1],[0,-0.0]]}`, crs.WGS84, 2, ""},
		{"escaped crs value", `{"crs":"gcj\u0030\u0032","points":[[1,2]]}`, crs.GCJ02, 1, ""},
		{"at limit", `{"points":[[1,2],[1,2],[1,2]]}`, crs.WGS84, 3, ""},
		{"over limit", `{"points":[[1,2],[1,2],[1,2],[1,2]]}`, crs.WGS84, 0, "points: holds more than 3 points"},
		{"deep nesting", `{"points":[[[[[[1]]]]]]}`, crs.WGS84, 0, "points[0]: must be a [lon, lat] array of exactly two numbers"},
		{"control char in key", "{\"po\x01ints\":[]}", crs.WGS84, 0, "malformed JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseBatch([]byte(tc.body), 3)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("parseBatch(%s) error = %v, want one containing %q", tc.body, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseBatch(%s): %v", tc.body, err)
			}
			if got.crs != tc.wantCRS || len(got.points) != tc.wantN {
				t.Errorf("parseBatch(%s) = crs %v, %d points, want %v, %d", tc.body, got.crs, len(got.points), tc.wantCRS, tc.wantN)
			}
		})
	}
}
