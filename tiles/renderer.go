package tiles

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// ErrTileTooLarge is returned (wrapped) when a tile stays above
// Options.MaxTileBytes even without its optional layers.
var ErrTileTooLarge = errors.New("tiles: tile too large")

// A Renderer renders the tiles of one snapshot. It is safe for concurrent
// use. Build a new one for every snapshot: it reads the snapshot once and
// keeps the generalised geometry of each zoom, built on first use.
type Renderer struct {
	snap   *geo.Snapshot
	opts   Options
	layers [numLayers]*layer
	levels levels
	bound  wbound    // the world box of all data
	pool   sync.Pool // *encoder
	tiles  tileMaker
	// labels are the label points of the polygons, by polygon; prevLabels,
	// set only while NewRendererLabels runs, are a previous renderer's.
	labels, prevLabels *Labels
	// prev, set only while NewRendererFrom runs, is the renderer it is
	// made from, and indexFrom what its layers' indices may be patched
	// from.
	prev      *Renderer
	indexFrom [numLayers]indexBase
}

// NewRenderer indexes a snapshot for rendering. It builds the polygon
// topology, colours and label points now; the generalised geometry of each
// zoom is built on first use (or by Prepare).
func NewRenderer(s *geo.Snapshot, opts Options) (*Renderer, error) {
	return NewRendererLabels(s, opts, nil)
}

// NewRendererLabels is NewRenderer reusing prev's label points (from a
// renderer of an earlier version, see Renderer.Labels) for the polygons s
// shares with it; prev may be nil. The result is the same as NewRenderer's.
func NewRendererLabels(s *geo.Snapshot, opts Options, prev *Labels) (*Renderer, error) {
	return newRenderer(s, opts, prev, nil)
}

// newRenderer is NewRendererLabels, sharing what it can with from (nil
// for nothing): the buildings layer (see patchBuildings).
func newRenderer(s *geo.Snapshot, opts Options, prev *Labels, from *Renderer) (*Renderer, error) {
	if s == nil || s.City == nil {
		return nil, errors.New("building tile renderer: nil snapshot")
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("building tile renderer: %w", err)
	}
	r := &Renderer{snap: s, opts: opts.withDefaults(), bound: emptyBound(), prevLabels: prev, prev: from,
		labels: &Labels{}}
	defer func() { r.prevLabels, r.prev, r.indexFrom = nil, nil, [numLayers]indexBase{} }()
	r.levels.src = &levelSource{}
	for i, info := range withOptionalFields(Layers(), r.opts) {
		info.keys = make([]string, len(info.Fields))
		for j, f := range info.Fields {
			info.keys[j] = f.Name
		}
		r.layers[i] = &layer{info: info}
		if from != nil && i != idxStreets && i != idxStations && i != idxBuildings {
			r.layers[i].reserve(from.layers[i])
		}
	}
	if err := r.checkGeometry(); err != nil {
		return nil, fmt.Errorf("building tile renderer: %w", err)
	}
	steps := []func() error{r.addPolygons, r.addStreets, r.addBuildings, r.addStations}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, fmt.Errorf("building tile renderer: %w", err)
		}
	}
	r.levels.slots = make([]levelSlot, r.opts.MaxDataZoom+1)
	r.levels.from = make([]*levelBase, len(r.levels.slots))
	r.levels.id = new(levelsID)
	for i, l := range r.layers {
		l.seal(&r.indexFrom[i])
	}
	r.levels.src.lines.seal()
	r.pool.New = func() any { return &encoder{} }
	return r, nil
}

// NewRendererFrom is NewRendererLabels(s, opts, prev.Labels()) for prev, a
// renderer of an earlier version of the same city (nil for none), whose
// zooms' generalised geometry is patched where only polygons changed (the
// same streets, tolerance and zooms): from prev's, or, for a zoom prev
// has not built, from the nearest earlier version's that prev would patch
// it from, in one step. Only the arcs the edits changed, and those whose
// simplification they change, are simplified again, and only the
// polygons using them are rebuilt. Its tiles are the same as
// NewRendererLabels's. It keeps no earlier renderer alive: only the built
// levels it patches from, until it has built those zooms, and prev's
// layers for Changes.
func NewRendererFrom(s *geo.Snapshot, opts Options, prev *Renderer) (*Renderer, error) {
	r, err := newRenderer(s, opts, nil, prev)
	if err != nil || prev == nil {
		return r, err
	}
	step := r.levels.step
	r.levels.step = nil
	ps, rs := prev.levels.src, r.levels.src
	if prev.opts.Tolerance == r.opts.Tolerance && prev.opts.MaxDataZoom == r.opts.MaxDataZoom &&
		sameSlice(ps.lines.pts, rs.lines.pts) && sameSlice(ps.lines.ends, rs.lines.ends) &&
		sameSlice(prev.layers[idxStreets].minZoom, r.layers[idxStreets].minZoom) {
		r.inheritBases(prev, step)
		r.levels.since = &changeBase{layers: prev.layers, id: prev.levels.id}
	}
	return r, nil
}

// checkGeometry rejects coordinates that are not finite (made from an
// earlier renderer, in what is new since its city).
func (r *Renderer) checkGeometry() error {
	units, grids, buildings, stations, streets := r.checkedGeometry()
	for _, u := range units {
		for _, poly := range u.Geometry {
			for _, ring := range poly {
				if err := checkFinite(ring...); err != nil {
					return fmt.Errorf("unit %s: %w", u.Code, err)
				}
			}
		}
	}
	for _, g := range grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				if err := checkFinite(ring...); err != nil {
					return fmt.Errorf("grid %s: %w", g.Code, err)
				}
			}
		}
	}
	for _, b := range buildings {
		if err := checkFinite(b.Point); err != nil {
			return fmt.Errorf("building %d: %w", b.ID, err)
		}
	}
	for _, st := range stations {
		if err := checkFinite(st.Point); err != nil {
			return fmt.Errorf("station %d: %w", st.ID, err)
		}
	}
	for _, st := range streets {
		if err := checkFinite(st.Line...); err != nil {
			return fmt.Errorf("street %d: %w", st.ID, err)
		}
	}
	return nil
}

// Snapshot returns the snapshot the renderer draws.
func (r *Renderer) Snapshot() *geo.Snapshot { return r.snap }

// Version returns the version of the snapshot the renderer draws.
func (r *Renderer) Version() uint64 { return r.snap.Version }

// Options returns the options in use, with defaults filled in.
func (r *Renderer) Options() Options { return r.opts }

// Bound returns the WGS-84 box of everything the tiles show (empty when
// the city has no geometry).
func (r *Renderer) Bound() orb.Bound {
	if r.bound.min[0] > r.bound.max[0] {
		return orb.Bound{}
	}
	lo, hi := unproject(wpt{r.bound.min[0], r.bound.max[1]}), unproject(wpt{r.bound.max[0], r.bound.min[1]})
	return orb.Bound{Min: lo, Max: hi}
}

// sortedHits returns the sorted indices of a layer's features whose boxes
// meet b, reusing buf and stack.
func (l *layer) sortedHits(b wbound, buf, stack []int32) ([]int32, []int32) {
	if l.patch != nil {
		buf, stack = l.patch.search(l, b, buf[:0], stack)
	} else {
		buf, stack = l.index.search(b, l.pts, buf[:0], stack)
	}
	slices.Sort(buf)
	return buf, stack
}
