package edit

import (
	"slices"

	"github.com/paulmach/orb"
)

// sharedLengthM returns the length in meters of the boundary a and b
// share: the edges of a whose midpoint lies within stitchEps of an edge
// of b. Vertex-identical neighbours share whole edges, so this is exact
// for them.
func sharedLengthM(a, b orb.MultiPolygon, lat0 float64) float64 {
	bb := b.Bound().Pad(stitchEps)
	if !a.Bound().Intersects(bb) {
		return 0
	}
	total := 0.0
	forEdges(a, func(p, q orb.Point) {
		m := orb.Point{(p[0] + q[0]) / 2, (p[1] + q[1]) / 2}
		if !bb.Contains(m) {
			return
		}
		on := false
		forEdges(b, func(c, d orb.Point) {
			if !on && segDist2(m, c, d) <= stitchEps*stitchEps {
				on = true
			}
		})
		if on {
			total += lengthM(p, q, lat0)
		}
	})
	return total
}

// parts returns each polygon of mp as its own MultiPolygon.
func parts(mp orb.MultiPolygon) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(mp))
	for i, p := range mp {
		out[i] = orb.MultiPolygon{p}
	}
	return out
}

// sameGeometry reports whether a and b have the same rings, allowing a
// ring to start at another vertex.
func sameGeometry(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if !sameRing(a[i][j], b[i][j]) {
				return false
			}
		}
	}
	return true
}

// sameRing reports whether two closed rings hold the same cycle of
// vertices in the same direction.
func sameRing(a, b orb.Ring) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 {
		return true
	}
	n := len(a) - 1
	k := slices.Index(b[:max(n, 0)], a[0])
	if k < 0 {
		return n == 0
	}
	for i := range n {
		if a[i] != b[(k+i)%n] {
			return false
		}
	}
	return true
}
