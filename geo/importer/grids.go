package importer

import (
	"fmt"
	"strconv"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
)

// A gridRec is one grid feature as read, before repair.
type gridRec struct {
	feature  int
	id       uint64       // the data's own positive id, 0 if none
	code     geo.GridCode // 0 until known
	codeText string       // the code column's text
	name     string
	comm     geo.DivisionCode // 0 until known
	commFrom string           // how comm was found, for the report
	// names from the grid's own columns, for units without a name
	commName, subName, distName string
	subCode                     geo.DivisionCode
	geom                        orb.MultiPolygon
}

// label names the grid in messages: its code, else its feature number.
func (g *gridRec) label() string {
	if g.code != 0 {
		return g.code.String()
	}
	if g.codeText != "" {
		return g.codeText
	}
	return fmt.Sprintf("feature %d", g.feature)
}

// readGrids reads the grid features of layer l (already in WGS-84). A
// feature without an area is a fault.
func readGrids(l *ingest.Layer, cols *columns, fs *faults, rep *Report) []*gridRec {
	out := make([]*gridRec, 0, len(l.Features))
	for i := range l.Features {
		f := &l.Features[i]
		mp, ok := polygonal(f.Geometry)
		if !ok {
			fs.addf(l, f.Index, "grid has %s, want a Polygon or MultiPolygon", geomName(f.Geometry))
			continue
		}
		g := &gridRec{feature: f.Index, geom: mp, name: cols.get(f, "name"),
			codeText: cols.get(f, "code"), commName: cols.get(f, "community"),
			subName: cols.get(f, "subdistrict"), distName: cols.get(f, "district")}
		g.id, _ = strconv.ParseUint(cols.get(f, "id"), 10, 32)
		if c, err := geo.ParseDivisionCode(cols.get(f, "subdistrict_code")); err == nil && c.Level() == geo.LevelSubdistrict {
			g.subCode = c
		}
		readGridCode(g, cols.get(f, "community_code"), l, rep)
		out = append(out, g)
	}
	return out
}

// readGridCode sets g's code and community from its code columns: a
// 15-digit code, or a community code (12 digits) with or without a
// 1-3 digit sequence in the code column.
func readGridCode(g *gridRec, commText string, l *ingest.Layer, rep *Report) {
	if commText != "" {
		if c, err := geo.ParseDivisionCode(commText); err == nil && c.Level() == geo.LevelCommunity {
			g.comm, g.commFrom = c, "community code column"
		} else if g.commName == "" {
			g.commName = commText // a name in a column called community
		}
	}
	t := g.codeText
	switch {
	case t == "":
		return
	case len(t) == 15:
		if c, err := geo.ParseGridCode(t); err == nil {
			if g.comm != 0 && g.comm != c.Community() {
				rep.warnf("%s: feature %d: code %s is not in community %s of its community column; the code wins", l.Source, g.feature, t, g.comm)
			}
			g.code, g.comm, g.commFrom = c, c.Community(), "grid code"
			return
		}
	case len(t) <= 3 && g.comm != 0 && allDigits(t):
		seq := 0
		fmt.Sscan(t, &seq)
		if c, err := geo.NewGridCode(g.comm, seq); err == nil {
			g.code = c
			return
		}
	}
	rep.warnf("%s: feature %d: code %q is not a 15-digit grid code: the grid gets a new one", l.Source, g.feature, t)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// polygonal returns g as a MultiPolygon when it is a Polygon or one.
func polygonal(g orb.Geometry) (orb.MultiPolygon, bool) {
	switch v := g.(type) {
	case orb.Polygon:
		if len(v) == 0 {
			return nil, false
		}
		return orb.MultiPolygon{v}, true
	case orb.MultiPolygon:
		if len(v) == 0 {
			return nil, false
		}
		return v, true
	}
	return nil, false
}

// geomName names a geometry's type for messages ("no geometry" for nil).
func geomName(g orb.Geometry) string {
	if g == nil {
		return "no geometry"
	}
	return "a " + g.GeoJSONType()
}

// interior returns an interior point of mp (geo.InteriorPoint), or its
// box centre when it has no area.
func interior(mp orb.MultiPolygon) orb.Point {
	if p, ok := geo.InteriorPoint(mp); ok {
		return p
	}
	return mp.Bound().Center()
}
