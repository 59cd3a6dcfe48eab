package cityio

import (
	"errors"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// setGeometry returns an edit that replaces a feature line's geometry.
func setGeometry(g string) func(string) string {
	return func(line string) string {
		i := strings.Index(line, `"geometry":`)
		comma := ""
		if strings.HasSuffix(line, ",") {
			comma = ","
		}
		return line[:i] + `"geometry":` + g + "}" + comma
	}
}

// polygonJSON renders one ring as a Polygon geometry.
func polygonJSON(coords string) string {
	return `{"type":"Polygon","coordinates":[[` + coords + `]]}`
}

// chain applies several edits in turn.
func chain(fns ...func(string) string) func(string) string {
	return func(s string) string {
		for _, fn := range fns {
			s = fn(s)
		}
		return s
	}
}

func TestReadFaults(t *testing.T) {
	grids, units, buildings, stations := LayerGrids, LayerUnits, LayerBuildings, LayerStations
	a1, a2, b2 := tGridA1.String(), tGridA2.String(), tGridB2.String()
	cases := []struct {
		name    string
		layer   Layer
		line    int // 0: edit is applied to the whole file instead
		edit    func(string) string
		feature string // "layer feature" when the problem is in another layer
		fault   string
	}{
		{"bad JSON", grids, 2, replaceIn(`"name":`, `"name"`), "", "invalid JSON at line 3, feature #1"},
		{"ill-typed property", grids, 1, replaceIn(`"households":24`, `"households":"many"`), a1, `property "households" is "many", want a number`},
		{"non-integer property", grids, 1, replaceIn(`"households":24`, `"households":2.5`), a1, `property "households" is 2.5, want an integer`},
		{"missing property", buildings, 1, replaceIn(`"floors":6,`, ``), "11", `missing property "floors"`},
		{"wrong geometry type", buildings, 1, setGeometry(`{"type":"LineString","coordinates":[[104.8303,26.5903],[104.8304,26.5903]]}`), "11", `geometry type "LineString", want Point`},
		{"coordinates not matching type", grids, 1, setGeometry(`{"type":"MultiPolygon","coordinates":[[104.83,26.59],[104.8307,26.59]]}`), a1, "coordinates do not match geometry type"},
		{"not a feature", grids, 1, replaceIn(`"type":"Feature"`, `"type":"Point"`), a1, `type is "Point", want "Feature"`},
		{"bad code", units, 5, replaceIn(`"code":"520201002002"`, `"code":"52020100200x"`), "52020100200x", "bad code"},
		{"bad grid code", grids, 1, replaceIn(`"code":"520201002001001"`, `"code":"520201002001000"`), "520201002001000", "bad code"},
		{"level disagrees with code", units, 2, replaceIn(`"level":"district"`, `"level":"subdistrict"`), "520201", `level "subdistrict" disagrees with code 520201`},
		{"parent disagrees with code", units, 4, replaceIn(`"parent":"520201002"`, `"parent":"520201001"`), "520201002001", "parent 520201001 is not the parent of code 520201002001"},
		{"unknown parent", units, 5, chain(replaceIn(`"520201002002","properties":{"code":"520201002002"`, `"520201003001","properties":{"code":"520201003001"`), replaceIn(`"parent":"520201002"`, `"parent":"520201003"`)), "520201003001", "parent 520201003 does not exist"},
		{"feature id disagrees", grids, 1, replaceIn(`"id":1,`, `"id":99,`), a1, "feature id 99 disagrees"},
		{"duplicate id", grids, 5, replaceIn(`"id":5,"properties":{"id":5`, `"id":1,"properties":{"id":1`), b2, "duplicate id 1"},
		{"duplicate grid code", grids, 5, replaceIn(`"code":"520201002002002"`, `"code":"520201002002001"`), tGridB1.String(), "duplicate grid code"},
		{"duplicate unit code", units, 5, replaceIn(`"520201002002","properties":{"code":"520201002002"`, `"520201002001","properties":{"code":"520201002001"`), "520201002001", "duplicate unit code"},
		{"duplicate building id", buildings, 2, replaceIn(`"id":12,"properties":{"id":12`, `"id":11,"properties":{"id":11`), "11", "duplicate id"},
		{"bow-tie", grids, 1, setGeometry(polygonJSON(`[104.83,26.59],[104.8307,26.591],[104.8307,26.59],[104.83,26.591],[104.83,26.59]`)), a1, "invalid polygon"},
		{"unclosed ring", grids, 1, setGeometry(polygonJSON(`[104.83,26.59],[104.8307,26.59],[104.8307,26.591],[104.83,26.591],[104.8301,26.59]`)), a1, "ring is not closed"},
		{"ring too short", grids, 1, setGeometry(polygonJSON(`[104.83,26.59],[104.8307,26.59],[104.83,26.59]`)), a1, "ring has 3 points, want at least 4"},
		{"spike", grids, 1, setGeometry(polygonJSON(`[104.83,26.59],[104.8307,26.59],[104.8307,26.591],[104.8303,26.591],[104.8303,26.5915],[104.8303,26.591],[104.83,26.591],[104.83,26.59]`)), a1, "invalid polygon"},
		{"overlapping siblings", grids, 1, setGeometry(polygonJSON(`[104.83,26.59],[104.8309,26.59],[104.8309,26.591],[104.83,26.591],[104.83,26.59]`)), a1, "overlaps sibling grid " + a2},
		{"gap", grids, 1, setGeometry(polygonJSON(`[104.83,26.59],[104.8306,26.59],[104.8306,26.591],[104.83,26.591],[104.83,26.59]`)), "units 520201002001", "gap: its 3 grids cover"},
		{"grid outside community", grids, 5, setGeometry(polygonJSON(`[104.832,26.591],[104.833,26.591],[104.833,26.592],[104.832,26.592],[104.832,26.591]`)), b2, "outside its community 520201002002"},
		{"building outside its grid", buildings, 1, replaceIn(`[104.8303,26.5903]`, `[104.831,26.5902]`), "11", "outside its grid 520201002001001"},
		{"building in unknown grid", buildings, 1, replaceIn(`"grid":"520201002001001"`, `"grid":"520201002001009"`), "11", "grid 520201002001009 does not exist"},
		{"address disagrees with parts", buildings, 1, replaceIn(`人民中路12号`, `人民中路13号`), "11", "disagrees with its parts"},
		{"negative households", buildings, 3, replaceIn(`"households":0`, `"households":-1`), "13", "negative count"},
		{"grid counts disagree", grids, 1, replaceIn(`"households":24`, `"households":25`), a1, "counts 25 households in 1 buildings, but its buildings hold 24 in 1"},
		{"empty name", grids, 1, replaceIn(`"name":"钟环社区第1网格"`, `"name":""`), a1, "empty name"},
		{"station with unknown unit", stations, 2, replaceIn(`"unit":"520201002001","community":"520201002001"`, `"unit":"520201002009","community":"520201002009"`), "2", "unit 520201002009 does not exist"},
		{"station unit of wrong level", stations, 1, replaceIn(`"unit":"520201002"`, `"unit":"520201002001"`), "1", "a centre station serves unit 520201002001, a community, want a subdistrict"},
		{"NaN coordinate", buildings, 1, replaceIn(`[104.8303,26.5903]`, `[NaN,26.5903]`), "", "invalid JSON at line 2, feature #0"},
		{"huge coordinate", buildings, 1, replaceIn(`[104.8303,26.5903]`, `[1e999,26.5903]`), "11", "coordinate 1e999 out of range"},
		{"coordinate out of range", buildings, 1, replaceIn(`[104.8303,26.5903]`, `[204.8303,26.5903]`), "11", "not a finite lon/lat"},
		{"too deep", stations, 0, func(string) string { return `{"type":"FeatureCollection","x":` + strings.Repeat("[", 500) }, "", "nesting deeper than 128"},
		{"not a collection", stations, 0, func(string) string { return `{"type":"Feature","features":[]}` }, "", `top-level type is "Feature"`},
		{"empty file", stations, 0, func(string) string { return `` }, "", "invalid JSON at line 1"},
		{"bad crs", LayerCity, 0, replaceIn(`"crs": "wgs84"`, `"crs": "utm50"`), "", "unknown coordinate reference system"},
		{"meta not a city", LayerCity, 0, replaceIn(`"code": "5202"`, `"code": "520201"`), "", "code 520201 is a district, want a city"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := cityFS(t, testCity(t), Meta{})
			if tc.line > 0 {
				editLine(t, fsys, tc.layer, tc.line, tc.edit)
			} else {
				f := fsys[tc.layer.File()]
				f.Data = []byte(tc.edit(string(f.Data)))
			}
			c, err := ReadFS(fsys)
			if c != nil {
				t.Errorf("ReadFS returned a city with error %v, want none", err)
			}
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("ReadFS error = %v, want ErrInvalid", err)
			}
			layer, feature := tc.layer, tc.feature
			if l, f, ok := strings.Cut(feature, " "); ok {
				layer, feature = Layer(l), f
			}
			wantProblem(t, err, layer, feature, tc.fault)
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	fsys := cityFS(t, testCity(t), Meta{})
	delete(fsys, "streets.geojson")
	_, err := ReadFS(fsys)
	wantProblem(t, err, LayerStreets, "", "reading streets.geojson")
}

func TestReadMissingDir(t *testing.T) {
	c, err := Read(t.TempDir() + "/nope")
	if c != nil || err == nil || errors.Is(err, ErrInvalid) {
		t.Errorf("Read(missing dir) = %v, %v; want no city and a plain error", c, err)
	}
}

func TestReadCappedRefusesLargeFiles(t *testing.T) {
	fsys := fstest.MapFS{"big": {Data: make([]byte, 100)}}
	if _, err := readCapped(fsys, "big", 99); err == nil || !strings.Contains(err.Error(), "limit") {
		t.Errorf("readCapped(100 bytes, limit 99) = %v, want a limit error", err)
	}
	if b, err := readCapped(fsys, "big", 100); err != nil || len(b) != 100 {
		t.Errorf("readCapped(100 bytes, limit 100) = %d bytes, %v; want 100, nil", len(b), err)
	}
}

func TestValidateFaults(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(c *geo.City)
		layer   Layer
		feature string
		fault   string
	}{
		{"NaN coordinate", func(c *geo.City) { c.Buildings[0].Point[0] = math.NaN() }, LayerBuildings, "11", "not a finite lon/lat"},
		{"NaN in ring", func(c *geo.City) { c.Grids[0].Geometry[0][0][2][1] = math.NaN() }, LayerGrids, tGridA1.String(), "not a finite lon/lat"},
		{"infinite street", func(c *geo.City) { c.Streets[0].Line[1][0] = math.Inf(1) }, LayerStreets, "1", "not a finite lon/lat"},
		{"stale bound", func(c *geo.City) { c.Grids[1].Bound = orb.Bound{} }, LayerGrids, tGridA2.String(), "is not the geometry's bound"},
		{"nil grid", func(c *geo.City) { c.Grids[2] = nil }, LayerGrids, "#2", "nil grid"},
		{"zero id", func(c *geo.City) { c.Stations[0].ID = 0 }, LayerStations, "0", "id 0"},
		{"no city unit", func(c *geo.City) { c.Units = c.Units[1:] }, LayerUnits, "", "no unit of level city"},
		{"grid in a subdistrict", func(c *geo.City) { c.Grids[0].Code = geo.GridCode(uint64(tSub)*1000 + 1) }, LayerGrids, "520201002000001", "bad code"},
		{"empty grid geometry", func(c *geo.City) { c.Grids[0].Geometry = nil }, LayerGrids, tGridA1.String(), "empty geometry"},
		{"invalid UTF-8 name", func(c *geo.City) { c.Streets[0].Name = "\xff" }, LayerStreets, "1", "name is not valid UTF-8"},
		{"degenerate street", func(c *geo.City) { c.Streets[0].Line = orb.LineString{{104.83, 26.59}} }, LayerStreets, "1", "fewer than 2 distinct points"},
		{"identical grids", func(c *geo.City) {
			g := *c.Grids[0]
			g.ID, g.Code = 99, tGridA1+5
			c.Grids = append(c.Grids, &g)
		}, LayerGrids, tGridA1.String(), "overlaps sibling grid 520201002001006"},
		{"unknown station kind", func(c *geo.City) { c.Stations[0].Kind = 9 }, LayerStations, "1", "unknown kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := testCity(t)
			tc.edit(c)
			err := Validate(c)
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want ErrInvalid", err)
			}
			wantProblem(t, err, tc.layer, tc.feature, tc.fault)
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	var ps problems
	for i := range 25 {
		ps.addf(LayerGrids, "g", "fault %d", i)
	}
	ps.add(LayerCity, "", "first")
	err := ps.err()
	msg := err.Error()
	if !strings.Contains(msg, "26 problem(s); city: first; grids g: fault 0") || !strings.HasSuffix(msg, "and 6 more") {
		t.Errorf("Error() = %q, want the count, city first, then 20 listed and the rest counted", msg)
	}
}
