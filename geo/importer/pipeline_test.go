package importer

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

// square is a lon/lat square of side d degrees at x, y.
func square(x, y, d float64) orb.Polygon {
	return orb.Polygon{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}
}

// layer builds a layer with fields and one feature per geometry.
func layer(name string, fields []string, geoms []orb.Geometry, props ...[]string) *ingest.Layer {
	l := &ingest.Layer{Name: name, Source: name + ".shp", Fields: fields}
	for i, g := range geoms {
		l.Features = append(l.Features, ingest.Feature{Index: i + 1, Geometry: g, Props: props[i]})
	}
	return l
}

// Four grids of 钟环社区 (520201001001, a real community) in a 2x2 block,
// north row first, without codes: the community comes from its name and
// the subdistrict's, and codes are given west to east, north to south.
func TestNamesAndNewCodes(t *testing.T) {
	const x, y, d = 104.83, 26.59, 0.002
	grids := layer("wg", []string{"WGMC", "SQMC", "JDMC", "HS"},
		[]orb.Geometry{square(x+d, y, d), square(x, y, d), square(x+d, y+d, d), square(x, y+d, d)},
		[]string{"东南", "钟环社区", "荷城街道", "1"}, []string{"西南", "钟环社区居民委员会", "荷城街道", "2"},
		[]string{"东北", "钟环社区", "荷城街道", "3"}, []string{"西北", "钟环社区", "荷城街道", "4"})
	_, divs := divisions(t)
	res, err := Run(context.Background(), Options{Inputs: map[Role]Input{RoleGrids: {Layer: grids}}, CRS: "wgs84", Divisions: divs})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	comm := lookupDivision(t, divs, "钟环社区居民委员会")
	want := map[string]int{"西北": 1, "东北": 2, "西南": 3, "东南": 4}
	for _, g := range res.City.Grids {
		if g.Community() != comm || g.Code.Seq() != want[g.Name] {
			t.Errorf("grid %s: code %s, want community %s seq %d", g.Name, g.Code, comm, want[g.Name])
		}
	}
	if res.Report.NewCodes != 4 || res.Report.CommunitiesBy["community name"] != 4 {
		t.Errorf("report: %d new codes, communities by %v", res.Report.NewCodes, res.Report.CommunitiesBy)
	}
	if got := res.Report.Inputs[0].Columns; len(got) != 3 || got[0].Attribute != "name" || got[1].Field != "SQMC" {
		t.Errorf("columns %+v, want name=WGMC, community=SQMC, subdistrict=JDMC", got)
	}
}

func lookupDivision(t *testing.T, divs []Division, name string) geo.DivisionCode {
	t.Helper()
	for _, d := range divs {
		if d.Name == name && d.Code.Level() == geo.LevelCommunity {
			return d.Code
		}
	}
	t.Fatalf("no community %s in the division list", name)
	return 0
}

// Grids with neither codes nor names take their community from the
// units layer by where they lie; a mapping names the units' code column.
func TestUnitsJoinAndMapping(t *testing.T) {
	const x, y, d = 104.83, 26.59, 0.002
	grids := layer("wg", []string{"BH"}, []orb.Geometry{square(x, y, d), square(x+d, y, d)}, []string{"a"}, []string{"b"})
	units := layer("sq", []string{"DM", "MC"}, []orb.Geometry{orb.Polygon{{{x, y}, {x + 2*d, y}, {x + 2*d, y + d}, {x, y + d}, {x, y}}}},
		[]string{"520201001001", "钟环社区"})
	m, err := ParseMapping([]byte(`{"units": {"code": "DM", "name": "MC"}}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Inputs: map[Role]Input{RoleGrids: {Layer: grids, CRS: "epsg:4326"}, RoleUnits: {Layer: units}},
		CRS: "wgs84", Mapping: m})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(res.City.Grids) != 2 || res.City.Grids[0].Code.String() != "520201001001001" || res.Report.CommunitiesBy["units layer (spatial join)"] != 2 {
		t.Errorf("grids %v, by %v", res.City.Grids, res.Report.CommunitiesBy)
	}
	if res.Report.Warnings == nil {
		t.Error("no warning about units named by code (no division list given)")
	}
}

// Faults name the file, the feature and the reason, and no city comes
// back.
func TestFaults(t *testing.T) {
	const x, y, d = 104.83, 26.59, 0.002
	sq := square(x, y, d)
	cases := []struct {
		name string
		l    *ingest.Layer
		crs  string
		want string
	}{
		{"no crs", layer("wg", []string{"WGBM"}, []orb.Geometry{sq}, []string{"520201001001001"}), "", "wg.shp: declares no coordinate system: pass --grids-crs or --crs"},
		{"bad crs", layer("wg", []string{"WGBM"}, []orb.Geometry{sq}, []string{"520201001001001"}), "epsg:9999", "--crs"},
		{"no geometry", layer("wg", []string{"WGBM"}, []orb.Geometry{nil}, []string{"520201001001001"}), "wgs84", "wg.shp: feature 1: grid has no geometry"},
		{"a line", layer("wg", []string{"WGBM"}, []orb.Geometry{orb.LineString{{x, y}, {x + d, y}}}, []string{"520201001001001"}), "wgs84", "feature 1: grid has a LineString"},
		{"no community", layer("wg", []string{"WGMC"}, []orb.Geometry{sq}, []string{"甲"}), "wgs84", "wg.shp: feature 1: grid feature 1 has no community"},
		{"projected as degrees", layer("wg", []string{"WGBM"}, []orb.Geometry{square(35500000, 2900000, 100)}, []string{"520201001001001"}), "wgs84", "not a longitude/latitude"},
		{"code twice, two shapes", layer("wg", []string{"WGBM"}, []orb.Geometry{sq, square(x+d, y, d)}, []string{"520201001001001"}, []string{"520201001001001"}),
			"wgs84", "wg.shp: feature"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Run(context.Background(), Options{Inputs: map[Role]Input{RoleGrids: {Layer: c.l}}, CRS: c.crs})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Run = %v, want an error containing %q", err, c.want)
			}
			if res != nil && (res.City != nil || len(res.Report.Faults) == 0) {
				t.Errorf("a failed import returned a city or a report without faults")
			}
		})
	}
}

func TestParseMappingErrors(t *testing.T) {
	for _, s := range []string{`{"grid": {"code": "A"}}`, `{"grids": {"colour": "A"}}`, `{"grids": {"code": ""}}`, `[`, `{"grids": {"code": 3}}`} {
		if _, err := ParseMapping([]byte(s)); err == nil {
			t.Errorf("ParseMapping(%s) = nil, want an error", s)
		}
	}
	l := layer("wg", []string{"A"}, nil)
	m, _ := ParseMapping([]byte(`{"grids": {"code": "WGBM"}}`))
	if _, err := chooseColumns(RoleGrids, l, m); err == nil || !errors.Is(err, ingest.ErrFormat) || !strings.Contains(err.Error(), `"WGBM"`) {
		t.Errorf("mapping a missing column: %v", err)
	}
}

func FuzzParseMapping(f *testing.F) {
	f.Add([]byte(`{"grids": {"layer": "wg", "code": "WGBM"}, "buildings": {"address": "DZ"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMapping(data)
		if err == nil && m == nil {
			t.Fatal("nil mapping without an error")
		}
	})
}

// A fault the final validation finds names its layer's file.
func TestValidationFaultNamesFile(t *testing.T) {
	const x, y, d = 104.83, 26.59, 0.002
	grids := layer("wg", []string{"WGBM"}, []orb.Geometry{square(x, y, d)}, []string{"520201001001001"})
	stations := layer("zd", []string{"name", "unit"}, []orb.Geometry{orb.Point{x + d/2, y + d/2}}, []string{"站", "520201099001"})
	_, err := Run(context.Background(), Options{Inputs: map[Role]Input{RoleGrids: {Layer: grids}, RoleStations: {Layer: stations}}, CRS: "wgs84", Province: "贵州省"})
	if err == nil || !strings.Contains(err.Error(), "zd.shp: after repair, stations 1: unit 520201099001 does not exist") {
		t.Errorf("Run = %v, want the station's unit fault naming zd.shp", err)
	}
}
