package address

import (
	"maps"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Rebase returns an index of c that shares x's names, roads, doors,
// estates, fuzzy index and entrance tree, when c has the buildings x
// indexed (same ids, entrances and addresses, in the same order, each in
// the same community) and the same units and city names: a grid edit
// moves buildings between the grids of one community and changes nothing
// else an address reads. Only the grid centres and grid lists of the
// units above the grids that changed are indexed again (both cities'
// grids sorted by code; otherwise every unit's), so a rebase costs a
// comparison of the two cities and the edit. It returns nil, false when c
// differs in anything else; use NewCityIndex then.
func (x *Index) Rebase(old, c *geo.City) (*Index, bool) {
	if old == nil || c == nil || !sameAddresses(old, c) || !sameUnits(old, c) {
		return nil, false
	}
	y := *x
	y.buildings = c.Buildings
	y.rebaseGrids(x, old.Grids, c.Grids)
	return &y, true
}

// rebaseGrids sets y's grid centres and units' grid lists for the grids
// now, from x's for the grids was: copies of x's maps with the entries of
// the grids removed, added or replaced changed, when both lists are
// sorted by code; built afresh otherwise.
func (y *Index) rebaseGrids(x *Index, was, now []*geo.Grid) {
	removed, added, ok := geo.DiffGrids(was, now)
	if !ok {
		y.unitGrids = make(map[geo.DivisionCode][]geo.GridCode)
		y.gridCentre = make(map[geo.GridCode]orb.Point, len(now))
		y.indexGrids(now)
		return
	}
	if len(removed)+len(added) == 0 {
		return
	}
	y.gridCentre = maps.Clone(x.gridCentre)
	y.unitGrids = maps.Clone(x.unitGrids)
	gone := map[geo.GridCode]bool{}
	units := map[geo.DivisionCode][]geo.GridCode{} // the units touched, with their added grids
	for _, g := range removed {
		delete(y.gridCentre, g.Code)
		gone[g.Code] = true
		for u := g.Community(); u.Level() != geo.LevelCity && u != 0; u = u.Parent() {
			if _, ok := units[u]; !ok {
				units[u] = nil
			}
		}
	}
	for _, g := range added {
		y.gridCentre[g.Code] = g.Bound.Center()
		for u := g.Community(); u.Level() != geo.LevelCity && u != 0; u = u.Parent() {
			units[u] = append(units[u], g.Code)
		}
	}
	for u, plus := range units {
		var grids []geo.GridCode
		for _, code := range x.unitGrids[u] {
			if !gone[code] {
				grids = append(grids, code)
			}
		}
		grids = append(grids, plus...)
		slices.Sort(grids)
		if grids = slices.Compact(grids); len(grids) == 0 {
			delete(y.unitGrids, u)
		} else {
			y.unitGrids[u] = grids
		}
	}
}

// sameAddresses reports whether b's buildings are a's, each with the same
// id, entrance, address and community.
func sameAddresses(a, b *geo.City) bool {
	if len(a.Buildings) != len(b.Buildings) {
		return false
	}
	for i, x := range a.Buildings {
		y := b.Buildings[i]
		if x != y && (x.ID != y.ID || x.Point != y.Point || x.Address != y.Address || x.Grid.Community() != y.Grid.Community()) {
			return false
		}
	}
	return true
}

// sameUnits reports whether b has a's city names and units (codes and
// names, in order).
func sameUnits(a, b *geo.City) bool {
	if a.Name != b.Name || a.Code != b.Code || a.Province != b.Province || len(a.Units) != len(b.Units) {
		return false
	}
	for i, u := range a.Units {
		if v := b.Units[i]; u != v && (u.Code != v.Code || u.Name != v.Name) {
			return false
		}
	}
	return true
}
