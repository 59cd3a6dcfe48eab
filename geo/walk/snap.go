package walk

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// DefaultMaxAccessMeters is how far a point may lie from the nearest edge
// and still be snapped onto the network.
const DefaultMaxAccessMeters = 500.0

// A Snap places a point on the network: the nearest point of the nearest
// edge, how far along that edge it lies and how far the point is from it.
type Snap struct {
	// Edge is the edge the point is snapped to.
	Edge int
	// OffsetMeters is the distance along the edge from its From node to
	// the foot, between 0 and the edge's length.
	OffsetMeters float64
	// AccessMeters is the straight walk from the point to the foot.
	AccessMeters float64
	// Foot is the nearest point of the edge, in WGS-84.
	Foot orb.Point
}

// indexSegments puts every segment of every edge into the R-tree, keyed by
// the index of its first vertex in pts.
func (g *Graph) indexSegments() {
	for e := range g.edges {
		for i := g.ptOff[e]; i+1 < g.ptOff[e+1]; i++ {
			b := orb.Bound{Min: g.pts[i], Max: g.pts[i]}.Extend(g.pts[i+1])
			g.segTree.Insert(b.Min, b.Max, i)
		}
	}
}

// edgeOfVertex returns the edge whose geometry holds vertex i of pts.
func (g *Graph) edgeOfVertex(i int32) int {
	lo, hi := 0, len(g.edges)
	for lo < hi { // first e with ptOff[e+1] > i
		m := (lo + hi) / 2
		if g.ptOff[m+1] > i {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// Snap returns p's place on the network: the nearest edge within
// maxMeters (DefaultMaxAccessMeters when zero or negative). A point
// farther from every edge gives ErrOffNetwork; one that is not a finite
// lon/lat gives ErrBadGeometry. Of equally near segments the first indexed
// wins, so the result is deterministic.
func (g *Graph) Snap(p orb.Point, maxMeters float64) (Snap, error) {
	if !validPoint(p) {
		return Snap{}, fmt.Errorf("snapping %v: %w", p, ErrBadGeometry)
	}
	if !(maxMeters > 0) {
		maxMeters = DefaultMaxAccessMeters
	}
	local := newProjection(p)
	boxDist := func(min, max [2]float64) float64 {
		dx := math.Max(0, math.Max(min[0]-p[0], p[0]-max[0])) * local.kx
		dy := math.Max(0, math.Max(min[1]-p[1], p[1]-max[1])) * local.ky
		return dx*dx + dy*dy
	}
	limit2 := maxMeters * maxMeters
	best, bestT, bestD2 := int32(-1), 0.0, math.Inf(1)
	g.segTree.Nearby(
		func(min, max [2]float64, i int32, item bool) float64 {
			if !item {
				return boxDist(min, max)
			}
			ax, ay := local.forward(g.pts[i])
			bx, by := local.forward(g.pts[i+1])
			_, d2 := segmentFoot(0, 0, ax, ay, bx, by)
			return d2
		},
		func(_, _ [2]float64, i int32, d2 float64) bool {
			if d2 > limit2 || d2 > bestD2 {
				return false
			}
			if best < 0 || i < best {
				ax, ay := local.forward(g.pts[i])
				bx, by := local.forward(g.pts[i+1])
				bestT, _ = segmentFoot(0, 0, ax, ay, bx, by)
				best, bestD2 = i, d2
			}
			return true
		},
	)
	if best < 0 {
		return Snap{}, fmt.Errorf("snapping %v within %.0f m: %w", p, maxMeters, ErrOffNetwork)
	}
	return g.snapAt(best, bestT, math.Sqrt(bestD2)), nil
}

// snapAt builds the Snap for fraction t of segment i.
func (g *Graph) snapAt(i int32, t, access float64) Snap {
	e := g.edgeOfVertex(i)
	a, b := g.pts[i], g.pts[i+1]
	off := g.cum[i] + t*(g.cum[i+1]-g.cum[i])
	off = math.Max(0, math.Min(off, g.edges[e].length))
	return Snap{
		Edge:         e,
		OffsetMeters: off,
		AccessMeters: access,
		Foot:         orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])},
	}
}

// NodeSnap returns the Snap of node n itself: on its first edge, at offset
// 0 or the edge's length, with no access walk.
func (g *Graph) NodeSnap(n int) Snap {
	i := g.off[n]
	e := g.adjEdge[i]
	s := Snap{Edge: int(e), Foot: g.nodes[n]}
	if g.edges[e].from != int32(n) {
		s.OffsetMeters = g.edges[e].length
	}
	return s
}
