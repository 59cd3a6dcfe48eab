package address

import (
	"cmp"
	"maps"
	"slices"

	"github.com/gridmap/gridmap/geo"
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

// rebaseGrids sets y's units' grid lists for the grids now, from x's for
// the grids was: a copy of x's map of units with the entries of the
// units above the grids removed, added or replaced changed, when the two
// lists can be compared (geo.DiffGrids); built afresh otherwise.
func (y *Index) rebaseGrids(x *Index, was, now []*geo.Grid) {
	removed, added, ok := geo.DiffGrids(was, now)
	if !ok {
		y.unitGrids = make(map[geo.DivisionCode]unitGrids)
		y.indexGrids(now)
		return
	}
	if len(removed)+len(added) == 0 {
		return
	}
	y.unitGrids = maps.Clone(x.unitGrids)
	gone := map[geo.GridCode]bool{}
	units := map[geo.DivisionCode][]*geo.Grid{} // the units touched, with their added grids
	for _, g := range removed {
		gone[g.Code] = true
		for u := g.Community(); u.Level() != geo.LevelCity && u != 0; u = u.Parent() {
			if _, ok := units[u]; !ok {
				units[u] = nil
			}
		}
	}
	for _, g := range added {
		for u := g.Community(); u.Level() != geo.LevelCity && u != 0; u = u.Parent() {
			units[u] = append(units[u], g)
		}
	}
	for u, plus := range units {
		if ug, ok := rebaseUnit(x.unitGrids[u], gone, plus, now); ok {
			y.unitGrids[u] = ug
		} else {
			delete(y.unitGrids, u)
		}
	}
}

// rebaseUnit returns a unit's grids after an edit: was's codes less those
// gone, merged with the grids plus (the unit's added grids), and the
// centre of the first, found among plus or, when it is a grid the edit
// left alone, in now (the grids after the edit). It reports false when
// the unit is left with no grid.
func rebaseUnit(was unitGrids, gone map[geo.GridCode]bool, plus, now []*geo.Grid) (unitGrids, bool) {
	slices.SortFunc(plus, func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) })
	codes := make([]geo.GridCode, 0, len(was.codes)+len(plus))
	var first *geo.Grid
	i := 0
	for _, code := range was.codes {
		if gone[code] {
			continue
		}
		for ; i < len(plus) && plus[i].Code <= code; i++ {
			codes, first = appendGrid(codes, first, plus[i])
		}
		if len(codes) == 0 || codes[len(codes)-1] != code {
			codes = append(codes, code)
		}
	}
	for ; i < len(plus); i++ {
		codes, first = appendGrid(codes, first, plus[i])
	}
	if len(codes) == 0 {
		return unitGrids{}, false
	}
	if first == nil || first.Code != codes[0] {
		first = findGrid(now, codes[0])
	}
	out := unitGrids{codes: codes}
	if first != nil {
		out.centre = first.Bound.Center()
	}
	return out, true
}

// appendGrid appends g's code to codes unless it is there already (as
// the last), and returns g as the first grid when it is the first code.
func appendGrid(codes []geo.GridCode, first, g *geo.Grid) ([]geo.GridCode, *geo.Grid) {
	if len(codes) > 0 && codes[len(codes)-1] == g.Code {
		return codes, first
	}
	if len(codes) == 0 {
		first = g
	}
	return append(codes, g.Code), first
}

// findGrid returns the grid of grids with the given code: by bisection,
// as a City's grids are sorted by code, else by a scan; nil when none has.
func findGrid(grids []*geo.Grid, code geo.GridCode) *geo.Grid {
	i, ok := slices.BinarySearchFunc(grids, code, func(g *geo.Grid, c geo.GridCode) int { return cmp.Compare(g.Code, c) })
	if ok {
		return grids[i]
	}
	for _, g := range grids {
		if g.Code == code {
			return g
		}
	}
	return nil
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
