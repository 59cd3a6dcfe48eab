package server

import (
	"fmt"

	"github.com/gridmap/gridmap/tiles"
)

// The tile settings' defaults (see Config).
const (
	// DefaultTileCacheBytes is the default bound of the tile cache: 128 MiB.
	DefaultTileCacheBytes = 128 << 20
	// DefaultTileCacheControl is the default Cache-Control of tiles.
	DefaultTileCacheControl = "public, max-age=60"
)

// tileOptions returns the options of the tile renderer of view v. It is the
// one place that decides what the tiles of a snapshot hold.
func (s *Server) tileOptions(v *view) tiles.Options {
	var opts tiles.Options
	// The 15-minute service circles (walk.go): each grid's covered share
	// and each building's uncovered flag.
	opts.GridCoverage, opts.BuildingUncovered = v.coverageTileProps()
	return opts
}

// validateTiles reports a Cache-Control value that cannot be sent as a
// header: one holding a control character (a line break would split the
// response) or a non-ASCII byte.
func (c Config) validateTiles() error {
	for i := 0; i < len(c.TileCacheControl); i++ {
		if b := c.TileCacheControl[i]; b < 0x20 || b >= 0x7f {
			return fmt.Errorf("%w: TileCacheControl %q has a byte that cannot be in a header", ErrBadConfig, c.TileCacheControl)
		}
	}
	return nil
}
