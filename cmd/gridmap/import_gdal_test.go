//go:build linux

package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// needTool fails the test with what to install when a program is missing.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is needed: apt-get install %s", name, pkg)
	}
	return p
}

// ogr2ogr runs GDAL's ogr2ogr with args.
func ogr2ogr(t *testing.T, args ...string) {
	t.Helper()
	out, err := exec.Command(needTool(t, "ogr2ogr", "gdal-bin"), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// writeFC writes features as a GeoJSON FeatureCollection.
func writeFC(t *testing.T, path string, fc *geojson.FeatureCollection) {
	t.Helper()
	b, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// gdalCity writes the fixture city as a grid office would hand it over:
// roughened grids (fixtures/rough: noise, slivers, gaps, overlaps,
// bow-ties, repeated features) as a Shapefile with a GBK .dbf and Chinese
// column names in EPSG:4544 without a .cpg, the community units as a
// GeoPackage in EPSG:4490 (both by GDAL's ogr2ogr), and the building
// address table as a CSV in GCJ-02. It returns the input flags.
func gdalCity(t *testing.T, dir string, c *geo.City) []string {
	t.Helper()
	g, cm := rough.CityGrids(c)
	set := rough.Roughen(g, cm, rough.Options{Seed: 1})
	names := map[string]string{}
	for _, g := range c.Grids {
		names[g.Code.String()] = g.Name
	}
	grids := geojson.NewFeatureCollection()
	for _, g := range set.Grids {
		f := geojson.NewFeature(g.Geometry)
		f.Properties = geojson.Properties{"网格编码": g.Key, "网格名称": names[g.Key], "SQBM": g.Community}
		grids.Append(f)
	}
	units := geojson.NewFeatureCollection()
	for _, u := range c.Units {
		if u.Level() == geo.LevelCommunity && len(u.Geometry) > 0 {
			f := geojson.NewFeature(u.Geometry)
			f.Properties = geojson.Properties{"SQBM": u.Code.String(), "SQMC": u.Name}
			units.Append(f)
		}
	}
	rows := [][]string{{"地址", "户数", "经度", "纬度"}}
	for _, b := range c.Buildings {
		p := crs.WGS84ToGCJ02(b.Point)
		rows = append(rows, []string{b.Address.String(), strconv.Itoa(b.Households),
			strconv.FormatFloat(p[0], 'f', 8, 64), strconv.FormatFloat(p[1], 'f', 8, 64)})
	}
	addrs := filepath.Join(dir, "标准地址.csv")
	fh, err := os.Create(addrs)
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(fh)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
	writeFC(t, filepath.Join(dir, "grids.geojson"), grids)
	writeFC(t, filepath.Join(dir, "units.geojson"), units)
	shp := filepath.Join(dir, "wg", "网格.shp")
	if err := os.MkdirAll(filepath.Dir(shp), 0o755); err != nil {
		t.Fatal(err)
	}
	ogr2ogr(t, "-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4544", "-lco", "ENCODING=GBK", shp, filepath.Join(dir, "grids.geojson"))
	if err := os.Remove(strings.TrimSuffix(shp, ".shp") + ".cpg"); err != nil {
		t.Fatalf("removing the .cpg to force detection: %v", err)
	}
	gpkg := filepath.Join(dir, "sq.gpkg")
	ogr2ogr(t, "-f", "GPKG", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4490", "-nln", "社区", gpkg, filepath.Join(dir, "units.geojson"))
	return []string{"--grids", shp, "--units", gpkg + "#社区", "--buildings", addrs, "--buildings-crs", "gcj02"}
}

// TestImportGDALCity imports the embedded city as GDAL wrote it,
// roughened, with the real binary, serves the store it built, and looks
// up a point inside each original grid (2 m or more from its border):
// every one answers the grid's original code.
func TestImportGDALCity(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs GDAL")
	}
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	inputs := gdalCity(t, dir, c)
	bin := buildGridmap(t)
	store, report := filepath.Join(dir, "store"), filepath.Join(dir, "report")
	out := runCLI(t, bin, append([]string{"import", "--quiet", "--store", store, "--report", report}, inputs...)...)
	t.Log(out)
	for _, f := range []string{"report.md", "report.json", "repairs.geojson"} {
		if _, err := os.Stat(filepath.Join(report, f)); err != nil {
			t.Errorf("report: %v", err)
		}
	}
	var rep struct {
		Inputs  []struct{ Role, Encoding, CRS string } `json:"inputs"`
		Counts  struct{ Grids, Buildings, Households int }
		Repairs []json.RawMessage `json:"repairs"`
	}
	b, _ := os.ReadFile(filepath.Join(report, "report.json"))
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Counts.Grids != len(c.Grids) || rep.Counts.Buildings != len(c.Buildings) || len(rep.Repairs) == 0 {
		t.Errorf("report counts %+v, %d repairs; want %d grids, %d buildings, repairs", rep.Counts, len(rep.Repairs), len(c.Grids), len(c.Buildings))
	}
	if len(rep.Inputs) == 0 || !strings.Contains(rep.Inputs[0].Encoding, "GB") || !strings.Contains(rep.Inputs[0].CRS, "4544") {
		t.Errorf("grids input %+v, want a GBK/GB18030 encoding detected and EPSG:4544", rep.Inputs)
	}
	srv := startServeProcess(t, bin, "--store", store)
	checkServedLookups(t, srv.base, c)
	if st, body := get(t, srv.base+"/v1/import/repairs.geojson"); st != 200 || !strings.Contains(body, `"kind"`) {
		t.Errorf("GET /v1/import/repairs.geojson = %d %.200s, want the repairs", st, body)
	}
}

// checkServedLookups posts an interior point of each grid of c (2 m or
// more inside) to /v1/lookup and wants each grid's own code back.
func checkServedLookups(t *testing.T, base string, c *geo.City) {
	t.Helper()
	var pts []orb.Point
	var want []string
	for _, g := range c.Grids {
		p, ok := geo.InteriorPoint(g.Geometry)
		if ok && borderMeters(g.Geometry, p) >= 2 {
			pts, want = append(pts, p), append(want, g.Code.String())
		}
	}
	body, _ := json.Marshal(map[string]any{"points": pts})
	resp, err := http.Post(base+"/v1/lookup", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Results []*struct {
			Grid struct{ Code string } `json:"grid"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || len(got.Results) != len(pts) {
		t.Fatalf("POST /v1/lookup: %v, %d results for %d points", err, len(got.Results), len(pts))
	}
	bad := 0
	for i, r := range got.Results {
		if r == nil || r.Grid.Code != want[i] {
			if bad++; bad <= 5 {
				t.Errorf("lookup %v = %+v, want grid %s", pts[i], r, want[i])
			}
		}
	}
	t.Logf("%d of %d interior points answer their original grid", len(pts)-bad, len(pts))
	if bad > 0 {
		t.Errorf("%d points answer another grid", bad)
	}
}

// borderMeters is the distance in metres from p to mp's nearest edge.
func borderMeters(mp orb.MultiPolygon, p orb.Point) float64 {
	kx := 111320 * math.Cos(p[1]*math.Pi/180)
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				ax, ay := (r[i-1][0]-p[0])*kx, (r[i-1][1]-p[1])*110540
				dx, dy := (r[i][0]-r[i-1][0])*kx, (r[i][1]-r[i-1][1])*110540
				s := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					s = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
				}
				best = math.Min(best, math.Hypot(ax+s*dx, ay+s*dy))
			}
		}
	}
	return best
}
