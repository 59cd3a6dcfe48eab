package table

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
	"golang.org/x/text/encoding/simplifiedchinese"
)

// addressRows is an address table as a grid office exports it: Chinese
// text with commas and quotes, coordinates with noise digits, a row
// without coordinates.
var addressRows = [][]string{
	{"地址", "经度", "纬度", "户数", "备注"},
	{"贵州省六盘水市钟山区荷城街道人民中路12号", "104.8304", "26.5925", "312", `a,"b"`},
	{"凉都花园3栋2单元501", "104.83040000000001", "26.6", "", ""},
	{"水城区 双水街道", "104.95705", "26.54608", "0", "多 空格"},
	{"无坐标", "", "", "7", "x"},
	{"盘州市", "104.47", "25.71", "1000000", "😀"},
}

// wktRows is a table with a WKT column: holes, several parts, an empty
// cell.
var wktRows = [][]string{
	{"名称", "WKT", "hs"},
	{"点", "POINT (104.8304 26.5925)", "1"},
	{"带洞", "POLYGON ((104.81 26.58,104.83 26.58,104.83 26.6,104.81 26.6,104.81 26.58),(104.815 26.585,104.815 26.59,104.82 26.59,104.815 26.585))", "2"},
	{"多块", "MULTIPOLYGON (((104.9 26.5,104.95 26.5,104.95 26.55,104.9 26.5)),((105 26.5,105.1 26.5,105.1 26.6,105 26.5)))", "3"},
	{"线", "LINESTRING (104.8 26.5,104.9 26.6)", "4"},
	{"多线", "MULTILINESTRING ((104.8 26.5,104.9 26.6),(105.8 26.5,105.9 26.6))", "5"},
	{"多点", "MULTIPOINT ((104.8 26.5),(104.9 26.6))", "6"},
	{"空", "", "7"},
	{"三维", "POINT Z (104.8 26.5 1200.5)", "8"},
}

// csvText renders rows with sep, quoting fields that need it.
func csvText(rows [][]string, sep string) string {
	var b strings.Builder
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				b.WriteString(sep)
			}
			if strings.ContainsAny(v, `",`+sep+"\n") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			b.WriteString(v)
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

func writeFile(t *testing.T, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// gdalGeoJSON reads a table with GDAL (ogr2ogr to GeoJSON on stdout).
func gdalGeoJSON(t *testing.T, path string, args ...string) *geojson.FeatureCollection {
	t.Helper()
	bin := thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	all := append([]string{"-f", "GeoJSON", "-lco", "SIGNIFICANT_FIGURES=17", "/vsistdout/", path}, args...)
	out, err := exec.Command(bin, all...).CombinedOutput()
	if err != nil {
		t.Fatalf("ogr2ogr %s: %v\n%s", strings.Join(all, " "), err, out)
	}
	fc, err := geojson.UnmarshalFeatureCollection(out)
	if err != nil {
		t.Fatalf("reading ogr2ogr's GeoJSON of %s: %v\n%s", path, err, out)
	}
	return fc
}

// near reports whether a and b are equal or within 2 ulps (GDAL's
// writers round "noise" digits: 104.83040000000001 comes out 104.8304).
func near(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 2*(math.Nextafter(math.Abs(a), math.Inf(1))-math.Abs(a))
}

// compareWithGDAL checks l against GDAL's reading: the same features in
// order, geometries with the same structure and coordinates (to 2 ulps;
// when geomFromProps, GDAL has no geometry, and ours must be the point
// its x and y properties make), and the same attribute values (GDAL
// omits null and, in .xlsx, empty cells).
func compareWithGDAL(t *testing.T, l *ingest.Layer, fc *geojson.FeatureCollection, x, y string) {
	t.Helper()
	if len(l.Features) != len(fc.Features) {
		t.Fatalf("%s: %d features, GDAL reads %d", l.Source, len(l.Features), len(fc.Features))
	}
	for i, want := range fc.Features {
		got := l.Features[i]
		wg := want.Geometry
		if x != "" {
			wx, okx := want.Properties[x].(float64)
			wy, oky := want.Properties[y].(float64)
			wg = nil
			if okx && oky {
				wg = orb.Point{wx, wy}
			}
		}
		if err := sameGeometry(got.Geometry, wg); err != nil {
			t.Errorf("%s feature %d: %v\n got  %v\n GDAL %v", l.Source, got.Index, err, got.Geometry, wg)
		}
		for j, name := range l.Fields {
			if w := want.Properties[name]; !sameValue(got.Props[j], w) {
				t.Errorf("%s feature %d: %s = %q, GDAL reads %#v", l.Source, got.Index, name, got.Props[j], w)
			}
		}
	}
}

// sameGeometry compares structure and coordinates (to 2 ulps).
func sameGeometry(got, want orb.Geometry) error {
	if want != nil && want.Dimensions() >= 0 && len(thirdparty.Points(want)) == 0 {
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
	gp, wp := thirdparty.Points(got), thirdparty.Points(want)
	if len(gp) != len(wp) || fmt.Sprint(thirdparty.Parts(got)) != fmt.Sprint(thirdparty.Parts(want)) {
		return fmt.Errorf("structure %v, GDAL %v", thirdparty.Parts(got), thirdparty.Parts(want))
	}
	for i := range gp {
		if !near(gp[i][0], wp[i][0]) || !near(gp[i][1], wp[i][1]) {
			return fmt.Errorf("point %d: %v, GDAL %v", i, gp[i], wp[i])
		}
	}
	return nil
}

// sameValue compares a text value with GDAL's GeoJSON value.
func sameValue(got string, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == ""
	case float64:
		f, err := strconv.ParseFloat(got, 64)
		return err == nil && near(f, w)
	case string:
		return got == w
	}
	return false
}

func TestCSVAgainstGDAL(t *testing.T) {
	dir := t.TempDir()
	utf8Text := csvText(addressRows, ",")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(strings.ReplaceAll(utf8Text, "😀", "★"))
	if err != nil {
		t.Fatal(err)
	}
	gbkAsUTF8 := writeFile(t, filepath.Join(dir, "gbk_utf8.csv"), []byte(strings.ReplaceAll(utf8Text, "😀", "★")))
	cases := []struct {
		name, file, oracle string
		data               []byte
		sep, enc, from     string
	}{
		{"UTF-8 with BOM", "bom.csv", "", append([]byte("\ufeff"), utf8Text...), ",", "UTF-8", "bom"},
		{"UTF-8, tabs", "tabs.csv", "", []byte(csvText(addressRows, "\t")), "\t", "UTF-8", "detected"},
		{"GBK", "gbk.csv", gbkAsUTF8, []byte(gbk), ",", "GB18030", "detected"},
	}
	for _, tc := range cases {
		path := writeFile(t, filepath.Join(dir, tc.file), tc.data)
		l, chosen, err := ReadCSV(path, Options{})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if chosen.Lon != "经度" || chosen.Lat != "纬度" || chosen.By != "recognised" || chosen.Separator != tc.sep {
			t.Errorf("%s: chosen %+v", tc.name, chosen)
		}
		if l.Encoding != tc.enc || l.EncodingFrom != tc.from {
			t.Errorf("%s: encoding %s (%s), want %s (%s)", tc.name, l.Encoding, l.EncodingFrom, tc.enc, tc.from)
		}
		oracle := path
		if tc.oracle != "" {
			oracle = tc.oracle // GDAL's CSV driver reads UTF-8 only
		}
		fc := gdalGeoJSON(t, oracle, "-oo", "X_POSSIBLE_NAMES=经度", "-oo", "Y_POSSIBLE_NAMES=纬度", "-oo", "KEEP_GEOM_COLUMNS=YES")
		compareWithGDAL(t, l, fc, "", "")
	}

	path := writeFile(t, filepath.Join(dir, "wkt.csv"), []byte(csvText(wktRows, ",")))
	l, chosen, err := ReadCSV(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if chosen.WKT != "WKT" || chosen.By != "recognised" {
		t.Errorf("wkt.csv: chosen %+v", chosen)
	}
	compareWithGDAL(t, l, gdalGeoJSON(t, path, "-oo", "GEOM_POSSIBLE_NAMES=WKT", "-oo", "KEEP_GEOM_COLUMNS=YES"), "", "")
}

func TestXLSXAgainstGDAL(t *testing.T) {
	dir := t.TempDir()
	src := writeFile(t, filepath.Join(dir, "addresses.csv"), []byte(csvText(addressRows, ",")))
	book := filepath.Join(dir, "addresses.xlsx")
	thirdparty.Ogr2ogr(t, "-f", "XLSX", "-oo", "AUTODETECT_TYPE=YES", "-nln", "地址表", book, src)
	wkt := writeFile(t, filepath.Join(dir, "wkt.csv"), []byte(csvText(wktRows, ",")))
	thirdparty.Ogr2ogr(t, "-f", "XLSX", "-update", "-nln", "图形", book, wkt)

	sheets, err := Sheets(book)
	if err != nil || strings.Join(sheets, ",") != "地址表,图形" {
		t.Fatalf("Sheets = %v, %v", sheets, err)
	}
	l, chosen, err := Read(book, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != "地址表" || chosen.Sheet != "地址表" || chosen.Lon != "经度" {
		t.Errorf("first sheet: layer %q, chosen %+v", l.Name, chosen)
	}
	compareWithGDAL(t, l, gdalGeoJSON(t, book, "地址表", "--config", "OGR_XLSX_HEADERS", "FORCE"), "经度", "纬度")

	l, chosen, err = Read(book, Options{Sheet: "图形"})
	if err != nil {
		t.Fatal(err)
	}
	if chosen.WKT != "WKT" {
		t.Errorf("sheet 图形: chosen %+v", chosen)
	}
	fc := gdalGeoJSON(t, book, "图形", "--config", "OGR_XLSX_HEADERS", "FORCE")
	for i, f := range fc.Features { // GDAL's XLSX has no geometry: parse its WKT text
		if s, ok := f.Properties["WKT"].(string); ok {
			g, err := parseWKT(s)
			if err != nil {
				t.Fatalf("GDAL's WKT %q: %v", s, err)
			}
			fc.Features[i].Geometry = g
		}
	}
	compareWithGDAL(t, l, fc, "", "")
}
