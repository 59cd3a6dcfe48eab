package walk

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

// WaysFromGeoJSON converts a city's own street file to ways: every
// LineString and MultiLineString feature (other geometries are skipped),
// named by the "name" property and classed by "highway" or "class". A
// feature's numeric id is kept; otherwise ways are numbered from 1 in
// file order. Coordinates must be WGS-84 lon/lat.
func WaysFromGeoJSON(fc *geojson.FeatureCollection) ([]Way, error) {
	if fc == nil {
		return nil, fmt.Errorf("reading street GeoJSON: %w: no feature collection", ErrEmptyNetwork)
	}
	var ways []Way
	for i, f := range fc.Features {
		if f == nil {
			continue
		}
		id := int64(i + 1)
		switch v := f.ID.(type) {
		case float64:
			id = int64(v)
		case int:
			id = int64(v)
		}
		name, class := f.Properties.MustString("name", ""), f.Properties.MustString("highway", "")
		if class == "" {
			class = f.Properties.MustString("class", "")
		}
		switch g := f.Geometry.(type) {
		case orb.LineString:
			ways = append(ways, Way{ID: id, Name: name, Class: class, Line: g})
		case orb.MultiLineString:
			for _, ls := range g {
				ways = append(ways, Way{ID: id, Name: name, Class: class, Line: ls})
			}
		}
	}
	return ways, nil
}
