package address

import (
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Rebase returns an index of c that shares x's names, doors, fuzzy index
// and entrance tree, when c has the buildings x indexed (same ids,
// entrances and addresses, in the same order, each in the same community)
// and the same units and city names: a grid edit moves buildings between
// the grids of one community and changes nothing else an address reads.
// Only the grids of buildings, roads, estates and units are indexed again.
// It returns nil, false when c differs in anything else; use NewCityIndex
// then.
func (x *Index) Rebase(old, c *geo.City) (*Index, bool) {
	if old == nil || c == nil || !sameAddresses(old, c) || !sameUnits(old, c) {
		return nil, false
	}
	y := *x
	y.buildings = c.Buildings
	y.roads = slices.Clone(x.roads)
	y.estates = slices.Clone(x.estates)
	for i := range y.roads {
		y.roads[i].grids = nil
	}
	for i := range y.estates {
		y.estates[i].grids = nil
	}
	for i, b := range c.Buildings {
		in := x.info[i]
		if in.road >= 0 {
			rd := &y.roads[in.road]
			rd.grids = appendGrid(rd.grids, b.Grid)
		}
		if in.estate >= 0 {
			es := &y.estates[in.estate]
			es.grids = appendGrid(es.grids, b.Grid)
		}
	}
	for i := range y.roads {
		slices.Sort(y.roads[i].grids)
	}
	for i := range y.estates {
		slices.Sort(y.estates[i].grids)
	}
	y.unitGrids = make(map[geo.DivisionCode][]geo.GridCode)
	y.gridCentre = make(map[geo.GridCode]orb.Point, len(c.Grids))
	y.indexGrids(c.Grids)
	return &y, true
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
