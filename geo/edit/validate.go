package edit

import (
	"maps"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// checkPartition checks that the community is still partitioned: the
// area the changed grids covered is still covered (no gap), the changed
// grids do not overlap each other or the unchanged siblings, and they
// stay inside the community, each beyond ToleranceM2.
func (p *planner) checkPartition() {
	var befores, afters []orb.MultiPolygon
	var afterGrids []*geo.Grid
	for _, id := range slices.Sorted(maps.Keys(p.after)) {
		if b := p.before[id]; b != nil && b.Community() == p.comm.Code {
			befores = append(befores, b.Geometry)
		}
		if a := p.after[id]; a != nil && a.Community() == p.comm.Code {
			afters = append(afters, a.Geometry)
			afterGrids = append(afterGrids, a)
		}
	}
	ub, errB := unionAll(befores)
	ua, errA := unionAll(afters)
	if !p.ok(errB) || !p.ok(errA) {
		return
	}
	sum := 0.0
	for _, a := range afters {
		sum += areaM2(a, p.lat0)
	}
	if sum-areaM2(ua, p.lat0) > p.opts.ToleranceM2 {
		p.overlapsAmong(afterGrids)
	}
	gap, err := difference(ub, ua)
	if !p.ok(err) {
		return
	}
	if a := areaM2(gap, p.lat0); a > p.opts.ToleranceM2 {
		p.probs.addArea(CodeGap, gap, a, nil, "the edit leaves %.1f m² of community %s in no grid", a, p.comm.Code)
	}
	gained, err := difference(ua, ub)
	if !p.ok(err) || areaM2(gained, p.lat0) <= p.opts.ToleranceM2 {
		return
	}
	p.checkGained(gained, afterGrids)
}

// overlapsAmong reports each pair of changed grids that overlap.
func (p *planner) overlapsAmong(gs []*geo.Grid) {
	found := false
	for i, a := range gs {
		for _, b := range gs[i+1:] {
			p.checkpoint()
			if !a.Bound.Intersects(b.Bound) {
				continue
			}
			in, err := intersection(a.Geometry, b.Geometry)
			if !p.ok(err, a.Code, b.Code) {
				return
			}
			if area := areaM2(in, p.lat0); area > p.opts.ToleranceM2 {
				found = true
				p.probs.addArea(CodeOverlap, in, area, []geo.GridCode{a.Code, b.Code}, "grids %s and %s overlap by %.1f m²", a.Code, b.Code, area)
			}
		}
	}
	if !found {
		p.probs.add(CodeOverlap, nil, nil, "the changed grids overlap each other by more than %.1f m² in total", p.opts.ToleranceM2)
	}
}

// checkGained checks the area the changed grids cover now but did not
// before: it must lie inside the community and outside every unchanged
// sibling.
func (p *planner) checkGained(gained orb.MultiPolygon, afters []*geo.Grid) {
	if len(p.comm.Geometry) > 0 {
		out, err := difference(gained, p.comm.Geometry)
		if !p.ok(err) {
			return
		}
		if a := areaM2(out, p.lat0); a > p.opts.ToleranceM2 {
			p.probs.addArea(CodeOutsideCommunity, out, a, p.codesMeeting(afters, out), "%.1f m² lie outside community %s", a, p.comm.Code)
		}
	}
	for _, s := range p.s.GridsOf(p.comm.Code) {
		if _, changed := p.after[s.ID]; changed || !s.Bound.Intersects(gained.Bound()) {
			continue
		}
		in, err := intersection(gained, s.Geometry)
		if !p.ok(err, s.Code) {
			return
		}
		if a := areaM2(in, p.lat0); a > p.opts.ToleranceM2 {
			codes := append([]geo.GridCode{s.Code}, p.codesMeeting(afters, in)...)
			p.probs.addArea(CodeOverlap, in, a, codes, "grid %s is overlapped by %.1f m² of %s", s.Code, a, codeList(codes[1:]))
		}
	}
}

// codesMeeting returns the codes of the grids whose bounds meet area.
func (p *planner) codesMeeting(gs []*geo.Grid, area orb.MultiPolygon) []geo.GridCode {
	var out []geo.GridCode
	for _, g := range gs {
		if g.Bound.Intersects(area.Bound()) {
			out = append(out, g.Code)
		}
	}
	return out
}

// assignBuildings places every building of a changed grid in the grid
// that now holds it (geo.GridContains), reports buildings in no grid or
// in several, counts households per changed grid, and records moves.
func (p *planner) assignBuildings() {
	cands := p.candidates()
	counts := map[geo.GridID][2]int{}
	for _, id := range slices.Sorted(maps.Keys(p.before)) {
		b := p.before[id]
		for _, bl := range p.s.BuildingsIn(b.Code) {
			p.poll()
			var hits []*geo.Grid
			for _, g := range cands {
				if g.Bound.Contains(bl.Point) && geo.GridContains(g, bl.Point) {
					hits = append(hits, g)
				}
			}
			switch len(hits) {
			case 0:
				p.probs.add(CodeBuildingUnassigned, bl.Point, []geo.GridCode{b.Code}, "building %d (%s) would lie in no grid", bl.ID, bl.Address.Door())
				continue
			case 1:
			default:
				p.probs.add(CodeBuildingAmbiguous, bl.Point, gridCodes(hits), "building %d would lie in %d grids", bl.ID, len(hits))
				continue
			}
			to := hits[0]
			c := counts[to.ID]
			counts[to.ID] = [2]int{c[0] + bl.Households, c[1] + 1}
			if to.Code != bl.Grid {
				p.moves = append(p.moves, Move{Building: bl.ID, Households: bl.Households, From: bl.Grid, To: to.Code, FromID: b.ID, ToID: to.ID})
			}
		}
	}
	for _, g := range p.touched() {
		c := counts[g.ID]
		g.Households, g.Buildings = c[0], c[1]
	}
	p.checkUnchangedBuildings()
}

// candidates returns the grids a building of a changed grid may now lie
// in: the changed grids and the unchanged grids around them.
func (p *planner) candidates() []*geo.Grid {
	byID := map[geo.GridID]*geo.Grid{}
	for _, g := range p.nbrs {
		byID[g.ID] = g
	}
	for _, g := range p.siblings() {
		byID[g.ID] = g
	}
	for id, g := range p.after {
		if g == nil {
			delete(byID, id)
		} else {
			byID[id] = g
		}
	}
	out := make([]*geo.Grid, 0, len(byID))
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		out = append(out, byID[id])
	}
	return out
}

// checkUnchangedBuildings reports buildings of unchanged siblings that a
// changed grid now also holds.
func (p *planner) checkUnchangedBuildings() {
	touched := p.touched()
	for _, s := range p.s.GridsOf(p.comm.Code) {
		if _, changed := p.after[s.ID]; changed {
			continue
		}
		for _, bl := range p.s.BuildingsIn(s.Code) {
			for _, g := range touched {
				if g.Bound.Contains(bl.Point) && geo.GridContains(g, bl.Point) {
					p.probs.add(CodeBuildingAmbiguous, bl.Point, []geo.GridCode{s.Code, g.Code}, "building %d of %s would also lie in %s", bl.ID, s.Code, g.Code)
				}
			}
		}
	}
}

// warnHouseholds warns about reshaped or new grids of the community with
// households outside the configured range.
func (p *planner) warnHouseholds() {
	for _, g := range p.touched() {
		if p.stitched[g.ID] || g.Community() != p.comm.Code {
			continue
		}
		if g.Households < p.opts.MinHouseholds || g.Households > p.opts.MaxHouseholds {
			p.probs.warn(CodeHouseholds, []geo.GridCode{g.Code}, "grid %s would have %d households, outside %d-%d", g.Code, g.Households, p.opts.MinHouseholds, p.opts.MaxHouseholds)
		}
	}
}

// gridCodes returns the codes of gs.
func gridCodes(gs []*geo.Grid) []geo.GridCode {
	out := make([]geo.GridCode, len(gs))
	for i, g := range gs {
		out[i] = g.Code
	}
	return out
}
