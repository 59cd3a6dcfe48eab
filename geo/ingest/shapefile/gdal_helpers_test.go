package shapefile

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
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

// gdalRead reads a Shapefile (or /vsizip/ path) with GDAL: ogr2ogr to
// GeoJSON on stdout, with extra ogr2ogr arguments (e.g. --config).
func gdalRead(t *testing.T, path string, extra ...string) *geojson.FeatureCollection {
	t.Helper()
	bin := thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	args := append(append([]string{}, extra...), "-f", "GeoJSON", "-lco", "COORDINATE_PRECISION=17", "/vsistdout/", path)
	out, err := exec.Command(bin, args...).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatalf("reading ogr2ogr's GeoJSON of %s: %v", path, err)
	}
	return fc
}

// compareWithGDAL checks that l has GDAL's features in GDAL's order, with
// the same geometries (to 1e-9 relative) and attribute values.
func compareWithGDAL(t *testing.T, l *ingest.Layer, fc *geojson.FeatureCollection) {
	t.Helper()
	if len(l.Features) != len(fc.Features) {
		t.Fatalf("%s: %d features, GDAL reads %d", l.Source, len(l.Features), len(fc.Features))
	}
	bad := 0
	for i, want := range fc.Features {
		got := l.Features[i]
		if err := sameGeometry(got.Geometry, want.Geometry); err != nil {
			t.Errorf("%s feature %d geometry: %v\n got  %.300s\n want %.300s", l.Source, got.Index, err, fmt.Sprint(got.Geometry), fmt.Sprint(want.Geometry))
			bad++
		}
		if len(want.Properties) != len(l.Fields) {
			t.Errorf("%s feature %d: %d fields %v, GDAL has %d", l.Source, got.Index, len(l.Fields), l.Fields, len(want.Properties))
		}
		for j, name := range l.Fields {
			w, ok := want.Properties[name]
			if !ok {
				t.Errorf("%s: field %q (%d) not in GDAL's properties %v", l.Source, name, j, want.Properties)
				bad++
				continue
			}
			if !sameValue(got.Props[j], w) {
				t.Errorf("%s feature %d field %s = %q, GDAL reads %#v", l.Source, got.Index, name, got.Props[j], w)
				bad++
			}
		}
		if bad > 10 {
			t.Fatalf("too many differences")
		}
	}
}

func sameValue(got string, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == ""
	case string:
		return got == w
	case float64:
		g, err := strconv.ParseFloat(got, 64)
		return err == nil && closeTo(g, w)
	case bool:
		return got == strconv.FormatBool(w)
	}
	return false
}

func closeTo(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}

// sameGeometry compares type and coordinates.
func sameGeometry(got, want orb.Geometry) error {
	if got == nil || want == nil {
		if got == nil && want == nil {
			return nil
		}
		return fmt.Errorf("one is null")
	}
	if got.GeoJSONType() != want.GeoJSONType() {
		return fmt.Errorf("type %s, want %s", got.GeoJSONType(), want.GeoJSONType())
	}
	a, b := flatten(got), flatten(want)
	if len(a) != len(b) {
		return fmt.Errorf("%d coordinates and ring markers, want %d", len(a), len(b))
	}
	for i := range a {
		if !closeTo(a[i][0], b[i][0]) || !closeTo(a[i][1], b[i][1]) {
			return fmt.Errorf("coordinate %d is %v, want %v", i, a[i], b[i])
		}
	}
	return nil
}

// flatten lists a geometry's points with a marker after each ring,
// line and polygon, so structure differences show.
func flatten(g orb.Geometry) []orb.Point {
	mark := orb.Point{1e300, 1e300}
	var out []orb.Point
	switch g := g.(type) {
	case orb.Point:
		out = append(out, g)
	case orb.MultiPoint:
		out = append(out, g...)
	case orb.LineString:
		out = append(out, g...)
	case orb.MultiLineString:
		for _, l := range g {
			out = append(append(out, l...), mark)
		}
	case orb.Polygon:
		for _, r := range g {
			out = append(append(out, r...), mark)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				out = append(append(out, r...), mark)
			}
			out = append(out, mark, mark)
		}
	}
	return out
}

// seed returns the seed of the random tests (SEED= to repeat one).
func seed(t *testing.T) int64 {
	s := int64(20261207)
	if v := os.Getenv("SEED"); v != "" {
		s, _ = strconv.ParseInt(v, 10, 64)
	}
	t.Logf("SEED=%d", s)
	return s
}

// writeGeoJSON writes features (geometry JSON, properties) as a
// FeatureCollection file in dir.
func writeGeoJSON(t *testing.T, dir, name string, feats []string) string {
	t.Helper()
	p := filepath.Join(dir, name+".geojson")
	body := `{"type":"FeatureCollection","features":[` + strings.Join(feats, ",\n") + "]}"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func feature(geom string, props map[string]any) string {
	b, _ := json.Marshal(props)
	return fmt.Sprintf(`{"type":"Feature","properties":%s,"geometry":%s}`, b, geom)
}

const hanzi = "水城区钟山六盘水市盘州红桥街道社区网格第一二三四五六七八九十号路巷楼栋单元幢德坞荷泉凤凰"

func chineseName(r *rand.Rand) string {
	cs := []rune(hanzi)
	n := 2 + r.Intn(10)
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteRune(cs[r.Intn(len(cs))])
	}
	if r.Intn(4) == 0 {
		fmt.Fprintf(&b, "%d号", r.Intn(300))
	}
	return b.String()
}

// starRing is a closed star-shaped ring around c with radii in [r0, r1]
// (degrees), counter-clockwise.
func starRing(r *rand.Rand, c orb.Point, r0, r1 float64) string {
	n := 5 + r.Intn(12)
	var pts []string
	var first string
	for i := 0; i < n; i++ {
		a := 2 * math.Pi * float64(i) / float64(n)
		rad := r0 + r.Float64()*(r1-r0)
		p := fmt.Sprintf("[%.9f,%.9f]", c[0]+rad*math.Cos(a), c[1]+rad*math.Sin(a))
		if i == 0 {
			first = p
		}
		pts = append(pts, p)
	}
	return "[" + strings.Join(append(pts, first), ",") + "]"
}
