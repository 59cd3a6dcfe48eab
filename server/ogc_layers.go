package server

import (
	"strconv"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/cql2"
	"github.com/paulmach/orb"
)

// An ogcLayer is the features of one OGC API collection in one view, in
// the stable order of /v1/export (units and grids by code, the others by
// id): the order items are paged in.
type ogcLayer interface {
	// Len returns the number of features.
	Len() int
	// ID returns the i-th feature's id as the items URL names it.
	ID(i int) string
	// Index returns the position of the feature with this id.
	Index(id string) (int, bool)
	// Bound returns the bounding box of the i-th feature (WGS-84).
	Bound(i int) orb.Bound
	// Geometry returns the i-th feature's geometry (WGS-84).
	Geometry(i int) orb.Geometry
	// Property returns a property of the i-th feature, as /v1/export
	// writes it; KindNull when the feature has none.
	Property(i int, name string) cql2.Value
	// Append appends the i-th feature as GeoJSON with e.
	Append(b []byte, e *cityio.FeatureEncoder, i int) []byte
}

// A sliceLayer is an ogcLayer over a sorted slice of city objects.
type sliceLayer[T any] struct {
	xs    []*T
	id    func(*T) string
	geom  func(*T) orb.Geometry
	prop  func(*T, string) cql2.Value
	enc   func(*cityio.FeatureEncoder, []byte, *T) []byte
	index map[string]int
}

func newSliceLayer[T any](xs []*T, id func(*T) string, geom func(*T) orb.Geometry,
	prop func(*T, string) cql2.Value, enc func(*cityio.FeatureEncoder, []byte, *T) []byte) *sliceLayer[T] {
	l := &sliceLayer[T]{xs: xs, id: id, geom: geom, prop: prop, enc: enc, index: make(map[string]int, len(xs))}
	for i, x := range xs {
		l.index[id(x)] = i
	}
	return l
}

func (l *sliceLayer[T]) Len() int                    { return len(l.xs) }
func (l *sliceLayer[T]) ID(i int) string             { return l.id(l.xs[i]) }
func (l *sliceLayer[T]) Geometry(i int) orb.Geometry { return l.geom(l.xs[i]) }
func (l *sliceLayer[T]) Bound(i int) orb.Bound {
	if g := l.geom(l.xs[i]); g != nil {
		return g.Bound()
	}
	return orb.Bound{}
}
func (l *sliceLayer[T]) Property(i int, n string) cql2.Value { return l.prop(l.xs[i], n) }

func (l *sliceLayer[T]) Index(id string) (int, bool) {
	i, ok := l.index[id]
	return i, ok
}

func (l *sliceLayer[T]) Append(b []byte, e *cityio.FeatureEncoder, i int) []byte {
	return l.enc(e, b, l.xs[i])
}

// ogcLayers are the collections' layers of one view, built once.
type ogcLayers struct {
	byID map[string]ogcLayer
}

// ogcLayersOf returns v's collection layers, building them on first use.
func (v *view) ogcLayers() *ogcLayers {
	ls, _ := v.ogc.get(func() (ls *ogcLayers, _ error) {
		background(func() { ls = buildOGCLayers(v.snap) })
		return ls, nil
	})
	return ls
}

func buildOGCLayers(s *geo.Snapshot) *ogcLayers {
	c := s.City
	ls := &ogcLayers{byID: map[string]ogcLayer{}}
	for _, lv := range []struct {
		id    string
		level geo.Level
	}{{"districts", geo.LevelDistrict}, {"subdistricts", geo.LevelSubdistrict}, {"communities", geo.LevelCommunity}} {
		var us []*geo.Unit
		for _, u := range c.Units {
			if u != nil && u.Level() == lv.level {
				us = append(us, u)
			}
		}
		ls.byID[lv.id] = newSliceLayer(us, func(u *geo.Unit) string { return u.Code.Short() },
			unitGeometry, unitProp, (*cityio.FeatureEncoder).AppendUnit)
	}
	grids := newSliceLayer(c.Grids, func(g *geo.Grid) string { return strconv.FormatUint(uint64(g.ID), 10) },
		func(g *geo.Grid) orb.Geometry { return g.Geometry }, gridProp, (*cityio.FeatureEncoder).AppendGrid)
	buildings := newSliceLayer(c.Buildings, func(b *geo.Building) string { return strconv.FormatUint(uint64(b.ID), 10) },
		func(b *geo.Building) orb.Geometry { return b.Point }, buildingProp, (*cityio.FeatureEncoder).AppendBuilding)
	ls.byID["grids"], ls.byID["buildings"] = indexed(s, grids, buildings)
	ls.byID["stations"] = newSliceLayer(c.Stations, func(st *geo.Station) string { return strconv.FormatUint(uint64(st.ID), 10) },
		func(st *geo.Station) orb.Geometry { return st.Point }, stationProp, (*cityio.FeatureEncoder).AppendStation)
	ls.byID["streets"] = newSliceLayer(c.Streets, func(st *geo.Street) string { return strconv.FormatUint(uint64(st.ID), 10) },
		func(st *geo.Street) orb.Geometry { return st.Line }, streetProp, (*cityio.FeatureEncoder).AppendStreet)
	return ls
}

// unitGeometry returns a unit's area, nil for a unit with none.
func unitGeometry(u *geo.Unit) orb.Geometry {
	if len(u.Geometry) == 0 {
		return nil
	}
	return u.Geometry
}

func num(n int64) cql2.Value { return cql2.Number(float64(n)) }

// The property getters mirror cityio's encoder property by property;
// TestOGCPropertiesMatchExport holds them to it.

func unitProp(u *geo.Unit, name string) cql2.Value {
	switch name {
	case "code":
		return cql2.String(u.Code.Short())
	case "name":
		return cql2.String(u.Name)
	case "level":
		return cql2.String(u.Level().String())
	case "parent":
		if u.Level() != geo.LevelCity {
			return cql2.String(u.Code.Parent().Short())
		}
	}
	return cql2.Value{}
}

func gridProp(g *geo.Grid, name string) cql2.Value {
	switch name {
	case "id":
		return num(int64(g.ID))
	case "code":
		return cql2.String(g.Code.String())
	case "name":
		return cql2.String(g.Name)
	case "community":
		return cql2.String(g.Community().String())
	case "households":
		return num(int64(g.Households))
	case "buildings":
		return num(int64(g.Buildings))
	}
	return cql2.Value{}
}

func buildingProp(b *geo.Building, name string) cql2.Value {
	a := b.Address
	switch name {
	case "id":
		return num(int64(b.ID))
	case "address":
		return cql2.String(a.String())
	case "province":
		return cql2.String(a.Province)
	case "city":
		return cql2.String(a.City)
	case "district":
		return cql2.String(a.District)
	case "subdistrict":
		return cql2.String(a.Subdistrict)
	case "community":
		return cql2.String(a.Community)
	case "road":
		return cql2.String(a.Road)
	case "number":
		return num(int64(a.Number))
	case "estate":
		return cql2.String(a.Estate)
	case "building":
		return cql2.String(a.Building)
	case "units":
		return num(int64(b.Units))
	case "floors":
		return num(int64(b.Floors))
	case "households":
		return num(int64(b.Households))
	case "grid":
		return cql2.String(b.Grid.String())
	}
	return cql2.Value{}
}

func stationProp(s *geo.Station, name string) cql2.Value {
	switch name {
	case "id":
		return num(int64(s.ID))
	case "kind":
		return cql2.String(s.Kind.String())
	case "name":
		return cql2.String(s.Name)
	case "unit":
		return cql2.String(s.Unit.Short())
	case "community":
		if s.Kind == geo.StationCommunity {
			return cql2.String(s.Unit.String())
		}
	}
	return cql2.Value{}
}

func streetProp(s *geo.Street, name string) cql2.Value {
	switch name {
	case "id":
		return num(int64(s.ID))
	case "name":
		return cql2.String(s.Name)
	case "class":
		return cql2.String(s.Class)
	}
	return cql2.Value{}
}

// An ogcSearcher finds the features whose bounds may intersect a box
// through a spatial index, faster than a scan.
type ogcSearcher interface {
	// search calls fn with the position of every feature whose bounding
	// box intersects b (and maybe a few more), each once.
	search(b orb.Bound, fn func(i int))
}

// gridLayer is the grids collection, searched through the snapshot's
// point-in-grid R-tree.
type gridLayer struct {
	*sliceLayer[geo.Grid]
	loc *geo.Locator
	pos map[geo.GridID]int
}

func (l *gridLayer) search(b orb.Bound, fn func(i int)) {
	l.loc.Search(b, func(g *geo.Grid) bool {
		if i, ok := l.pos[g.ID]; ok {
			fn(i)
		}
		return true
	})
}

// buildingLayer is the buildings collection, searched through the grids
// that hold them: a building lies inside its grid's bounding box.
type buildingLayer struct {
	*sliceLayer[geo.Building]
	snap *geo.Snapshot
	pos  map[geo.BuildingID]int
}

func (l *buildingLayer) search(b orb.Bound, fn func(i int)) {
	l.snap.Locator().Search(b, func(g *geo.Grid) bool {
		for _, bl := range l.snap.BuildingsIn(g.Code) {
			if i, ok := l.pos[bl.ID]; ok && b.Contains(bl.Point) {
				fn(i)
			}
		}
		return true
	})
}

// indexed wraps the grids and buildings layers with their searchers.
func indexed(s *geo.Snapshot, grids *sliceLayer[geo.Grid], bs *sliceLayer[geo.Building]) (ogcLayer, ogcLayer) {
	gl := &gridLayer{sliceLayer: grids, loc: s.Locator(), pos: make(map[geo.GridID]int, len(grids.xs))}
	for i, g := range grids.xs {
		gl.pos[g.ID] = i
	}
	bl := &buildingLayer{sliceLayer: bs, snap: s, pos: make(map[geo.BuildingID]int, len(bs.xs))}
	for i, b := range bs.xs {
		bl.pos[b.ID] = i
	}
	return gl, bl
}
