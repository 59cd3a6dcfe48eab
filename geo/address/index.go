package address

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// An Index matches addresses to the buildings of one snapshot. It is
// immutable once built and safe for concurrent use.
type Index struct {
	buildings []*geo.Building
	info      []buildingInfo
	roads     []road
	estates   []estate
	names     *trie
	fuzzy     *fuzzyIndex
	unitGrids map[geo.DivisionCode]unitGrids
	points    *pointGrid
	cosLat    float64 // shrinks longitudes so degrees compare as distances
}

// unitGrids are the grids of a unit (a community, subdistrict or
// district), for answers that name only the unit: their codes, sorted,
// and the centre of the first one's bounding box, where such an answer
// points. Only the first grid's centre is kept, not every grid's, so that
// a rebase copies a map of the units, not one of the grids.
type unitGrids struct {
	codes  []geo.GridCode
	centre orb.Point
}

// buildingInfo holds what the matcher compares for one building. Its
// subdistrict and district are the community's parents.
type buildingInfo struct {
	community geo.DivisionCode
	road      int32 // index in roads, -1 if none
	estate    int32 // index in estates, -1 if none
	building  string
}

// A road is one road of one district: names recur across districts.
type road struct {
	name     string
	district geo.DivisionCode
	// buildings are the road's buildings sorted by door number, then by
	// index, so the buildings at one door are a run found by bisection.
	buildings []int32
	numbers   []int // distinct door numbers, sorted
}

// An estate is one named estate (小区) of one district.
type estate struct {
	name      string
	district  geo.DivisionCode
	buildings []int32
}

type nameKey struct {
	district geo.DivisionCode
	name     string
}

// NewIndex builds the index of a snapshot's buildings and unit names.
func NewIndex(s *geo.Snapshot) *Index { return NewCityIndex(s.City) }

// NewCityIndex builds the index of a city's buildings and unit names. The
// city must not change afterwards.
func NewCityIndex(c *geo.City) *Index {
	x := &Index{
		buildings: c.Buildings,
		info:      make([]buildingInfo, len(c.Buildings)),
		names:     newTrie(),
		unitGrids: make(map[geo.DivisionCode]unitGrids),
		cosLat:    1,
	}
	x.indexBuildings()
	x.indexUnitNames(c)
	x.indexPlaceNames()
	x.indexGrids(c.Grids)
	x.indexPoints()
	x.fuzzy = newFuzzyIndex(x.roads, x.estates)
	return x
}

// indexBuildings files every building under its road, door and estate.
func (x *Index) indexBuildings() {
	roadIDs := make(map[nameKey]int32)
	estateIDs := make(map[nameKey]int32)
	numbers := make(map[string]string) // one copy of each building number
	for i, b := range x.buildings {
		comm := b.Grid.Community()
		district := comm.Parent().Parent()
		in := buildingInfo{community: comm, road: -1, estate: -1}
		in.building = internString(numbers, normalizeBuildingNumber(b.Address.Building))
		if name := Normalize(b.Address.Road); name != "" {
			in.road = internID(roadIDs, nameKey{district, name}, func() int32 {
				x.roads = append(x.roads, road{name: b.Address.Road, district: district})
				return int32(len(x.roads) - 1)
			})
			rd := &x.roads[in.road]
			rd.buildings = append(rd.buildings, int32(i))
		}
		if name := Normalize(b.Address.Estate); name != "" {
			in.estate = internID(estateIDs, nameKey{district, name}, func() int32 {
				x.estates = append(x.estates, estate{name: b.Address.Estate, district: district})
				return int32(len(x.estates) - 1)
			})
			es := &x.estates[in.estate]
			es.buildings = append(es.buildings, int32(i))
		}
		x.info[i] = in
	}
	for i := range x.roads {
		rd := &x.roads[i]
		slices.SortStableFunc(rd.buildings, func(a, b int32) int {
			return cmp.Compare(x.buildings[a].Address.Number, x.buildings[b].Address.Number)
		})
		for _, bi := range rd.buildings {
			if n := x.buildings[bi].Address.Number; len(rd.numbers) == 0 || rd.numbers[len(rd.numbers)-1] != n {
				rd.numbers = append(rd.numbers, n)
			}
		}
		rd.numbers = slices.Clip(rd.numbers)
	}
}

// internString returns the copy of s kept in m, keeping s if it is new.
func internString(m map[string]string, s string) string {
	if t, ok := m[s]; ok {
		return t
	}
	m[s] = s
	return s
}

// door returns the buildings of road rd at door number n: a run of its
// buildings, sorted by index.
func (x *Index) door(rd int32, n int) []int32 {
	bs := x.roads[rd].buildings
	num := func(k int) int { return x.buildings[bs[k]].Address.Number }
	lo := sort.Search(len(bs), func(k int) bool { return num(k) >= n })
	hi := lo
	for hi < len(bs) && num(hi) == n {
		hi++
	}
	return bs[lo:hi:hi]
}

func internID(m map[nameKey]int32, k nameKey, create func() int32) int32 {
	if id, ok := m[k]; ok {
		return id
	}
	id := create()
	m[k] = id
	return id
}

// normalizeBuildingNumber spells a building number as addresses give it
// after Normalize: "三" and "３" read "3", "a" reads "A".
func normalizeBuildingNumber(s string) string {
	if s == "" {
		return ""
	}
	n := Normalize(s + "栋")
	if rest, ok := strings.CutSuffix(n, "栋"); ok && rest != "" {
		return rest
	}
	return Normalize(s)
}

// indexUnitNames adds the province, the city and every unit, full and
// short, to the gazetteer.
func (x *Index) indexUnitNames(c *geo.City) {
	province := c.Province
	if province == "" {
		province = "贵州省"
	}
	x.addName(province, ref{lvl: levelProvince, name: province}, "省")
	x.addName(c.Name, ref{lvl: levelCity, name: c.Name, code: c.Code}, "市")
	for _, u := range c.Units {
		switch u.Level() {
		case geo.LevelDistrict:
			x.addName(u.Name, ref{lvl: levelDistrict, name: u.Name, code: u.Code}, "特区", "区", "县", "市")
		case geo.LevelSubdistrict:
			x.addName(u.Name, ref{lvl: levelSubdistrict, name: u.Name, code: u.Code}, "街道", "镇", "乡")
		case geo.LevelCommunity:
			short := geo.ShortUnitName(u.Name)
			x.addName(short, ref{lvl: levelCommunity, name: short, code: u.Code}, "社区", "村")
		}
	}
}

// addName adds a name and, with the first of the suffixes it ends in cut
// off, its short form as a weak meaning.
func (x *Index) addName(name string, rf ref, suffixes ...string) {
	full := Normalize(name)
	x.names.add([]rune(full), rf)
	for _, sf := range suffixes {
		short, ok := strings.CutSuffix(full, sf)
		if !ok {
			continue
		}
		if rs := []rune(short); len(rs) >= 2 {
			weak := rf
			weak.weak = true
			x.names.add(rs, weak)
		}
		return
	}
}

// indexPlaceNames adds road and estate names to the gazetteer.
func (x *Index) indexPlaceNames() {
	for i, rd := range x.roads {
		x.names.add([]rune(Normalize(rd.name)), ref{lvl: levelRoad, name: rd.name, code: rd.district, id: int32(i)})
	}
	for i, es := range x.estates {
		x.names.add([]rune(Normalize(es.name)), ref{lvl: levelEstate, name: es.name, code: es.district, id: int32(i)})
	}
}

// indexGrids records the grids of every community, subdistrict and
// district, for answers that name only a unit.
func (x *Index) indexGrids(grids []*geo.Grid) {
	first := map[geo.DivisionCode]*geo.Grid{}
	for _, g := range grids {
		for c := g.Community(); c.Level() != geo.LevelCity && c != 0; c = c.Parent() {
			u := x.unitGrids[c]
			u.codes = append(u.codes, g.Code)
			x.unitGrids[c] = u
			if f := first[c]; f == nil || g.Code < f.Code {
				first[c] = g
			}
		}
	}
	for c, u := range x.unitGrids {
		slices.Sort(u.codes)
		u.centre = first[c].Bound.Center()
		x.unitGrids[c] = u
	}
}

// indexPoints files building entrances in a grid of cells for Reverse. Longitudes
// are scaled by the cosine of the mean latitude so that box distances rank
// like ground distances.
func (x *Index) indexPoints() {
	if len(x.buildings) == 0 {
		return
	}
	lat := 0.0
	for _, b := range x.buildings {
		lat += b.Point.Lat()
	}
	x.cosLat = cosDeg(lat / float64(len(x.buildings)))
	x.points = newPointGrid(x.scaledPoints(x.buildings))
}

func (x *Index) scaled(p orb.Point) [2]float64 { return [2]float64{p.Lon() * x.cosLat, p.Lat()} }

// Len returns the number of buildings in the index.
func (x *Index) Len() int { return len(x.buildings) }
