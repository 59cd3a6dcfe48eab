package tiles

import (
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo"
)

// ErrBadOptions is returned (wrapped) by Options.Validate.
var ErrBadOptions = errors.New("tiles: bad options")

// Options tune a Renderer. The zero value means every default.
type Options struct {
	// Buffer is how far (in tile units of Extent 4096) polygons and lines
	// reach beyond the tile edge, so that strokes meet across tiles.
	// Default 64.
	Buffer int
	// Tolerance is the Douglas-Peucker tolerance in tile units: a vertex
	// closer than this to the simplified line is dropped. At 512 pixels
	// per tile, the default 2 is a quarter of a pixel.
	Tolerance float64
	// MaxDataZoom is the last zoom with its own generalised geometry;
	// deeper tiles reuse it, scaled up (overzoom). Default 16, at most 18.
	MaxDataZoom uint32
	// MaxTileBytes caps the size of a tile. A tile that would be larger is
	// rendered again without buildings, then without streets, stations and
	// labels; if it is still too large Render fails with ErrTileTooLarge.
	// Default 500 KiB.
	MaxTileBytes int
	// GridCoverage, when set, gives each grid's covered share of
	// households (0-1) for the grids layer's "coverage" property, rounded
	// to 3 decimals; ok false leaves the property out for that grid. It is
	// called once per grid while NewRenderer runs. When nil the layer has
	// no "coverage" field.
	GridCoverage func(code geo.GridCode) (share float64, ok bool)
	// BuildingUncovered, when set, says whether a building lies outside
	// every service circle, for the buildings layer's "uncovered" property
	// (1 or 0). It is called once per building while NewRenderer runs.
	// When nil the layer has no "uncovered" field.
	BuildingUncovered func(id geo.BuildingID) bool
	// Run, when set, runs each piece of deferred building (one zoom's
	// generalised geometry) and returns when it is done; a server passes
	// its worker limiter so such work never takes every core. It does not
	// change what the tiles hold. When nil the work runs on the caller.
	Run func(work func())
}

// The option defaults.
const (
	DefaultBuffer       = 64
	DefaultTolerance    = 2.0
	DefaultMaxDataZoom  = 16
	DefaultMaxTileBytes = 500 << 10
	maxMaxDataZoom      = 18
)

// withDefaults returns o with zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.Buffer == 0 {
		o.Buffer = DefaultBuffer
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultTolerance
	}
	if o.MaxDataZoom == 0 {
		o.MaxDataZoom = DefaultMaxDataZoom
	}
	if o.MaxTileBytes == 0 {
		o.MaxTileBytes = DefaultMaxTileBytes
	}
	return o
}

// Validate reports options out of range (after defaults are applied).
func (o Options) Validate() error {
	o = o.withDefaults()
	switch {
	case o.Buffer < 0 || o.Buffer > Extent:
		return fmt.Errorf("%w: Buffer %d outside 0-%d", ErrBadOptions, o.Buffer, Extent)
	case !(o.Tolerance >= 0 && o.Tolerance <= 64):
		return fmt.Errorf("%w: Tolerance %g outside 0-64", ErrBadOptions, o.Tolerance)
	case o.MaxDataZoom > maxMaxDataZoom:
		return fmt.Errorf("%w: MaxDataZoom %d above %d", ErrBadOptions, o.MaxDataZoom, maxMaxDataZoom)
	case o.MaxTileBytes < 1024:
		return fmt.Errorf("%w: MaxTileBytes %d below 1024", ErrBadOptions, o.MaxTileBytes)
	}
	return nil
}
