package tiles

import (
	"sync"

	"github.com/gridmap/gridmap/geo"
)

// Labels are a renderer's label points and colours by polygon (unit or
// grid). A label point depends on the polygon's geometry alone, and units
// and grids are immutable, so a renderer of the next version reuses those
// of every polygon the versions share; colours are kept where still valid
// (colour.go). The renderer keeps them in flat tables by topology feature;
// the maps by polygon that NewRendererLabels looks them up in are made on
// first use.
type Labels struct {
	once    sync.Once
	m       map[labelKey]wpt
	colours map[colourKey]uint8
	// feats are the polygons, pts their label points (by topology
	// feature) and cols their colours (by layer and index in the layer).
	feats []topoFeature
	pts   []wpt
	cols  [numLayers][]uint8
}

// A labelKey names a polygon: exactly one of unit and grid is set.
type labelKey struct {
	unit *geo.Unit
	grid *geo.Grid
}

// id returns the polygon's feature id: the grid's id or the unit's code.
func (k labelKey) id() uint64 {
	if k.grid != nil {
		return uint64(k.grid.ID)
	}
	return uint64(k.unit.Code)
}

// Labels returns the renderer's label points, for NewRendererLabels.
func (r *Renderer) Labels() *Labels { return r.labels }

// maps makes the maps by polygon from the tables, once; maps set by hand
// (tests) are kept.
func (ls *Labels) maps() {
	ls.once.Do(func() {
		if ls.m != nil || ls.colours != nil {
			return
		}
		ls.m = make(map[labelKey]wpt, len(ls.feats))
		ls.colours = make(map[colourKey]uint8, len(ls.feats))
		for i, f := range ls.feats {
			ls.m[f.key] = ls.pts[i]
			ls.colours[colourKey{f.layer, f.key.id()}] = ls.cols[f.layer][f.index]
		}
	})
}

// pointMap returns the label points by polygon.
func (ls *Labels) pointMap() map[labelKey]wpt {
	ls.maps()
	return ls.m
}

// colourMap returns the colours by polygon.
func (ls *Labels) colourMap() map[colourKey]uint8 {
	ls.maps()
	return ls.colours
}

// at returns the label point of the polygon k, if ls has it; ls may be nil.
func (ls *Labels) at(k labelKey) (wpt, bool) {
	if ls == nil {
		return wpt{}, false
	}
	pt, ok := ls.pointMap()[k]
	return pt, ok
}

// colour returns the colour an earlier renderer gave polygon k; a nil
// Labels (no earlier renderer) knows none.
func (ls *Labels) colour(k colourKey) (uint8, bool) {
	if ls == nil {
		return 0, false
	}
	c, ok := ls.colourMap()[k]
	return c, ok
}
