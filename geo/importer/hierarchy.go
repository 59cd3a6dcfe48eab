package importer

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// A unitRec is one feature of the units layer.
type unitRec struct {
	feature int
	code    geo.DivisionCode
	name    string
	geom    orb.MultiPolygon
}

// readUnits reads the units layer: each feature's code (or, without one,
// the community its name and subdistrict name find in the gazetteer),
// name and area. Units whose code cannot be found are reported.
func readUnits(l *ingest.Layer, cols *columns, gz *gazetteer, fs *faults) []*unitRec {
	var out []*unitRec
	for i := range l.Features {
		f := &l.Features[i]
		u := &unitRec{feature: f.Index, name: cols.get(f, "name")}
		u.geom, _ = polygonal(f.Geometry)
		if c, err := geo.ParseDivisionCode(cols.get(f, "code")); err == nil {
			u.code = c
		} else {
			u.code = findCommunity(gz, u.name, cols.get(f, "subdistrict"), cols.get(f, "subdistrict_code"))
		}
		if u.code == 0 {
			fs.addf(l, f.Index, "unit %q has no division code (column %s) and its name is not a known community: add a code column or a mapping",
				u.name, cols.chosen["code"].Field)
			continue
		}
		if u.name != "" {
			gz.add(u.code, u.name)
		}
		out = append(out, u)
	}
	return out
}

// findCommunity finds a community by name, inside the subdistrict a name
// or code names when given; 0 when none or several match.
func findCommunity(gz *gazetteer, name, subName, subCode string) geo.DivisionCode {
	if name == "" {
		return 0
	}
	var sub geo.DivisionCode
	if c, err := geo.ParseDivisionCode(subCode); err == nil {
		sub = c
	} else if subName != "" {
		sub, _ = gz.find(subName, geo.LevelSubdistrict, 0)
	}
	c, ok := gz.find(name, geo.LevelCommunity, sub)
	if !ok {
		return 0
	}
	return c
}

// placeGrids finds the community of every grid that has none yet: the
// units-layer community holding its interior point, else its community
// name in the gazetteer. A grid left without one is a fault.
func placeGrids(gs []*gridRec, units []*unitRec, gz *gazetteer, l *ingest.Layer, fs *faults) {
	var comms []*unitRec
	for _, u := range units {
		if u.code.Level() == geo.LevelCommunity && len(u.geom) > 0 {
			comms = append(comms, u)
		}
	}
	for _, g := range gs {
		if g.comm != 0 {
			continue
		}
		p := interior(g.geom)
		for _, u := range comms {
			if u.geom.Bound().Contains(p) && planar.MultiPolygonContains(u.geom, p) {
				g.comm, g.commFrom = u.code, "units layer (spatial join)"
				break
			}
		}
		if g.comm == 0 {
			if c := findCommunity(gz, g.commName, g.subName, ""); c != 0 {
				g.comm, g.commFrom = c, "community name"
			}
		}
		if g.comm == 0 {
			fs.addf(l, g.feature, "grid %s has no community: no 15-digit code, no community code, not inside a community of the units layer, "+
				"and community name %q is not a known community", g.label(), g.commName)
		}
	}
}

// assignCodes gives every grid without a code the next unused sequence
// numbers of its community, in the standard order.
func assignCodes(gs []*gridRec, rep *Report) {
	used := map[geo.DivisionCode]map[int]bool{}
	todo := map[geo.DivisionCode][]*geo.Grid{}
	recOf := map[*geo.Grid]*gridRec{}
	for _, g := range gs {
		if g.comm == 0 {
			continue
		}
		if used[g.comm] == nil {
			used[g.comm] = map[int]bool{}
		}
		if g.code != 0 {
			used[g.comm][g.code.Seq()] = true
			continue
		}
		tmp := &geo.Grid{Geometry: g.geom, ID: geo.GridID(g.feature)}
		recOf[tmp] = g
		todo[g.comm] = append(todo[g.comm], tmp)
	}
	comms := make([]geo.DivisionCode, 0, len(todo))
	for c := range todo {
		comms = append(comms, c)
	}
	slices.Sort(comms)
	for _, c := range comms {
		seq := 0
		for _, t := range geo.StandardOrder(todo[c]) {
			for seq++; used[c][seq]; seq++ {
			}
			g := recOf[t]
			code, err := geo.NewGridCode(c, seq)
			if err != nil {
				rep.warnf("community %s: more than 999 grids, grid feature %d gets no code", c, g.feature)
				continue
			}
			g.code = code
			rep.NewCodes++
		}
	}
}

// buildUnits returns the units above the grids: every community a grid
// is in and every unit of the units layer, with their subdistrict,
// district and city, named from the units
// layer, the gazetteer or the grids' own name columns, with the units
// layer's areas. The city is the lowest city code (grids in several
// cities, as the fixture city at scale > 1 has, keep the others as
// further city units, with a warning).
func buildUnits(gs []*gridRec, units []*unitRec, gz *gazetteer, rep *Report) (geo.DivisionCode, []*geo.Unit, error) {
	byCode := map[geo.DivisionCode]*geo.Unit{}
	names := map[geo.DivisionCode]string{}
	for _, g := range gs {
		if g.comm == 0 {
			continue
		}
		setName(names, g.comm, g.commName)
		setName(names, g.comm.Ancestor(geo.LevelSubdistrict), g.subName)
		setName(names, g.comm.Ancestor(geo.LevelDistrict), g.distName)
		for c := g.comm; c != 0; c = c.Parent() {
			if byCode[c] == nil {
				byCode[c] = &geo.Unit{Code: c}
			}
		}
	}
	for _, u := range units {
		for c := u.code; c != 0; c = c.Parent() {
			if byCode[c] == nil {
				byCode[c] = &geo.Unit{Code: c}
			}
		}
		byCode[u.code].Geometry = u.geom
		setName(names, u.code, u.name)
	}
	var cities []string
	var out []*geo.Unit
	for c, u := range byCode {
		if c.Level() == geo.LevelCity {
			cities = append(cities, c.Short())
		}
		u.Name = unitName(c, gz, names, rep)
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b *geo.Unit) int { return cmp.Compare(a.Code, b.Code) })
	if len(out) == 0 {
		return 0, nil, fmt.Errorf("no grid has a community")
	}
	if len(cities) > 1 {
		slices.Sort(cities)
		rep.warnf("the grids lie in %d cities (%s): the city is %s, the others are kept as further city units", len(cities), strings.Join(cities, ", "), cities[0])
	}
	return out[0].Code, out, nil
}

func setName(names map[geo.DivisionCode]string, c geo.DivisionCode, name string) {
	if name != "" && names[c] == "" {
		names[c] = name
	}
}

// unitName names unit c: the known division name first (official names),
// then the data's own; without either the code, with a warning.
func unitName(c geo.DivisionCode, gz *gazetteer, names map[geo.DivisionCode]string, rep *Report) string {
	if n := gz.byCode[c]; n != "" {
		return n
	}
	if n := names[c]; n != "" {
		return n
	}
	rep.warnf("unit %s has no name in the data or the division list: named by its code", c.Short())
	return c.Short()
}
