package tiles

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

var testUnitNames = map[geo.DivisionCode]string{
	520201000000: "钟山区", 520204000000: "水城区",
	520201001000: "荷城街道", 520201002000: "凤凰街道", 520204001000: "双水街道", 520204002000: "老鹰山街道",
}

// unitsOf returns the city and the units above the cells, with geometry
// traced from the cells, sorted by code.
func unitsOf(lat *lattice, commOf map[[2]int]geo.DivisionCode) []*geo.Unit {
	cells := map[geo.DivisionCode]map[[2]int]bool{}
	for cell, comm := range commOf {
		for _, code := range []geo.DivisionCode{comm, comm.Parent(), comm.Parent().Parent()} {
			if cells[code] == nil {
				cells[code] = map[[2]int]bool{}
			}
			cells[code][cell] = true
		}
	}
	units := []*geo.Unit{{Code: 520200000000, Name: "六盘水市"}}
	for code, set := range cells {
		name := testUnitNames[code]
		if name == "" {
			name = testUnitShort(code) + "居民委员会"
		}
		units = append(units, &geo.Unit{Code: code, Name: name, Geometry: lat.trace(set)})
	}
	slices.SortFunc(units, func(a, b *geo.Unit) int { return cmpU(uint64(a.Code), uint64(b.Code)) })
	return units
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// gridCells groups the cells into grids: one per cell, except a ring grid
// with a one-cell grid in its hole in 520204001001 and a two-part grid in
// 520201002002. Grids are numbered inside their community west to east,
// then north to south, by their south-west-most cell.
func gridCells(t testing.TB, commOf map[[2]int]geo.DivisionCode) map[geo.GridCode]map[[2]int]bool {
	t.Helper()
	var groups []map[[2]int]bool
	taken := map[[2]int]bool{}
	ring := map[[2]int]bool{}
	for i := 6; i <= 8; i++ {
		for j := 0; j <= 2; j++ {
			if i != 7 || j != 1 {
				ring[[2]int{i, j}] = true
			}
		}
	}
	twoPart := map[[2]int]bool{{3, 4}: true, {5, 6}: true}
	for _, g := range []map[[2]int]bool{ring, twoPart} {
		groups = append(groups, g)
		for c := range g {
			taken[c] = true
		}
	}
	for c := range commOf {
		if !taken[c] {
			groups = append(groups, map[[2]int]bool{c: true})
		}
	}
	first := func(g map[[2]int]bool) [2]int {
		var best [2]int
		ok := false
		for c := range g {
			if !ok || c[0] < best[0] || (c[0] == best[0] && c[1] > best[1]) {
				best, ok = c, true
			}
		}
		return best
	}
	slices.SortFunc(groups, func(a, b map[[2]int]bool) int {
		fa, fb := first(a), first(b)
		if fa[0] != fb[0] {
			return fa[0] - fb[0]
		}
		return fb[1] - fa[1]
	})
	out := map[geo.GridCode]map[[2]int]bool{}
	seq := map[geo.DivisionCode]int{}
	for _, g := range groups {
		comm := commOf[first(g)]
		seq[comm]++
		code, err := geo.NewGridCode(comm, seq[comm])
		if err != nil {
			t.Fatalf("NewGridCode: %v", err)
		}
		out[code] = g
	}
	return out
}

// buildGrids returns the grids, sorted by code, with ids from 101.
func buildGrids(lat *lattice, cells map[geo.GridCode]map[[2]int]bool) []*geo.Grid {
	codes := make([]geo.GridCode, 0, len(cells))
	for code := range cells {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	grids := make([]*geo.Grid, len(codes))
	for k, code := range codes {
		mp := lat.trace(cells[code])
		grids[k] = &geo.Grid{ID: geo.GridID(101 + k), Code: code, Geometry: mp, Bound: mp.Bound(),
			Name: testUnitShort(code.Community()) + "第" + code.String()[12:] + "网格"}
	}
	return grids
}

// testUnitShort returns the short name of a test community.
func testUnitShort(c geo.DivisionCode) string {
	k := int(c%1000-1) + 2*int(c/1000%1000-1)
	if c/1000000%1000 == 204 {
		k += 4
	}
	return []string{"钟环", "明湖", "荷泉", "凉都", "黄土坡", "德坞", "双水", "红岩"}[k%8] + "社区"
}

// cellCentre returns the middle of cell (i, j).
func (l *lattice) cellCentre(i, j int) orb.Point {
	a, b, c, d := l.vert[i][j], l.vert[i+1][j], l.vert[i+1][j+1], l.vert[i][j+1]
	return orb.Point{(a[0] + b[0] + c[0] + d[0]) / 4, (a[1] + b[1] + c[1] + d[1]) / 4}
}

// addBuildings puts 3-6 buildings near the middle of every cell.
func addBuildings(rng *rand.Rand, c *geo.City, lat *lattice, grids map[geo.GridCode]map[[2]int]bool) {
	cellGrid := map[[2]int]*geo.Grid{}
	for _, g := range c.Grids {
		for cell := range grids[g.Code] {
			cellGrid[cell] = g
		}
	}
	id := geo.BuildingID(1000)
	for i := 0; i < lat.nx; i++ {
		for j := 0; j < lat.ny; j++ {
			g := cellGrid[[2]int{i, j}]
			comm := g.Community()
			for n := 3 + rng.IntN(4); n > 0; n-- {
				ctr := lat.cellCentre(i, j)
				p := snap7(orb.Point{ctr[0] + (rng.Float64()-0.5)*0.002, ctr[1] + (rng.Float64()-0.5)*0.002})
				id++
				hh := 20 + rng.IntN(40)
				c.Buildings = append(c.Buildings, &geo.Building{
					ID: id, Point: p, Households: hh, Floors: 3 + rng.IntN(20), Units: 1 + rng.IntN(4), Grid: g.Code,
					Address: geo.Address{Province: "贵州省", City: "六盘水市", District: testUnitNames[comm.Parent().Parent()],
						Subdistrict: testUnitNames[comm.Parent()], Community: testUnitShort(comm),
						Road: "人民路", Number: int(id), Estate: "凉都花园", Building: "3"},
				})
				g.Households += hh
				g.Buildings++
			}
		}
	}
}

// addStreets lays a street along every lattice row and column.
func addStreets(c *geo.City, lat *lattice) {
	id := geo.StreetID(1)
	for j := 0; j <= lat.ny; j++ {
		var line orb.LineString
		for i := 0; i < lat.nx; i++ {
			line = append(line, lat.edgePoints([2]int{i, j}, [2]int{i + 1, j})...)
		}
		line = append(line, lat.vert[lat.nx][j])
		class := []string{"primary", "tertiary", "secondary", "tertiary"}[j%4]
		c.Streets = append(c.Streets, &geo.Street{ID: id, Name: "东西" + string(rune('一'+j)) + "路", Class: class, Line: line})
		id++
	}
	for i := 0; i <= lat.nx; i++ {
		var line orb.LineString
		for j := 0; j < lat.ny; j++ {
			line = append(line, lat.edgePoints([2]int{i, j}, [2]int{i, j + 1})...)
		}
		line = append(line, lat.vert[i][lat.ny])
		class := []string{"secondary", "alley"}[i%2]
		c.Streets = append(c.Streets, &geo.Street{ID: id, Name: "南北路", Class: class, Line: line})
		id++
	}
}

// addStations puts a community station in the first cell of every
// community and a centre in the last cell of every subdistrict.
func addStations(c *geo.City, lat *lattice, commOf map[[2]int]geo.DivisionCode) {
	first := map[geo.DivisionCode][2]int{}
	for i := 0; i < lat.nx; i++ {
		for j := 0; j < lat.ny; j++ {
			cell := [2]int{i, j}
			comm := commOf[cell]
			if _, ok := first[comm]; !ok {
				first[comm] = cell
			}
			first[comm.Parent()] = cell
		}
	}
	codes := make([]geo.DivisionCode, 0, len(first))
	for code := range first {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for k, code := range codes {
		cell := first[code]
		st := &geo.Station{ID: geo.StationID(k + 1), Unit: code, Point: snap7(lat.cellCentre(cell[0], cell[1]))}
		if code.Level() == geo.LevelSubdistrict {
			st.Kind, st.Name = geo.StationCentre, testUnitNames[code]+"党群服务中心"
		} else {
			st.Kind, st.Name = geo.StationCommunity, testUnitShort(code)+"党群服务站"
		}
		c.Stations = append(c.Stations, st)
	}
}
