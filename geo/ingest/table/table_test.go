package table

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
	"github.com/xuri/excelize/v2"
)

func TestRecognise(t *testing.T) {
	cases := []struct {
		name, csv string
		opt       Options
		want      orb.Geometry
		chosen    Chosen
	}{
		{"经度/纬度", "名称,纬度,经度\na,26.5,104.8\n", Options{}, orb.Point{104.8, 26.5},
			Chosen{Lon: "经度", Lat: "纬度", By: "recognised"}},
		{"pinyin initials", "MC,JD,WD\na,104.8,26.5\n", Options{}, orb.Point{104.8, 26.5},
			Chosen{Lon: "JD", Lat: "WD", By: "recognised"}},
		{"lng/lat, case and spaces", " Lng , LAT \n104.8,26.5\n", Options{}, orb.Point{104.8, 26.5},
			Chosen{Lon: "Lng", Lat: "LAT", By: "recognised"}},
		{"POINT_X/POINT_Y", "POINT_X,POINT_Y\n483106.1,2942490.4\n", Options{}, orb.Point{483106.1, 2942490.4},
			Chosen{Lon: "POINT_X", Lat: "POINT_Y", By: "recognised"}},
		{"x/y easting first", "x,y\n483106.1,2942490.4\n", Options{}, orb.Point{483106.1, 2942490.4},
			Chosen{Lon: "x", Lat: "y", By: "recognised"}},
		{"X/Y surveying order", "X,Y\n2942490.4,483106.1\n", Options{}, orb.Point{483106.1, 2942490.4},
			Chosen{Lon: "Y", Lat: "X", By: "recognised", Swapped: true}},
		{"X/Y surveying order, zone easting", "X坐标,Y坐标\n2942490.4,35483106.1\n", Options{}, orb.Point{35483106.1, 2942490.4},
			Chosen{Lon: "Y坐标", Lat: "X坐标", By: "recognised", Swapped: true}},
		{"x/y degrees", "x,y\n104.8,26.5\n", Options{}, orb.Point{104.8, 26.5},
			Chosen{Lon: "x", Lat: "y", By: "recognised"}},
		{"the_geom", "id,the_geom\n1,POINT(1 2)\n", Options{}, orb.Point{1, 2},
			Chosen{WKT: "the_geom", By: "recognised"}},
		{"lon/lat before wkt", "wkt,lon,lat\nPOINT(1 2),3,4\n", Options{}, orb.Point{3, 4},
			Chosen{Lon: "lon", Lat: "lat", By: "recognised"}},
		{"options", "a,b,经度,纬度\n1,2,3,4\n", Options{Lon: "a", Lat: "b"}, orb.Point{1, 2},
			Chosen{Lon: "a", Lat: "b", By: "options"}},
		{"options: X as given, no swap", "X,Y\n2942490.4,483106.1\n", Options{Lon: "X", Lat: "Y"}, orb.Point{2942490.4, 483106.1},
			Chosen{Lon: "X", Lat: "Y", By: "options"}},
		{"options wkt", "g,经度,纬度\nPOINT(1 2),3,4\n", Options{WKT: "G"}, orb.Point{1, 2},
			Chosen{WKT: "g", By: "options"}},
		{"none", "地址,户数\n人民路1号,3\n", Options{}, nil, Chosen{}},
		{"no geometry wanted", "经度,纬度\n1,2\n", Options{NoGeometry: true}, nil, Chosen{}},
	}
	for _, tc := range cases {
		l, chosen, err := readCSV("t.csv", []byte(tc.csv), tc.opt)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		chosen.Separator = ""
		if chosen.String() != tc.chosen.String() || chosen.Swapped != tc.chosen.Swapped || chosen.By != tc.chosen.By {
			t.Errorf("%s: chosen %+v, want %+v", tc.name, chosen, tc.chosen)
		}
		got := l.Features[0].Geometry
		if (got == nil) != (tc.want == nil) || got != nil && !orb.Equal(got, tc.want) {
			t.Errorf("%s: geometry %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestParseWKT(t *testing.T) {
	good := map[string]orb.Geometry{
		"POINT(1 2)":                           orb.Point{1, 2},
		"point z (1 2 3)":                      orb.Point{1, 2},
		"POINT ZM (1 2 3 4)":                   orb.Point{1, 2},
		"POINT (1 2 3)":                        orb.Point{1, 2},
		"SRID=4490;POINT(1e2 -2.5E-1)":         orb.Point{100, -0.25},
		"MULTIPOINT (1 2, 3 4)":                orb.MultiPoint{{1, 2}, {3, 4}},
		"MULTIPOINT M ((1 2 9),(3 4 9))":       orb.MultiPoint{{1, 2}, {3, 4}},
		"LINESTRING(0 0,1 1)":                  orb.LineString{{0, 0}, {1, 1}},
		"MULTILINESTRING((0 0,1 1),(2 2,3 3))": orb.MultiLineString{{{0, 0}, {1, 1}}, {{2, 2}, {3, 3}}},
		"POLYGON((0 0,1 0,1 1,0 0))":           orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}},
		"MULTIPOLYGON(((0 0,1 0,1 1,0 0)))":    orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}},
		"POLYGON EMPTY":                        nil,
	}
	for s, want := range good {
		g, err := parseWKT(s)
		if err != nil || (g == nil) != (want == nil) || g != nil && !orb.Equal(g, want) {
			t.Errorf("parseWKT(%q) = %v, %v, want %v", s, g, err, want)
		}
	}
	for _, s := range []string{"", "POINT", "POINT(1)", "POINT(1 2", "POINT(1 2) x", "POINT(1 2,3 4)", "CIRCLE(1 2)",
		"POINT(NaN 2)", "POINT(1e999 2)", "LINESTRING(1 2,)", "SRID=4490 POINT(1 2)", "POLYGON((1 2, 3 4)", "GEOMETRYCOLLECTION(POINT(1 2))"} {
		if g, err := parseWKT(s); !errors.Is(err, errWKT) {
			t.Errorf("parseWKT(%q) = %v, %v, want a WKT error", s, g, err)
		}
	}
}

func TestBadTables(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, file string
		data       []byte
		opt        Options
		feature    int
		says       string
	}{
		{"bad number", "a.csv", []byte("名称,经度,纬度\na,104.8,26.5\nb,104.8,北纬26\n"), Options{}, 2, `line 3, column "纬度": "北纬26" is not a number`},
		{"half a coordinate", "a.csv", []byte("lon,lat\n1,\n"), Options{}, 1, `column "lat": empty coordinate`},
		{"bad wkt", "a.csv", []byte("id,wkt\n1,POINT(1 2)\n2,POLYGON((1 2)\n"), Options{}, 2, `line 3, column "wkt": bad WKT`},
		{"extra fields", "a.csv", []byte("a,b\n1,2,3\n"), Options{}, 1, "line 2 has 3 fields, the header 2"},
		{"empty", "a.csv", []byte(""), Options{}, 0, "empty table"},
		{"missing option column", "a.csv", []byte("a,b\n1,2\n"), Options{Lon: "经度", Lat: "纬度"}, 0, `no column "经度" (columns: a, b)`},
		{"unknown encoding", "a.csv", []byte("a,b\n\xff\xfe,\xff\n"), Options{}, 0, "unknown text encoding"},
		{"named encoding", "a.csv", []byte("a\n1\n"), Options{Encoding: "Big5"}, 0, `unknown encoding "Big5"`},
		{"BOM but not UTF-8", "a.csv", []byte("\xef\xbb\xbfa\n\xff\n"), Options{}, 0, "not valid UTF-8"},
		{"not xlsx", "a.xlsx", []byte("网格编码,名称\n"), Options{}, 0, "not an Excel .xlsx workbook"},
	}
	for _, tc := range cases {
		path := writeFile(t, filepath.Join(dir, tc.file), tc.data)
		_, _, err := Read(path, tc.opt)
		var ie *ingest.Error
		if err == nil || !errors.As(err, &ie) || ie.Feature != tc.feature || ie.File != path || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: error %v, want feature %d of %s saying %q", tc.name, err, tc.feature, path, tc.says)
			continue
		}
		t.Logf("%s: %v", tc.name, err)
	}

	path := writeFile(t, filepath.Join(dir, "keep.csv"), []byte("名称,经度,纬度\na,104.8,26.5\nb,x,26\nc,,\n"))
	l, chosen, err := ReadCSV(path, Options{KeepInvalid: true})
	if err != nil || len(l.Features) != 3 || l.Features[1].Geometry != nil || len(chosen.Invalid) != 1 || chosen.Invalid[0] != 2 {
		t.Errorf("KeepInvalid: %v, chosen %+v", err, chosen)
	}
	if !strings.Contains(chosen.String(), "1 rows with unreadable coordinates") {
		t.Errorf("Chosen.String() = %q", chosen.String())
	}
}

// FuzzReadCSV checks that no CSV text panics the reader, that every
// failure is an *ingest.Error, and that every feature has one value per
// field.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte(csvText(addressRows, ",")), false)
	f.Add([]byte(csvText(addressRows, "\t")), true)
	f.Add([]byte(csvText(wktRows, ",")), false)
	f.Add([]byte("\ufeffX,Y\n2942490.4,483106.1\n"), false)
	f.Add([]byte("a,\"b\nc\"d,e\n1,2"), true)
	f.Fuzz(func(t *testing.T, data []byte, keep bool) {
		l, _, err := readCSV("f.csv", data, Options{KeepInvalid: keep})
		if err != nil {
			var ie *ingest.Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *ingest.Error", err)
			}
			return
		}
		for _, ft := range l.Features {
			if len(ft.Props) != len(l.Fields) {
				t.Fatalf("feature %d has %d values for %d fields", ft.Index, len(ft.Props), len(l.Fields))
			}
		}
	})
}

// FuzzReadXLSX checks that no workbook bytes panic ReadXLSX and that
// every failure is an *ingest.Error.
func FuzzReadXLSX(f *testing.F) {
	seed := filepath.Join(f.TempDir(), "seed.xlsx")
	book := excelize.NewFile()
	for i, row := range addressRows {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		book.SetSheetRow("Sheet1", cell, &cells)
	}
	if err := book.SaveAs(seed); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "f.xlsx")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _, err := ReadXLSX(path, Options{KeepInvalid: true})
		var ie *ingest.Error
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *ingest.Error", err)
		}
	})
}
