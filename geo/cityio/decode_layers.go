package cityio

import (
	"math"
	"strconv"

	"github.com/gridmap/gridmap/geo"
)

// A decoded holds what the layer decoders produced: the model values of
// the features without faults, and the identities of faulty features
// whose identity could be read, so that validation does not also report
// every reference to them.
type decoded struct {
	city        geo.City
	brokenUnits map[geo.DivisionCode]bool
	brokenGrids map[geo.GridCode]bool
	// brokenGridRefs holds the grids named by dropped buildings, whose
	// counts cannot be checked.
	brokenGridRefs map[geo.GridCode]bool
	// lost holds the layers that failed to read or dropped a feature whose
	// identity could not be read: references into them cannot be judged.
	lost map[Layer]bool
	// metaBad is true when city.json had faults (already reported).
	metaBad bool
}

func newDecoded() *decoded {
	return &decoded{
		brokenUnits:    make(map[geo.DivisionCode]bool),
		brokenGrids:    make(map[geo.GridCode]bool),
		brokenGridRefs: make(map[geo.GridCode]bool),
		lost:           make(map[Layer]bool),
	}
}

// fileFault records a fault of a whole layer file.
func (d *decoded) fileFault(r *featureReader, err error) {
	if err != nil {
		r.probs.add(r.layer, "", err.Error())
		d.lost[r.layer] = true
	}
}

// decodeUnits reads units.geojson.
func decodeUnits(data []byte, probs *problems, d *decoded) {
	r := newFeatureReader(LayerUnits, probs)
	d.fileFault(r, scanCollection(data, func(f *rawFeature) {
		r.begin(f, "code")
		u := r.unit()
		switch {
		case u == nil:
			d.lost[LayerUnits] = true
		case !r.bad:
			d.city.Units = append(d.city.Units, u)
		default:
			d.brokenUnits[u.Code] = true
		}
	}))
}

// unit reads the current feature as a unit. It returns nil when the code
// does not parse.
func (r *featureReader) unit() *geo.Unit {
	text, ok := r.code("code")
	if !ok {
		return nil
	}
	code, err := geo.ParseDivisionCode(text)
	if err != nil {
		r.fault("bad code: %v", err)
		return nil
	}
	u := &geo.Unit{Code: code, Name: r.str("name")}
	r.checkID(code.Short(), code.String())
	if lv := r.str("level"); lv != "" && lv != code.Level().String() {
		r.fault("level %q disagrees with code %s (a %s)", truncate(lv, 20), code.Short(), code.Level())
	}
	r.parentProp(code)
	if r.geometry(true, "MultiPolygon", "Polygon") {
		u.Geometry = r.coords.multiPolygon()
	}
	return u
}

// parentProp checks the "parent" property: absent (or null) for the
// city, the code's parent otherwise.
func (r *featureReader) parentProp(code geo.DivisionCode) {
	p, present := r.get("parent")
	if code.Level() == geo.LevelCity {
		if present && p.kind != kindNull && !(p.kind == kindString && len(p.text) == 0) {
			r.fault("the city has parent %s, want none", describe(p))
		}
		return
	}
	text, ok := r.code("parent")
	if !ok {
		return
	}
	parent, err := geo.ParseDivisionCode(text)
	switch {
	case err != nil:
		r.fault("bad parent: %v", err)
	case parent != code.Parent():
		r.fault("parent %s is not the parent of code %s (%s)", parent.Short(), code.Short(), code.Parent().Short())
	}
}

// decodeGrids reads grids.geojson.
func decodeGrids(data []byte, probs *problems, d *decoded) {
	r := newFeatureReader(LayerGrids, probs)
	d.fileFault(r, scanCollection(data, func(f *rawFeature) {
		r.begin(f, "code", "id")
		g := r.grid()
		switch {
		case g == nil:
			d.lost[LayerGrids] = true
		case !r.bad:
			d.city.Grids = append(d.city.Grids, g)
		default:
			d.brokenGrids[g.Code] = true
		}
	}))
}

// grid reads the current feature as a grid. It returns nil when the code
// does not parse.
func (r *featureReader) grid() *geo.Grid {
	id := r.id(math.MaxUint32)
	text, ok := r.code("code")
	if !ok {
		return nil
	}
	code, err := geo.ParseGridCode(text)
	if err != nil {
		r.fault("bad code: %v", err)
		return nil
	}
	g := &geo.Grid{ID: geo.GridID(id), Code: code, Name: r.str("name")}
	if c, ok := r.code("community"); ok && c != code.Community().String() {
		r.fault("community %q is not the community of code %s", truncate(c, 20), code)
	}
	hh, _ := r.integer("households", math.MinInt32, math.MaxInt32)
	nb, _ := r.integer("buildings", math.MinInt32, math.MaxInt32)
	g.Households, g.Buildings = int(hh), int(nb)
	if r.geometry(false, "MultiPolygon", "Polygon") {
		g.Geometry = r.coords.multiPolygon()
	}
	return g
}

// id reads the "id" property (1 to max) and checks the Feature's id
// member against it. It returns 0 after a fault.
func (r *featureReader) id(max int64) int64 {
	id, ok := r.integer("id", 1, max)
	if ok {
		r.checkID(strconv.FormatInt(id, 10))
	}
	return id
}

// decodeBuildings reads buildings.geojson.
func decodeBuildings(data []byte, probs *problems, d *decoded) {
	r := newFeatureReader(LayerBuildings, probs)
	d.fileFault(r, scanCollection(data, func(f *rawFeature) {
		r.begin(f, "id")
		b := r.building()
		switch {
		case !r.bad:
			d.city.Buildings = append(d.city.Buildings, b)
		case b.Grid != 0:
			d.brokenGridRefs[b.Grid] = true
		default:
			d.lost[LayerBuildings] = true
		}
	}))
}

func (r *featureReader) building() *geo.Building {
	b := &geo.Building{ID: geo.BuildingID(r.id(math.MaxInt64))}
	text := r.str("address")
	b.Address = r.address()
	if text != "" && text != b.Address.String() {
		r.fault("address %q disagrees with its parts (%q)", truncate(text, 80), truncate(b.Address.String(), 80))
	}
	units, _ := r.integer("units", math.MinInt32, math.MaxInt32)
	floors, _ := r.integer("floors", math.MinInt32, math.MaxInt32)
	hh, _ := r.integer("households", math.MinInt32, math.MaxInt32)
	b.Units, b.Floors, b.Households = int(units), int(floors), int(hh)
	if text, ok := r.code("grid"); ok {
		g, err := geo.ParseGridCode(text)
		if err != nil {
			r.fault("bad grid: %v", err)
		}
		b.Grid = g
	}
	if r.geometry(false, "Point") {
		b.Point = r.coords.point()
	}
	return b
}

// address reads the address parts of a building.
func (r *featureReader) address() geo.Address {
	a := geo.Address{
		Province:    r.shared("province"),
		City:        r.shared("city"),
		District:    r.shared("district"),
		Subdistrict: r.shared("subdistrict"),
		Community:   r.shared("community"),
		Road:        r.shared("road"),
		Estate:      r.shared("estate"),
		Building:    r.shared("building"),
	}
	n, _ := r.integer("number", math.MinInt32, math.MaxInt32)
	a.Number = int(n)
	return a
}

// decodeStations reads stations.geojson.
func decodeStations(data []byte, probs *problems, d *decoded) {
	r := newFeatureReader(LayerStations, probs)
	d.fileFault(r, scanCollection(data, func(f *rawFeature) {
		r.begin(f, "id")
		if s := r.station(); !r.bad {
			d.city.Stations = append(d.city.Stations, s)
		}
	}))
}

func (r *featureReader) station() *geo.Station {
	s := &geo.Station{ID: geo.StationID(r.id(math.MaxUint32)), Name: r.str("name")}
	if k := r.str("kind"); k != "" {
		kind, ok := geo.ParseStationKind(k)
		if !ok {
			r.fault("kind %q, want \"community\" or \"centre\"", truncate(k, 20))
		}
		s.Kind = kind
	}
	if text, ok := r.code("unit"); ok {
		u, err := geo.ParseDivisionCode(text)
		if err != nil {
			r.fault("bad unit: %v", err)
		}
		s.Unit = u
	}
	if p, ok := r.get("community"); ok && p.kind != kindNull {
		if c, _ := r.code("community"); s.Kind != geo.StationCommunity || c != s.Unit.String() {
			r.fault("community %s disagrees with kind %s and unit %s", describe(p), s.Kind, s.Unit.Short())
		}
	}
	if r.geometry(false, "Point") {
		s.Point = r.coords.point()
	}
	return s
}

// decodeStreets reads streets.geojson.
func decodeStreets(data []byte, probs *problems, d *decoded) {
	r := newFeatureReader(LayerStreets, probs)
	d.fileFault(r, scanCollection(data, func(f *rawFeature) {
		r.begin(f, "id")
		s := &geo.Street{ID: geo.StreetID(r.id(math.MaxUint32)), Name: r.shared("name"), Class: r.shared("class")}
		if r.geometry(false, "LineString") {
			s.Line = r.coords.lineString()
		}
		if !r.bad {
			d.city.Streets = append(d.city.Streets, s)
		}
	}))
}
