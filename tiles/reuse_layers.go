package tiles

import (
	"cmp"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// reuseStreets shares the earlier renderer's streets layer and street
// lines when the streets are the same ones (a grid edit changes none): a
// sealed layer is never modified, so both versions may serve it.
func (r *Renderer) reuseStreets() bool {
	p := r.prev
	if p == nil || !samePointers(p.snap.City.Streets, r.snap.City.Streets) || !p.layers[idxStreets].sealed {
		return false
	}
	r.layers[idxStreets] = p.layers[idxStreets]
	r.levels.src.lines = p.levels.src.lines
	r.extendByIndex(&p.layers[idxStreets].index)
	return true
}

// reuseStations is reuseStreets for the service stations.
func (r *Renderer) reuseStations() bool {
	p := r.prev
	if p == nil || !samePointers(p.snap.City.Stations, r.snap.City.Stations) || !p.layers[idxStations].sealed {
		return false
	}
	r.layers[idxStations] = p.layers[idxStations]
	r.extendByIndex(&p.layers[idxStations].index)
	return true
}

// extendByIndex extends r's bound by the box of everything a spatial
// index holds: its root node's.
func (r *Renderer) extendByIndex(ix *packedIndex) {
	if n := len(ix.nodes); n > 0 {
		r.bound.extend(ix.nodes[n-1].min)
		r.bound.extend(ix.nodes[n-1].max)
	}
}

// samePointers reports whether a and b hold the same elements: the same
// slice, or equal pointers one by one.
func samePointers[T any](a, b []*T) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameSlice reports whether a and b are equal, comparing elements only
// when they are not the same slice.
func sameSlice[T comparable](a, b []T) bool {
	if len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) {
		return true
	}
	return slices.Equal(a, b)
}

// newGrids returns the grids of cur that are not in prev (by pointer),
// both sorted by code; false when either is not sorted.
func newGrids(prev, cur []*geo.Grid) ([]*geo.Grid, bool) {
	byCode := func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) }
	if !slices.IsSortedFunc(prev, byCode) || !slices.IsSortedFunc(cur, byCode) {
		return nil, false
	}
	var out []*geo.Grid
	i := 0
	for _, g := range cur {
		for i < len(prev) && prev[i].Code < g.Code {
			i++
		}
		if i < len(prev) && prev[i] == g {
			continue
		}
		out = append(out, g)
	}
	return out, true
}

// checkedGeometry returns what checkGeometry must still check of r's
// city: everything, or, made from an earlier renderer (whose city was
// checked), only what is not the same as in that city.
func (r *Renderer) checkedGeometry() (units []*geo.Unit, grids []*geo.Grid, buildings []*geo.Building, stations []*geo.Station, streets []*geo.Street) {
	c := r.snap.City
	p := r.prev
	if p == nil {
		return c.Units, c.Grids, c.Buildings, c.Stations, c.Streets
	}
	pc := p.snap.City
	units, grids, buildings, stations, streets = c.Units, c.Grids, c.Buildings, c.Stations, c.Streets
	if samePointers(pc.Units, c.Units) {
		units = nil
	}
	if g, ok := newGrids(pc.Grids, c.Grids); ok {
		grids = g
	}
	if len(pc.Buildings) == len(c.Buildings) {
		buildings = nil
		for i, b := range c.Buildings {
			if pc.Buildings[i] != b {
				buildings = append(buildings, b)
			}
		}
	}
	if samePointers(pc.Stations, c.Stations) {
		stations = nil
	}
	if samePointers(pc.Streets, c.Streets) {
		streets = nil
	}
	return units, grids, buildings, stations, streets
}
