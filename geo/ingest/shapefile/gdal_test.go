package shapefile

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// sampleLayers writes GeoJSON inputs with Chinese attributes: polygons
// (holes, multi-parts, an island in a hole, null geometries, integer,
// real and date fields), lines, points and multipoints around Liupanshui.
func sampleLayers(t *testing.T, dir string, r *rand.Rand) map[string]string {
	var polys, lines, points, mpoints []string
	for i := 0; i < 150; i++ {
		c := orb.Point{104.80 + 0.01*float64(i%15), 26.55 + 0.01*float64(i/15)}
		props := map[string]any{
			"name": chineseName(r), "code": fmt.Sprintf("520201%09d", r.Intn(1e9)),
			"hs": r.Intn(5000), "area": float64(r.Intn(1e6)) / 1000, "d": fmt.Sprintf("20%02d-%02d-%02d", r.Intn(25), 1+r.Intn(12), 1+r.Intn(28)),
		}
		if r.Intn(8) == 0 {
			props["name"], props["hs"], props["d"] = nil, nil, nil
		}
		polys = append(polys, feature(polygonJSON(r, c), props))
		if i < 60 {
			lines = append(lines, feature(lineJSON(r, c), map[string]any{"name": chineseName(r), "highway": "residential"}))
		}
		if i < 80 {
			points = append(points, feature(fmt.Sprintf(`{"type":"Point","coordinates":[%.9f,%.9f]}`, c[0]+r.Float64()*0.01, c[1]), map[string]any{"addr": chineseName(r), "hs": r.Intn(100)}))
		}
		if i < 20 {
			mpoints = append(mpoints, feature(fmt.Sprintf(`{"type":"MultiPoint","coordinates":[[%.9f,%.9f],[%.9f,%.9f]]}`, c[0], c[1], c[0]+0.001, c[1]+0.002), map[string]any{"n": i}))
		}
	}
	return map[string]string{
		"grids":   writeGeoJSON(t, dir, "grids", polys),
		"streets": writeGeoJSON(t, dir, "streets", lines),
		"points":  writeGeoJSON(t, dir, "points", points),
		"mpoints": writeGeoJSON(t, dir, "mpoints", mpoints),
	}
}

// polygonJSON is a null geometry, a polygon with up to two holes, a
// multipolygon of two parts with holes, or a shell with a hole holding an
// island with its own hole.
func polygonJSON(r *rand.Rand, c orb.Point) string {
	part := func(c orb.Point, r0, r1 float64, holes int) string {
		rings := []string{starRing(r, c, r0, r1)}
		for h := 0; h < holes; h++ {
			d := 0.3 * r0
			if h == 1 {
				d = -d
			}
			rings = append(rings, starRing(r, orb.Point{c[0] + d, c[1]}, 0.05*r0, 0.15*r0))
		}
		return "[" + strings.Join(rings, ",") + "]"
	}
	switch k := r.Intn(20); {
	case k == 0:
		return "null"
	case k < 10:
		return `{"type":"Polygon","coordinates":` + part(c, 0.002, 0.004, r.Intn(3)) + "}"
	case k < 17:
		a := part(orb.Point{c[0] - 0.003, c[1]}, 0.0015, 0.0025, r.Intn(3))
		b := part(orb.Point{c[0] + 0.003, c[1]}, 0.0015, 0.0025, r.Intn(3))
		return `{"type":"MultiPolygon","coordinates":[` + a + "," + b + "]}"
	}
	outer := "[" + starRing(r, c, 0.0040, 0.0045) + "," + starRing(r, c, 0.0025, 0.0030) + "]"
	island := "[" + starRing(r, c, 0.0010, 0.0015) + "," + starRing(r, c, 0.0002, 0.0004) + "]"
	return `{"type":"MultiPolygon","coordinates":[` + outer + "," + island + "]}"
}

func lineJSON(r *rand.Rand, c orb.Point) string {
	line := func(y float64) string {
		n := 2 + r.Intn(6)
		var pts []string
		for i := 0; i < n; i++ {
			pts = append(pts, fmt.Sprintf("[%.9f,%.9f]", c[0]+0.001*float64(i), y+0.0005*r.Float64()))
		}
		return "[" + strings.Join(pts, ",") + "]"
	}
	if r.Intn(3) == 0 {
		return `{"type":"MultiLineString","coordinates":[` + line(c[1]) + "," + line(c[1]+0.003) + "]}"
	}
	return `{"type":"LineString","coordinates":` + line(c[1]) + "}"
}

// TestAgainstGDAL writes sample layers with ogr2ogr in several encodings,
// dimensions and coordinate systems, reads them with Read, and compares
// every feature with GDAL's reading. Variants holding the same 2D data as
// another (other encodings, Z or M added) are compared with GDAL's
// reading of that one, which spares the machine half the ogr2ogr runs.
func TestAgainstGDAL(t *testing.T) {
	thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	inputs := sampleLayers(t, t.TempDir(), rand.New(rand.NewSource(seed(t))))
	cases := []struct {
		name     string
		args     []string
		dropCPG  bool
		encoding string
		from     string
		sameAs   string // the case whose GDAL reading is the reference
	}{
		{"gbk", []string{"-lco", "ENCODING=GBK"}, false, "GBK", "cpg", ""},
		{"utf8", []string{"-lco", "ENCODING=UTF-8"}, false, "UTF-8", "cpg", "gbk"},
		{"gbk-without-cpg", []string{"-lco", "ENCODING=GBK"}, true, "GB18030", "detected", "gbk"},
		{"utf8-without-cpg", []string{"-lco", "ENCODING=UTF-8"}, true, "UTF-8", "detected", "gbk"},
		{"gbk-epsg4544", []string{"-lco", "ENCODING=GBK", "-s_srs", "EPSG:4490", "-t_srs", "EPSG:4544"}, false, "GBK", "cpg", ""},
		{"xyz", []string{"-lco", "ENCODING=GBK", "-dim", "XYZ"}, false, "GBK", "cpg", "gbk"},
		{"xym", []string{"-lco", "ENCODING=GBK", "-dim", "XYM"}, false, "GBK", "cpg", "gbk"},
	}
	reference := map[string]*geojson.FeatureCollection{} // case/layer -> GDAL's reading
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, layer := range []string{"grids", "streets", "points", "mpoints"} {
				shp := filepath.Join(dir, layer+".shp")
				thirdparty.Ogr2ogr(t, append([]string{"-f", "ESRI Shapefile", shp, inputs[layer]}, tc.args...)...)
				want := reference[tc.sameAs+"/"+layer]
				if tc.sameAs == "" {
					want = gdalRead(t, shp)
					reference[tc.name+"/"+layer] = want
				}
				if want == nil {
					t.Fatalf("case %s needs case %s to have run", tc.name, tc.sameAs)
				}
				if tc.dropCPG {
					if err := os.Remove(filepath.Join(dir, layer+".cpg")); err != nil {
						t.Fatal(err)
					}
				}
				l, err := Read(shp, Options{})
				if err != nil {
					t.Fatalf("Read(%s): %v", shp, err)
				}
				wantEnc := tc.encoding
				if layer == "mpoints" && tc.dropCPG {
					wantEnc = "UTF-8" // no text at all: ASCII is valid UTF-8
				}
				if l.Encoding != wantEnc || l.EncodingFrom != tc.from {
					t.Errorf("%s: encoding %s from %s, want %s from %s", layer, l.Encoding, l.EncodingFrom, wantEnc, tc.from)
				}
				prj, err := os.ReadFile(filepath.Join(dir, layer+".prj"))
				if err != nil || l.SRS.WKT != strings.TrimSpace(string(prj)) {
					t.Errorf("%s: SRS.WKT = %.80q, want the .prj %.80q (%v)", layer, l.SRS.WKT, prj, err)
				}
				compareWithGDAL(t, l, want)
			}
		})
	}
}

// TestZipAgainstGDAL zips GDAL's output (one Shapefile in a folder, others
// at the root) and reads each layer from the zip, compared with GDAL's
// /vsizip/ reading of the same zip.
func TestZipAgainstGDAL(t *testing.T) {
	thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	zipBin := thirdparty.Tool(t, "zip", "zip", "gdal")
	inputs := sampleLayers(t, t.TempDir(), rand.New(rand.NewSource(seed(t))))
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "grids"), 0o755); err != nil {
		t.Fatal(err)
	}
	thirdparty.Ogr2ogr(t, "-f", "ESRI Shapefile", filepath.Join(dir, "grids", "grids.shp"), inputs["grids"], "-lco", "ENCODING=GBK")
	thirdparty.Ogr2ogr(t, "-f", "ESRI Shapefile", filepath.Join(dir, "points.shp"), inputs["points"], "-lco", "ENCODING=GBK")
	zipPath := filepath.Join(t.TempDir(), "city.zip")
	cmd := exec.Command(zipBin, "-r", zipPath, ".")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("zip: %v\n%s", err, out)
	}
	names, err := Layers(zipPath)
	if err != nil || strings.Join(names, ",") != "grids,points" {
		t.Fatalf("Layers = %v, %v; want [grids points]", names, err)
	}
	for _, tc := range []struct{ layer, inner string }{{"grids", "grids/grids.shp"}, {"POINTS", "points.shp"}} {
		l, err := Read(zipPath, Options{Layer: tc.layer})
		if err != nil {
			t.Fatalf("Read(%s, layer %s): %v", zipPath, tc.layer, err)
		}
		if l.Source != zipPath+"/"+tc.inner || l.Encoding != "GBK" {
			t.Errorf("layer %s: source %s encoding %s", tc.layer, l.Source, l.Encoding)
		}
		compareWithGDAL(t, l, gdalRead(t, "/vsizip/"+zipPath+"/"+tc.inner))
	}
	if _, err := Read(zipPath, Options{}); err == nil || !strings.Contains(err.Error(), "grids, points") {
		t.Errorf("Read of a two-layer zip without a layer name: %v, want an error listing the layers", err)
	}
	if _, err := Read(zipPath, Options{Layer: "roads"}); err == nil || !strings.Contains(err.Error(), `"roads"`) {
		t.Errorf("Read of a missing layer: %v, want an error naming it", err)
	}
}

// TestRCranSFAgainstGDAL reads the real Shapefiles Debian's r-cran-sf ships
// (North Carolina counties, Olinda's projected census tracts in a Latin-1
// table, storm tracks with Z and M) and compares them with GDAL.
func TestRCranSFAgainstGDAL(t *testing.T) {
	thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	shape := filepath.Join(thirdparty.RCranSF(t), "shape")
	cases := []struct {
		name, encoding string
		features       int
	}{
		{"nc", "UTF-8", 100},
		{"olinda1", "windows-1252", 470},
		{"storms_xyz", "UTF-8", 71},
		{"storms_xyzm", "UTF-8", 71},
		{"storms_xyz_feature", "UTF-8", 71},
		{"storms_xyzm_feature", "UTF-8", 71},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(shape, tc.name+".shp")
			l, err := Read(p, Options{})
			if err != nil {
				t.Fatalf("Read(%s): %v", p, err)
			}
			if len(l.Features) != tc.features || l.Encoding != tc.encoding {
				t.Errorf("%s: %d features in %s, want %d in %s", tc.name, len(l.Features), l.Encoding, tc.features, tc.encoding)
			}
			compareWithGDAL(t, l, gdalRead(t, p))
		})
	}
}
