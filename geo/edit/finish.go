package edit

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// finish cleans and stitches the planned grids, validates them, previews
// the impact and, when valid, builds the next city.
func (p *planner) finish() (*Result, error) {
	res := &Result{}
	if p.comm != nil {
		res.Community = p.comm.Code
	}
	p.checkpoint()
	if !p.probs.failed() {
		p.prepare()
	}
	p.checkpoint()
	if !p.probs.failed() {
		p.stitch()
		p.checkpoint()
		p.checkValid()
	}
	p.checkpoint()
	if !p.probs.failed() {
		p.checkPartition()
		p.checkpoint()
		p.assignBuildings()
		p.warnHouseholds()
	}
	p.checkpoint()
	res.Changes = p.changes()
	res.Errors, res.Warnings = p.probs.errs, p.probs.warns
	res.Valid = len(res.Errors) == 0
	res.Impact = p.impact(res.Changes, res.Valid)
	if res.Valid && !p.opts.PreviewOnly {
		next, err := res.Delta().apply(p.s.City, p.maxID)
		if err != nil {
			return nil, fmt.Errorf("applying %s: %w", p.op.Kind, err)
		}
		res.Next = next
	}
	return res, nil
}

// prepare tidies every planned geometry (snapping it and giving it fresh
// rings, so nothing shared with the base city is modified later) and
// refuses grids left without area.
func (p *planner) prepare() {
	for _, g := range p.touched() {
		g.Geometry = tidy(g.Geometry)
		g.Bound = g.Geometry.Bound()
		if a := areaM2(g.Geometry, p.lat0); a < emptyGridM2 {
			p.probs.addArea(CodeEmptyGrid, nil, a, []geo.GridCode{g.Code}, "grid %s would have %.2f m², no area", g.Code, a)
		}
	}
}

// checkValid checks each reshaped or new grid is a valid MultiPolygon
// after snapping and stitching.
func (p *planner) checkValid() {
	for _, g := range p.touched() {
		p.checkpoint()
		if p.stitched[g.ID] {
			continue
		}
		if err := validPolygons(g.Geometry); err != nil {
			var geom orb.Geometry = g.Geometry
			if loc := crossingPoint(g.Geometry); loc != nil {
				geom = *loc
			}
			p.probs.add(CodeSelfIntersection, geom, []geo.GridCode{g.Code}, "grid %s would not be a valid polygon: %v", g.Code, err)
		}
	}
}

// changes lists the plan's changes by id, leaving out grids that end up
// exactly as they were.
func (p *planner) changes() []Change {
	ids := map[geo.GridID]bool{}
	for id := range p.before {
		ids[id] = true
	}
	for id := range p.after {
		ids[id] = true
	}
	var out []Change
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		b := p.before[id]
		a, planned := p.after[id]
		if !planned {
			continue
		}
		c := Change{ID: id, Before: b, After: a}
		switch {
		case b == nil:
			c.Kind = ChangeAdded
		case a == nil:
			c.Kind = ChangeRetired
		case a.Code == b.Code && a.Name == b.Name && sameGeometry(a.Geometry, b.Geometry):
			continue
		case a.Code != b.Code:
			c.Kind = ChangeRecoded
		case p.stitched[id]:
			c.Kind = ChangeStitched
		default:
			c.Kind = ChangeReshaped
		}
		out = append(out, c)
	}
	return out
}

// impact previews the changes: moves, flows, counts and, for a valid
// edit (which lies inside one community), the tiles.
func (p *planner) impact(changes []Change, valid bool) Impact {
	im := Impact{Moves: p.moves}
	slices.SortFunc(im.Moves, func(a, b Move) int { return cmp.Compare(a.Building, b.Building) })
	flows := map[[2]geo.GridCode]*Flow{}
	for _, m := range im.Moves {
		k := [2]geo.GridCode{m.From, m.To}
		f := flows[k]
		if f == nil {
			f = &Flow{From: m.From, To: m.To}
			flows[k] = f
		}
		f.Buildings++
		f.Households += m.Households
		im.BuildingsMoved++
		im.HouseholdsMoved += m.Households
	}
	for _, k := range slices.SortedFunc(maps.Keys(flows), func(a, b [2]geo.GridCode) int {
		if c := cmp.Compare(a[0], b[0]); c != 0 {
			return c
		}
		return cmp.Compare(a[1], b[1])
	}) {
		im.Flows = append(im.Flows, *flows[k])
	}
	tiles := map[TileKey]bool{}
	for _, c := range changes {
		gc := GridCount{ID: c.ID}
		if c.Before != nil {
			gc.Code, gc.HouseholdsBefore, gc.BuildingsBefore = c.Before.Code, c.Before.Households, c.Before.Buildings
		}
		if c.After != nil {
			gc.Code, gc.HouseholdsAfter, gc.BuildingsAfter = c.After.Code, c.After.Households, c.After.Buildings
		}
		if valid {
			tilesTouching(tiles, c.Before)
			tilesTouching(tiles, c.After)
		}
		im.Grids = append(im.Grids, gc)
	}
	im.Tiles = sortedTiles(tiles)
	return im
}
