package tiles

import (
	"slices"
	"sync"
)

// A renderer built from an earlier version's (NewRendererFrom) patches
// each zoom's generalised geometry from that version's rather than
// building it whole: a grid edit changes the arcs of the grids it touches
// and their neighbours, and the simplification of an arc depends only on
// its points, its tolerance and the arcs it would cross. patchLevel
// redoes the refinement rounds for the arcs that changed and the arcs
// whose rounds they change, rebuilds the polygons that use any of them,
// and copies every other polygon. The result is the level buildLevel
// would build.

// An arcMatch maps the arcs of a topology to an earlier one's: the
// earlier arc with the same points in the same order, or -1 (oldArc),
// and back (newArc); and feats[f] is the earlier feature of the same unit
// or grid, or -1.
type arcMatch struct {
	// old[a] is arc a's earlier twin and toNew[o] earlier arc o's twin
	// now, each -1 for none; both are nil when every arc below same is
	// its own twin and no other arc has one (nextTopology keeps the
	// earlier arcs' ids).
	old, toNew []int32
	same       int32
	feats      []int32
	// goneFeats lists the earlier features with no feature now.
	goneFeats []int32
}

// oldArc returns arc a's earlier twin, or -1.
func (m *arcMatch) oldArc(a int32) int32 {
	if m.old != nil {
		return m.old[a]
	}
	if a < m.same {
		return a
	}
	return -1
}

// newArc returns earlier arc o's twin now, or -1.
func (m *arcMatch) newArc(o int32) int32 {
	if m.toNew != nil {
		return m.toNew[o]
	}
	if o < m.same {
		return o
	}
	return -1
}

// matchTopologies matches t's arcs and features to prev's.
func matchTopologies(prev, t *topology) *arcMatch {
	m := &arcMatch{old: make([]int32, t.arcs.len()), feats: make([]int32, len(t.features)),
		toNew: make([]int32, prev.arcs.len())}
	byStart := make(map[[2]wpt]int32, prev.arcs.len())
	for a := range prev.arcs.len() {
		arc := prev.arcs.at(a)
		byStart[[2]wpt{arc[0], arc[1]}] = int32(a)
		m.toNew[a] = -1
	}
	for a := range t.arcs.len() {
		arc := t.arcs.at(a)
		m.old[a] = -1
		if o, ok := byStart[[2]wpt{arc[0], arc[1]}]; ok && slices.Equal(prev.arcs.at(int(o)), arc) && m.toNew[o] < 0 {
			m.old[a], m.toNew[o] = o, int32(a)
		}
	}
	byKey := make(map[labelKey]int32, len(prev.features))
	for i, f := range prev.features {
		byKey[f.key] = int32(i)
	}
	for i, f := range t.features {
		m.feats[i] = -1
		if o, ok := byKey[f.key]; ok {
			m.feats[i] = o
			delete(byKey, f.key)
		}
	}
	for _, o := range byKey {
		m.goneFeats = append(m.goneFeats, o)
	}
	return m
}

// sameRings reports whether feature f of t walks, arc for arc, the arcs
// its earlier feature walked.
func (m *arcMatch) sameRings(prev, t *topology, f int) bool {
	o := m.feats[f]
	if o < 0 {
		return false
	}
	a, b := t.features[f].polys, prev.features[o].polys
	if len(a) != len(b) {
		return false
	}
	for p := range a {
		if len(a[p]) != len(b[p]) {
			return false
		}
		for r := range a[p] {
			if len(a[p][r]) != len(b[p][r]) {
				return false
			}
			for i, ref := range a[p][r] {
				old := b[p][r][i]
				if (ref < 0) != (old < 0) || m.oldArc(ref.id()) != old.id() {
					return false
				}
			}
		}
	}
	return true
}

// arcBoxes is a packed index of a topology's arcs by their world boxes,
// built once, for finding the arcs near a changed one. A topology made
// from an earlier one (nextTopology) shares the earlier index, which
// covers its first arcs, and lists the boxes of the arcs after them.
type arcBoxes struct {
	once  sync.Once
	index *packedIndex
	extra []wbound // the boxes of the arcs after those index holds
}

// arcIndex returns t's arc boxes, building the index on first use.
func (t *topology) arcIndex() *arcBoxes {
	x := &t.boxes
	x.once.Do(func() {
		if x.index != nil {
			return
		}
		boxes := make([]wbound, t.arcs.len())
		for a := range boxes {
			boxes[a] = t.arcBound(int32(a))
		}
		ix := buildIndex(len(boxes), func(i int) wbound { return boxes[i] }, false)
		x.index = &ix
	})
	return x
}

// near appends to buf the arcs whose boxes meet b.
func (t *topology) near(b wbound, buf []int32) []int32 {
	x := t.arcIndex()
	buf, _ = x.index.search(b, nil, buf, nil)
	first := int32(len(x.index.order))
	for i, eb := range x.extra {
		if eb.meets(b) {
			buf = append(buf, first+int32(i))
		}
	}
	return buf
}

// arcBound returns the world box of arc a.
func (t *topology) arcBound(a int32) wbound {
	b := emptyBound()
	for _, p := range t.arcs.at(int(a)) {
		b.extend(p)
	}
	return b
}

// A levelPatch is the state of one patchLevel run.
type levelPatch struct {
	prev     *level
	pt, t    *topology
	m        *arcMatch
	scale    float64
	tol      float64
	want     []bool
	oldHist  []history // by earlier arc
	hist     []history // by arc, as the rounds are evaluated
	inDelta  []bool
	delta    []int32 // the arcs whose rounds are evaluated again
	oldBad   []int32 // arcs (now) in conflict at some earlier round
	keep     []bool  // simplifyArc scratch
	nearBuf  []int32
	seenNear []int32 // neighbours marked in nearMark, to clear
	nearMark []bool
}

// patchLevel builds the level of zoom z of topology t from prev, the level
// of the same zoom of the earlier topology pt (matched by m): the level
// buildLevel(t, ...) would build, with prev's street lines.
func patchLevel(prev *level, pt, t *topology, m *arcMatch, z uint32, tol float64, needFeature, prevNeed func(int) bool) *level {
	p := &levelPatch{prev: prev, pt: pt, t: t, m: m, scale: worldScale(z), tol: tol,
		want: wantedArcs(t, needFeature), oldHist: histories(pt.arcs.len(), prev.pairs)}
	n := t.arcs.len()
	p.hist, p.inDelta, p.nearMark = make([]history, n), make([]bool, n), make([]bool, n)
	oldWant := wantedArcs(pt, prevNeed)
	for a := range n {
		o := m.oldArc(int32(a))
		switch {
		case o < 0 || oldWant[o] != p.want[a]:
			p.add(int32(a))
		case p.oldHist[o] != 0:
			p.oldBad = append(p.oldBad, int32(a))
		}
	}
	rounds := p.rounds()
	lv := &level{z: z, featEnds: make([]uint32, len(t.features)), pairs: rounds}
	if len(rounds) == maxRefine+1 {
		lv.crossings = len(pairArcs(rounds[maxRefine]))
	}
	changed := make([]bool, n)
	for _, a := range p.delta {
		o := m.oldArc(a)
		changed[a] = o < 0 || p.hist[a].final(tol) != p.oldHist[o].final(tol)
	}
	arcs := map[int32][]int32{} // the simplified arcs of the polygons drawn again
	var buf []int32
	needed := 0
	lv.reserve(prev)
	var run copyRun
	for fi := range t.features {
		if needFeature(fi) && p.reusable(fi, changed) {
			run.add(lv, prev, fi, m.feats[fi])
			needed = fi + 1
			continue
		}
		run.flush(lv, prev)
		if needFeature(fi) {
			buf = p.redraw(lv, fi, arcs, buf)
			needed = fi + 1
		}
		lv.featEnds[fi] = uint32(len(lv.polyEnds))
	}
	run.flush(lv, prev)
	for _, o := range m.goneFeats {
		if prevNeed(int(o)) {
			lv.dirty = append(lv.dirty, featureBound(pt, int(o)))
		}
	}
	lv.linePts, lv.lineEnds = prev.linePts, prev.lineEnds
	lv.trim(needed)
	lv.patched = true
	return lv
}

// featureBound returns the world box of feature fi's exterior rings: its
// box in its layer's index.
func featureBound(t *topology, fi int) wbound {
	b := emptyBound()
	for _, poly := range t.features[fi].polys {
		for _, r := range poly[0] {
			ab := t.arcBound(r.id())
			b.extend(ab.min)
			b.extend(ab.max)
		}
	}
	return b
}

// add puts a wanted arc among those whose rounds are evaluated again.
func (p *levelPatch) add(a int32) {
	if p.want[a] && !p.inDelta[a] {
		p.inDelta[a] = true
		p.delta = append(p.delta, a)
	}
}

// rounds evaluates the refinement rounds as simplifyArcs does: at each
// round the earlier level's pairs between arcs outside the delta stand
// (their simplified forms and neighbours are as before), and the delta's
// arcs are checked against every arc near them. An arc whose conflict at
// a round differs from before joins the delta for the later rounds.
func (p *levelPatch) rounds() [][]arcPair {
	var out [][]arcPair
	for r := 0; ; r++ {
		var pairs []arcPair
		if r < len(p.prev.pairs) {
			for _, q := range p.prev.pairs[r] {
				a, b := p.m.newArc(q.a), p.m.newArc(q.b)
				if a >= 0 && b >= 0 && p.want[a] && p.want[b] && !p.inDelta[a] && !p.inDelta[b] {
					pairs = append(pairs, newArcPair(a, b))
				}
			}
		}
		pairs = sortPairs(p.deltaPairs(r, pairs))
		out = append(out, pairs)
		bad := pairArcs(pairs)
		for _, a := range bad {
			p.hist[a] |= 1 << r
		}
		if r == maxRefine || len(bad) == 0 {
			return out
		}
		for _, list := range [][]int32{bad, p.oldBad} {
			for _, a := range list {
				if o := p.m.oldArc(a); o < 0 || (p.hist[a]^p.oldHist[o])&(1<<r) != 0 {
					p.add(a)
				}
			}
		}
	}
}

// deltaPairs appends the pairs in conflict at round r that involve an arc
// of the delta: its simplified segments at that round against those of
// every arc near it.
func (p *levelPatch) deltaPairs(r int, out []arcPair) []arcPair {
	if len(p.delta) == 0 {
		return out
	}
	var segs []seg
	pad := 1 / p.scale
	for _, a := range p.delta {
		segs = p.segments(segs, a, r)
		b := p.t.arcBound(a)
		b.min[0], b.min[1], b.max[0], b.max[1] = b.min[0]-pad, b.min[1]-pad, b.max[0]+pad, b.max[1]+pad
		p.nearBuf = p.t.near(b, p.nearBuf[:0])
		for _, nb := range p.nearBuf {
			if p.want[nb] && !p.inDelta[nb] && !p.nearMark[nb] {
				p.nearMark[nb] = true
				p.seenNear = append(p.seenNear, nb)
				segs = p.segments(segs, nb, r)
			}
		}
	}
	for _, nb := range p.seenNear {
		p.nearMark[nb] = false
	}
	p.seenNear = p.seenNear[:0]
	for _, q := range newSegIndex(segs).pairs(nil) {
		if p.inDelta[q.a] || p.inDelta[q.b] {
			out = append(out, q)
		}
	}
	return out
}

// segments appends arc a's segments simplified as at round r.
func (p *levelPatch) segments(segs []seg, a int32, r int) []seg {
	var pts []int32
	pts, p.keep = simplifyArc(nil, p.t.arcs.at(int(a)), p.scale, p.hist[a].tolAt(p.tol, r), p.keep)
	return arcSegments(segs, a, pts)
}

// reusable reports whether feature fi's polygons at this level are its
// earlier feature's: the same arcs, none simplified differently.
func (p *levelPatch) reusable(fi int, changed []bool) bool {
	if !p.m.sameRings(p.pt, p.t, fi) {
		return false
	}
	for _, poly := range p.t.features[fi].polys {
		for _, ring := range poly {
			for _, r := range ring {
				if changed[r.id()] {
					return false
				}
			}
		}
	}
	return true
}

// redraw appends feature fi's polygons rebuilt from its simplified arcs
// (simplified into arcs on first use) and records where it was drawn
// again, now and earlier. buf is scratch space, returned for reuse.
func (p *levelPatch) redraw(lv *level, fi int, arcs map[int32][]int32, buf []int32) []int32 {
	t := p.t
	lv.dirty = append(lv.dirty, featureBound(t, fi))
	if o := p.m.feats[fi]; o >= 0 {
		lv.dirty = append(lv.dirty, featureBound(p.pt, int(o)))
	}
	f := t.features[fi]
	for _, poly := range f.polys {
		for _, ring := range poly {
			for _, r := range ring {
				if a := r.id(); !hasArc(arcs, a) {
					arcs[a], p.keep = simplifyArc(nil, t.arcs.at(int(a)), p.scale, p.hist[a].final(p.tol), p.keep)
				}
			}
		}
	}
	return lv.rebuild(func(a int32) []int32 { return arcs[a] }, f.polys, buf)
}

// hasArc reports whether arcs holds arc a.
func hasArc(arcs map[int32][]int32, a int32) bool {
	_, ok := arcs[a]
	return ok
}
