package tiles

import "slices"

// An edit changes a few polygons and their label points; every other
// feature of a polygon or label layer keeps its box. A layer made from an
// earlier version's therefore shares that layer's spatial index, built
// whole once, and finds through it the features that kept their boxes
// (their indices now may differ: a split inserts a grid) and by a scan
// the few others; past a bound on those the index is built whole again.

// maxIndexExtraMin and maxIndexExtraShare bound the features a shared
// index does not find: at most the larger of maxIndexExtraMin and one in
// maxIndexExtraShare.
const (
	maxIndexExtraMin   = 64
	maxIndexExtraShare = 64
)

// An indexPatch finds a layer's features through the spatial index of
// an earlier version's layer (the layer's index field, shared).
type indexPatch struct {
	toNow []int32 // by feature of the shared index: that feature now, or -1
	pts   []wpt   // point layers: the points of the shared index's features
	extra []int32 // the features now the shared index does not find, sorted
}

// An indexBase is what a layer's index may be patched from: the same
// layer of an earlier version, and by feature now its feature there (-1
// for none).
type indexBase struct {
	prev   *layer
	prevOf []int32
}

// patchIndex makes l's index from its base's when few of l's features
// moved or are new, reporting whether it did.
func (l *layer) patchIndex(base *indexBase) bool {
	if base == nil {
		return false
	}
	ol := base.prev
	if ol == nil || !ol.sealed || len(base.prevOf) != l.len() {
		return false
	}
	nowOf := make([]int32, ol.len())
	for j := range nowOf {
		nowOf[j] = -1
	}
	for i, j := range base.prevOf {
		if j >= 0 && l.sameBox(int32(i), ol, j) {
			nowOf[j] = int32(i)
		}
	}
	p := &indexPatch{toNow: make([]int32, len(ol.index.order)), pts: ol.pts}
	if op := ol.patch; op != nil {
		p.pts = op.pts
	}
	reached := make([]bool, l.len())
	for b := range p.toNow {
		j := int32(b)
		if op := ol.patch; op != nil {
			j = op.toNow[b]
		}
		i := int32(-1)
		if j >= 0 {
			i = nowOf[j]
		}
		p.toNow[b] = i
		if i >= 0 {
			reached[i] = true
		}
	}
	limit := max(maxIndexExtraMin, l.len()/maxIndexExtraShare)
	for i, ok := range reached {
		if !ok {
			if len(p.extra) == limit {
				return false
			}
			p.extra = append(p.extra, int32(i))
		}
	}
	if l.info.kind != kindPoint {
		p.pts = nil
	}
	l.index, l.patch = ol.index, p
	return true
}

// sameBox reports whether feature i of l has the box (or point) of
// feature j of ol.
func (l *layer) sameBox(i int32, ol *layer, j int32) bool {
	if l.info.kind == kindPoint {
		return l.pts[i] == ol.pts[j]
	}
	return l.boxes[i] == ol.boxes[j]
}

// search appends to buf the features of l whose boxes meet q, found
// through the shared index and the extra features, in no particular
// order. stack is scratch space, returned for reuse.
func (p *indexPatch) search(l *layer, q wbound, buf, stack []int32) ([]int32, []int32) {
	start := len(buf)
	buf, stack = l.index.search(q, p.pts, buf, stack)
	k := start
	for _, b := range buf[start:] {
		if i := p.toNow[b]; i >= 0 {
			buf[k] = i
			k++
		}
	}
	buf = buf[:k]
	for _, i := range p.extra {
		if l.meets(i, q) {
			buf = append(buf, i)
		}
	}
	return buf, stack
}

// meets reports whether feature i's box (or point) meets q.
func (l *layer) meets(i int32, q wbound) bool {
	if l.info.kind == kindPoint {
		pt := l.pts[i]
		return !(q.min[0] > pt[0] || q.max[0] < pt[0] || q.min[1] > pt[1] || q.max[1] < pt[1])
	}
	return l.boxes[i].meets(q)
}

// indexBases returns, for the polygon and label layers, what their
// indices may be patched from: the earlier layers and, by feature now,
// the feature there of the same unit or grid. u may be nil.
func (u *polygonReuse) indexBases() [numLayers]indexBase {
	var bases [numLayers]indexBase
	if u == nil {
		return bases
	}
	for _, li := range []int{idxDistricts, idxSubdistricts, idxCommunities, idxGrids, idxLabels} {
		bases[li].prev = u.prev.layers[li]
	}
	for i, f := range u.fs {
		b := &bases[f.layer]
		o := u.feats[i]
		j := int32(-1)
		if o >= 0 {
			j = u.pt.features[o].index
		}
		b.prevOf = append(b.prevOf, j)
		bases[idxLabels].prevOf = append(bases[idxLabels].prevOf, o)
	}
	for li := range bases {
		bases[li].prevOf = slices.Clip(bases[li].prevOf)
	}
	return bases
}
