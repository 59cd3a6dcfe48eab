package cityio

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Codes of the small test city.
const (
	tCity   geo.DivisionCode = 520200000000
	tDist   geo.DivisionCode = 520201000000
	tSub    geo.DivisionCode = 520201002000
	tCommA  geo.DivisionCode = 520201002001
	tCommB  geo.DivisionCode = 520201002002
	tGridA1 geo.GridCode     = 520201002001001
	tGridA2 geo.GridCode     = 520201002001002
	tGridA3 geo.GridCode     = 520201002001003
	tGridB1 geo.GridCode     = 520201002002001
	tGridB2 geo.GridCode     = 520201002002002
)

// ring builds a closed ring from lon, lat pairs.
func ring(coords ...float64) orb.Ring {
	r := make(orb.Ring, 0, len(coords)/2+1)
	for i := 0; i+1 < len(coords); i += 2 {
		r = append(r, orb.Point{coords[i], coords[i+1]})
	}
	return append(r, r[0])
}

func mpoly(rings ...orb.Ring) orb.MultiPolygon { return orb.MultiPolygon{orb.Polygon(rings)} }

// testCity builds a small valid, normalized city: one district, one
// subdistrict, two communities stacked north-south, three grids in the
// southern community A (the boundary between A2 and A3 zigzags) and two
// in the northern community B, with vertex-identical shared edges, plus
// buildings, stations and streets.
func testCity(t testing.TB) *geo.City {
	t.Helper()
	const x0, x1, x2, x3, xz, x4 = 104.83, 104.8307, 104.831, 104.8314, 104.8312, 104.832
	const y0, ym, y1, y2 = 26.59, 26.5905, 26.591, 26.592
	commA := mpoly(ring(x0, y0, x1, y0, x3, y0, x4, y0, x4, y1, x3, y1, x1, y1, x0, y1))
	commB := mpoly(ring(x0, y1, x2, y1, x4, y1, x4, y2, x2, y2, x0, y2))
	whole := mpoly(ring(x0, y0, x1, y0, x3, y0, x4, y0, x4, y1, x4, y2, x2, y2, x0, y2, x0, y1))
	c := &geo.City{Code: tCity, Name: "六盘水市", Province: "贵州省"}
	c.Units = []*geo.Unit{
		{Code: tCity, Name: "六盘水市"},
		{Code: tDist, Name: "钟山区", Geometry: whole},
		{Code: tSub, Name: "荷城街道", Geometry: cloneMP(whole)},
		{Code: tCommA, Name: "钟环社区居民委员会", Geometry: commA},
		{Code: tCommB, Name: "凉都社区居民委员会", Geometry: commB},
	}
	c.Grids = []*geo.Grid{
		{ID: 1, Code: tGridA1, Name: "钟环社区第1网格", Geometry: mpoly(ring(x0, y0, x1, y0, x1, y1, x0, y1))},
		{ID: 2, Code: tGridA2, Name: "钟环社区第2网格", Geometry: mpoly(ring(x1, y0, x3, y0, xz, ym, x3, y1, x1, y1))},
		{ID: 3, Code: tGridA3, Name: "钟环社区第3网格", Geometry: mpoly(ring(x3, y0, x4, y0, x4, y1, x3, y1, xz, ym))},
		{ID: 7, Code: tGridB1, Name: "凉都社区第1网格", Geometry: mpoly(ring(x0, y1, x2, y1, x2, y2, x0, y2))},
		{ID: 5, Code: tGridB2, Name: "凉都社区第2网格", Geometry: mpoly(ring(x2, y1, x4, y1, x4, y2, x2, y2))},
	}
	addr := func(community, road string, n int, estate, building string) geo.Address {
		return geo.Address{Province: "贵州省", City: "六盘水市", District: "钟山区", Subdistrict: "荷城街道",
			Community: community, Road: road, Number: n, Estate: estate, Building: building}
	}
	c.Buildings = []*geo.Building{
		{ID: 11, Point: orb.Point{104.8303, 26.5903}, Address: addr("钟环社区", "人民中路", 12, "凉都花园", "3"), Households: 24, Floors: 6, Units: 2, Grid: tGridA1},
		{ID: 12, Point: orb.Point{104.831, 26.5902}, Address: addr("钟环社区", "人民中路", 14, "", ""), Households: 30, Floors: 7, Units: 2, Grid: tGridA2},
		{ID: 13, Point: orb.Point{104.8317, 26.5907}, Address: addr("钟环社区", "钟山大道", 3, "\"引号\"小区", "A"), Households: 0, Floors: 1, Units: 1, Grid: tGridA3},
		{ID: 14, Point: orb.Point{104.8305, 26.5915}, Address: addr("凉都社区", "凉都大道", 1, "", "1"), Households: 40, Floors: 11, Units: 2, Grid: tGridB1},
		{ID: 15, Point: orb.Point{x2, 26.5915}, Address: addr("凉都社区", "凉都大道", 2, "", ""), Households: 8, Floors: 3, Units: 1, Grid: tGridB2}, // on the B1/B2 edge
	}
	c.Stations = []*geo.Station{
		{ID: 1, Kind: geo.StationCentre, Name: "荷城街道党群服务中心", Unit: tSub, Point: orb.Point{104.8308, 26.5909}},
		{ID: 2, Kind: geo.StationCommunity, Name: "钟环社区党群服务站", Unit: tCommA, Point: orb.Point{104.8301, 26.5901}},
		{ID: 3, Kind: geo.StationCommunity, Name: "凉都社区党群服务站", Unit: tCommB, Point: orb.Point{104.8311, 26.5911}},
	}
	c.Streets = []*geo.Street{
		{ID: 1, Name: "人民中路", Class: "primary", Line: orb.LineString{{x0, y0}, {x4, y0}}},
		{ID: 2, Name: "钟山大道", Class: "secondary", Line: orb.LineString{{x2, y0}, {x2, 26.5895}, {104.8325, 26.589}}},
	}
	countGrids(c)
	Normalize(c)
	return c
}

func cloneMP(mp orb.MultiPolygon) orb.MultiPolygon { return mp.Clone() }

// countGrids sets each grid's counts from its buildings.
func countGrids(c *geo.City) {
	idx := make(map[geo.GridCode]*geo.Grid)
	for _, g := range c.Grids {
		g.Households, g.Buildings = 0, 0
		idx[g.Code] = g
	}
	for _, b := range c.Buildings {
		if g := idx[b.Grid]; g != nil {
			g.Households += b.Households
			g.Buildings++
		}
	}
}

// cityFS renders c into an in-memory city directory.
func cityFS(t testing.TB, c *geo.City, m Meta) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	meta, err := encodeMeta(c, m)
	if err != nil {
		t.Fatalf("encodeMeta: %v", err)
	}
	fsys[metaFile] = &fstest.MapFile{Data: meta}
	for _, l := range layers {
		var buf bytes.Buffer
		if err := WriteLayer(&buf, c, l); err != nil {
			t.Fatalf("WriteLayer(%s): %v", l, err)
		}
		fsys[l.File()] = &fstest.MapFile{Data: buf.Bytes()}
	}
	return fsys
}

// editLine rewrites line n (0 is the collection header, feature i is
// line i+1) of a layer file with fn.
func editLine(t testing.TB, fsys fstest.MapFS, l Layer, n int, fn func(string) string) {
	t.Helper()
	lines := strings.Split(string(fsys[l.File()].Data), "\n")
	if n >= len(lines) {
		t.Fatalf("%s has %d lines, want line %d", l.File(), len(lines), n)
	}
	before := lines[n]
	lines[n] = fn(before)
	if lines[n] == before {
		t.Fatalf("edit of %s line %d changed nothing: %s", l.File(), n, before)
	}
	fsys[l.File()] = &fstest.MapFile{Data: []byte(strings.Join(lines, "\n"))}
}

// replaceIn returns an edit that replaces old with new once.
func replaceIn(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

// wantProblem fails unless err is a *ValidationError holding a problem
// in layer l about feature (any feature when empty) whose fault contains
// fault.
func wantProblem(t testing.TB, err error, l Layer, feature, fault string) {
	t.Helper()
	ve, ok := err.(*ValidationError)
	if !ok {
		t.Fatalf("error = %v (%T), want *ValidationError", err, err)
	}
	for _, p := range ve.Problems {
		if p.Layer == l && (feature == "" || p.Feature == feature) && strings.Contains(p.Fault, fault) {
			return
		}
	}
	t.Errorf("problems = %v, want one in %s for %q containing %q", ve.Problems, l, feature, fault)
}
