package edit

import (
	"cmp"
	"errors"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// minPieceM2 is the area below which a leftover of an overlay is noise.
const minPieceM2 = 1e-4

// emptyGridM2 is the area below which a grid counts as having no area.
const emptyGridM2 = 1.0

// replace gives a grid a new geometry. Siblings lose what it now covers;
// each piece it gives up goes to the sibling sharing the longest boundary.
func (p *planner) replace() {
	g := p.grid(p.op.Grid)
	if g == nil {
		return
	}
	geom, ok := checkShape(p.op.Geometry, []geo.GridCode{g.Code}, &p.probs)
	if !ok {
		return
	}
	geom = p.snapToBase(geom)
	if !p.takeFromSiblings(geom, g.ID) {
		return
	}
	released, err := difference(g.Geometry, geom)
	if !p.ok(err, g.Code) {
		return
	}
	p.reshape(g, geom, "")
	for _, piece := range parts(released) {
		if areaM2(piece, p.lat0) < minPieceM2 {
			continue
		}
		if best := p.longestNeighbour(piece, g.ID, nil); best != nil {
			u, err := union(best.Geometry, piece)
			if !p.ok(err, best.Code) {
				return
			}
			p.reshape(best, u, "")
		}
	}
}

// takeFromSiblings removes area from every sibling (other than skip) that
// it overlaps. A sibling left with no area is an error.
func (p *planner) takeFromSiblings(area orb.MultiPolygon, skip geo.GridID) bool {
	for _, s := range p.siblings() {
		if s.ID == skip || !s.Geometry.Bound().Intersects(area.Bound()) {
			continue
		}
		d, err := difference(s.Geometry, area)
		if !p.ok(err, s.Code) {
			return false
		}
		before, after := areaM2(s.Geometry, p.lat0), areaM2(d, p.lat0)
		if before-after < minPieceM2 {
			continue
		}
		if after < emptyGridM2 {
			p.probs.addArea(CodeEmptyGrid, s.Geometry, before, []geo.GridCode{s.Code},
				"the new geometry covers all of grid %s (%.1f m²); merge or retire it instead", s.Code, before)
			return false
		}
		p.reshape(s, d, "")
	}
	return true
}

// longestNeighbour returns the sibling (not skip, and in only when only is
// non-nil) sharing the longest boundary with piece, or nil.
func (p *planner) longestNeighbour(piece orb.MultiPolygon, skip geo.GridID, only []*geo.Grid) *geo.Grid {
	cands := only
	if cands == nil {
		cands = p.siblings()
	}
	var best *geo.Grid
	bestLen := 0.0
	for _, s := range cands {
		if s.ID == skip {
			continue
		}
		if l := sharedLengthM(piece, s.Geometry, p.lat0); l > bestLen {
			best, bestLen = p.cur(s), l
		}
	}
	return best
}

// ok records a failed overlay as a problem and reports whether err is nil.
func (p *planner) ok(err error, grids ...geo.GridCode) bool {
	if err != nil {
		p.probs.add(CodeGeometryFailure, nil, grids, "computing the new geometry: %v", err)
		return false
	}
	return true
}

// cut cuts area by the op's line, recording a problem when it cannot.
func (p *planner) cut(area orb.MultiPolygon, grids []geo.GridCode) []orb.Polygon {
	pieces, err := cutByLine(area, p.op.Line, p.snapDeg)
	switch {
	case errors.Is(err, errLineSelfCross):
		p.probs.add(CodeSelfIntersection, p.op.Line, grids, "the line crosses itself")
		return nil
	case errors.Is(err, errLineShort):
		p.probs.add(CodeNoCut, p.op.Line, grids, "the line has fewer than 2 distinct points")
		return nil
	case len(pieces) < 2:
		p.probs.add(CodeNoCut, p.op.Line, grids, "the line does not cut across %s: it must run from boundary to boundary", codeList(grids))
		return nil
	}
	return pieces
}

// moveBoundary replaces the boundary shared by two grids with the line.
func (p *planner) moveBoundary() {
	a, b := p.grid(p.op.Grids[0]), p.grid(p.op.Grids[1])
	if a == nil || b == nil {
		return
	}
	codes := []geo.GridCode{a.Code, b.Code}
	if a.ID == b.ID {
		p.probs.add(CodeDuplicateGrid, nil, codes, "grid %s is named twice", a.Code)
		return
	}
	if sharedLengthM(a.Geometry, b.Geometry, p.lat0) == 0 {
		p.probs.add(CodeNotNeighbours, nil, codes, "grids %s and %s share no boundary", a.Code, b.Code)
		return
	}
	u, err := union(a.Geometry, b.Geometry)
	if !p.ok(err, codes...) {
		return
	}
	pieces := p.cut(u, codes)
	if pieces == nil {
		return
	}
	var toA, toB []orb.MultiPolygon
	for _, piece := range pieces {
		mp := orb.MultiPolygon{piece}
		ia, errA := intersection(mp, a.Geometry)
		ib, errB := intersection(mp, b.Geometry)
		if !p.ok(errors.Join(errA, errB), codes...) {
			return
		}
		if areaM2(ia, p.lat0) >= areaM2(ib, p.lat0) {
			toA = append(toA, mp)
		} else {
			toB = append(toB, mp)
		}
	}
	if len(toA) == 0 || len(toB) == 0 {
		p.probs.add(CodeNoCut, p.op.Line, codes, "the line leaves one of %s with no area", codeList(codes))
		return
	}
	ga, errA := unionAll(toA)
	gb, errB := unionAll(toB)
	if !p.ok(errors.Join(errA, errB), codes...) {
		return
	}
	p.reshape(a, ga, "")
	p.reshape(b, gb, "")
}

// split cuts a grid by the line. Parts are taken in the standard order;
// the part given the grid's code (by Codes, else the largest) keeps its
// id, the others are new grids.
func (p *planner) split() {
	g := p.grid(p.op.Grid)
	if g == nil {
		return
	}
	codes := []geo.GridCode{g.Code}
	pieces := p.cut(g.Geometry, codes)
	if pieces == nil {
		return
	}
	ordered := p.standardParts(pieces)
	n := len(ordered)
	if (len(p.op.Codes) > 0 && len(p.op.Codes) != n) || (len(p.op.Names) > 0 && len(p.op.Names) != n) {
		p.probs.add(CodePartCount, nil, codes, "the line cuts %s into %d parts but %d codes and %d names are given", g.Code, n, len(p.op.Codes), len(p.op.Names))
		return
	}
	keep := p.keeper(ordered, g.Code)
	for i, part := range ordered {
		name := ""
		if len(p.op.Names) > 0 {
			name = p.op.Names[i]
		}
		if i == keep {
			p.reshape(g, part, name)
			continue
		}
		code, ok := p.partCode(i)
		if !ok {
			return
		}
		p.addGrid(0, code, name, part)
	}
	if keep < 0 {
		p.retireGrid(g)
	}
}

// standardParts returns the pieces in geo.StandardOrder.
func (p *planner) standardParts(pieces []orb.Polygon) []orb.MultiPolygon {
	tmp := make([]*geo.Grid, len(pieces))
	for i, pc := range pieces {
		tmp[i] = &geo.Grid{ID: geo.GridID(i + 1), Geometry: orb.MultiPolygon{pc}}
	}
	out := make([]orb.MultiPolygon, 0, len(pieces))
	for _, g := range geo.StandardOrder(tmp) {
		out = append(out, g.Geometry)
	}
	return out
}

// keeper returns the index of the part that keeps the grid's id: the one
// given its code, else (no codes given) the largest; -1 when codes are
// given and none is the grid's own.
func (p *planner) keeper(parts []orb.MultiPolygon, own geo.GridCode) int {
	if len(p.op.Codes) > 0 {
		return slices.Index(p.op.Codes, own)
	}
	best := 0
	for i := range parts {
		if cmp.Compare(areaM2(parts[i], p.lat0), areaM2(parts[best], p.lat0)) > 0 {
			best = i
		}
	}
	return best
}

// partCode returns the code of new part i: the one given, if free, or an
// allocated one.
func (p *planner) partCode(i int) (geo.GridCode, bool) {
	if len(p.op.Codes) > 0 && p.op.Codes[i] != 0 {
		c := p.op.Codes[i]
		if !p.codeFree(c) {
			p.probs.add(CodeCodeTaken, nil, []geo.GridCode{c}, "code %s is in use, was used before or is outside community %s", c, p.comm.Code)
			return 0, false
		}
		p.taken[c] = true
		return c, true
	}
	return p.allocCode()
}

// merge joins neighbouring grids into the first one named.
func (p *planner) merge() {
	gs, ok := p.distinctGrids(p.op.Grids)
	if !ok {
		return
	}
	if !p.connected(gs) {
		p.probs.add(CodeNotNeighbours, nil, p.op.Grids, "grids %s are not connected by shared boundaries", codeList(p.op.Grids))
		return
	}
	geoms := make([]orb.MultiPolygon, len(gs))
	for i, g := range gs {
		geoms[i] = g.Geometry
	}
	u, err := unionAll(geoms)
	if !p.ok(err, p.op.Grids...) {
		return
	}
	p.reshape(gs[0], u, p.op.Name)
	for _, g := range gs[1:] {
		p.retireGrid(g)
	}
}

// distinctGrids resolves codes to grids of one community, each once.
func (p *planner) distinctGrids(codes []geo.GridCode) ([]*geo.Grid, bool) {
	var gs []*geo.Grid
	seen := map[geo.GridCode]bool{}
	ok := true
	for _, c := range codes {
		if seen[c] {
			p.probs.add(CodeDuplicateGrid, nil, []geo.GridCode{c}, "grid %s is named twice", c)
			ok = false
			continue
		}
		seen[c] = true
		g := p.grid(c)
		if g == nil {
			ok = false
			continue
		}
		gs = append(gs, g)
	}
	return gs, ok
}

// connected reports whether the grids form one group through shared
// boundaries.
func (p *planner) connected(gs []*geo.Grid) bool {
	reached := map[int]bool{0: true}
	queue := []int{0}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for j := range gs {
			if !reached[j] && sharedLengthM(gs[i].Geometry, gs[j].Geometry, p.lat0) > 0 {
				reached[j] = true
				queue = append(queue, j)
			}
		}
	}
	return len(reached) == len(gs)
}
