package planar

import (
	"math"

	"github.com/paulmach/orb"
)

// Scale is the inverse of the coordinate lattice: coordinates are
// multiples of 1e-7 degrees (about 1 cm), the grid geo/cityio stores.
const Scale = 1e7

// Eps is one lattice step in degrees: how close (about 1 cm) a vertex must
// be to another ring's edge or vertex to be merged into it.
const Eps = 1 / Scale

// SnapCoord rounds v to the lattice, exactly as cityio.SnapCoord does.
func SnapCoord(v float64) float64 { return math.Round(v*Scale) / Scale }

// SnapPoint rounds both coordinates of p to the lattice.
func SnapPoint(p orb.Point) orb.Point { return orb.Point{SnapCoord(p[0]), SnapCoord(p[1])} }

// latticeReach is how many lattice steps LatticeNear may move a point
// along its segment (1.6e-6 degrees, under 20 cm) to find a lattice
// point closer to the segment's line.
const latticeReach = 16

// goodEnough is the distance from the line (degrees) at which
// LatticeNear stops looking for a closer lattice point.
const goodEnough = 2e-9

// LatticeNear returns a lattice point near p that lies as close as it
// can to the line through a and b, strictly between a and b. It walks
// the lattice columns (or rows, for a steep line) outward from p, up to
// 16 steps, and takes the two lattice points around the line in each; it
// stops at the first within 2e-9 degrees of the line. The result lies
// within half a lattice step (5e-8 degrees) of the line and usually within
// 2e-9, so a vertex put there leaves the edge where it was, and repeated
// insertions do not drift.
func LatticeNear(p, a, b orb.Point) orb.Point {
	dx, dy := b[0]-a[0], b[1]-a[1]
	steep := math.Abs(dy) > math.Abs(dx)
	base := SnapPoint(p)
	best, bestD := base, math.Inf(1)
	for i := 0; i <= 2*latticeReach; i++ {
		k := (i + 1) / 2
		if i%2 == 1 {
			k = -k
		}
		for _, q := range lineLatticePair(base, a, b, float64(k)/Scale, steep) {
			t, d2 := SegParam(q, a, b)
			if t <= 0 || t >= 1 {
				continue
			}
			if d2 < bestD {
				best, bestD = q, d2
			}
		}
		if bestD <= goodEnough*goodEnough {
			break
		}
	}
	return best
}

// lineLatticePair returns the two lattice points on either side of the
// line a-b in the lattice column (row, when steep) offset by off from base.
func lineLatticePair(base, a, b orb.Point, off float64, steep bool) [2]orb.Point {
	if steep {
		y := SnapCoord(base[1] + off)
		x := a[0] + (y-a[1])*(b[0]-a[0])/(b[1]-a[1])
		lo := math.Floor(x*Scale) / Scale
		return [2]orb.Point{{SnapCoord(lo), y}, {SnapCoord(lo + 1/Scale), y}}
	}
	x := SnapCoord(base[0] + off)
	y := a[1] + (x-a[0])*(b[1]-a[1])/(b[0]-a[0])
	lo := math.Floor(y*Scale) / Scale
	return [2]orb.Point{{x, SnapCoord(lo)}, {x, SnapCoord(lo + 1/Scale)}}
}
