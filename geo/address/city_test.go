package address

import (
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// miniCity builds a small hand-made city with the traps of real data: a
// road name (人民中路) in two districts, an estate spread over two grids,
// a community named like a road (人民中路社区) and one with a numeral in its
// name (七号点社区), lettered buildings, and standalone doors.
func miniCity(t testing.TB) *geo.City {
	t.Helper()
	c := &geo.City{Code: 520200000000, Name: "六盘水市", Province: "贵州省"}
	unit := func(code geo.DivisionCode, name string) {
		c.Units = append(c.Units, &geo.Unit{Code: code, Name: name})
	}
	unit(520200000000, "六盘水市")
	unit(520201000000, "钟山区")
	unit(520204000000, "水城区")
	unit(520201013000, "荷泉街道")
	unit(520201014000, "荷城街道")
	unit(520201015000, "杨柳街道")
	unit(520204002000, "双水街道")
	unit(520201013003, "人民中路社区居民委员会")
	unit(520201014001, "钟环社区居民委员会")
	unit(520201014002, "荷城社区居民委员会")
	unit(520201015001, "七号点社区居民委员会")
	unit(520204002001, "小山社区居民委员会")
	grid := func(comm geo.DivisionCode, seq int, lon, lat float64) geo.GridCode {
		code, err := geo.NewGridCode(comm, seq)
		if err != nil {
			t.Fatal(err)
		}
		ring := orb.Ring{{lon, lat}, {lon + 0.01, lat}, {lon + 0.01, lat + 0.01}, {lon, lat + 0.01}, {lon, lat}}
		mp := orb.MultiPolygon{{ring}}
		c.Grids = append(c.Grids, &geo.Grid{ID: geo.GridID(len(c.Grids) + 1), Code: code, Name: "网格", Geometry: mp, Bound: mp.Bound()})
		return code
	}
	g1 := grid(520201014001, 1, 104.80, 26.58)
	g2 := grid(520201014001, 2, 104.81, 26.58)
	g3 := grid(520201014002, 1, 104.82, 26.58)
	g4 := grid(520201013003, 1, 104.83, 26.58)
	g5 := grid(520201015001, 1, 104.84, 26.58)
	g6 := grid(520204002001, 1, 104.95, 26.54)
	g7 := grid(520204002001, 2, 104.96, 26.54)
	chain := map[geo.GridCode][3]string{
		g1: {"钟山区", "荷城街道", "钟环社区"}, g2: {"钟山区", "荷城街道", "钟环社区"},
		g3: {"钟山区", "荷城街道", "荷城社区"}, g4: {"钟山区", "荷泉街道", "人民中路社区"},
		g5: {"钟山区", "杨柳街道", "七号点社区"}, g6: {"水城区", "双水街道", "小山社区"},
		g7: {"水城区", "双水街道", "小山社区"},
	}
	add := func(g geo.GridCode, road string, num int, estate, bld string) {
		ch := chain[g]
		gb := gridBound(c, g)
		n := len(c.Buildings)
		p := orb.Point{gb.Min[0] + 0.001 + 0.0003*float64(n%20), gb.Min[1] + 0.001 + 0.0004*float64(n%17)}
		c.Buildings = append(c.Buildings, &geo.Building{
			ID: geo.BuildingID(n + 1), Point: p, Grid: g, Households: 40, Floors: 6, Units: 2,
			Address: geo.Address{Province: "贵州省", City: "六盘水市", District: ch[0], Subdistrict: ch[1],
				Community: ch[2], Road: road, Number: num, Estate: estate, Building: bld},
		})
	}
	add(g1, "人民中路", 10, "", "")
	for b := 1; b <= 6; b++ {
		g := g1
		if b > 4 {
			g = g2
		}
		add(g, "人民中路", 12, "凉都花园", itoa(b))
	}
	add(g2, "人民中路", 14, "", "")
	add(g2, "人民中路", 16, "", "")
	add(g3, "钟山大道", 1, "荷城花园", "A")
	add(g3, "钟山大道", 1, "荷城花园", "B")
	add(g3, "钟山大道", 5, "", "")
	add(g4, "人民中路", 30, "", "")
	add(g4, "区府路", 2, "", "")
	add(g5, "凤凰路", 8, "", "")
	add(g5, "凤凰路", 9, "七号点小区", "1")
	add(g6, "人民中路", 12, "", "")
	for b := 1; b <= 3; b++ {
		add(g7, "人民中路", 20, "阳光小区", itoa(b))
	}
	add(g7, "小山路", 3, "", "")
	return c
}

func gridBound(c *geo.City, code geo.GridCode) orb.Bound {
	for _, g := range c.Grids {
		if g.Code == code {
			return g.Bound
		}
	}
	return orb.Bound{}
}

func itoa(v int) string { return string(appendInt(nil, v)) }

// miniIndex returns the index of miniCity.
func miniIndex(t testing.TB) (*Index, *geo.City) {
	t.Helper()
	c := miniCity(t)
	s, err := geo.NewSnapshot(c, 1)
	if err != nil {
		t.Fatalf("NewSnapshot(miniCity) = %v", err)
	}
	return NewIndex(s), c
}

// findBuilding returns the building of the mini city at an address.
func findBuilding(t testing.TB, c *geo.City, district, road string, num int, bld string) *geo.Building {
	t.Helper()
	for _, b := range c.Buildings {
		a := b.Address
		if a.District == district && a.Road == road && a.Number == num && a.Building == bld {
			return b
		}
	}
	t.Fatalf("no building %s %s%d号 %s", district, road, num, bld)
	return nil
}

// fixtureCity returns the reference fixture city (fixtures seed 1, scale
// 1), generated once per test binary: generating it takes seconds.
func fixtureCity(t testing.TB) *geo.City {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureCityValue, fixtureErr = fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	})
	if fixtureErr != nil {
		t.Fatalf("fixtures.Generate(seed 1, scale 1) = %v", fixtureErr)
	}
	return fixtureCityValue
}

var (
	fixtureOnce      sync.Once
	fixtureCityValue *geo.City
	fixtureErr       error
)
