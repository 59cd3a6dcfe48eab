//go:build linux

package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// andorraGrids are four hand-made grids in a 2x2 block over Andorra la
// Vella (about 1.52 E, 42.51 N), with codes of a real community so the
// hierarchy has names; the crs member says WGS-84.
const andorraGrids = `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"网格编码":"520201001001001","网格名称":"西北"},"geometry":{"type":"Polygon","coordinates":[[[1.515,42.507],[1.522,42.507],[1.522,42.512],[1.515,42.512],[1.515,42.507]]]}},
{"type":"Feature","properties":{"网格编码":"520201001001002","网格名称":"东北"},"geometry":{"type":"Polygon","coordinates":[[[1.522,42.507],[1.529,42.507],[1.529,42.512],[1.522,42.512],[1.522,42.507]]]}},
{"type":"Feature","properties":{"网格编码":"520201001001003","网格名称":"西南"},"geometry":{"type":"Polygon","coordinates":[[[1.515,42.502],[1.522,42.502],[1.522,42.507],[1.515,42.507],[1.515,42.502]]]}},
{"type":"Feature","properties":{"网格编码":"520201001001004","网格名称":"东南"},"geometry":{"type":"Polygon","coordinates":[[[1.522,42.502],[1.529,42.502],[1.529,42.507],[1.522,42.507],[1.522,42.502]]]}}]}`

// osmTestdata returns paulmach/osm's testdata folder (real extracts).
func osmTestdata(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/paulmach/osm").Output()
	if err != nil {
		t.Fatalf("finding github.com/paulmach/osm (go mod download): %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "testdata")
}

// TestImportAndorra imports a real OpenStreetMap extract (Andorra, from
// paulmach/osm's testdata) as streets and buildings with hand-made grids,
// with the real binary, serves it, and asks for a walking circle in
// Andorra la Vella: it covers buildings along real streets.
func TestImportAndorra(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	osm := filepath.Join(osmTestdata(t), "andorra-latest.osm.bz2")
	dir := t.TempDir()
	grids := filepath.Join(dir, "grids.geojson")
	if err := os.WriteFile(grids, []byte(andorraGrids), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := buildGridmap(t)
	store := filepath.Join(dir, "store")
	out := runCLI(t, bin, "import", "--quiet", "--store", store, "--grids", grids, "--streets", osm, "--buildings", osm, "--report", filepath.Join(dir, "report"))
	t.Log(out)
	if !strings.Contains(out, "4 grids") {
		t.Errorf("import output %q, want 4 grids", out)
	}
	srv := startServeProcess(t, bin, "--store", store)
	if st, body := get(t, srv.base+"/v1/lookup?lon=1.5215&lat=42.5075"); st != 200 || !strings.Contains(body, `"code":"520201001001001"`) {
		t.Errorf("lookup in the north-west grid = %d %s", st, body)
	}
	resp, err := http.Post(srv.base+"/v1/circles", "application/json", strings.NewReader(`{"point":[1.5218,42.5068],"minutes":10}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var circle struct {
		Features []struct {
			Geometry struct{ Type string }
		}
		Summary struct{ Buildings int }
	}
	if err := json.NewDecoder(resp.Body).Decode(&circle); err != nil || resp.StatusCode != 200 {
		t.Fatalf("POST /v1/circles = %d, %v", resp.StatusCode, err)
	}
	if len(circle.Features) < 2 || circle.Features[0].Geometry.Type != "MultiPolygon" || circle.Summary.Buildings == 0 {
		t.Errorf("circle: %d features (first %+v), %d buildings; want a band polygon covering buildings", len(circle.Features), circle.Features, circle.Summary.Buildings)
	}
	t.Logf("a 10-minute circle in Andorra la Vella covers %d buildings", circle.Summary.Buildings)
}
