package archive

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
)

// ErrBadOptions is returned (wrapped) by Render for options out of range.
var ErrBadOptions = errors.New("archive: bad options")

// ErrTooManyTiles is returned (wrapped) by Render when the zoom range and
// box hold more tiles than Options.MaxTiles.
var ErrTooManyTiles = errors.New("archive: too many tiles")

// A Compression is how tile contents are stored in an archive; the
// values are PMTiles v3's.
type Compression uint8

// The compressions of tile contents.
const (
	// Gzip stores tiles gzip-compressed, as the server serves them and as
	// MBTiles readers expect of format pbf.
	Gzip Compression = 2
	// None stores the MVT bytes as they are.
	None Compression = 1
)

// DefaultMaxTiles is Options.MaxTiles' default: the tiles of a city of a
// few thousand square kilometres from zoom 0 to 16 fit.
const DefaultMaxTiles = 4_000_000

// Options say which tiles Render collects.
type Options struct {
	// MinZoom and MaxZoom bound the zooms (MaxZoom at most tiles.MaxZoom).
	MinZoom, MaxZoom uint32
	// Bound is the WGS-84 box whose tiles are collected; zero means the
	// renderer's data box. It is cut to the data box either way.
	Bound orb.Bound
	// Compression of the stored tiles: Gzip (the zero value's default) or
	// None.
	Compression Compression
	// MaxTiles caps the tiles the range and box may address (empty ones
	// included); default DefaultMaxTiles.
	MaxTiles int
	// Workers render in parallel; default GOMAXPROCS.
	Workers int
}

// withDefaults fills zero fields.
func (o Options) withDefaults() Options {
	if o.Compression == 0 {
		o.Compression = Gzip
	}
	if o.MaxTiles <= 0 {
		o.MaxTiles = DefaultMaxTiles
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// validate reports options out of range.
func (o Options) validate() error {
	switch {
	case o.MaxZoom > tiles.MaxZoom:
		return fmt.Errorf("%w: maxzoom %d above %d", ErrBadOptions, o.MaxZoom, tiles.MaxZoom)
	case o.MinZoom > o.MaxZoom:
		return fmt.Errorf("%w: minzoom %d above maxzoom %d", ErrBadOptions, o.MinZoom, o.MaxZoom)
	case o.Compression != Gzip && o.Compression != None:
		return fmt.Errorf("%w: compression %d is neither gzip nor none", ErrBadOptions, o.Compression)
	case !o.Bound.IsZero() && !(o.Bound.Min[0] <= o.Bound.Max[0] && o.Bound.Min[1] <= o.Bound.Max[1]):
		return fmt.Errorf("%w: box %v is inverted", ErrBadOptions, o.Bound)
	}
	return nil
}

// A Set holds the non-empty tiles of an archive, each distinct content
// once. It is filled by Render and read by the writers.
type Set struct {
	// Compression is how Contents are stored.
	Compression Compression
	// MinZoom and MaxZoom are the zooms asked for; Bound the box covered.
	MinZoom, MaxZoom uint32
	Bound            orb.Bound
	// Tiles lists each tile with the index of its content, in no order.
	Tiles []Entry
	// Contents are the distinct tile contents.
	Contents [][]byte

	mu     sync.Mutex
	byHash map[string]int32
}

// An Entry is one tile of a Set.
type Entry struct {
	Key     tiles.Key
	Content int32
}

// add records tile t at k, sharing content with an earlier equal tile.
func (s *Set) add(k tiles.Key, t tiles.Tile) {
	data := t.Gzip
	if s.Compression == None {
		data = t.Data
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i, ok := s.byHash[t.ETag]
	if !ok {
		i = int32(len(s.Contents))
		s.Contents = append(s.Contents, data)
		s.byHash[t.ETag] = i
	}
	s.Tiles = append(s.Tiles, Entry{Key: k, Content: i})
}

// Bytes returns the size of the distinct contents.
func (s *Set) Bytes() int64 {
	var n int64
	for _, c := range s.Contents {
		n += int64(len(c))
	}
	return n
}

// Render renders every tile of r in the options' zooms and box, in
// parallel, and collects the non-empty ones.
func Render(ctx context.Context, r *tiles.Renderer, o Options) (*Set, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return nil, err
	}
	b := r.Bound()
	if !o.Bound.IsZero() {
		b = intersect(b, o.Bound)
	}
	set := &Set{Compression: o.Compression, MinZoom: o.MinZoom, MaxZoom: o.MaxZoom, Bound: b, byHash: map[string]int32{}}
	if b.IsZero() {
		return set, nil
	}
	if n := tiles.CountKeys(b, o.MinZoom, o.MaxZoom); n > o.MaxTiles {
		return nil, fmt.Errorf("%w: zooms %d-%d of %v hold %d tiles, more than %d", ErrTooManyTiles, o.MinZoom, o.MaxZoom, b, n, o.MaxTiles)
	}
	return set, renderInto(ctx, r, set, o.Workers)
}

// renderInto renders the set's tiles with workers goroutines.
func renderInto(ctx context.Context, r *tiles.Renderer, set *Set, workers int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	keys := make(chan tiles.Key, 256)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := range keys {
				t, err := r.RenderTile(k)
				if err != nil {
					cancel(fmt.Errorf("rendering tile %s: %w", k, err))
					continue
				}
				if !t.Empty {
					set.add(k, t)
				}
			}
		})
	}
	for k := range tiles.KeysIn(set.Bound, set.MinZoom, set.MaxZoom) {
		if ctx.Err() != nil {
			break
		}
		keys <- k
	}
	close(keys)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// intersect returns the common part of two boxes, or a zero box.
func intersect(a, b orb.Bound) orb.Bound {
	out := orb.Bound{
		Min: orb.Point{max(a.Min[0], b.Min[0]), max(a.Min[1], b.Min[1])},
		Max: orb.Point{min(a.Max[0], b.Max[0]), min(a.Max[1], b.Max[1])},
	}
	if out.Min[0] > out.Max[0] || out.Min[1] > out.Max[1] {
		return orb.Bound{}
	}
	return out
}
