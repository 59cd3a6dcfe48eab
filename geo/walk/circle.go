package walk

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// CircleOptions configure the display polygon of a reach. The zero value
// gives the defaults.
type CircleOptions struct {
	// CellMeters is the raster's cell size. Default 12 m; it grows when a
	// circle would need more than MaxCells cells.
	CellMeters float64
	// BufferMeters is the half-width drawn around every reached street at
	// the edge of the reach. Default 50 m.
	BufferMeters float64
	// TaperSlope widens the buffer where the walk has time to spare: a
	// street reached at d meters under a band of L meters is drawn
	// BufferMeters + (L-d)/TaperSlope wide on each side. It also keeps
	// the boundaries of nested bands apart. Default 40.
	TaperSlope float64
	// MinHoleAreaMeters2 fills holes smaller than this (street blocks
	// enclosed by reached streets). Default 40,000 m² (4 ha).
	MinHoleAreaMeters2 float64
	// MinIslandAreaMeters2 drops outer rings smaller than this. Default
	// 200 m².
	MinIslandAreaMeters2 float64
	// SimplifyMeters is the Douglas-Peucker tolerance applied to each
	// ring. Default 0.5 m; negative disables it.
	SimplifyMeters float64
	// MaxCells caps the raster size. Default 4,000,000.
	MaxCells int
}

func (o CircleOptions) withDefaults() CircleOptions {
	def := func(v *float64, d float64) {
		if !(*v > 0) {
			*v = d
		}
	}
	def(&o.CellMeters, 12)
	def(&o.BufferMeters, 50)
	def(&o.TaperSlope, 40)
	def(&o.MinHoleAreaMeters2, 40000)
	def(&o.MinIslandAreaMeters2, 200)
	if o.SimplifyMeters == 0 {
		o.SimplifyMeters = 0.5
	}
	if o.MaxCells <= 0 {
		o.MaxCells = 4_000_000
	}
	return o
}

// Circle draws the display polygons of a reach for the given bands, in
// meters (default: the reach's own limit). Each band must lie in
// 1-r.LimitMeters. The polygons come from one distance field, so bands
// drawn in one call nest exactly: the polygon of a smaller band lies
// inside that of a larger one. Each is a valid MultiPolygon in WGS-84,
// outer rings counter-clockwise and holes clockwise, with holes smaller than
// MinHoleAreaMeters2 filled. The polygon is a picture; coverage is decided
// by network distance, not by it.
func (n *Network) Circle(r *Reach, bandsMeters ...float64) ([]orb.MultiPolygon, error) {
	if r == nil {
		return nil, fmt.Errorf("drawing circle: %w: no reach", ErrLimitRange)
	}
	if len(bandsMeters) == 0 {
		bandsMeters = []float64{r.LimitMeters}
	}
	top := 0.0
	for _, b := range bandsMeters {
		if math.IsNaN(b) || b < MinLimitMeters || b > r.LimitMeters {
			return nil, fmt.Errorf("drawing circle: %w: band %v m outside %v-%v", ErrLimitRange, b, MinLimitMeters, r.LimitMeters)
		}
		top = math.Max(top, b)
	}
	s := n.getScratch()
	defer n.putScratch(s)
	c := n.circleScratch()
	defer n.putCircleScratch(c)
	c.pieces = c.pieces[:0]
	c.proj = n.circleProjection(r)
	n.reachPieces(s, c, r, top)
	f := c.rasterize(n.opt.Circle, top)
	out := make([]orb.MultiPolygon, len(bandsMeters))
	for i, b := range bandsMeters {
		out[i] = c.contour(f, b, n.opt.Circle, c.proj)
	}
	return out, nil
}

// circleProjection centres the drawing on the first source, rounded to
// 0.01 degrees so that nearby circles share a lattice.
func (n *Network) circleProjection(r *Reach) projection {
	p := n.g.bound.Center()
	switch {
	case len(r.Sources) > 0:
		p = r.Sources[0].Point
	case len(r.Nodes) > 0:
		p = n.g.nodes[r.Nodes[0].Node]
	}
	return newProjection(orb.Point{math.Round(p[0]*100) / 100, math.Round(p[1]*100) / 100})
}

// A piece is one straight stretch of reached street in the graph's
// projection (meters), with the network distance at each end.
type piece struct {
	x1, y1, d1 float64
	x2, y2, d2 float64
}

// reachPieces lists the reached stretches within top meters: each edge at a
// settled node walked from that end as far as the budget allows, each
// source's edge walked both ways from its foot, and each source's access
// walk.
func (n *Network) reachPieces(s *scratch, c *circleScratch, r *Reach, top float64) {
	g := n.g
	for _, nr := range r.Nodes {
		if nr.DistanceMeters <= top {
			s.stamp[nr.Node], s.done[nr.Node], s.dist[nr.Node] = s.gen, s.gen, nr.DistanceMeters
		}
	}
	for _, nr := range r.Nodes {
		u := nr.Node
		if s.done[u] != s.gen {
			continue
		}
		for i := g.off[u]; i < g.off[u+1]; i++ {
			e := g.adjEdge[i]
			if s.edgeStamp[e] == s.gen {
				continue
			}
			s.edgeStamp[e] = s.gen
			rec := g.edges[e]
			du, dv := s.nodeDist(rec.from), s.nodeDist(rec.to)
			// Each end draws up to where the other end is nearer.
			meet := (rec.length + dv - du) / 2
			if du <= top {
				n.walkEdge(c, e, 0, +1, du, min(top, du+meet))
			}
			if dv <= top {
				n.walkEdge(c, e, rec.length, -1, dv, min(top, dv+(rec.length-meet)))
			}
		}
	}
	for _, src := range r.Sources {
		sn := src.Snap
		a := sn.AccessMeters
		if a > top {
			continue
		}
		n.walkEdge(c, int32(sn.Edge), sn.OffsetMeters, +1, a, top)
		n.walkEdge(c, int32(sn.Edge), sn.OffsetMeters, -1, a, top)
		x1, y1 := c.proj.forward(src.Point)
		x2, y2 := c.proj.forward(sn.Foot)
		c.pieces = append(c.pieces, piece{x1, y1, 0, x2, y2, a})
	}
}

// walkEdge emits the pieces of edge e from offset start in direction dir
// (+1 towards To, -1 towards From), starting at distance d0, until the
// distance reaches top or the edge ends.
func (n *Network) walkEdge(c *circleScratch, e int32, start float64, dir int, d0, top float64) {
	g := n.g
	lo, hi := g.ptOff[e], g.ptOff[e+1]
	cum := g.cum[lo:hi]
	pts := g.pts[lo:hi]
	at := func(k int, off float64) (float64, float64) { // point at offset off in segment k
		t := 0.0
		if l := cum[k+1] - cum[k]; l > 0 {
			t = (off - cum[k]) / l
		}
		t = math.Max(0, math.Min(1, t))
		a, b := pts[k], pts[k+1]
		return c.proj.forward(orb.Point{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])})
	}
	budget := top - d0
	for k := 0; k+1 < len(cum); k++ {
		var from, to float64 // offsets along the edge, in walking order
		if dir > 0 {
			from, to = math.Max(cum[k], start), math.Min(cum[k+1], start+budget)
		} else {
			from, to = math.Min(cum[k+1], start), math.Max(cum[k], start-budget)
		}
		if (dir > 0 && from >= to) || (dir < 0 && from <= to) {
			continue
		}
		x1, y1 := at(k, from)
		x2, y2 := at(k, to)
		c.pieces = append(c.pieces, piece{x1, y1, d0 + math.Abs(from-start), x2, y2, d0 + math.Abs(to-start)})
	}
}
