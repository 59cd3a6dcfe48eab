package gpkg

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// cityGeoJSON is a small layer with every geometry type, holes, several
// parts, a null geometry and attributes of each type, in lon/lat.
const cityGeoJSON = `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"钟山区荷城街道","code":520201001,"hs":312,"area":0.1,"ok":true,"day":"2024-01-02","note":null},
 "geometry":{"type":"Point","coordinates":[104.8304,26.5925]}},
{"type":"Feature","properties":{"name":"凉都花园 \"3栋\", 2单元","code":520201002,"hs":0,"area":1e-7,"ok":false,"day":"2023-12-31","note":"a,b"},
 "geometry":{"type":"Polygon","coordinates":[[[104.81,26.58],[104.83,26.58],[104.83,26.60],[104.81,26.60],[104.81,26.58]],
  [[104.815,26.585],[104.815,26.59],[104.82,26.59],[104.82,26.585],[104.815,26.585]]]}},
{"type":"Feature","properties":{"name":"水城区","code":520204001,"hs":-5,"area":123456789.125,"ok":null,"day":null,"note":"😀"},
 "geometry":{"type":"MultiPolygon","coordinates":[
  [[[104.9,26.5],[104.95,26.5],[104.95,26.55],[104.9,26.5]]],
  [[[105.0,26.5],[105.1,26.5],[105.1,26.6],[105.0,26.6],[105.0,26.5]],[[105.02,26.52],[105.02,26.58],[105.08,26.58],[105.02,26.52]]]]}},
{"type":"Feature","properties":{"name":"无几何","code":1,"hs":1,"area":2.5,"ok":true,"day":"2020-02-29","note":""},"geometry":null},
{"type":"Feature","properties":{"name":"路","code":2,"hs":2,"area":3,"ok":false,"day":"2020-03-01","note":"x"},
 "geometry":{"type":"LineString","coordinates":[[104.8,26.5],[104.9,26.6],[104.95,26.65]]}},
{"type":"Feature","properties":{"name":"多路","code":3,"hs":3,"area":4,"ok":true,"day":"2020-03-02","note":"y"},
 "geometry":{"type":"MultiLineString","coordinates":[[[104.8,26.5],[104.9,26.6]],[[105.8,26.5],[105.9,26.6]]]}},
{"type":"Feature","properties":{"name":"多点","code":4,"hs":4,"area":5,"ok":false,"day":"2020-03-03","note":"z"},
 "geometry":{"type":"MultiPoint","coordinates":[[104.8,26.5],[104.9,26.6]]}}
]}`

// toMeters rewrites cityGeoJSON's lon/lat into plausible EPSG:4544
// easting/northing, so a projected layer has meter-sized numbers.
func toMeters(t *testing.T, s string) string {
	t.Helper()
	fc, err := geojson.UnmarshalFeatureCollection([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		if f.Geometry != nil {
			f.Geometry = orbApply(f.Geometry, func(p orb.Point) orb.Point {
				return orb.Point{500000 + (p[0]-105)*99800.123, p[1] * 110700.456}
			})
		}
	}
	b, err := fc.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// orbApply returns g with f applied to every point (g is a fresh copy).
func orbApply(g orb.Geometry, f func(orb.Point) orb.Point) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.MultiPoint:
		out := make(orb.MultiPoint, len(g))
		for i, p := range g {
			out[i] = f(p)
		}
		return out
	case orb.LineString:
		return orb.LineString(orbApply(orb.MultiPoint(g), f).(orb.MultiPoint))
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, l := range g {
			out[i] = orbApply(l, f).(orb.LineString)
		}
		return out
	case orb.Polygon:
		out := make(orb.Polygon, len(g))
		for i, r := range g {
			out[i] = orb.Ring(orbApply(orb.MultiPoint(r), f).(orb.MultiPoint))
		}
		return out
	case orb.MultiPolygon:
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = orbApply(p, f).(orb.Polygon)
		}
		return out
	}
	return g
}

// writeGPKG writes a GeoJSON text into a GeoPackage layer with ogr2ogr
// (extra arguments such as -a_srs, -dim) and returns the file's path.
func writeGPKG(t *testing.T, dir, file, layer, gj string, extra ...string) string {
	t.Helper()
	src := filepath.Join(dir, layer+".geojson")
	if err := os.WriteFile(src, []byte(gj), 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, file)
	args := []string{"-f", "GPKG", "-nln", layer}
	if _, err := os.Stat(dst); err == nil {
		args = append(args, "-update")
	}
	thirdparty.Ogr2ogr(t, append(append(args, extra...), dst, src)...)
	return dst
}

// gdalGeoJSON reads a GeoPackage layer with GDAL (ogr2ogr to GeoJSON on
// stdout, 17 significant digits so coordinates come back exact).
func gdalGeoJSON(t *testing.T, path, layer string) *geojson.FeatureCollection {
	t.Helper()
	bin := thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	out, err := exec.Command(bin, "-f", "GeoJSON", "-lco", "SIGNIFICANT_FIGURES=17", "/vsistdout/", path, layer).Output()
	if err != nil {
		t.Fatalf("ogr2ogr GeoJSON %s %s: %v", path, layer, err)
	}
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatalf("reading ogr2ogr's GeoJSON of %s: %v", path, err)
	}
	return fc
}

// compareWithGDAL checks that l has GDAL's features in order, with
// exactly the same coordinates and the same attribute values.
func compareWithGDAL(t *testing.T, l *ingest.Layer, fc *geojson.FeatureCollection) {
	t.Helper()
	if len(l.Features) != len(fc.Features) {
		t.Fatalf("%s %s: %d features, GDAL reads %d", l.Source, l.Name, len(l.Features), len(fc.Features))
	}
	faults := 0
	for i, want := range fc.Features {
		got := l.Features[i]
		if got.Index != i+1 {
			t.Errorf("feature %d has Index %d", i+1, got.Index)
		}
		if err := sameGeometry(got.Geometry, want.Geometry); err != nil {
			t.Errorf("%s feature %d: %v\n got  %v\n GDAL %v", l.Name, got.Index, err, got.Geometry, want.Geometry)
			faults++
		}
		if len(want.Properties) != len(l.Fields) {
			t.Errorf("%s feature %d: fields %v, GDAL has %v", l.Name, got.Index, l.Fields, want.Properties)
		}
		for j, name := range l.Fields {
			w, ok := want.Properties[name]
			if !ok || !sameValue(got.Props[j], w) {
				t.Errorf("%s feature %d: %s = %q, GDAL reads %#v", l.Name, got.Index, name, got.Props[j], w)
				faults++
			}
		}
		if faults > 10 {
			t.Fatal("too many differences")
		}
	}
}

// sameGeometry compares a geometry with GDAL's: the same type and
// structure, and coordinates equal to the bit or, where GDAL's GeoJSON
// writer rounds "noise" digits away (it prints 2933562.0840000003 as
// 2933562.084 whatever its precision options), within 2 ulps. GDAL's empty
// geometries are nil here.
func sameGeometry(got, want orb.Geometry) error {
	if want != nil && len(thirdparty.Points(want)) == 0 {
		want = nil
	}
	if got == nil || want == nil {
		if got != nil || want != nil {
			return fmt.Errorf("one geometry is nil")
		}
		return nil
	}
	if got.GeoJSONType() != want.GeoJSONType() {
		return fmt.Errorf("type %s, GDAL %s", got.GeoJSONType(), want.GeoJSONType())
	}
	if fmt.Sprint(thirdparty.Parts(got)) != fmt.Sprint(thirdparty.Parts(want)) {
		return fmt.Errorf("parts %v, GDAL %v", thirdparty.Parts(got), thirdparty.Parts(want))
	}
	gp, wp := thirdparty.Points(got), thirdparty.Points(want)
	for i := range gp {
		for k := range 2 {
			a, b := gp[i][k], wp[i][k]
			if a != b && math.Abs(a-b) > 2*ulp(math.Max(math.Abs(a), math.Abs(b))) {
				return fmt.Errorf("point %d: %v, GDAL %v", i, gp[i], wp[i])
			}
		}
	}
	return nil
}

func ulp(x float64) float64 { return math.Nextafter(x, math.Inf(1)) - x }

// sameValue compares a text value with GDAL's GeoJSON value.
func sameValue(got string, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == ""
	case bool:
		return got == strconv.FormatBool(w)
	case float64:
		f, err := strconv.ParseFloat(got, 64)
		return err == nil && f == w && !strings.ContainsAny(got, "eE")
	case string:
		return got == w
	}
	return false
}

func TestReadAgainstGDAL(t *testing.T) {
	dir := t.TempDir()
	path := writeGPKG(t, dir, "city.gpkg", "grids_4490", cityGeoJSON, "-a_srs", "EPSG:4490")
	writeGPKG(t, dir, "city.gpkg", "grids_4544", toMeters(t, cityGeoJSON), "-a_srs", "EPSG:4544")
	writeGPKG(t, dir, "city.gpkg", "grids_xyz", cityGeoJSON, "-a_srs", "EPSG:4490", "-dim", "XYZ")
	writeGPKG(t, dir, "city.gpkg", "grids_xym", cityGeoJSON, "-a_srs", "EPSG:4490", "-dim", "XYM")
	writeGPKG(t, dir, "city.gpkg", "grids_xyzm", cityGeoJSON, "-a_srs", "EPSG:4490", "-dim", "XYZM")

	names, err := Layers(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"grids_4490", "grids_4544", "grids_xyz", "grids_xym", "grids_xyzm"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("Layers = %v, want %v", names, want)
	}
	srs := map[string]int{"grids_4490": 4490, "grids_4544": 4544, "grids_xyz": 4490, "grids_xym": 4490, "grids_xyzm": 4490}
	for _, name := range names {
		l, err := Read(path, name)
		if err != nil {
			t.Fatalf("Read(%s): %v", name, err)
		}
		if l.SRS.EPSG != srs[name] || !strings.Contains(l.SRS.WKT, "AUTHORITY") {
			t.Errorf("%s: SRS %+v, want EPSG:%d with WKT", name, l.SRS, srs[name])
		}
		compareWithGDAL(t, l, gdalGeoJSON(t, path, name))
	}
	odd := filepath.Join(dir, "数据 目录?", "网格#1 %20.gpkg")
	if err := os.MkdirAll(filepath.Dir(odd), 0o755); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(path); err != nil || os.WriteFile(odd, data, 0o644) != nil {
		t.Fatal(err)
	}
	if got, err := Layers(odd); err != nil || len(got) != len(want) {
		t.Errorf("Layers(%q) = %v, %v", odd, got, err)
	}
	l, _ := Read(path, "GRIDS_4490")
	if l == nil || l.Name != "grids_4490" || l.Features[0].Props[0] != "钟山区荷城街道" {
		t.Errorf("Read(GRIDS_4490) = %+v", l)
	}
	if _, err := Read(path, ""); err == nil || !strings.Contains(err.Error(), "5 feature layers") {
		t.Errorf(`Read(path, "") with 5 layers: %v`, err)
	}
}

// TestReadNC reads the real nc.gpkg (North Carolina counties, NAD27) that
// Debian's r-cran-sf ships, and compares it with GDAL.
func TestReadNC(t *testing.T) {
	path := filepath.Join(thirdparty.RCranSF(t), "gpkg", "nc.gpkg")
	names, err := Layers(path)
	if err != nil || len(names) != 1 || names[0] != "nc.gpkg" {
		t.Fatalf("Layers(nc.gpkg) = %v, %v", names, err)
	}
	l, err := Read(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Features) != 100 || l.SRS.EPSG != 4267 {
		t.Errorf("nc.gpkg: %d features, EPSG:%d; want 100 counties in EPSG:4267", len(l.Features), l.SRS.EPSG)
	}
	compareWithGDAL(t, l, gdalGeoJSON(t, path, names[0]))
}
