package server

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// needGDAL returns the path of a GDAL tool, failing the test with what to
// install when it is missing (GRIDMAP_SKIP=gdal skips instead).
func needGDAL(t *testing.T, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err == nil {
		return p
	}
	if slices.Contains(strings.Split(os.Getenv("GRIDMAP_SKIP"), ","), "gdal") {
		t.Skipf("%s not found; GRIDMAP_SKIP=gdal", tool)
	}
	t.Fatalf("%s is not on PATH: install Debian's gdal-bin (apt-get install gdal-bin), or set GRIDMAP_SKIP=gdal to skip", tool)
	return ""
}

// gdal runs a GDAL tool and returns its standard output.
func gdal(t *testing.T, tool string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needGDAL(t, tool), args...)
	cmd.Env = append(os.Environ(), "GDAL_HTTP_TIMEOUT=60", "CPL_VSIL_CURL_CACHE_SIZE=0", "GDAL_DISABLE_READDIR_ON_OPEN=EMPTY_DIR")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// gdalFeatures is a GeoJSON file written by ogr2ogr, keyed by feature.
type gdalFeatures map[string]ogcFeatDoc

// readGDAL reads a GeoJSON file written by ogr2ogr; key names the property
// that identifies features.
func readGDAL(t *testing.T, path, key string) gdalFeatures {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []ogcFeatDoc `json:"features"`
	}
	decode(t, data, &fc)
	out := gdalFeatures{}
	for _, f := range fc.Features {
		// GDAL's GeoJSON writer moves an integer id attribute to the
		// feature id; key and compare without it.
		kv, ok := f.Properties[key]
		if !ok {
			kv = f.ID
		}
		k := fmt.Sprint(kv)
		delete(f.Properties, "id")
		if _, dup := out[k]; dup {
			t.Errorf("%s: feature %s twice", filepath.Base(path), k)
		}
		out[k] = f
	}
	if len(out) == 0 {
		t.Fatalf("%s holds no features", path)
	}
	return out
}

// TestOGCWithGDAL reads every collection with GDAL's OAPIF driver from a
// real server over the fixture city and compares counts, attributes and
// geometries with what GDAL reads from /v1/export.
func TestOGCWithGDAL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs GDAL against the fixture city")
	}
	needGDAL(t, "ogrinfo")
	s := benchServer(t)
	base, _, _, _ := startServer(t, s)
	src := "OAPIF:" + base + "/ogc"
	list := gdal(t, "ogrinfo", "-ro", "-q", src)
	for _, col := range ogcCollections {
		if !strings.Contains(list, ": "+col.id+" ") {
			t.Errorf("ogrinfo %s does not list %s:\n%s", src, col.id, list)
		}
	}
	dir := t.TempDir()
	for _, col := range ogcCollections {
		t.Run(col.id, func(t *testing.T) {
			key, layer, where := "id", col.id, ""
			if col.props[0].name == "code" { // units
				key, layer, where = "code", "units", "level = '"+strings.TrimSuffix(strings.TrimSuffix(col.id, "s"), "ie")+"'"
				if col.id == "communities" {
					where = "level = 'community'"
				}
			}
			got := filepath.Join(dir, col.id+"-ogc.json")
			gdal(t, "ogr2ogr", "-f", "GeoJSON", got, src, col.id, "-oo", "PAGE_SIZE=5000")
			want := filepath.Join(dir, col.id+"-export.json")
			args := []string{"-f", "GeoJSON", want, base + "/v1/export/" + layer + ".geojson"}
			if where != "" {
				args = append(args, "-where", where)
			}
			gdal(t, "ogr2ogr", args...)
			compareGDAL(t, readGDAL(t, got, key), readGDAL(t, want, key))
		})
	}
}

// compareGDAL checks that two reads hold the same features with the same
// attributes (id aside, which readGDAL drops) and geometries.
func compareGDAL(t *testing.T, got, want gdalFeatures) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("OAPIF read %d features, the export %d", len(got), len(want))
	}
	bad := 0
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("feature %s is missing from the OAPIF read", k)
			continue
		}
		if !reflect.DeepEqual(g.Properties, w.Properties) || !jsonEqual(g.Geometry, w.Geometry) {
			if bad++; bad <= 3 {
				t.Errorf("feature %s: OAPIF %v, export %v", k, g.Properties, w.Properties)
			}
		}
	}
}

// TestOGCGDALPagingAndCRS pages the grids with GDAL 100 at a time and
// reads the EPSG:4490 output with GDAL (through the OAPIF CRS open option
// where the GDAL build has it, GDAL >= 3.7; else as plain GeoJSON), checking
// it against the WGS-84 read: the same positions, latitude first.
func TestOGCGDALPagingAndCRS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs GDAL against the fixture city")
	}
	needGDAL(t, "ogr2ogr")
	s := benchServer(t)
	base, _, _, _ := startServer(t, s)
	dir := t.TempDir()
	paged := filepath.Join(dir, "paged.json")
	gdal(t, "ogr2ogr", "-f", "GeoJSON", paged, "OAPIF:"+base+"/ogc", "grids", "-oo", "PAGE_SIZE=100")
	wgs := readGDAL(t, paged, "id")
	if n := len(s.Snapshot().City.Grids); len(wgs) != n {
		t.Errorf("GDAL paged %d grids, want %d", len(wgs), n)
	}
	cgcs := filepath.Join(dir, "4490.json")
	if strings.Contains(gdal(t, "ogrinfo", "--format", "OAPIF"), `name="CRS"`) {
		gdal(t, "ogr2ogr", "-f", "GeoJSON", cgcs, "OAPIF:"+base+"/ogc", "grids", "-oo", "CRS=EPSG:4490", "-oo", "PAGE_SIZE=1000")
		got := readGDAL(t, cgcs, "id")
		compareGDAL(t, got, wgs) // GDAL writes GeoJSON lon/lat whatever it read
		return
	}
	gdal(t, "ogr2ogr", "-f", "GeoJSON", cgcs, "GeoJSON:"+base+"/ogc/collections/grids/items?limit=10000&crs=EPSG:4490")
	got := readGDAL(t, cgcs, "id")
	if len(got) != len(wgs) {
		t.Fatalf("EPSG:4490 read %d grids, WGS-84 %d", len(got), len(wgs))
	}
	for k, w := range wgs {
		if !jsonEqual(coords(t, got[k]), swapped(coords(t, w))) {
			t.Fatalf("grid %s: the EPSG:4490 positions are not the WGS-84 ones latitude first", k)
		}
	}
}

// TestOGCGaussKrugerWithGDAL reprojects the WGS-84 grids with GDAL (PROJ)
// to CGCS2000 Gauss-Krüger EPSG:4544 and EPSG:4496 and compares every
// position with the server's own output in those systems (northing first
// on the wire, so swapped), within 2 mm.
func TestOGCGaussKrugerWithGDAL(t *testing.T) {
	if testing.Short() {
		t.Skip("runs GDAL against the fixture city")
	}
	needGDAL(t, "ogr2ogr")
	s := benchServer(t)
	base, _, _, _ := startServer(t, s)
	dir := t.TempDir()
	items := base + "/ogc/collections/grids/items?limit=10000"
	for _, code := range []string{"4544", "4496"} {
		proj := filepath.Join(dir, code+"-gdal.json")
		gdal(t, "ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:"+code, "-lco", "COORDINATE_PRECISION=4", proj, "GeoJSON:"+items)
		ours := filepath.Join(dir, code+"-ours.json")
		gdal(t, "ogr2ogr", "-f", "GeoJSON", ours, "GeoJSON:"+items+"&crs=EPSG:"+code)
		want, got := readGDAL(t, proj, "id"), readGDAL(t, ours, "id")
		if len(got) != len(want) {
			t.Fatalf("EPSG:%s: %d grids, GDAL reprojected %d", code, len(got), len(want))
		}
		worst := 0.0
		for k, w := range want {
			worst = max(worst, maxDiff(swapped(coords(t, got[k])), coords(t, w)))
		}
		t.Logf("EPSG:%s: %d grids, largest difference from GDAL/PROJ %.4f m", code, len(want), worst)
		if worst > 0.002 {
			t.Errorf("EPSG:%s: positions differ from GDAL/PROJ by up to %.4f m", code, worst)
		}
	}
}

// maxDiff returns the largest difference between matching numbers of two
// nested coordinate arrays (+Inf when their shapes differ).
func maxDiff(a, b any) float64 {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		if !ok {
			return math.Inf(1)
		}
		return math.Abs(x - y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return math.Inf(1)
		}
		d := 0.0
		for i := range x {
			d = max(d, maxDiff(x[i], y[i]))
		}
		return d
	}
	return math.Inf(1)
}
