package tiles

import (
	"sync"
	"sync/atomic"
)

// A levelBase is what one zoom of a renderer is patched from: that
// zoom's level, built, of an earlier version, and that version's
// topology with the match to it.
type levelBase struct {
	lv  *level
	anc *ancestor
}

// An ancestor is an earlier version that some zooms of a renderer are
// patched from: its levels' id, its topology, and the match of the
// renderer's topology to it, made on first use when it is not known at
// creation. It holds neither the earlier renderer nor its layers.
type ancestor struct {
	id    *levelsID
	topo  *topology
	once  sync.Once
	match atomic.Pointer[arcMatch]
}

// matchTo returns the match of t, the topology of the renderer patching
// from a, to a's topology.
func (a *ancestor) matchTo(t *topology) *arcMatch {
	a.once.Do(func() {
		if a.match.Load() == nil {
			a.match.Store(matchTopologies(a.topo, t))
		}
	})
	return a.match.Load()
}

// inheritBases sets where r, made from prev, patches each zoom from:
// prev's level when prev has built the zoom, else what prev would patch
// it from (an earlier version whose level is built), the match composed
// through prev's; nil, a whole build, when prev would build the zoom
// whole. step matches r's topology to prev's (nil when not known: then
// the matches are made on first use). It also drops what prev's Changes
// compares with: only the newest renderer's is wanted, and keeping it
// would chain every version's layers to the one before.
func (r *Renderer) inheritBases(prev *Renderer, step *arcMatch) {
	pl, t := &prev.levels, r.levels.src.topo
	ancs := map[*levelsID]*ancestor{}
	anc := func(id *levelsID, topo *topology, match func() *arcMatch) *ancestor {
		a := ancs[id]
		if a == nil {
			a = &ancestor{id: id, topo: topo}
			if m := match(); m != nil {
				a.match.Store(m)
			}
			ancs[id] = a
		}
		return a
	}
	pl.mu.Lock()
	defer pl.mu.Unlock()
	for z := range r.levels.from {
		if lv := pl.slots[z].lv.Load(); lv != nil {
			r.levels.from[z] = &levelBase{lv: lv, anc: anc(pl.id, pl.src.topo, func() *arcMatch { return step })}
		} else if b := pl.from[z]; b != nil {
			r.levels.from[z] = &levelBase{lv: b.lv, anc: anc(b.anc.id, b.anc.topo, func() *arcMatch {
				return composeMatch(step, b.anc.match.Load(), t, b.anc.topo)
			})}
		}
	}
	pl.since = nil
}

// composeMatch returns the match of t's arcs and features to those of
// at, an earlier topology, through m1, t's match to a topology between
// them, and m2, that one's match to at; nil when either is nil.
func composeMatch(m1, m2 *arcMatch, t, at *topology) *arcMatch {
	if m1 == nil || m2 == nil {
		return nil
	}
	m := &arcMatch{feats: make([]int32, len(m1.feats))}
	seen := make([]bool, len(at.features))
	for i, o := range m1.feats {
		m.feats[i] = -1
		if o >= 0 {
			if a := m2.feats[o]; a >= 0 {
				m.feats[i], seen[a] = a, true
			}
		}
	}
	for o, ok := range seen {
		if !ok {
			m.goneFeats = append(m.goneFeats, int32(o))
		}
	}
	if m1.old == nil && m2.old == nil {
		m.same = min(m1.same, m2.same)
		return m
	}
	m.old, m.toNew = make([]int32, t.arcs.len()), make([]int32, at.arcs.len())
	for a := range m.old {
		m.old[a] = -1
		if o := m1.oldArc(int32(a)); o >= 0 {
			m.old[a] = m2.oldArc(o)
		}
	}
	for o := range m.toNew {
		m.toNew[o] = -1
		if a := m2.newArc(int32(o)); a >= 0 {
			m.toNew[o] = m1.newArc(a)
		}
	}
	return m
}
