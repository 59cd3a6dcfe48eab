package tiles

import (
	"iter"
	"math"

	"github.com/paulmach/orb"
)

// KeysIn yields the keys of every tile that meets the WGS-84 box b, zoom by
// zoom from minZ to maxZ (at most MaxZoom), row by row. A zero or
// inverted box yields nothing.
func KeysIn(b orb.Bound, minZ, maxZ uint32) iter.Seq[Key] {
	return func(yield func(Key) bool) {
		if b.IsZero() || b.IsEmpty() {
			return
		}
		w := projectBound(b)
		for z := minZ; z <= min(maxZ, MaxZoom); z++ {
			x0, y0 := tileIndex(w.min[0], z), tileIndex(w.min[1], z)
			x1, y1 := tileIndex(w.max[0], z), tileIndex(w.max[1], z)
			for y := y0; y <= y1; y++ {
				for x := x0; x <= x1; x++ {
					if !yield(Key{Z: z, X: x, Y: y}) {
						return
					}
				}
			}
		}
	}
}

// CountKeys returns how many keys KeysIn yields.
func CountKeys(b orb.Bound, minZ, maxZ uint32) int {
	if b.IsZero() || b.IsEmpty() {
		return 0
	}
	w := projectBound(b)
	n := 0
	for z := minZ; z <= min(maxZ, MaxZoom); z++ {
		nx := int(tileIndex(w.max[0], z)-tileIndex(w.min[0], z)) + 1
		ny := int(tileIndex(w.max[1], z)-tileIndex(w.min[1], z)) + 1
		n += nx * ny
	}
	return n
}

// tileIndex returns the tile column (or row) holding world coordinate v at zoom z.
func tileIndex(v float64, z uint32) uint32 {
	n := float64(uint64(1) << z)
	t := math.Floor(v * n)
	return uint32(math.Max(0, math.Min(n-1, t)))
}
