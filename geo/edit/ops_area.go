package edit

import (
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// create adds a grid from a geometry clipped to the community; the
// siblings it overlaps lose that area.
func (p *planner) create() {
	if !p.setCommunity(p.op.Community) {
		return
	}
	code := p.op.Code
	if code != 0 {
		if code.Community() != p.comm.Code {
			p.probs.add(CodeWrongCommunity, nil, []geo.GridCode{code}, "code %s is not in community %s", code, p.comm.Code)
			return
		}
		if !p.codeFree(code) {
			p.probs.add(CodeCodeTaken, nil, []geo.GridCode{code}, "code %s is in use or was used before", code)
			return
		}
	}
	geom, ok := checkShape(p.op.Geometry, nil, &p.probs)
	if !ok {
		return
	}
	geom = p.snapToBase(geom)
	if len(p.comm.Geometry) > 0 {
		clipped, err := intersection(geom, p.comm.Geometry)
		if !p.ok(err) {
			return
		}
		geom = clipped
	}
	if a := areaM2(geom, p.lat0); a < p.opts.ToleranceM2 {
		p.probs.addArea(CodeOutsideCommunity, p.op.Geometry, a, nil, "the geometry has %.1f m² inside community %s", a, p.comm.Code)
		return
	}
	if !p.takeFromSiblings(geom, 0) {
		return
	}
	if code == 0 {
		if code, ok = p.allocCode(); !ok {
			return
		}
	}
	p.addGrid(0, code, p.op.Name, geom)
}

// retire gives a grid's area to the neighbours named in Into: all of it to
// a single one, or divided among several (each part of the grid goes to
// the named neighbour nearest to it through the grid).
func (p *planner) retire() {
	g := p.grid(p.op.Grid)
	if g == nil {
		return
	}
	into, ok := p.distinctGrids(p.op.Into)
	if !ok {
		return
	}
	for _, n := range into {
		if n.ID == g.ID {
			p.probs.add(CodeDuplicateGrid, nil, []geo.GridCode{g.Code}, "grid %s cannot be retired into itself", g.Code)
			return
		}
		if sharedLengthM(g.Geometry, n.Geometry, p.lat0) == 0 {
			p.probs.add(CodeNotNeighbours, nil, []geo.GridCode{g.Code, n.Code}, "grid %s does not border %s", n.Code, g.Code)
			return
		}
	}
	shares := [][]orb.MultiPolygon{{g.Geometry}}
	if len(into) > 1 {
		shares = divideAmong(g.Geometry, into, p.lat0)
	}
	for i, n := range into {
		if len(shares[i]) == 0 {
			continue
		}
		u, err := unionAll(append([]orb.MultiPolygon{n.Geometry}, shares[i]...))
		if !p.ok(err, n.Code) {
			return
		}
		p.reshape(n, u, "")
	}
	p.retireGrid(g)
}

// layout replaces the community's layout with the uploaded grids.
func (p *planner) layout() {
	if !p.setCommunity(p.op.Community) {
		return
	}
	kept := map[geo.GridID]bool{}
	for i, lg := range p.op.Layout {
		p.layoutGrid(i, lg, kept)
	}
	for _, g := range p.s.GridsOf(p.comm.Code) {
		if !kept[g.ID] {
			p.retireGrid(g)
		}
	}
}

// layoutGrid applies one uploaded feature.
func (p *planner) layoutGrid(i int, lg LayoutGrid, kept map[geo.GridID]bool) {
	who := []geo.GridCode{}
	if lg.Code != 0 {
		who = append(who, lg.Code)
	}
	if (lg.Community != 0 && lg.Community != p.comm.Code) || (lg.Code != 0 && lg.Code.Community() != p.comm.Code) {
		p.probs.add(CodeWrongCommunity, lg.Geometry, who, "feature %d belongs to another community than %s", i, p.comm.Code)
		return
	}
	geom, ok := checkShape(lg.Geometry, who, &p.probs)
	if !ok {
		return
	}
	geom = p.snapToBase(geom)
	target, id, code, ok := p.layoutTarget(i, lg)
	if !ok {
		return
	}
	if target == nil {
		p.addGrid(id, code, lg.Name, geom)
		return
	}
	if kept[target.ID] {
		p.probs.add(CodeDuplicateGrid, lg.Geometry, []geo.GridCode{target.Code}, "grid %s appears twice in the layout", target.Code)
		return
	}
	kept[target.ID] = true
	t := tidy(geom)
	if sameGeometry(t, target.Geometry) && (lg.Name == "" || lg.Name == target.Name) {
		return
	}
	p.reshape(target, geom, lg.Name)
}

// layoutTarget resolves a feature to an existing grid of the community
// (target), or to the id and code of a grid to add: a code never used, a
// retired code brought back by the grid that held it (a revert), or an
// allocated code.
func (p *planner) layoutTarget(i int, lg LayoutGrid) (target *geo.Grid, id geo.GridID, code geo.GridCode, ok bool) {
	if lg.Code != 0 {
		if g, held := p.s.Grid(lg.Code); held {
			if lg.ID != 0 && lg.ID != g.ID {
				p.probs.add(CodeCodeTaken, lg.Geometry, []geo.GridCode{lg.Code}, "feature %d: code %s belongs to grid %d, not %d", i, lg.Code, g.ID, lg.ID)
				return nil, 0, 0, false
			}
			return g, 0, 0, true
		}
		holder, used := p.hist.Holder(lg.Code)
		_, idInUse := p.s.GridByID(lg.ID)
		switch {
		case p.taken[lg.Code]:
			p.probs.add(CodeDuplicateGrid, lg.Geometry, []geo.GridCode{lg.Code}, "feature %d: code %s appears twice", i, lg.Code)
			return nil, 0, 0, false
		case used && (lg.ID == 0 || holder != lg.ID || idInUse):
			p.probs.add(CodeCodeTaken, lg.Geometry, []geo.GridCode{lg.Code}, "feature %d: code %s was retired and is not reused", i, lg.Code)
			return nil, 0, 0, false
		case used:
			return nil, lg.ID, lg.Code, true
		}
		return nil, 0, lg.Code, true
	}
	if lg.ID != 0 {
		if g, ok := p.s.GridByID(lg.ID); ok && g.Community() == p.comm.Code {
			return g, 0, 0, true
		}
	}
	c, ok := p.allocCode()
	return nil, 0, c, ok
}
