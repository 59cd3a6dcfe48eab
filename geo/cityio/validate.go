package cityio

import (
	"strconv"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
)

// Validate checks c against the model's rules and returns a
// *ValidationError listing every problem, or nil. It checks codes and
// levels, parent links, duplicate ids and codes, names, counts,
// coordinates, polygon validity, grids inside their community, sibling
// grids neither overlapping nor leaving gaps, and buildings inside the
// grid they name. c is not modified. See the package documentation for
// the full list.
func Validate(c *geo.City) error {
	var probs problems
	validate(c, nil, &probs)
	return probs.err()
}

// A validator holds the indexes the checks share.
type validator struct {
	c      *geo.City
	probs  *problems
	broken *decoded // features the reader dropped as faulty; may be nil

	units        map[geo.DivisionCode]*geo.Unit
	grids        map[geo.GridCode]*geo.Grid
	goodGeom     map[*geo.Grid]bool // grids whose geometry passed every check
	goodUnitGeom map[*geo.Unit]bool // units with a geometry that passed
	gridHH       map[geo.GridCode]int
	gridCount    map[geo.GridCode]int
}

// validate runs every check on c, recording problems. broken, when not
// nil, names faulty features already reported by the reader: references
// to them are not reported again.
func validate(c *geo.City, broken *decoded, probs *problems) {
	if c == nil {
		probs.add(LayerCity, "", "no city")
		return
	}
	v := newValidator(c, broken, probs)
	v.cityHeader()
	v.checkUnits()
	v.checkGrids()
	v.checkGeometries()
	v.checkBuildings()
	v.checkGridCounts()
	v.checkStations()
	v.checkStreets()
	v.checkTopology()
}

func newValidator(c *geo.City, broken *decoded, probs *problems) *validator {
	return &validator{
		c: c, probs: probs, broken: broken,
		units:        make(map[geo.DivisionCode]*geo.Unit, len(c.Units)),
		grids:        make(map[geo.GridCode]*geo.Grid, len(c.Grids)),
		goodGeom:     make(map[*geo.Grid]bool, len(c.Grids)),
		goodUnitGeom: make(map[*geo.Unit]bool),
		gridHH:       make(map[geo.GridCode]int, len(c.Grids)),
		gridCount:    make(map[geo.GridCode]int, len(c.Grids)),
	}
}

func (v *validator) cityHeader() {
	if v.broken != nil && v.broken.metaBad {
		return
	}
	c := v.c
	if err := c.Code.Validate(); err != nil || c.Code.Level() != geo.LevelCity {
		v.probs.addf(LayerCity, "", "code %s is not a city code", c.Code)
	}
	v.name(LayerCity, "", "name", c.Name)
	v.name(LayerCity, "", "province", c.Province)
}

// name reports an empty or non-UTF-8 name.
func (v *validator) name(l Layer, who, what, s string) {
	switch {
	case s == "":
		v.probs.addf(l, who, "empty %s", what)
	case !utf8.ValidString(s):
		v.probs.addf(l, who, "%s is not valid UTF-8", what)
	}
}

// lost reports whether the reader lost features of layer l whose
// identity it could not read.
func (v *validator) lost(l Layer) bool { return v.broken != nil && v.broken.lost[l] }

// unitBroken reports whether unit c may exist but was dropped by the reader.
func (v *validator) unitBroken(c geo.DivisionCode) bool {
	return v.lost(LayerUnits) || (v.broken != nil && v.broken.brokenUnits[c])
}

// gridBroken reports whether grid c may exist but was dropped by the reader.
func (v *validator) gridBroken(c geo.GridCode) bool {
	return v.lost(LayerGrids) || (v.broken != nil && v.broken.brokenGrids[c])
}

func (v *validator) checkUnits() {
	cities := 0
	for i, u := range v.c.Units {
		if u == nil {
			v.probs.addf(LayerUnits, "#"+strconv.Itoa(i), "nil unit")
			continue
		}
		who := u.Code.Short()
		if err := u.Code.Validate(); err != nil {
			v.probs.addf(LayerUnits, who, "bad code: %v", err)
			continue
		}
		if _, dup := v.units[u.Code]; dup {
			v.probs.add(LayerUnits, who, "duplicate unit code")
			continue
		}
		v.units[u.Code] = u
		v.name(LayerUnits, who, "name", u.Name)
		if u.Level() == geo.LevelCity {
			cities++
			// A scaled data set (fixtures --scale N) holds several cities of
			// one province; city.json names the first.
			if u.Code/provinceDivisor != v.c.Code/provinceDivisor && (v.broken == nil || !v.broken.metaBad) {
				v.probs.addf(LayerUnits, who, "city unit %s is not in the province of the city %s of city.json", who, v.c.Code.Short())
			}
		}
	}
	if cities == 0 && !v.unitBroken(v.c.Code) && (v.broken == nil || !v.broken.metaBad) {
		v.probs.addf(LayerUnits, "", "no unit of level city (want %s)", v.c.Code.Short())
	}
	for _, u := range v.c.Units {
		if u == nil || u.Level() == geo.LevelCity || v.units[u.Code] != u {
			continue
		}
		p := u.Code.Parent()
		if _, ok := v.units[p]; !ok && !v.unitBroken(p) {
			v.probs.addf(LayerUnits, u.Code.Short(), "parent %s does not exist", p.Short())
		}
	}
}

// provinceDivisor leaves the 2-digit province part of a division code.
const provinceDivisor = 10000000000

func (v *validator) checkGrids() {
	ids := make(map[geo.GridID]bool, len(v.c.Grids))
	for i, g := range v.c.Grids {
		if g == nil {
			v.probs.addf(LayerGrids, "#"+strconv.Itoa(i), "nil grid")
			continue
		}
		who := g.Code.String()
		if g.ID == 0 {
			v.probs.add(LayerGrids, who, "id 0, want a positive id")
		} else if ids[g.ID] {
			v.probs.addf(LayerGrids, who, "duplicate id %d", g.ID)
		}
		ids[g.ID] = true
		if _, err := geo.NewGridCode(g.Community(), g.Code.Seq()); err != nil || g.Community().Validate() != nil {
			v.probs.addf(LayerGrids, who, "bad code %d", uint64(g.Code))
			continue
		}
		if _, dup := v.grids[g.Code]; dup {
			v.probs.add(LayerGrids, who, "duplicate grid code")
			continue
		}
		v.grids[g.Code] = g
		v.name(LayerGrids, who, "name", g.Name)
		if u, ok := v.units[g.Community()]; !ok && !v.unitBroken(g.Community()) {
			v.probs.addf(LayerGrids, who, "community %s does not exist", g.Community().Short())
		} else if ok && u.Level() != geo.LevelCommunity {
			v.probs.addf(LayerGrids, who, "unit %s is a %s, not a community", u.Code.Short(), u.Level())
		}
		if g.Households < 0 || g.Buildings < 0 {
			v.probs.addf(LayerGrids, who, "negative count: %d households, %d buildings", g.Households, g.Buildings)
		}
	}
}

func (v *validator) checkBuildings() {
	ids := make(map[geo.BuildingID]bool, len(v.c.Buildings))
	for i, b := range v.c.Buildings {
		if b == nil {
			v.probs.addf(LayerBuildings, "#"+strconv.Itoa(i), "nil building")
			continue
		}
		who := strconv.FormatUint(uint64(b.ID), 10)
		switch {
		case b.ID == 0:
			v.probs.add(LayerBuildings, who, "id 0, want a positive id")
		case ids[b.ID]:
			v.probs.add(LayerBuildings, who, "duplicate id")
		}
		ids[b.ID] = true
		if b.Households < 0 || b.Floors < 0 || b.Units < 0 || b.Address.Number < 0 {
			v.probs.addf(LayerBuildings, who, "negative count: %d households, %d floors, %d units, number %d",
				b.Households, b.Floors, b.Units, b.Address.Number)
		}
		v.name(LayerBuildings, who, "address", b.Address.String())
		okPoint := v.point(LayerBuildings, who, b.Point)
		v.gridHH[b.Grid] += b.Households
		v.gridCount[b.Grid]++
		g, ok := v.grids[b.Grid]
		switch {
		case !ok && !v.gridBroken(b.Grid):
			v.probs.addf(LayerBuildings, who, "grid %s does not exist", b.Grid)
		case ok && okPoint && v.goodGeom[g] && !gridHolds(g, b.Point):
			v.probs.addf(LayerBuildings, who, "point %v is outside its grid %s", b.Point, b.Grid)
		}
	}
}

// checkGridCounts compares each grid's counts with its buildings. Grids
// that lost a faulty building in reading are skipped.
func (v *validator) checkGridCounts() {
	if v.lost(LayerBuildings) {
		return
	}
	for _, g := range v.c.Grids {
		if g == nil || v.grids[g.Code] != g || (v.broken != nil && v.broken.brokenGridRefs[g.Code]) {
			continue
		}
		hh, n := v.gridHH[g.Code], v.gridCount[g.Code]
		if g.Households != hh || g.Buildings != n {
			v.probs.addf(LayerGrids, g.Code.String(), "counts %d households in %d buildings, but its buildings hold %d in %d",
				g.Households, g.Buildings, hh, n)
		}
	}
}

func (v *validator) checkStations() {
	ids := make(map[geo.StationID]bool, len(v.c.Stations))
	for i, s := range v.c.Stations {
		if s == nil {
			v.probs.addf(LayerStations, "#"+strconv.Itoa(i), "nil station")
			continue
		}
		who := strconv.FormatUint(uint64(s.ID), 10)
		switch {
		case s.ID == 0:
			v.probs.add(LayerStations, who, "id 0, want a positive id")
		case ids[s.ID]:
			v.probs.add(LayerStations, who, "duplicate id")
		}
		ids[s.ID] = true
		v.name(LayerStations, who, "name", s.Name)
		v.point(LayerStations, who, s.Point)
		want := geo.LevelCommunity
		switch s.Kind {
		case geo.StationCommunity:
		case geo.StationCentre:
			want = geo.LevelSubdistrict
		default:
			v.probs.addf(LayerStations, who, "unknown kind %d", s.Kind)
			continue
		}
		u, ok := v.units[s.Unit]
		switch {
		case !ok && !v.unitBroken(s.Unit):
			v.probs.addf(LayerStations, who, "unit %s does not exist", s.Unit.Short())
		case ok && u.Level() != want:
			v.probs.addf(LayerStations, who, "a %s station serves unit %s, a %s, want a %s", s.Kind, u.Code.Short(), u.Level(), want)
		}
	}
}

func (v *validator) checkStreets() {
	ids := make(map[geo.StreetID]bool, len(v.c.Streets))
	for i, s := range v.c.Streets {
		if s == nil {
			v.probs.addf(LayerStreets, "#"+strconv.Itoa(i), "nil street")
			continue
		}
		who := strconv.FormatUint(uint64(s.ID), 10)
		switch {
		case s.ID == 0:
			v.probs.add(LayerStreets, who, "id 0, want a positive id")
		case ids[s.ID]:
			v.probs.add(LayerStreets, who, "duplicate id")
		}
		ids[s.ID] = true
		v.name(LayerStreets, who, "name", s.Name)
		v.name(LayerStreets, who, "class", s.Class)
		v.line(LayerStreets, who, s.Line)
	}
}
