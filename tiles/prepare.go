package tiles

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// levels holds the generalised geometry of every zoom up to MaxDataZoom,
// each built once, on first use, from the level sources, or patched from
// the same zoom of base, a renderer of an earlier version (see
// NewRendererFrom). Once every zoom is built the base is dropped; the
// polygon topology is kept for the next version's renderer to patch from.
type levels struct {
	slots []levelSlot
	src   *levelSource
	base  *Renderer    // nil once every slot is built
	built atomic.Int32 // slots built
	// match matches src's topology to base's, made on first use.
	matchOnce sync.Once
	match     *arcMatch
}

// A levelSlot is the geometry of one zoom, built once.
type levelSlot struct {
	once sync.Once
	lv   *level
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
		// base is read here and cleared below only by the build that
		// completes the set, which the atomic count orders after every
		// other build.
		src, base := ls.src, ls.base
		var prev *level
		if base != nil {
			prev = base.level(z) // before taking a worker: it may build too
		}
		needFeature := func(fi int) bool { return r.layers[src.topo.features[fi].layer].info.MinZoom <= z }
		streets := r.layers[idxStreets]
		needLine := func(i int) bool { return uint32(streets.minZoom[i]) <= z }
		build := func() {
			if prev == nil {
				slot.lv = buildLevel(src.topo, &src.lines, z, r.opts.Tolerance, needFeature, needLine)
				return
			}
			pt := base.levels.src.topo
			ls.matchOnce.Do(func() {
				if ls.match == nil { // else nextTopology made it
					ls.match = matchTopologies(pt, src.topo)
				}
			})
			prevNeed := func(fi int) bool { return base.layers[pt.features[fi].layer].info.MinZoom <= z }
			slot.lv = patchLevel(prev, pt, src.topo, ls.match, z, r.opts.Tolerance, needFeature, prevNeed)
		}
		if r.opts.Run != nil {
			r.opts.Run(build)
		} else {
			build()
		}
		if ls.built.Add(1) == int32(len(ls.slots)) {
			ls.base, ls.match = nil, nil
		}
	})
	return slot.lv
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
