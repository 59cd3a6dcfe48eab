package walk

import (
	"math"

	"github.com/paulmach/orb"
)

// A pointGrid buckets points into square cells of the graph's projection
// for "is any point within r meters" queries.
type pointGrid struct {
	proj  projection
	cell  float64
	cells map[[2]int32][]orb.Point
}

func newPointGrid(proj projection, cellMeters float64, pts []orb.Point) *pointGrid {
	pg := &pointGrid{proj: proj, cell: math.Max(cellMeters, 1), cells: make(map[[2]int32][]orb.Point)}
	for _, p := range pts {
		k := pg.key(p)
		pg.cells[k] = append(pg.cells[k], p)
	}
	return pg
}

func (pg *pointGrid) key(p orb.Point) [2]int32 {
	x, y := pg.proj.forward(p)
	return [2]int32{int32(math.Floor(x / pg.cell)), int32(math.Floor(y / pg.cell))}
}

// anyWithin reports whether some point lies within r meters (haversine)
// of p. The projection's scale error across a city is far below the one
// cell of slack searched.
func (pg *pointGrid) anyWithin(p orb.Point, r float64) bool {
	k := pg.key(p)
	span := int32(math.Ceil(r*1.02/pg.cell)) + 1
	for dy := -span; dy <= span; dy++ {
		for dx := -span; dx <= span; dx++ {
			for _, q := range pg.cells[[2]int32{k[0] + dx, k[1] + dy}] {
				if haversine(p, q) < r {
					return true
				}
			}
		}
	}
	return false
}
