package edit

import (
	"cmp"
	"maps"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// nearbyBase returns the base grids not changed by the plan whose bounds
// meet box.
func (p *planner) nearbyBase(box orb.Bound) []*geo.Grid {
	out := p.gridsMeeting(box)
	return slices.DeleteFunc(out, func(g *geo.Grid) bool {
		_, changed := p.before[g.ID]
		return changed
	})
}

// gridsMeeting returns the base grids whose bounds intersect box, by
// code (the city's order), found through the snapshot's R-tree rather
// than a walk over every grid of the city.
func (p *planner) gridsMeeting(box orb.Bound) []*geo.Grid {
	var out []*geo.Grid
	p.s.Locator().Search(box, func(g *geo.Grid) bool {
		if g.Bound.Intersects(box) {
			out = append(out, g)
		}
		return true
	})
	slices.SortFunc(out, func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) })
	return out
}

// snapToBase moves each vertex of a planner's geometry that lies within
// SnapMeters of a vertex of the base grids onto that vertex, or else onto
// the nearest base edge within that distance. It returns a new geometry.
func (p *planner) snapToBase(mp orb.MultiPolygon) orb.MultiPolygon {
	out := cloneMP(mp)
	if p.snapDeg <= 0 || len(mp) == 0 {
		return out
	}
	base := p.gridsMeeting(mp.Bound().Pad(p.snapDeg))
	var pts []orb.Point
	for _, g := range base {
		pts = ringPoints(pts, g.Geometry)
	}
	idx := newPointIndex(pts)
	for _, poly := range out {
		for _, r := range poly {
			for k, v := range r {
				p.poll()
				r[k] = p.snapVertex(v, idx, base)
			}
		}
	}
	for _, poly := range out {
		for j, r := range poly {
			poly[j] = dedupeRing(r)
		}
	}
	return out
}

// snapVertex returns the base vertex nearest v within snapDeg, else the
// lattice point on the nearest base edge within snapDeg, else v.
func (p *planner) snapVertex(v orb.Point, idx *pointIndex, base []*geo.Grid) orb.Point {
	e2 := p.snapDeg * p.snapDeg
	best, bestD := v, e2
	found := false
	idx.Near(v, v, p.snapDeg, func(w orb.Point) {
		if d := dist2(v, w); d <= bestD {
			best, bestD, found = w, d, true
		}
	})
	if found {
		return best
	}
	var ea, eb orb.Point
	bestD = e2
	for _, g := range base {
		if !g.Bound.Pad(p.snapDeg).Contains(v) {
			continue
		}
		forEdges(g.Geometry, func(a, b orb.Point) {
			if t, d := segParam(v, a, b); t > 0 && t < 1 && d <= bestD {
				ea, eb, bestD, found = a, b, d, true
			}
		})
	}
	if !found || bestD == 0 {
		return v
	}
	t, _ := segParam(v, ea, eb)
	return latticeNear(orb.Point{ea[0] + t*(eb[0]-ea[0]), ea[1] + t*(eb[1]-ea[1])}, ea, eb)
}

// touched returns the grids the plan adds or reshapes, by id.
func (p *planner) touched() []*geo.Grid {
	var out []*geo.Grid
	for _, id := range slices.Sorted(maps.Keys(p.after)) {
		if g := p.after[id]; g != nil {
			out = append(out, g)
		}
	}
	return out
}

// stitch keeps shared edges vertex-identical. New vertices lying on an
// unchanged grid's edge or vertex (within stitchEps) are settled exactly
// onto it; then every unchanged grid around gets the new vertices that
// lie on its edges (becoming a ChangeStitched change), and every touched
// grid gets the vertices of its neighbours and of the other touched
// grids that lie on its edges.
func (p *planner) stitch() {
	touched := p.touched()
	if len(touched) == 0 {
		return
	}
	box := touched[0].Geometry.Bound()
	for _, t := range touched {
		box = box.Union(t.Geometry.Bound())
	}
	p.nbrs = p.nearbyBase(box.Pad(1e-6))
	p.settle(touched, p.unitEdges(box.Pad(1e-6)))
	var newPts []orb.Point
	for _, t := range touched {
		newPts = ringPoints(newPts, t.Geometry)
	}
	newIdx := newPointIndex(newPts)
	for _, n := range p.nbrs {
		p.checkpoint()
		if mp, changed := insertAll(n.Geometry, newIdx); changed {
			c := *n
			c.Geometry, c.Bound = mp, mp.Bound()
			p.before[n.ID], p.after[n.ID], p.stitched[n.ID] = n, &c, true
		}
	}
	all := newPts
	for _, n := range p.nbrs {
		all = ringPoints(all, n.Geometry)
	}
	allIdx := newPointIndex(all)
	for _, t := range touched {
		p.checkpoint()
		t.Geometry, _ = insertAll(t.Geometry, allIdx)
		t.Bound = t.Geometry.Bound()
	}
}

// unitEdges returns the boundary edges of the communities whose area
// meets box: the stable reference for vertices on community boundaries,
// which the units' geometry keeps while grid edges get subdivided. A
// community is the union of its grids, so the communities looked at are
// the edited one and those of the grids within stitchEps of box.
func (p *planner) unitEdges(box orb.Bound) [][2]orb.Point {
	codes := []geo.DivisionCode{}
	if p.comm != nil {
		codes = append(codes, p.comm.Code)
	}
	for _, g := range p.gridsMeeting(box.Pad(stitchEps)) {
		codes = append(codes, g.Community())
	}
	slices.Sort(codes)
	var out [][2]orb.Point
	for _, c := range slices.Compact(codes) {
		u, ok := p.s.Unit(c)
		if !ok || u.Level() != geo.LevelCommunity || len(u.Geometry) == 0 || !u.Geometry.Bound().Intersects(box) {
			continue
		}
		forEdges(u.Geometry, func(a, b orb.Point) {
			if (orb.Bound{Min: a, Max: a}).Extend(b).Pad(stitchEps).Intersects(box) {
				out = append(out, [2]orb.Point{a, b})
			}
		})
	}
	return out
}

// settle moves each vertex of the touched grids that lies within
// stitchEps of a neighbour's vertex onto it, one within stitchEps of a
// community's boundary onto the lattice point nearest that boundary, and
// one within stitchEps of a neighbour's edge onto the lattice point
// nearest that edge.
func (p *planner) settle(touched []*geo.Grid, units [][2]orb.Point) {
	var pts []orb.Point
	for _, n := range p.nbrs {
		pts = ringPoints(pts, n.Geometry)
	}
	idx := newPointIndex(pts)
	repl := map[orb.Point]orb.Point{}
	for _, t := range touched {
		for _, v := range ringPoints(nil, t.Geometry) {
			p.poll()
			if _, done := repl[v]; done {
				continue
			}
			if w, ok := p.settlePoint(v, idx, units); ok && w != v {
				repl[v] = w
			}
		}
	}
	if len(repl) == 0 {
		return
	}
	for _, t := range touched {
		for _, poly := range t.Geometry {
			for _, r := range poly {
				for k, v := range r {
					if w, ok := repl[v]; ok {
						r[k] = w
					}
				}
			}
		}
		t.Geometry = tidy(t.Geometry)
	}
}

// settlePoint returns where v belongs on the neighbours' geometry.
func (p *planner) settlePoint(v orb.Point, idx *pointIndex, units [][2]orb.Point) (orb.Point, bool) {
	var best orb.Point
	bestD, found := stitchEps*stitchEps, false
	idx.Near(v, v, stitchEps, func(w orb.Point) {
		if d := dist2(v, w); d <= bestD {
			best, bestD, found = w, d, true
		}
	})
	if found {
		return best, true
	}
	for _, e := range units {
		if onSegmentInterior(v, e[0], e[1], stitchEps) {
			return latticeNear(v, e[0], e[1]), true
		}
	}
	for _, n := range p.nbrs {
		if !n.Bound.Pad(stitchEps).Contains(v) {
			continue
		}
		var hit orb.Point
		forEdges(n.Geometry, func(a, b orb.Point) {
			if !found && onSegmentInterior(v, a, b, stitchEps) {
				hit, found = latticeNear(v, a, b), true
			}
		})
		if found {
			return hit, true
		}
	}
	return v, false
}

// insertAll inserts the indexed points lying on mp's edges and returns a
// new geometry when any was inserted.
func insertAll(mp orb.MultiPolygon, idx *pointIndex) (orb.MultiPolygon, bool) {
	var out orb.MultiPolygon
	for i, poly := range mp {
		for j, r := range poly {
			nr, changed := insertPoints(r, idx)
			if !changed {
				continue
			}
			if out == nil {
				out = cloneMP(mp)
			}
			out[i][j] = nr
		}
	}
	if out == nil {
		return mp, false
	}
	return out, true
}
