package importer

import (
	"fmt"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

// unnamedStreet names a street the data leaves unnamed.
const unnamedStreet = "无名道路"

// readStreets builds one street per line of layer l. A street's class is
// the data's (OSM highway values mapped to gridmap's four classes).
func readStreets(l *ingest.Layer, cols *columns, rep *Report) []*geo.Street {
	var out []*geo.Street
	unnamed := 0
	for i := range l.Features {
		f := &l.Features[i]
		var lines []orb.LineString
		switch v := f.Geometry.(type) {
		case orb.LineString:
			lines = []orb.LineString{v}
		case orb.MultiLineString:
			lines = v
		default:
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s feature %d: street has %s, want a line", l.Source, f.Index, geomName(f.Geometry)))
			continue
		}
		name := cols.get(f, "name")
		if name == "" {
			name = unnamedStreet
			unnamed++
		}
		for _, ls := range lines {
			if len(ls) < 2 || ls[0] == ls[len(ls)-1] && len(ls) == 2 {
				continue
			}
			out = append(out, &geo.Street{ID: geo.StreetID(len(out) + 1), Name: name, Class: streetClass(cols.get(f, "class")), Line: ls})
		}
	}
	if unnamed > 0 {
		rep.warnf("%s: %d streets without a name are named %s", l.Source, unnamed, unnamedStreet)
	}
	return out
}

// streetClass maps a road class (gridmap's own, or an OSM highway value)
// to primary, secondary, tertiary or alley.
func streetClass(s string) string {
	switch strings.ToLower(s) {
	case "primary", "trunk", "motorway", "primary_link", "trunk_link", "主干路", "快速路":
		return "primary"
	case "secondary", "secondary_link", "次干路":
		return "secondary"
	case "tertiary", "tertiary_link", "residential", "unclassified", "living_street", "支路":
		return "tertiary"
	}
	return "alley"
}

// readStations builds stations from points of layer l: each serves the
// community that holds it, or the unit its unit column names; kind centre
// (街道党群服务中心) serves the subdistrict.
func readStations(l *ingest.Layer, cols *columns, loc *geo.Locator, fs *faults, rep *Report) []*geo.Station {
	var out []*geo.Station
	for i := range l.Features {
		f := &l.Features[i]
		p, ok := pointOf(f.Geometry)
		if !ok {
			fs.addf(l, f.Index, "station has %s, want a point", geomName(f.Geometry))
			continue
		}
		kind, ok := geo.ParseStationKind(cols.get(f, "kind"))
		if !ok {
			kind = geo.StationCommunity
			if strings.Contains(cols.get(f, "name"), "中心") {
				kind = geo.StationCentre
			}
		}
		unit, err := geo.ParseDivisionCode(cols.get(f, "unit"))
		if err != nil {
			g, ok := loc.Locate(p)
			if !ok {
				rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s feature %d: station outside every grid and without a unit code", l.Source, f.Index))
				continue
			}
			unit = g.Community()
		}
		if kind == geo.StationCentre {
			unit = unit.Ancestor(geo.LevelSubdistrict)
		}
		name := cols.get(f, "name")
		if name == "" {
			name = fmt.Sprintf("站点%d", len(out)+1)
		}
		out = append(out, &geo.Station{ID: geo.StationID(len(out) + 1), Kind: kind, Name: name, Unit: unit, Point: p})
	}
	return out
}
