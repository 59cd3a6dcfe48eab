package tiles

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// levels holds the generalised geometry of every zoom up to MaxDataZoom,
// each built once, on first use, from the level sources. Once every zoom
// is built the sources are dropped: the levels are all a renderer needs.
type levels struct {
	slots []levelSlot
	src   *levelSource // nil once every slot is built
	built atomic.Int32 // slots built
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
		// src is read here and cleared below only by the build that
		// completes the set, which the atomic count orders after every
		// other build.
		src := ls.src
		needFeature := func(fi int) bool { return r.layers[src.topo.features[fi].layer].info.MinZoom <= z }
		streets := r.layers[idxStreets]
		needLine := func(i int) bool { return uint32(streets.minZoom[i]) <= z }
		build := func() { slot.lv = buildLevel(src.topo, &src.lines, z, r.opts.Tolerance, needFeature, needLine) }
		if r.opts.Run != nil {
			r.opts.Run(build)
		} else {
			build()
		}
		if ls.built.Add(1) == int32(len(ls.slots)) {
			ls.src = nil
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
