package edit

import (
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

var (
	intersect  = planar.Intersect
	ringPoints = planar.RingPoints
	forEdges   = planar.ForEdges
	polygonize = planar.Polygonize
	mpContains = planar.MPContains
)

const noCross = planar.NoCross

type pointIndex = planar.PointIndex

// newPointIndex indexes the distinct points given.
func newPointIndex(pts []orb.Point) *pointIndex { return planar.NewPointIndex(pts) }

// insertPoints returns ring r with the indexed points that lie on its
// edges (within stitchEps) inserted, and whether any was.
func insertPoints(r orb.Ring, idx *pointIndex) (orb.Ring, bool) {
	return planar.InsertPoints(r, idx, stitchEps)
}
