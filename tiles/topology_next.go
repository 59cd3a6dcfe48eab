package tiles

import (
	"slices"
)

// A grid edit changes the rings of a few grids; every other polygon keeps
// its rings, and every vertex that none of the changed rings holds keeps
// its junction state, so the arcs away from the edit stay as they were.
// nextTopology therefore cuts again only the rings that hold a vertex of
// a changed ring, and keeps every other feature's arcs, by the same ids:
// the arcs stay in the earlier topology's slab (shared, never modified),
// the new ones follow them, and arcs no feature uses any more stay behind
// as dead until a whole build (when too many pile up) drops them. Its
// features walk exactly the arcs, in the same directions and from the
// same starts, that buildTopology would give them.

// maxDeadShare and maxExtraShare bound, as fractions of all arcs, the
// dead arcs and the arcs after the shared slab that a topology made by
// nextTopology may hold; past them the topology is built whole again.
const (
	maxDeadShare  = 8  // at most one arc in 8 dead
	maxExtraShare = 16 // at most one arc in 16 outside the shared slab
)

// nextTopology makes the topology of srcs from pt, the earlier version's,
// where feats[i] is the earlier feature of the same unit or grid as
// source i (-1 for none). It returns nil when the topology is to be built
// whole instead, and otherwise the match of its arcs and features to
// pt's (arc ids are pt's own; arcs from pt.arcs.len() on are new).
//
// The sources' polys may be nil but for the sources with no earlier
// feature: project(i) fills in source i's, and box(i) returns the earlier
// box of a source with an earlier feature, so that only the polygons near
// the edit are projected.
func nextTopology(pt *topology, srcs []topoSource, feats []int32, project func(i int) [][][]wpt, box func(i int) wbound) (*topology, *arcMatch) {
	n := pt.arcs.len()
	if pt.dead*maxDeadShare > n || pt.arcs.base != nil && len(pt.arcs.ends)*maxExtraShare > n {
		return nil, nil
	}
	nt := &nextTopo{pt: pt, srcs: srcs, feats: feats, touched: map[wpt]bool{}, project: project, boxOf: box}
	nt.findChanged()
	t := nt.cut()
	if t == nil {
		return nil, nil
	}
	return t, nt.match()
}

// A nextTopo is the state of one nextTopology run.
type nextTopo struct {
	pt       *topology
	srcs     []topoSource
	feats    []int32
	removed  []int32      // pt's features with no source now
	touched  map[wpt]bool // the vertices of the removed and added rings
	box      wbound       // their box
	recut    []bool       // by source: its rings are cut again
	prevKeys map[[2]wpt]arcRef
	project  func(i int) [][][]wpt
	boxOf    func(i int) wbound
}

// findChanged finds the vertices of the changed rings and the sources
// whose rings hold one of them.
func (nt *nextTopo) findChanged() {
	nt.box = emptyBound()
	touch := func(p wpt) {
		nt.touched[p] = true
		nt.box.extend(p)
	}
	kept := make([]bool, len(nt.pt.features))
	for _, o := range nt.feats {
		if o >= 0 {
			kept[o] = true
		}
	}
	for o, k := range kept {
		if !k {
			nt.removed = append(nt.removed, int32(o))
			nt.pt.walkArcs(int32(o), func(a int32) {
				for _, p := range nt.pt.arcs.at(int(a)) {
					touch(p)
				}
			})
		}
	}
	nt.recut = make([]bool, len(nt.srcs))
	for i, o := range nt.feats {
		if o < 0 {
			nt.recut[i] = true
			forVertices(nt.project(i), touch)
		}
	}
	for i, o := range nt.feats {
		if o >= 0 && nt.boxOf(i).meets(nt.box) {
			forVertices(nt.project(i), func(p wpt) {
				if !nt.recut[i] && nt.box.meets(wbound{p, p}) && nt.touched[p] {
					nt.recut[i] = true
				}
			})
		}
	}
}

// forVertices calls f with every vertex of polys.
func forVertices(polys [][][]wpt, f func(wpt)) {
	for _, poly := range polys {
		for _, ring := range poly {
			for _, p := range ring {
				f(p)
			}
		}
	}
}

// walkArcs calls f with every arc of feature fi's rings.
func (t *topology) walkArcs(fi int32, f func(a int32)) {
	for _, poly := range t.features[fi].polys {
		for _, ring := range poly {
			for _, r := range ring {
				f(r.id())
			}
		}
	}
}

// cut makes the topology: the rings to cut again are cut at the
// junctions, found again for the touched vertices and kept for the
// others; every other feature keeps its earlier rings. It returns nil
// when an arc that should be an earlier one is not found.
func (nt *nextTopo) cut() *topology {
	pt := nt.pt
	t := &topology{loose: slices.Clip(pt.loose), dead: pt.dead}
	if pt.arcs.base != nil {
		t.arcs = chains{base: pt.arcs.base, pts: slices.Clip(pt.arcs.pts), ends: slices.Clip(pt.arcs.ends)}
	} else {
		t.arcs = chains{base: &chains{pts: pt.arcs.pts, ends: pt.arcs.ends}}
	}
	junction := nt.junctions()
	keys := map[[2]wpt]arcRef{}
	t.features = make([]topoFeature, len(nt.srcs))
	ok := true
	for i, src := range nt.srcs {
		f := topoFeature{layer: src.layer, index: src.index, key: src.key}
		if !nt.recut[i] {
			f.polys = pt.features[nt.feats[i]].polys
			t.features[i] = f
			continue
		}
		for _, poly := range src.polys {
			tp := make(topoPolygon, 0, len(poly))
			for _, ring := range poly {
				var tr topoRing
				splitRing(ring, junction, func(arc []wpt, loose bool) {
					r, found := nt.arcFor(t, arc, loose, keys)
					ok = ok && found
					tr = append(tr, r)
				})
				tp = append(tp, tr)
			}
			f.polys = append(f.polys, tp)
		}
		t.features[i] = f
	}
	if !ok {
		return nil
	}
	t.dead += nt.countDead(t)
	t.arcs.seal()
	x := pt.arcIndex()
	t.boxes.index = x.index
	t.boxes.extra = slices.Clip(x.extra)
	if pt.arcs.base == nil {
		t.boxes.extra = nil
	}
	for a := pt.arcs.len(); a < t.arcs.len(); a++ {
		t.boxes.extra = append(t.boxes.extra, t.arcBound(int32(a)))
	}
	return t
}

// junctions returns the junction test of the rings cut again: for a
// touched vertex, found again from every ring now holding it (all of
// them are cut again); for any other, as before: the ends of the
// earlier arcs but of those that are a whole ring with no junction.
func (nt *nextTopo) junctions() func(wpt) bool {
	pt := nt.pt
	nb := make(map[wpt]*neighbours)
	for i, src := range nt.srcs {
		if nt.recut[i] {
			for _, poly := range src.polys {
				for _, ring := range poly {
					markJunctions(nb, ring)
				}
			}
		}
	}
	was := map[wpt]bool{}
	nt.prevKeys = map[[2]wpt]arcRef{}
	addArc := func(a int32) {
		arc := pt.arcs.at(int(a))
		last := len(arc) - 1
		if _, loose := slices.BinarySearch(pt.loose, a); !loose {
			was[arc[0]], was[arc[last]] = true, true
		}
		nt.prevKeys[[2]wpt{arc[0], arc[1]}] = arcRef(a)
	}
	for i, o := range nt.feats {
		if o >= 0 && nt.recut[i] {
			pt.walkArcs(o, addArc)
		}
	}
	for _, o := range nt.removed {
		pt.walkArcs(o, addArc)
	}
	var revs [][2]wpt
	var refs []arcRef
	for _, r := range nt.prevKeys {
		arc := pt.arcs.at(int(r))
		last := len(arc) - 1
		if rev := [2]wpt{arc[last], arc[last-1]}; !hasKey(nt.prevKeys, rev) {
			revs, refs = append(revs, rev), append(refs, ^r)
		}
	}
	for i, rev := range revs {
		if !hasKey(nt.prevKeys, rev) {
			nt.prevKeys[rev] = refs[i]
		}
	}
	return func(p wpt) bool {
		if nt.touched[p] {
			return nb[p].junction
		}
		return was[p]
	}
}

// arcFor returns the reference to arc, a chain of a ring cut again, as
// topology.arcFor finds or adds it in a whole build: an arc this run
// already met, else the earlier arc with these points, kept when its
// stored direction is the one a whole build would store (a touched arc
// is stored in the direction of the first ring walking it, and every
// ring walking it is cut again, in order, in this run), else a new arc.
// It reports false when an untouched chain, which must be an earlier
// arc, is none.
func (nt *nextTopo) arcFor(t *topology, arc []wpt, loose bool, keys map[[2]wpt]arcRef) (arcRef, bool) {
	if r, ok := keys[[2]wpt{arc[0], arc[1]}]; ok {
		return r, true
	}
	touched := slices.ContainsFunc(arc, func(p wpt) bool { return nt.touched[p] })
	if r, ok := nt.prevKeys[[2]wpt{arc[0], arc[1]}]; ok && (!touched || r >= 0) && sameArc(nt.pt, r, arc) {
		remember(keys, arc, r)
		return r, true
	}
	if !touched {
		return 0, false
	}
	id := arcRef(t.arcs.len())
	t.arcs.add(arc)
	if loose {
		t.loose = append(t.loose, int32(id))
	}
	remember(keys, arc, id)
	return id, true
}

// remember records that a ring walks arc as reference r, as
// topology.arcFor does.
func remember(keys map[[2]wpt]arcRef, arc []wpt, r arcRef) {
	last := len(arc) - 1
	keys[[2]wpt{arc[0], arc[1]}] = r
	if _, ok := keys[[2]wpt{arc[last], arc[last-1]}]; !ok {
		keys[[2]wpt{arc[last], arc[last-1]}] = ^r
	}
}

// sameArc reports whether reference r of t walks exactly the points of
// arc.
func sameArc(t *topology, r arcRef, arc []wpt) bool {
	a := t.arcs.at(int(r.id()))
	if len(a) != len(arc) {
		return false
	}
	if r >= 0 {
		return slices.Equal(a, arc)
	}
	for i, p := range arc {
		if a[len(a)-1-i] != p {
			return false
		}
	}
	return true
}

// countDead returns how many of the earlier arcs that the removed and
// cut rings walked no cut ring walks now: the arcs this run leaves dead.
func (nt *nextTopo) countDead(t *topology) int {
	was := map[int32]bool{}
	for i, o := range nt.feats {
		if o >= 0 && nt.recut[i] {
			nt.pt.walkArcs(o, func(a int32) { was[a] = true })
		}
	}
	for _, o := range nt.removed {
		nt.pt.walkArcs(o, func(a int32) { was[a] = true })
	}
	for i, rc := range nt.recut {
		if rc {
			t.walkArcs(int32(i), func(a int32) { delete(was, a) })
		}
	}
	return len(was)
}

// match returns the match of t's arcs and features to the earlier
// topology's: every earlier arc keeps its id.
func (nt *nextTopo) match() *arcMatch {
	return &arcMatch{same: int32(nt.pt.arcs.len()), feats: nt.feats, goneFeats: nt.removed}
}

// hasKey reports whether keys holds k.
func hasKey(keys map[[2]wpt]arcRef, k [2]wpt) bool {
	_, ok := keys[k]
	return ok
}
