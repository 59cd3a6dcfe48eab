package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// exportRows is a decoded /v1/export/grids?format=json answer.
type exportRows struct {
	Version int      `json:"version"`
	Range   [2]int   `json:"households_range"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// TestExportGridsJSON checks the grid table's rows against the grids and
// /v1/coverage?level=grid: households, coverage share and range flag.
func TestExportGridsJSON(t *testing.T) {
	s := walkServer(t)
	var rows exportRows
	getJSON(t, s, "/v1/export/grids?format=json", &rows)
	snap := s.Snapshot()
	if len(rows.Rows) != len(snap.City.Grids) || rows.Range != [2]int{300, 500} {
		t.Fatalf("%d rows, range %v; want %d grids and 300-500", len(rows.Rows), rows.Range, len(snap.City.Grids))
	}
	var cov coverageJSON
	getJSON(t, s, "/v1/coverage?level=grid&minutes=15", &cov)
	share := map[string]float64{}
	for _, u := range cov.Units {
		share[u.Code] = u.Share
	}
	col := map[string]int{}
	for i, c := range rows.Columns {
		col[c] = i
	}
	for i, r := range rows.Rows {
		g := snap.City.Grids[i]
		hh := int(r[col["households"]].(float64))
		if r[col["code"]] != g.Code.String() || hh != g.Households || r[col["coverage"]].(float64) != share[g.Code.String()] {
			t.Fatalf("row %d: %v; want grid %s with %d households and share %v", i, r, g.Code, g.Households, share[g.Code.String()])
		}
		want := any(nil)
		if hh < 300 {
			want = "low"
		} else if hh > 500 {
			want = "high"
		}
		if r[col["range"]] != want {
			t.Errorf("row %d: %d households flagged %v, want %v", i, hh, r[col["range"]], want)
		}
	}
	// The fixture city keeps every grid within range: the flag itself.
	for n, want := range map[int]string{299: "low", 300: "", 500: "", 501: "high", 0: "low"} {
		if got := householdRange(n, rows.Range[0], rows.Range[1]); got != want {
			t.Errorf("%d households flagged %q, want %q", n, got, want)
		}
	}
	var some exportRows
	getJSON(t, s, "/v1/export/grids?format=json&unit="+tDistrictOf(snap.City.Grids[0].Code.String()), &some)
	if len(some.Rows) == 0 || len(some.Rows) >= len(rows.Rows) {
		t.Errorf("a district's grids: %d of %d", len(some.Rows), len(rows.Rows))
	}
}

// tDistrictOf returns the 12-digit district code of a grid code.
func tDistrictOf(grid string) string { return grid[:6] + "000000" }

// TestExportGridsFormats checks one selection in the three file formats:
// GeoJSON features, CSV with a BOM and a header, and a zipped Shapefile
// that GDAL's ogrinfo reads with the same attributes (UTF-8 names).
func TestExportGridsFormats(t *testing.T) {
	s := walkServer(t)
	g1, g2 := s.Snapshot().City.Grids[3], s.Snapshot().City.Grids[40]
	codes := g1.Code.String() + "," + g2.Code.String()
	gj := do(t, s, http.MethodGet, "/v1/export/grids?codes="+codes, "", "")
	var fc struct {
		Features []struct {
			Geometry   struct{ Type string }
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(gj.body, &fc); err != nil || gj.status != 200 || len(fc.Features) != 2 {
		t.Fatalf("geojson: %d %v %.200s", gj.status, err, gj.body)
	}
	if fc.Features[0].Geometry.Type != "MultiPolygon" || fc.Features[0].Properties["name"] != g1.Name {
		t.Errorf("geojson feature %+v", fc.Features[0])
	}
	csv := do(t, s, http.MethodGet, "/v1/export/grids?format=csv&codes="+codes, "", "")
	lines := strings.Split(strings.TrimSpace(string(csv.body)), "\r\n")
	if !bytes.HasPrefix(csv.body, []byte("\xef\xbb\xbfcode,name,")) || len(lines) != 3 || !strings.HasPrefix(lines[1], g1.Code.String()+","+g1.Name+",") {
		t.Errorf("csv (%s):\n%s", csv.header.Get("Content-Type"), csv.body)
	}
	shp := do(t, s, http.MethodPost, "/v1/export/grids", "application/json", `{"format":"shp","codes":["`+g1.Code.String()+`","`+g2.Code.String()+`"]}`)
	if shp.status != 200 || shp.header.Get("Content-Type") != "application/zip" || !strings.Contains(shp.header.Get("Content-Disposition"), "grids.zip") {
		t.Fatalf("shp: %d %v %.200s", shp.status, shp.header, shp.body)
	}
	zipPath := filepath.Join(t.TempDir(), "grids.zip")
	if err := os.WriteFile(zipPath, shp.body, 0o644); err != nil {
		t.Fatal(err)
	}
	out := gdal(t, "ogrinfo", "-ro", "-al", "/vsizip/"+zipPath)
	for _, want := range []string{"Feature Count: 2", "Geometry: Polygon", `ID["EPSG",4326]`, "name (String) = " + g1.Name,
		"code (String) = " + g2.Code.String(), "households (Integer) = " + strconv.Itoa(g1.Households), "coverage (Real) = "} {
		if !strings.Contains(out, want) {
			t.Errorf("ogrinfo -al does not show %q:\n%.3000s", want, out)
		}
	}
}

func TestExportGaps(t *testing.T) {
	s := walkServer(t)
	var gaps gapsJSON
	getJSON(t, s, "/v1/coverage/gaps?limit=0", &gaps)
	r := do(t, s, http.MethodGet, "/v1/export/gaps?format=csv", "", "")
	lines := strings.Split(strings.TrimSpace(string(r.body)), "\r\n")
	if r.status != 200 || lines[0] != "\ufeffrank,id,address,households,grid,nearest_m,lon,lat" || len(lines) != len(gaps.Features)+1 {
		t.Fatalf("gaps csv: %d, %d lines for %d gaps; header %q", r.status, len(lines), len(gaps.Features), lines[0])
	}
	first := gaps.Features[0].Properties
	if !strings.HasPrefix(lines[1], "1,"+strconv.Itoa(first.ID)+",") {
		t.Errorf("first gap row %q, want building %d", lines[1], first.ID)
	}
}

func TestExportBadInput(t *testing.T) {
	s := walkServer(t)
	for _, c := range []struct {
		name, method, target, body string
		status                     int
		field                      string
	}{
		{"format", "GET", "/v1/export/grids?format=kml", "", 400, "format"},
		{"gaps json", "GET", "/v1/export/gaps?format=json", "", 400, "format"},
		{"code", "GET", "/v1/export/grids?codes=52020100100100x", "", 400, "codes[0]"},
		{"no grid", "GET", "/v1/export/grids?codes=" + s.Snapshot().City.Grids[0].Code.String() + ",529999999999999", "", 404, "codes[1]"},
		{"unit", "GET", "/v1/export/grids?unit=12345", "", 400, "unit"},
		{"no unit", "GET", "/v1/export/gaps?unit=520299000000", "", 404, "unit"},
		{"minutes", "GET", "/v1/export/grids?minutes=90", "", 400, "minutes"},
		{"minutes text", "GET", "/v1/export/gaps?minutes=ten", "", 400, "minutes"},
		{"body", "POST", "/v1/export/grids", `{"codes":"x"}`, 400, "codes"},
		{"member", "POST", "/v1/export/grids", `{"code":[]}`, 400, "code"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ct := ""
			if c.body != "" {
				ct = "application/json"
			}
			wantProblem(t, do(t, s, c.method, c.target, ct, c.body), c.status, c.field)
		})
	}
}
