package edit

import (
	"github.com/gridmap/gridmap/geo/planar"
)

// The lattice, tolerances and measures come from the shared kernel,
// geo/planar; the short names keep the editor's code readable.
const (
	// stitchEps is how close (about 1 cm) a vertex must be to another
	// ring's edge or vertex to be merged into it.
	stitchEps = planar.Eps
	// degMeters is the length of one degree of latitude.
	degMeters = planar.DegMeters
)

var (
	snapPoint         = planar.SnapPoint
	segParam          = planar.SegParam
	segDist2          = planar.SegDist2
	dist2             = planar.Dist2
	onSegmentInterior = planar.OnSegmentInterior
	latticeNear       = planar.LatticeNear
	metersPerDegree   = planar.MetersPerDegree
	ringArea2         = planar.RingArea2
	areaM2            = planar.AreaM2
	lengthM           = planar.LengthM
)
