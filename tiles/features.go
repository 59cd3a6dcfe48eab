package tiles

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
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

// A feature is one feature handed to layer.add.
type feature struct {
	id      uint64
	tags    []uint32 // key index, dictionary value index pairs
	minZoom uint32
	ref     int32 // polygon layers: topology feature; streets: line index
	pt      wpt   // point layers: the point
}

// A layer is one layer's features, their value dictionary and a spatial
// index of their world boxes. The features are stored column by column,
// each column one slice indexed by feature, so that a feature costs a few
// dozen bytes and the garbage collector has few pointers to scan.
type layer struct {
	info    LayerInfo
	dict    valueDict
	ids     []uint64
	minZoom []uint8 // every zoom is below 256
	refs    []int32 // polygon and line layers: see feature.ref
	pts     []wpt   // point layers: the point
	tags    tagTable
	index   packedIndex
	patch   *indexPatch // set when index is an earlier version's, shared
	boxes   []wbound    // polygon and line layers: the feature boxes
	sealed  bool        // sealed, or made sealed (patchBuildings): seal leaves it
}

// add appends a feature with its world box to the layer.
func (l *layer) add(f feature, b wbound) {
	l.addColumns(f, b)
	l.tags.add(f.tags)
}

// addPacked is add for a feature whose tags are already packed (copied
// from an earlier version's layer with the same dictionary indices).
func (l *layer) addPacked(f feature, packed []byte, b wbound) {
	l.addColumns(f, b)
	l.tags.addPacked(packed)
}

// addColumns appends a feature's columns but its tags.
func (l *layer) addColumns(f feature, b wbound) {
	l.ids = append(l.ids, f.id)
	l.minZoom = append(l.minZoom, uint8(f.minZoom))
	if l.info.kind == kindPoint {
		l.pts = append(l.pts, f.pt)
	} else {
		l.refs = append(l.refs, f.ref)
		l.boxes = append(l.boxes, b)
	}
}

// len returns the number of features.
func (l *layer) len() int { return len(l.ids) }

// seal builds the spatial index, or patches base's (see patchIndex), and
// trims the columns once every feature is in.
func (l *layer) seal(base *indexBase) {
	if l.sealed {
		return
	}
	l.dict.seal()
	l.ids, l.minZoom = trimmed(l.ids), trimmed(l.minZoom)
	l.refs, l.pts = trimmed(l.refs), trimmed(l.pts)
	l.tags.seal()
	l.boxes = trimmed(l.boxes)
	switch {
	case l.patchIndex(base):
	case l.info.kind == kindPoint:
		l.index = buildIndex(len(l.pts), func(i int) wbound { return wbound{l.pts[i], l.pts[i]} }, true)
	default:
		l.index = buildIndex(len(l.boxes), func(i int) wbound { return l.boxes[i] }, false)
	}
	l.sealed = true
}

// reserve gives l's columns room for as many features and tag bytes as
// prev, the same layer of an earlier version, holds, and a sixteenth
// more.
func (l *layer) reserve(prev *layer) {
	n := prev.len() + prev.len()/16
	l.ids, l.minZoom = make([]uint64, 0, n), make([]uint8, 0, n)
	if l.info.kind == kindPoint {
		l.pts = make([]wpt, 0, n)
	} else {
		l.refs, l.boxes = make([]int32, 0, n), make([]wbound, 0, n)
	}
	l.tags.reserve(&prev.tags)
}

// props starts the properties of a feature of this layer.
func (l *layer) props() *propBuilder { return &propBuilder{info: &l.info, dict: &l.dict} }

// A polySource is a polygon feature waiting for its properties: its unit or
// grid and its projected rings (nil until project when the polygon is
// known to have an area).
type polySource struct {
	layer int
	unit  *geo.Unit
	grid  *geo.Grid
	rings [][][]wpt
}

// project projects the polygon's rings if they are not yet.
func (src *polySource) project() [][][]wpt {
	if src.rings == nil {
		if src.grid != nil {
			src.rings = projectPolygons(src.grid.Geometry)
		} else {
			src.rings = projectPolygons(src.unit.Geometry)
		}
	}
	return src.rings
}

// collectPolygons gathers the districts, subdistricts, communities and
// grids of the snapshot that have an area, in layer order then code
// order. Those known (nil for none) says have one, a renderer of an
// earlier version having drawn them, are left unprojected.
func collectPolygons(s *geo.Snapshot, known func(layer int, k labelKey) bool) []polySource {
	out := make([]polySource, 0, len(s.City.Units)+len(s.City.Grids))
	add := func(src polySource) {
		if known != nil && known(src.layer, labelKey{unit: src.unit, grid: src.grid}) {
			out = append(out, src)
		} else if len(src.project()) > 0 {
			out = append(out, src)
		}
	}
	for li, lvl := range []geo.Level{geo.LevelDistrict, geo.LevelSubdistrict, geo.LevelCommunity} {
		for _, u := range s.City.Units {
			if u.Level() == lvl && len(u.Geometry) > 0 {
				add(polySource{layer: idxDistricts + li, unit: u})
			}
		}
	}
	for _, g := range s.City.Grids {
		add(polySource{layer: idxGrids, grid: g})
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
