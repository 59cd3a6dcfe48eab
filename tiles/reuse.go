package tiles

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// A polygonReuse is what a renderer made from an earlier one
// (NewRendererFrom) takes from it for the polygons both versions hold:
// the earlier colours, and the tags and label points of every unit and
// grid that is the same one (units and grids are immutable, so the same
// pointer is the same polygon). The layers' dictionaries start as copies
// of the earlier ones (valueDict.extend), so copied tags keep their value
// indices and new values dedupe against old ones as in a whole build.
type polygonReuse struct {
	r, prev *Renderer
	fs      []topoFeature // the polygons now (their layer, index and key)
	pt      *topology     // the earlier topology
	// feats[i] is the earlier feature of the same unit or grid as
	// feature i, or -1; colourFrom[i] is the earlier feature of the same
	// id (whose colour the polygon keeps where it can), or -1.
	feats, colourFrom []int32
	// same says a layer has the earlier layer's fields.
	same [numLayers]bool
	// colour and coverage are the grids layer's field indices of the
	// colour and the coverage (-1 for none).
	colour, coverage int
	enc              []byte
}

// newPolygonReuse returns what r, being made from r.prev, reuses for the
// polygons srcs; nil when r is made from none, or when the polygons are
// not in code order (then r.prevLabels is set to the earlier renderer's
// labels instead).
func newPolygonReuse(r *Renderer, srcs []topoSource) *polygonReuse {
	p := r.prev
	if p == nil {
		return nil
	}
	fs := make([]topoFeature, len(srcs))
	for i, src := range srcs {
		fs[i] = topoFeature{layer: src.layer, index: src.index, key: src.key}
	}
	pt := p.levels.src.topo
	feats, colourFrom, ok := matchFeatures(p.snap, pt.features, fs)
	if !ok {
		r.prevLabels = p.labels
		return nil
	}
	u := &polygonReuse{r: r, prev: p, fs: fs, pt: pt, feats: feats, colourFrom: colourFrom, colour: -1, coverage: -1}
	for li, l := range r.layers {
		u.same[li] = slices.EqualFunc(l.info.Fields, p.layers[li].info.Fields, func(a, b Field) bool { return a.Name == b.Name })
	}
	for k, f := range r.layers[idxGrids].info.Fields {
		switch f.Name {
		case "color":
			u.colour = k
		case fieldCoverage.Name:
			u.coverage = k
		}
	}
	return u
}

// matchFeatures matches the features fs to pfs, the earlier snapshot
// ps's, by walking both in layer then code order: it returns, by feature
// of fs, the earlier feature of the same unit or grid and the earlier
// feature of the same id, each -1 for none. It reports false when either
// list is not in that order.
func matchFeatures(ps *geo.Snapshot, pfs, fs []topoFeature) (feats, colourFrom []int32, ok bool) {
	if !inCodeOrder(pfs) || !inCodeOrder(fs) {
		return nil, nil, false
	}
	feats, colourFrom = make([]int32, len(fs)), make([]int32, len(fs))
	o := 0
	for i, f := range fs {
		feats[i], colourFrom[i] = -1, -1
		for o < len(pfs) && cmpFeature(pfs[o], f) < 0 {
			o++
		}
		if o < len(pfs) && cmpFeature(pfs[o], f) == 0 {
			if pfs[o].key == f.key {
				feats[i] = int32(o)
			}
			if f.key.grid == nil || pfs[o].key.id() == f.key.id() {
				colourFrom[i] = int32(o)
			}
		}
		if g := f.key.grid; g != nil && colourFrom[i] < 0 {
			colourFrom[i] = gridFeature(ps, pfs, g.ID)
		}
	}
	return feats, colourFrom, true
}

// gridFeature returns the feature among pfs (snapshot ps's) of the grid
// with the given id, or -1.
func gridFeature(ps *geo.Snapshot, pfs []topoFeature, id geo.GridID) int32 {
	g, ok := ps.GridByID(id)
	if !ok {
		return -1
	}
	want := topoFeature{layer: idxGrids, key: labelKey{grid: g}}
	o, found := slices.BinarySearchFunc(pfs, want, cmpFeature)
	if !found || pfs[o].key.grid != g {
		return -1
	}
	return int32(o)
}

// code returns the polygon's code: the grid's or the unit's.
func (k labelKey) code() uint64 {
	if k.grid != nil {
		return uint64(k.grid.Code)
	}
	return uint64(k.unit.Code)
}

// cmpFeature orders features by layer, then code.
func cmpFeature(a, b topoFeature) int {
	return cmp.Or(cmp.Compare(a.layer, b.layer), cmp.Compare(a.key.code(), b.key.code()))
}

// inCodeOrder reports whether features are in strictly increasing layer
// then code order.
func inCodeOrder(fs []topoFeature) bool {
	for i := 1; i < len(fs); i++ {
		if cmpFeature(fs[i-1], fs[i]) >= 0 {
			return false
		}
	}
	return true
}

// before returns the earlier colours of every layer's polygons, for
// layerColours.
func (u *polygonReuse) before() *[numLayers][]int16 {
	var before [numLayers][]int16
	for i, f := range u.fs {
		c := int16(-1)
		if o := u.colourFrom[i]; o >= 0 {
			pf := u.pt.features[o]
			c = int16(u.prev.labels.cols[pf.layer][pf.index])
		}
		before[f.layer] = append(before[f.layer], c)
	}
	return &before
}

// extendDicts starts the polygon and label layers' dictionaries as copies
// of the earlier ones. u may be nil.
func (u *polygonReuse) extendDicts() {
	if u == nil {
		return
	}
	for _, li := range []int{idxDistricts, idxSubdistricts, idxCommunities, idxGrids, idxLabels} {
		u.r.layers[li].dict = u.prev.layers[li].dict.extend()
	}
}

// polygonTags returns the earlier packed tags of polygon feature i when
// they hold: a grid that is the same one, with the same colour and
// coverage. Units' counts change with their grids: they are made again.
func (u *polygonReuse) polygonTags(i, colour int) ([]byte, bool) {
	if u == nil || u.feats[i] < 0 || u.fs[i].layer != idxGrids || !u.same[idxGrids] {
		return nil, false
	}
	ol, j := u.prev.layers[idxGrids], u.pt.features[u.feats[i]].index
	if u.enc = appendEncoded(u.enc[:0], dictKey{u: uint64(colour), isNum: true}); !bytes.Equal(tagBytes(ol, j, u.colour), u.enc) {
		return nil, false
	}
	if u.coverage >= 0 {
		u.enc = u.enc[:0]
		if share, ok := u.r.opts.GridCoverage(u.fs[i].key.grid.Code); ok {
			if k, ok := shareKey(share); ok {
				u.enc = appendEncoded(u.enc, k)
			}
		}
		if !bytes.Equal(tagBytes(ol, j, u.coverage), u.enc) {
			return nil, false
		}
	}
	return ol.tags.get(j), true
}

// label returns the earlier label point and packed label tags of polygon
// feature i when it is the same unit or grid.
func (u *polygonReuse) label(i int) (wpt, []byte, bool) {
	if u == nil || u.feats[i] < 0 || !u.same[idxLabels] {
		return wpt{}, nil, false
	}
	ol, o := u.prev.layers[idxLabels], u.feats[i]
	return ol.pts[o], ol.tags.get(o), true
}

// tagBytes returns the encoded value of feature i of l for key, or nil.
func tagBytes(l *layer, i int32, key int) []byte {
	if v, ok := tagIndex(l, i, key); ok {
		return l.dict.value(v)
	}
	return nil
}

// knownPolygons returns whether the earlier renderer drew a polygon (so
// that it has an area), for collectPolygons; nil when r is made from
// none or the earlier polygons are not in code order. Asked in layer then
// code order, as collectPolygons asks, it walks the earlier polygons once.
func (r *Renderer) knownPolygons() func(layer int, k labelKey) bool {
	if r.prev == nil || !inCodeOrder(r.prev.levels.src.topo.features) {
		return nil
	}
	pfs := r.prev.levels.src.topo.features
	o := 0 // the earlier polygons before o come before the last one asked
	return func(layer int, k labelKey) bool {
		want := topoFeature{layer: layer, key: k}
		if o > 0 && cmpFeature(pfs[o-1], want) >= 0 {
			o, _ = slices.BinarySearchFunc(pfs, want, cmpFeature) // asked out of order
		}
		for o < len(pfs) && cmpFeature(pfs[o], want) < 0 {
			o++
		}
		if o < len(pfs) && cmpFeature(pfs[o], want) == 0 {
			o++
			return pfs[o-1].key == k
		}
		return false
	}
}

// box returns the earlier world box of polygon feature i, which must be
// the same unit or grid as an earlier one.
func (u *polygonReuse) box(i int) wbound {
	if u == nil || u.feats[i] < 0 {
		return emptyBound()
	}
	pf := u.pt.features[u.feats[i]]
	return u.prev.layers[pf.layer].boxes[pf.index]
}
