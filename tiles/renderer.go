package tiles

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt/vectortile"
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
	topo   *topology
	lines  [][]wpt // street lines in world coordinates, by street index
	levels []levelSlot
	bound  wbound    // the world box of all data
	pool   sync.Pool // *encoder
	tiles  tileMaker

	version, extent uint32
	geomTypes       [4]vectortile.Tile_GeomType
}

type levelSlot struct {
	once sync.Once
	lv   *level
}

// NewRenderer indexes a snapshot for rendering. It builds the polygon
// topology, colours and label points now; the generalised geometry of each
// zoom is built on first use (or by Prepare).
func NewRenderer(s *geo.Snapshot, opts Options) (*Renderer, error) {
	if s == nil || s.City == nil {
		return nil, errors.New("building tile renderer: nil snapshot")
	}
	if err := opts.Validate(); err != nil {
		return nil, fmt.Errorf("building tile renderer: %w", err)
	}
	r := &Renderer{snap: s, opts: opts.withDefaults(), bound: emptyBound(), version: 2, extent: Extent}
	r.geomTypes = [4]vectortile.Tile_GeomType{vectortile.Tile_UNKNOWN, vectortile.Tile_POINT, vectortile.Tile_LINESTRING, vectortile.Tile_POLYGON}
	for i, info := range withOptionalFields(Layers(), r.opts) {
		info.keys = make([]string, len(info.Fields))
		for j, f := range info.Fields {
			info.keys[j] = f.Name
		}
		r.layers[i] = &layer{info: info}
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
	r.levels = make([]levelSlot, r.opts.MaxDataZoom+1)
	r.primeValues()
	r.pool.New = func() any { return &encoder{} }
	return r, nil
}

// checkGeometry rejects coordinates that are not finite.
func (r *Renderer) checkGeometry() error {
	c := r.snap.City
	for _, u := range c.Units {
		for _, poly := range u.Geometry {
			for _, ring := range poly {
				if err := checkFinite(ring...); err != nil {
					return fmt.Errorf("unit %s: %w", u.Code, err)
				}
			}
		}
	}
	for _, g := range c.Grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				if err := checkFinite(ring...); err != nil {
					return fmt.Errorf("grid %s: %w", g.Code, err)
				}
			}
		}
	}
	for _, b := range c.Buildings {
		if err := checkFinite(b.Point); err != nil {
			return fmt.Errorf("building %d: %w", b.ID, err)
		}
	}
	for _, st := range c.Stations {
		if err := checkFinite(st.Point); err != nil {
			return fmt.Errorf("station %d: %w", st.ID, err)
		}
	}
	for _, st := range c.Streets {
		if err := checkFinite(st.Line...); err != nil {
			return fmt.Errorf("street %d: %w", st.ID, err)
		}
	}
	return nil
}

// primeValues marshals every shared property value once. gogo/protobuf
// allocates a message's extension map on its first marshal; doing it here,
// before the renderer is shared, keeps concurrent renders read-only.
func (r *Renderer) primeValues() {
	for _, l := range r.layers {
		for _, v := range l.dict.values {
			_, _ = v.Marshal()
		}
		l.dict.index = nil
	}
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

// level returns the generalised geometry of zoom z (at most MaxDataZoom),
// building it on first use.
func (r *Renderer) level(z uint32) *level {
	slot := &r.levels[z]
	slot.once.Do(func() {
		needFeature := func(fi int) bool { return r.layers[r.topo.features[fi].layer].info.MinZoom <= z }
		streets := r.layers[idxStreets]
		needLine := func(i int) bool { return streets.feats[i].minZoom <= z }
		slot.lv = buildLevel(r.topo, r.lines, z, r.opts.Tolerance, needFeature, needLine)
	})
	return slot.lv
}

// Prepare builds the generalised geometry of every zoom now rather than on
// first use, so that later renders have even latency. It stops early when
// ctx is done.
func (r *Renderer) Prepare(ctx context.Context) error {
	for z := range r.levels {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("preparing tile levels: %w", err)
		}
		r.level(uint32(z))
	}
	return nil
}

// sortedHits returns the sorted indices of a layer's features whose boxes
// meet b, reusing buf.
func (l *layer) sortedHits(b wbound, buf []int32) []int32 {
	buf = buf[:0]
	l.index.Search(b.min, b.max, func(_, _ [2]float64, i int32) bool {
		buf = append(buf, i)
		return true
	})
	slices.Sort(buf)
	return buf
}
