package tiles

// The layer names, in the order they are written into every tile.
const (
	LayerDistricts    = "districts"
	LayerSubdistricts = "subdistricts"
	LayerCommunities  = "communities"
	LayerGrids        = "grids"
	LayerStreets      = "streets"
	LayerBuildings    = "buildings"
	LayerStations     = "stations"
	LayerLabels       = "labels"
)

// geomKind is the geometry type of a layer.
type geomKind uint8

const (
	kindPolygon geomKind = iota + 1
	kindLine
	kindPoint
)

// A Field is one property of a layer's features.
type Field struct {
	// Name is the property key.
	Name string
	// Type is "String" or "Number".
	Type string
	// Description says what the value means.
	Description string
}

// A LayerInfo describes one layer of the tiles.
type LayerInfo struct {
	// ID is the layer name in the tiles.
	ID string
	// Description says what the layer holds.
	Description string
	// MinZoom is the first zoom that holds features of the layer; some
	// features start later (see the descriptions).
	MinZoom uint32
	// Fields lists the properties, in key order.
	Fields []Field

	kind geomKind
	keys []string // the field names, shared by every tile's layer
}

// The zooms where the label points of each level start.
const (
	labelZoomDistrict    = 0
	labelZoomSubdistrict = 9
	labelZoomCommunity   = 11
	labelZoomGrid        = 13
)

// The zooms where service stations start, by kind.
const (
	stationZoomCentre    = 10
	stationZoomCommunity = 12
)

// streetZoom returns the first zoom of a street of the given class.
func streetZoom(class string) uint32 {
	switch class {
	case "primary":
		return 10
	case "secondary":
		return 11
	case "tertiary":
		return 12
	}
	return 14
}

// The optional fields, present when Options.GridCoverage and
// Options.BuildingUncovered are set.
var (
	fieldCoverage  = Field{Name: "coverage", Type: "Number", Description: "share of households within a 15-minute walk of a service station, 0-1"}
	fieldUncovered = Field{Name: "uncovered", Type: "Number", Description: "1 when the building lies beyond a 15-minute walk of every service station, else 0"}
)

// withOptionalFields returns the layers with the optional fields that opts
// asks for appended to the grids and buildings layers.
func withOptionalFields(infos []LayerInfo, opts Options) []LayerInfo {
	for i := range infos {
		switch {
		case infos[i].ID == LayerGrids && opts.GridCoverage != nil:
			infos[i].Fields = append(infos[i].Fields, fieldCoverage)
		case infos[i].ID == LayerBuildings && opts.BuildingUncovered != nil:
			infos[i].Fields = append(infos[i].Fields, fieldUncovered)
		}
	}
	return infos
}

func str(name, desc string) Field { return Field{Name: name, Type: "String", Description: desc} }
func num(name, desc string) Field { return Field{Name: name, Type: "Number", Description: desc} }

// Layers returns the description of every layer, in tile order. The
// feature id of every layer is the stable internal id: the unit's 12-digit
// division code, the grid, building, station or street id. A renderer
// built with Options.GridCoverage or Options.BuildingUncovered adds a
// "coverage" field to the grids layer or an "uncovered" field to the
// buildings layer; its TileJSON lists them.
func Layers() []LayerInfo {
	code := str("code", "12-digit NBS division code (2023)")
	name := str("name", "official name")
	level := str("level", "district, subdistrict, community or grid")
	hh := num("households", "resident households")
	bld := num("buildings", "buildings")
	grids := num("grids", "grids")
	color := num("color", "colour index 0-5; neighbours never share one")
	district := str("district", "12-digit code of the district")
	subdistrict := str("subdistrict", "12-digit code of the subdistrict")
	community := str("community", "12-digit code of the community")
	return []LayerInfo{
		{ID: LayerDistricts, kind: kindPolygon, MinZoom: 0,
			Description: "County-level units (区/特区/市); synthetic geometry",
			Fields:      []Field{code, name, level, hh, bld, grids, color}},
		{ID: LayerSubdistricts, kind: kindPolygon, MinZoom: 9,
			Description: "Subdistricts (街道); synthetic geometry",
			Fields:      []Field{code, name, level, district, hh, bld, grids, color}},
		{ID: LayerCommunities, kind: kindPolygon, MinZoom: 11,
			Description: "Urban communities (社区); union of their grids",
			Fields: []Field{code, name, str("full_name", "official committee name (社区居民委员会)"), level,
				subdistrict, district, hh, bld, grids, color}},
		{ID: LayerGrids, kind: kindPolygon, MinZoom: 12,
			Description: "Unit grids (网格); synthetic geometry",
			Fields: []Field{str("code", "15-digit grid code"), name, level, community, subdistrict, district,
				hh, bld, color}},
		{ID: LayerStreets, kind: kindLine, MinZoom: 10,
			Description: "Streets: primary from z10, secondary z11, tertiary z12, others z14",
			Fields:      []Field{str("name", "street name"), str("class", "primary, secondary, tertiary or alley")}},
		{ID: LayerBuildings, kind: kindPoint, MinZoom: 14,
			Description: "Residential buildings (楼栋) at their entrance",
			Fields: []Field{str("address", "standard address"), hh, num("floors", "storeys above ground"),
				num("units", "stairwells (单元)"), str("grid", "15-digit code of the grid")}},
		{ID: LayerStations, kind: kindPoint, MinZoom: stationZoomCentre,
			Description: "Party-mass service stations: subdistrict centres from z10, community stations from z12",
			Fields:      []Field{str("kind", "centre or community"), str("name", "station name"), str("unit", "12-digit code of the unit served")}},
		{ID: LayerLabels, kind: kindPoint, MinZoom: 0,
			Description: "One label point inside each polygon (pole of inaccessibility): districts from z0, subdistricts z9, communities z11, grids z13",
			Fields:      []Field{str("code", "code of the labelled unit or grid"), name, level}},
	}
}
