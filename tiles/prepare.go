package tiles

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// levels holds the generalised geometry of every zoom up to MaxDataZoom,
// each built once, on first use, from the level sources, or patched from
// the same zoom of an earlier version (see NewRendererFrom and
// levelBase). It never holds an earlier renderer: only, per zoom not yet
// built, the built level of the nearest earlier version that has one and
// that version's topology, so that no chain of versions stays alive and
// a zoom is patched in one step however many versions lie between. The
// polygon topology is kept for the next version's renderer to patch from.
type levels struct {
	slots []levelSlot
	src   *levelSource
	// id names these levels, so that a level patched from them can say so
	// without holding them.
	id *levelsID
	// mu guards from and since, and orders a slot's level being set
	// before its entry of from is cleared.
	mu sync.Mutex
	// from[z] is what zoom z is patched from; nil for a whole build, and
	// once the zoom is built.
	from []*levelBase
	// since is what Changes compares with: the renderer this one was
	// made from; nil when none, once every zoom is built, and once a
	// newer renderer is made from this one.
	since *changeBase
	built atomic.Int32 // slots built
	// step, set only while NewRendererFrom runs, matches src's topology
	// to the previous renderer's when it was made from it (nextTopology).
	step *arcMatch
}

// A levelsID names one renderer's levels without holding them.
type levelsID struct{ _ byte }

// A changeBase is what Changes compares a renderer with: the layers of
// the renderer it was made from, and that renderer's levels' id.
type changeBase struct {
	layers [numLayers]*layer
	id     *levelsID
}

// A levelSlot is the geometry of one zoom, built once.
type levelSlot struct {
	once sync.Once
	lv   atomic.Pointer[level]
}

// A levelSource is what levels are built from: the polygon topology and
// the street lines, in world coordinates.
type levelSource struct {
	topo  *topology
	lines chains // by street index
}

// level returns the generalised geometry of zoom z (at most MaxDataZoom),
// building it on first use.
func (r *Renderer) level(z uint32) *level {
	ls := &r.levels
	slot := &ls.slots[z]
	slot.once.Do(func() {
		ls.mu.Lock()
		base := ls.from[z]
		ls.mu.Unlock()
		var lv *level
		build := func() { lv = r.buildLevel(z, base) }
		if r.opts.Run != nil {
			r.opts.Run(build)
		} else {
			build()
		}
		ls.mu.Lock()
		slot.lv.Store(lv)
		ls.from[z] = nil
		if ls.built.Add(1) == int32(len(ls.slots)) {
			ls.since = nil
		}
		ls.mu.Unlock()
	})
	return slot.lv.Load()
}

// levelPatchedFrom returns the geometry of zoom z, building it if needed,
// when it is patched from the levels named id; nil, building nothing,
// when it is built or to be built otherwise.
func (r *Renderer) levelPatchedFrom(z uint32, id *levelsID) *level {
	ls := &r.levels
	ls.mu.Lock()
	lv, base := ls.slots[z].lv.Load(), ls.from[z]
	ls.mu.Unlock()
	switch {
	case lv != nil:
		return lv
	case base == nil || base.anc.id != id:
		return nil
	}
	return r.level(z)
}

// buildLevel builds zoom z whole, or patches it from base when not nil.
func (r *Renderer) buildLevel(z uint32, base *levelBase) *level {
	src := r.levels.src
	needFeature := func(fi int) bool { return r.layers[src.topo.features[fi].layer].info.MinZoom <= z }
	if base == nil {
		streets := r.layers[idxStreets]
		needLine := func(i int) bool { return uint32(streets.minZoom[i]) <= z }
		return buildLevel(src.topo, &src.lines, z, r.opts.Tolerance, needFeature, needLine)
	}
	pt := base.anc.topo
	// Every renderer has the same layer table, so the earlier features'
	// zooms are read from this one's.
	prevNeed := func(fi int) bool { return r.layers[pt.features[fi].layer].info.MinZoom <= z }
	lv := patchLevel(base.lv, pt, src.topo, base.anc.matchTo(src.topo), z, r.opts.Tolerance, needFeature, prevNeed)
	lv.from = base.anc.id
	return lv
}

// Prepare builds the generalised geometry of every zoom now rather than on
// first use, so that later renders have even latency, and then drops what
// the geometry was built from. It stops early when ctx is done.
func (r *Renderer) Prepare(ctx context.Context) error {
	for z := range r.levels.slots {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("preparing tile levels: %w", err)
		}
		r.level(uint32(z))
	}
	return nil
}
