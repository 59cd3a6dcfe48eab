package shapefile

import (
	"bytes"
	"encoding/binary"
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
)

// gridsLayer is a small polygon layer: a square grid with Chinese text, a
// polygon with a hole given counter-clockwise (GeoJSON order), a
// two-part multipolygon, a null geometry and a null number.
func gridsLayer() Layer {
	sq := func(x, y, s float64) orb.Ring {
		return orb.Ring{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}, {x, y}}
	}
	hole := sq(104.81, 26.581, 0.002)
	hole = reversed(hole) // clockwise, as GeoJSON holes are
	return Layer{
		Fields: []Field{{Name: "CODE", Type: 'C'}, {Name: "NAME", Type: 'C'}, {Name: "HH", Type: 'N'}, {Name: "SHARE", Type: 'N', Decimals: 4}},
		Features: []Feature{
			{Geometry: orb.Polygon{sq(104.80, 26.58, 0.005)}, Props: []string{"520201001001001", "荷泉街道第一网格", "412", "0.8312"}},
			{Geometry: orb.Polygon{sq(104.81, 26.58, 0.005), hole}, Props: []string{"520201001001002", "Grid \"two\", 二", "0", "1.0000"}},
			{Geometry: orb.MultiPolygon{{sq(104.82, 26.58, 0.001)}, {sq(104.83, 26.58, 0.001)}}, Props: []string{"520201001001003", "", "", ""}},
			{Geometry: nil, Props: []string{"520201001001004", "无几何", "7", "0.0000"}},
		},
		PRJ:  WGS84PRJ,
		Year: 2026, Month: 12, Day: 7,
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	l := gridsLayer()
	f, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	f.Name, f.Source = "grids", "grids.shp"
	got, err := Parse(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Encoding != "UTF-8" || got.EncodingFrom != "cpg" {
		t.Errorf("encoding %s from %s, want UTF-8 from the cpg", got.Encoding, got.EncodingFrom)
	}
	if got.SRS.WKT != WGS84PRJ {
		t.Errorf("prj %q", got.SRS.WKT)
	}
	if strings.Join(got.Fields, ",") != "CODE,NAME,HH,SHARE" {
		t.Errorf("fields %v", got.Fields)
	}
	checkFeatures(t, l, got)
}

// checkFeatures compares what was written with what the reader read.
func checkFeatures(t *testing.T, want Layer, got *ingest.Layer) {
	t.Helper()
	if len(got.Features) != len(want.Features) {
		t.Fatalf("%d features read, %d written", len(got.Features), len(want.Features))
	}
	for i, w := range want.Features {
		g := got.Features[i]
		for j, v := range w.Props {
			if !sameWritten(want.Fields[j], g.Props[j], v) {
				t.Errorf("feature %d %s = %q, wrote %q", i+1, want.Fields[j].Name, g.Props[j], v)
			}
		}
		if err := sameGeometry(g.Geometry, asWritten(w.Geometry)); err != nil {
			t.Errorf("feature %d geometry: %v\n got %v\nwant %v", i+1, err, g.Geometry, w.Geometry)
		}
	}
}

// sameWritten compares a value read back with the one written: numbers by
// value, text without its surrounding blanks (dBase readers trim them).
func sameWritten(f Field, got, want string) bool {
	if f.Type == 'N' && want != "" {
		a, err1 := strconv.ParseFloat(got, 64)
		b, err2 := strconv.ParseFloat(want, 64)
		return err1 == nil && err2 == nil && a == b
	}
	return got == strings.Trim(want, " ")
}

// asWritten is g as the reader returns it: rings closed and oriented, a
// one-polygon multipolygon a polygon, an empty one nil.
func asWritten(g orb.Geometry) orb.Geometry {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return g
	}
	var out orb.MultiPolygon
	for _, p := range mp {
		var q orb.Polygon
		for ri, r := range p {
			r = closed(r)
			if (signedArea(r) > 0) == (ri == 0) {
				r = reversed(r)
			}
			q = append(q, r)
		}
		if len(q) > 0 {
			out = append(out, q)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

func TestEncodeGDAL(t *testing.T) {
	ogrinfo := thirdparty.Tool(t, "ogrinfo", "gdal-bin", "gdal")
	l := gridsLayer()
	f, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "grids.zip")
	var buf bytes.Buffer
	if err := WriteZip(&buf, "grids", f); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogrinfo, "-ro", "-al", "/vsizip/"+zipPath).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -al: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"Geometry: Polygon", "Feature Count: 4", "GEOGCRS[\"WGS 84\"",
		"CODE: String (15.0)", "HH: Integer", "SHARE: Real (6.4)",
		"NAME (String) = 荷泉街道第一网格", `NAME (String) = Grid "two", 二`, "SHARE (Real) = 0.8312",
		"HH (Integer) = 412", "HH (Integer) = (null)",
		"POLYGON ((104.8 26.58,104.8 26.585,104.805 26.585,104.805 26.58,104.8 26.58))",
		"MULTIPOLYGON (((104.82 26.58,", "POLYGON ((104.81 26.58,104.81 26.585,104.815 26.585,104.815 26.58,104.81 26.58),(104.81 26.581,",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("ogrinfo -al does not show %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Warning") || strings.Contains(text, "ERROR") {
		t.Errorf("ogrinfo complains:\n%s", text)
	}
	// GDAL's geometries and values, feature by feature.
	fc := gdalRead(t, "/vsizip/"+zipPath)
	if len(fc.Features) != len(l.Features) {
		t.Fatalf("GDAL reads %d features, %d written", len(fc.Features), len(l.Features))
	}
	for i, w := range l.Features {
		if err := sameGeometry(orbOf(fc.Features[i].Geometry), asWritten(w.Geometry)); err != nil {
			t.Errorf("feature %d: GDAL's geometry: %v", i+1, err)
		}
		if name := fc.Features[i].Properties["NAME"]; name != nil && name != w.Props[1] {
			t.Errorf("feature %d: GDAL reads NAME %v, wrote %q", i+1, name, w.Props[1])
		}
	}
}

// orbOf returns nil for GeoJSON's null geometry.
func orbOf(g orb.Geometry) orb.Geometry {
	if g == nil {
		return nil
	}
	return g
}

func TestEncodePointsAndHeader(t *testing.T) {
	l := Layer{Fields: []Field{{Name: "ID", Type: 'N'}},
		Features: []Feature{{Geometry: orb.Point{1, 2}, Props: []string{"1"}}, {Geometry: orb.Point{-3, 5}, Props: []string{"22"}}}}
	f, err := Encode(l)
	if err != nil {
		t.Fatal(err)
	}
	if got := int(binary.BigEndian.Uint32(f.SHP[24:])) * 2; got != len(f.SHP) {
		t.Errorf(".shp header says %d bytes, it has %d", got, len(f.SHP))
	}
	if len(f.SHX) != 100+16 || len(f.SHP) != 100+2*(8+20) {
		t.Errorf(".shx %d bytes, .shp %d", len(f.SHX), len(f.SHP))
	}
	for i, want := range []float64{-3, 2, 1, 5} {
		if got := math.Float64frombits(binary.LittleEndian.Uint64(f.SHP[36+8*i:])); got != want {
			t.Errorf("bbox[%d] = %g, want %g", i, got, want)
		}
	}
}

func TestEncodeRefuses(t *testing.T) {
	pt := orb.Point{1, 1}
	sq := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	for name, l := range map[string]Layer{
		"mixed kinds":      {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: pt, Props: []string{""}}, {Geometry: sq, Props: []string{""}}}},
		"line":             {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: orb.LineString{{0, 0}, {1, 1}}, Props: []string{""}}}},
		"short ring":       {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: orb.Polygon{{{0, 0}, {1, 0}}}, Props: []string{""}}}},
		"NaN":              {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: orb.Point{math.NaN(), 0}, Props: []string{""}}}},
		"long name":        {Fields: []Field{{Name: "ELEVENCHARS", Type: 'C'}}},
		"twice":            {Fields: []Field{{Name: "A", Type: 'C'}, {Name: "a", Type: 'N'}}},
		"no fields":        {},
		"bad type":         {Fields: []Field{{Name: "A", Type: 'D'}}},
		"values":           {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: pt, Props: []string{"", ""}}}},
		"long text":        {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: pt, Props: []string{strings.Repeat("网", 85)}}}},
		"not a number":     {Fields: []Field{{Name: "A", Type: 'N'}}, Features: []Feature{{Geometry: pt, Props: []string{"1e5"}}}},
		"wrong decimals":   {Fields: []Field{{Name: "A", Type: 'N', Decimals: 2}}, Features: []Feature{{Geometry: pt, Props: []string{"1.5"}}}},
		"invalid UTF-8":    {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: pt, Props: []string{"\xff"}}}},
		"end-of-file mark": {Fields: []Field{{Name: "A", Type: 'C'}}, Features: []Feature{{Geometry: pt, Props: []string{"a\x1a"}}}},
	} {
		if _, err := Encode(l); err == nil {
			t.Errorf("%s: written without an error", name)
		} else if !strings.HasPrefix(err.Error(), "shapefile: ") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// FuzzEncodeRoundTrip writes layers built from fuzz bytes (points or
// polygons, text and numbers) and reads them back with the package's own
// reader: what Encode accepts must read back the same; what it refuses
// it refuses with an error, never a panic.
func FuzzEncodeRoundTrip(f *testing.F) {
	f.Add([]byte("\x00\x05ab\x01\x02\x03\x04\x05\x06\x07\x08"), "网格,Grid", 3.5, false)
	f.Add([]byte("\x10\x20\x30\x40\x50\x60\x70\x80\x90\xa0\xb0\xc0\xd0"), "a", -12.0, true)
	f.Fuzz(func(t *testing.T, seed []byte, text string, num float64, points bool) {
		l := Layer{Fields: []Field{{Name: "T", Type: 'C'}, {Name: "N", Type: 'N', Decimals: 2}}, PRJ: WGS84PRJ}
		for i := 0; i+4 <= len(seed) && i < 64; i += 4 {
			x, y := float64(int8(seed[i]))/10, float64(int8(seed[i+1]))/10
			var g orb.Geometry = orb.Point{x, y}
			if !points {
				w, h := float64(seed[i+2]%16+1)/100, float64(seed[i+3]%16+1)/100
				g = orb.Polygon{{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}}
			}
			l.Features = append(l.Features, Feature{Geometry: g, Props: []string{text, strconv.FormatFloat(num, 'f', 2, 64)}})
		}
		enc, err := Encode(l)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "shapefile: ") {
				t.Fatalf("error without the package's prefix: %v", err)
			}
			return
		}
		enc.Source = "fuzz.shp"
		got, err := Parse(enc, Options{})
		if err != nil {
			t.Fatalf("Encode wrote what Parse refuses: %v", err)
		}
		checkFeatures(t, l, got)
	})
}
