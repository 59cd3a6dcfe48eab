package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/paulmach/orb"
)

// smallCity writes the fixture city in the loader's format and returns
// the directory.
func smallCity(t *testing.T) string {
	t.Helper()
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := cityio.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestImportBadInputs: every bad input is an error naming the file, the
// feature where there is one, and the fault, and the store is untouched:
// a new store is not created, an existing one keeps its bytes.
func TestImportBadInputs(t *testing.T) {
	city := smallCity(t)
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	truncated := write("cut.shp", "\x00\x00\x27\x0a")
	write("cut.shx", "")
	write("cut.dbf", "")
	noGeom := write("nogeom.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WGBM":"520201001001001"},"geometry":null}]}`)
	badJSON := write("bad.geojson", `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3]]]}}]}`)
	badMapping := write("mapping.json", `{"grids": {"code": "网格编号"}}`)
	grids := filepath.Join(city, "grids.geojson")
	existing := filepath.Join(t.TempDir(), "existing")
	if _, err := run(t, context.Background(), "import", "--quiet", "--store", existing, "--grids", grids, "--units", filepath.Join(city, "units.geojson"), "--crs", "wgs84"); err != nil {
		t.Fatalf("importing the fixture grids: %v", err)
	}
	before, err := os.ReadFile(filepath.Join(existing, "gridmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		store string
		args  []string
		want  []string
	}{
		{"truncated shp", "", []string{"--grids", truncated, "--crs", "wgs84"}, []string{"cut.shp"}},
		{"no geometry", "", []string{"--grids", noGeom, "--crs", "wgs84"}, []string{"nogeom.geojson: feature 1:", "no geometry"}},
		{"bad coordinates", "", []string{"--grids", badJSON, "--crs", "wgs84"}, []string{"bad.geojson: feature 1:"}},
		{"no crs", "", []string{"--grids", grids}, []string{"grids.geojson: declares no coordinate system", "--grids-crs"}},
		{"unknown crs", "", []string{"--grids", grids, "--grids-crs", "epsg:1234"}, []string{"--grids-crs", "1234"}},
		{"wrong crs", "", []string{"--grids", grids, "--crs", "epsg:4544"}, []string{"grids.geojson: coordinates", "look like degrees", "EPSG:4544"}},
		{"unknown type", "", []string{"--grids", write("g.kml", "<kml/>"), "--crs", "wgs84"}, []string{"--grids", "g.kml", "unknown file type"}},
		{"missing file", "", []string{"--grids", filepath.Join(dir, "none.shp"), "--crs", "wgs84"}, []string{"none.shp"}},
		{"mapping names a missing column", "", []string{"--grids", grids, "--crs", "wgs84", "--mapping", badMapping}, []string{"grids.geojson", "网格编号"}},
		{"store holds a city", existing, []string{"--grids", grids, "--crs", "wgs84"}, []string{"already holds a city"}},
		{"grids outside every community", existing + "-new", []string{"--grids", grids, "--units", write("far.geojson",
			`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"520201011001","name":"x"},"geometry":{"type":"Polygon","coordinates":[[[100,20],[100.01,20],[100.01,20.01],[100,20]]]}}]}`),
			"--crs", "wgs84"}, []string{"grids.geojson: feature 1: grid 520201011001001"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := c.store
			if store == "" {
				store = filepath.Join(t.TempDir(), "store")
			}
			_, err := run(t, context.Background(), append([]string{"import", "--quiet", "--store", store}, c.args...)...)
			if err == nil {
				t.Fatal("import succeeded, want an error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if store != existing {
				if _, serr := os.Stat(filepath.Join(store, "gridmap.db")); serr == nil {
					t.Errorf("a failed import created a store in %s", store)
				}
			}
		})
	}
	after, _ := os.ReadFile(filepath.Join(existing, "gridmap.db"))
	if !bytes.Equal(before, after) {
		t.Error("failed imports changed the existing store")
	}
}

// TestImportDryRun writes the report and no store.
func TestImportDryRun(t *testing.T) {
	city := smallCity(t)
	store, report := filepath.Join(t.TempDir(), "store"), filepath.Join(t.TempDir(), "report")
	out, err := run(t, context.Background(), "import", "--quiet", "--dry-run", "--store", store, "--report", report,
		"--grids", filepath.Join(city, "grids.geojson"), "--buildings", filepath.Join(city, "buildings.geojson"), "--crs", "wgs84")
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if !strings.Contains(out, "dry run: nothing stored") || !strings.Contains(out, "2176 grids") {
		t.Errorf("output %q", out)
	}
	if _, err := os.Stat(store); err == nil {
		t.Error("a dry run created the store")
	}
	md, err := os.ReadFile(filepath.Join(report, "report.md"))
	if err != nil || !strings.Contains(string(md), "| grids |") || !strings.Contains(string(md), "code = code (recognised)") {
		t.Errorf("report.md: %v\n%s", err, md)
	}
}

// TestServeNoisyData is the example through serve: the fixture
// city exported, its grids roughened (vertices moved by up to 0.5 m,
// slivers, gaps, overlaps, bow-ties), served with --data. The strict
// loader refuses it; serve repairs it, logs the repairs and serves them.
func TestServeNoisyData(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and repairs the fixture city")
	}
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := cityio.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	g, cm := rough.CityGrids(c)
	set := rough.Roughen(g, cm, rough.Options{Seed: 3})
	byKey := map[string]orb.MultiPolygon{}
	for _, rg := range set.Grids {
		if _, ok := byKey[rg.Key]; !ok {
			byKey[rg.Key] = rg.Geometry
		}
	}
	for _, g := range c.Grids {
		g.Geometry = byKey[g.Code.String()]
	}
	fh, err := os.Create(filepath.Join(dir, "grids.geojson"))
	if err != nil {
		t.Fatal(err)
	}
	if err := cityio.WriteLayer(fh, c, cityio.LayerGrids); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	if _, err := cityio.Read(dir); err == nil {
		t.Fatal("the strict loader accepts the roughened city: the test proves nothing")
	}
	base, stop, logs := startServe(t, noEnv, "--data", dir, "--store", "")
	defer stop()
	if logField(logs.String(), "the city's data needed repairs (gridmap import --report DIR lists each)", "repairs") == "" {
		t.Errorf("no repairs logged:\n%.2000s", logs.String())
	}
	if st, body := get(t, base+"/v1/import/repairs.geojson"); st != 200 || !strings.Contains(body, `"kind"`) {
		t.Errorf("GET /v1/import/repairs.geojson = %d %.200s", st, body)
	}
}
