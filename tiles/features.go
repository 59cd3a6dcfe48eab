package tiles

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// The indices of the layers in the table returned by Layers.
const (
	idxDistricts = iota
	idxSubdistricts
	idxCommunities
	idxGrids
	idxStreets
	idxBuildings
	idxStations
	idxLabels
	numLayers
)

// A feature is one feature of a layer, ready to encode.
type feature struct {
	id      uint64
	tags    []uint32 // key index, dictionary value index pairs
	minZoom uint32
	ref     int32 // polygon layers: topology feature; streets: line index
	pt      wpt   // point layers: the point
}

// A layer is one layer's features, their value dictionary and an R-tree of
// their world boxes (items are indices into feats).
type layer struct {
	info  LayerInfo
	dict  valueDict
	feats []feature
	index rtree.RTreeGN[float64, int32]
}

// add appends a feature with its world box to the layer.
func (l *layer) add(f feature, b wbound) {
	l.index.Insert(b.min, b.max, int32(len(l.feats)))
	l.feats = append(l.feats, f)
}

// props starts the properties of a feature of this layer.
func (l *layer) props() *propBuilder { return &propBuilder{info: &l.info, dict: &l.dict} }

// A polySource is a polygon feature waiting for its properties: its unit or
// grid and its projected rings.
type polySource struct {
	layer int
	unit  *geo.Unit
	grid  *geo.Grid
	rings [][][]wpt
}

// collectPolygons gathers the districts, subdistricts, communities and
// grids of the snapshot that have an area, in layer order then code order.
func collectPolygons(s *geo.Snapshot) []polySource {
	var out []polySource
	for li, lvl := range []geo.Level{geo.LevelDistrict, geo.LevelSubdistrict, geo.LevelCommunity} {
		for _, u := range s.City.Units {
			if u.Level() != lvl || len(u.Geometry) == 0 {
				continue
			}
			if rings := projectPolygons(u.Geometry); len(rings) > 0 {
				out = append(out, polySource{layer: idxDistricts + li, unit: u, rings: rings})
			}
		}
	}
	for _, g := range s.City.Grids {
		if rings := projectPolygons(g.Geometry); len(rings) > 0 {
			out = append(out, polySource{layer: idxGrids, grid: g, rings: rings})
		}
	}
	return out
}

// checkFinite rejects coordinates that are NaN or infinite.
func checkFinite(pts ...orb.Point) error {
	for _, p := range pts {
		if math.IsNaN(p[0]+p[1]) || math.IsInf(p[0]+p[1], 0) {
			return fmt.Errorf("coordinate %v is not finite", p)
		}
	}
	return nil
}

// polygonBound returns the world box of projected polygons.
func polygonBound(rings [][][]wpt) wbound {
	b := emptyBound()
	for _, poly := range rings {
		for _, p := range poly[0] {
			b.extend(p)
		}
	}
	return b
}

// largestPolygon returns the polygon of largest exterior area.
func largestPolygon(rings [][][]wpt) [][]wpt {
	best, bestA := 0, -1.0
	for i, poly := range rings {
		if a := math.Abs(ringArea(poly[0])); a > bestA {
			best, bestA = i, a
		}
	}
	return rings[best]
}

// labelZoom returns the first zoom of the label of a polygon layer.
func labelZoom(layer int) uint32 {
	switch layer {
	case idxDistricts:
		return labelZoomDistrict
	case idxSubdistricts:
		return labelZoomSubdistrict
	case idxCommunities:
		return labelZoomCommunity
	}
	return labelZoomGrid
}
