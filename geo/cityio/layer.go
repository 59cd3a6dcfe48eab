package cityio

import (
	"fmt"
	"unicode/utf8"
)

// A Layer names one of the layer files of a city directory.
type Layer string

// The layers, in the order they are read, written and reported.
const (
	// LayerUnits is units.geojson: the city, districts, subdistricts and communities.
	LayerUnits Layer = "units"
	// LayerGrids is grids.geojson: the unit grids.
	LayerGrids Layer = "grids"
	// LayerBuildings is buildings.geojson: building entrance points.
	LayerBuildings Layer = "buildings"
	// LayerStations is stations.geojson: service stations and centres.
	LayerStations Layer = "stations"
	// LayerStreets is streets.geojson: walkable street lines.
	LayerStreets Layer = "streets"
	// LayerCity is city.json. It only names the file in a Problem; it is
	// not a feature layer, so ParseLayer and WriteLayer refuse it.
	LayerCity Layer = "city"
)

// layers lists the feature layers in file order.
var layers = [...]Layer{LayerUnits, LayerGrids, LayerBuildings, LayerStations, LayerStreets}

// Layers returns the five feature layers in the order they are written.
func Layers() []Layer { return append([]Layer(nil), layers[:]...) }

// File returns the layer's file name inside a city directory, for example
// grids.geojson (city.json for LayerCity).
func (l Layer) File() string {
	switch l {
	case LayerCity:
		return metaFile
	case LayerStaff:
		return staffFile
	}
	return string(l) + ".geojson"
}

// rank orders layers in reports: city.json first, then file order.
func (l Layer) rank() int {
	for i, x := range layers {
		if x == l {
			return i + 1
		}
	}
	return 0
}

// ParseLayer parses a feature layer name (units, grids, buildings,
// stations or streets). It also accepts the file name, for example
// grids.geojson.
func ParseLayer(s string) (Layer, error) {
	for _, l := range layers {
		if s == string(l) || s == l.File() {
			return l, nil
		}
	}
	return "", fmt.Errorf("%w: %q", ErrUnknownLayer, truncate(s, 40))
}

// Limits on what the reader accepts. Larger inputs are refused rather than
// loaded: they are either corrupt or an attack on the serving process.
const (
	// MaxLayerBytes caps the size of one layer file (1 GiB).
	MaxLayerBytes = 1 << 30
	// MaxMetaBytes caps the size of city.json (1 MiB).
	MaxMetaBytes = 1 << 20
	// MaxFeatureVertices caps the vertices of one feature. Grids have a
	// few hundred; a district boundary a few tens of thousands.
	MaxFeatureVertices = 500_000
	// maxNesting caps JSON nesting depth so that hostile input cannot
	// exhaust the stack.
	maxNesting = 128
)

// truncate shortens s to at most n bytes, on a rune boundary, for messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}
