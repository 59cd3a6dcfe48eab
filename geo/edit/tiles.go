package edit

import (
	"cmp"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// The zooms whose tiles an edit reports.
const (
	MinTileZoom = 10
	MaxTileZoom = 16
)

// A TileKey names a web-map tile (XYZ scheme, Web Mercator).
type TileKey struct {
	Z uint8  `json:"z"`
	X uint32 `json:"x"`
	Y uint32 `json:"y"`
}

// Valid reports whether x and y lie inside zoom z (z at most 30).
func (k TileKey) Valid() bool { return k.Z <= 30 && k.X < 1<<k.Z && k.Y < 1<<k.Z }

// tileOf returns the tile of zoom z that holds the WGS-84 point p.
func tileOf(p orb.Point, z uint8) (x, y uint32) {
	n := float64(uint64(1) << z)
	lat := math.Max(-85.05112878, math.Min(85.05112878, p[1])) * math.Pi / 180
	fx := (p[0] + 180) / 360 * n
	fy := (1 - math.Asinh(math.Tan(lat))/math.Pi) / 2 * n
	clamp := func(v float64) uint32 { return uint32(math.Max(0, math.Min(n-1, math.Floor(v)))) }
	return clamp(fx), clamp(fy)
}

// tileBound returns the lon/lat box of a tile.
func tileBound(k TileKey) orb.Bound {
	n := float64(uint64(1) << k.Z)
	lon := func(x float64) float64 { return x/n*360 - 180 }
	lat := func(y float64) float64 { return math.Atan(math.Sinh(math.Pi*(1-2*y/n))) * 180 / math.Pi }
	return orb.Bound{
		Min: orb.Point{lon(float64(k.X)), lat(float64(k.Y + 1))},
		Max: orb.Point{lon(float64(k.X + 1)), lat(float64(k.Y))},
	}
}

// maxTiles caps the tiles one edit reports; a valid edit lies inside one
// community and needs a few hundred at most.
const maxTiles = 1 << 16

// tilesTouching adds to set the tiles of zooms MinTileZoom..MaxTileZoom
// whose box touches g's geometry: a vertex in the box, the box's centre
// inside it, or an edge crossing the box. It stops at maxTiles.
func tilesTouching(set map[TileKey]bool, g *geo.Grid) {
	if g == nil || len(g.Geometry) == 0 {
		return
	}
	mp, b := g.Geometry, g.Geometry.Bound()
	for z := uint8(MinTileZoom); z <= MaxTileZoom; z++ {
		x0, y0 := tileOf(orb.Point{b.Min[0], b.Max[1]}, z)
		x1, y1 := tileOf(orb.Point{b.Max[0], b.Min[1]}, z)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				if len(set) >= maxTiles {
					return
				}
				k := TileKey{Z: z, X: x, Y: y}
				if !set[k] && boxTouches(tileBound(k), mp) {
					set[k] = true
				}
			}
		}
	}
}

// boxTouches reports whether the box and mp share a point.
func boxTouches(box orb.Bound, mp orb.MultiPolygon) bool {
	if !box.Intersects(mp.Bound()) {
		return false
	}
	if mpContains(mp, box.Center()) {
		return true
	}
	corners := [5]orb.Point{box.Min, {box.Max[0], box.Min[1]}, box.Max, {box.Min[0], box.Max[1]}, box.Min}
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				if box.Contains(r[i]) {
					return true
				}
				for c := range 4 {
					if _, k := intersect(r[i], r[i+1], corners[c], corners[c+1]); k != noCross {
						return true
					}
				}
			}
		}
	}
	return false
}

// sortedTiles returns the set's tiles sorted by z, x, y.
func sortedTiles(set map[TileKey]bool) []TileKey {
	out := make([]TileKey, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b TileKey) int {
		if c := cmp.Compare(a.Z, b.Z); c != 0 {
			return c
		}
		if c := cmp.Compare(a.X, b.X); c != 0 {
			return c
		}
		return cmp.Compare(a.Y, b.Y)
	})
	return out
}

// ChangedTiles returns the tiles of zooms MinTileZoom..MaxTileZoom that
// touch a grid of changes, before or after, sorted by z, x, y: the tiles
// an edit's impact lists, for a committed changeset's delta.
func ChangedTiles(changes []Change) []TileKey {
	set := map[TileKey]bool{}
	for _, c := range changes {
		if c.Kind == ChangeStaff {
			continue // staff are not drawn
		}
		tilesTouching(set, c.Before)
		tilesTouching(set, c.After)
	}
	return sortedTiles(set)
}
