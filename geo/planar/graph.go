package planar

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// A Graph is a planar graph of noded segments: segments meet only at
// shared endpoints. Each undirected edge e has two half-edges, 2e (from
// its first point to its second) and 2e+1 (back); Faces traces the cycles
// of half-edges that bound its faces.
type Graph struct {
	// Pts holds the nodes' points, by node id.
	Pts   []orb.Point
	ids   map[orb.Point]int32
	edges map[[2]int32]int32
	org   []int32   // origin node of each half-edge
	out   [][]int32 // outgoing half-edges of each node, by angle once sorted
	pos   []int32   // per half-edge: its place in its node's out list, once sorted
	dead  []bool    // per edge: removed as dangling
}

// NewGraph returns an empty graph with room for about n edges.
func NewGraph(n int) *Graph {
	return &Graph{ids: make(map[orb.Point]int32, n), edges: make(map[[2]int32]int32, n)}
}

// AddEdge adds the undirected edge a-b once and returns its id and
// whether it is new; a zero-length edge is ignored (id -1).
func (g *Graph) AddEdge(a, b orb.Point) (int32, bool) {
	if a == b {
		return -1, false
	}
	u, v := g.node(a), g.node(b)
	key := [2]int32{min(u, v), max(u, v)}
	if e, ok := g.edges[key]; ok {
		return e, false
	}
	e := int32(len(g.org) / 2)
	g.edges[key] = e
	g.org = append(g.org, u, v)
	g.out[u] = append(g.out[u], 2*e)
	g.out[v] = append(g.out[v], 2*e+1)
	g.dead = append(g.dead, false)
	return e, true
}

// node returns the id of point p, adding it if new.
func (g *Graph) node(p orb.Point) int32 {
	if id, ok := g.ids[p]; ok {
		return id
	}
	id := int32(len(g.Pts))
	g.ids[p] = id
	g.Pts = append(g.Pts, p)
	g.out = append(g.out, nil)
	return id
}

// NumEdges returns the number of undirected edges added.
func (g *Graph) NumEdges() int { return len(g.dead) }

// Origin returns the point half-edge h starts at.
func (g *Graph) Origin(h int32) orb.Point { return g.Pts[g.org[h]] }

// Dest returns the point half-edge h ends at.
func (g *Graph) Dest(h int32) orb.Point { return g.Pts[g.org[h^1]] }

// OriginNode returns the node id half-edge h starts at.
func (g *Graph) OriginNode(h int32) int32 { return g.org[h] }

// Live reports whether edge e is still in the graph (not pruned).
func (g *Graph) Live(e int32) bool { return !g.dead[e] }

// PruneDangles removes edges ending at a node of degree one, repeatedly:
// they bound no face.
func (g *Graph) PruneDangles() {
	var queue []int32
	for u, hs := range g.out {
		if len(hs) == 1 {
			queue = append(queue, int32(u))
		}
	}
	for len(queue) > 0 {
		u := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if len(g.out[u]) != 1 {
			continue
		}
		h := g.out[u][0]
		g.dead[h/2] = true
		g.out[u] = nil
		v := g.org[h^1]
		g.out[v] = slices.DeleteFunc(g.out[v], func(k int32) bool { return k == h^1 })
		if len(g.out[v]) == 1 {
			queue = append(queue, v)
		}
	}
}

// sortAngles orders each node's outgoing half-edges counter-clockwise by
// direction and returns each half-edge's position in its node's list.
func (g *Graph) sortAngles() []int32 {
	pos := make([]int32, len(g.org))
	for u, hs := range g.out {
		p := g.Pts[u]
		slices.SortFunc(hs, func(a, b int32) int {
			pa, pb := g.Pts[g.org[a^1]], g.Pts[g.org[b^1]]
			return cmp.Compare(math.Atan2(pa[1]-p[1], pa[0]-p[0]), math.Atan2(pb[1]-p[1], pb[0]-p[0]))
		})
		for i, h := range hs {
			pos[h] = int32(i)
		}
	}
	return pos
}

// Faces traces every face cycle: the cycle holding half-edge h keeps the
// face to the left of h, taking at each node the edge next clockwise from
// the one it arrived along. It returns the cycles as closed rings and the
// cycle of each half-edge (-1 for pruned edges). Bounded faces come out
// counter-clockwise (positive RingArea2); the outside of each connected
// part of the graph comes out clockwise.
func (g *Graph) Faces() (rings []orb.Ring, faceOf []int32) {
	pos := g.sortAngles()
	g.pos = pos
	faceOf = make([]int32, len(g.org))
	for i := range faceOf {
		faceOf[i] = -1
	}
	for h := range int32(len(g.org)) {
		if g.dead[h/2] || faceOf[h] >= 0 {
			continue
		}
		f := int32(len(rings))
		r := orb.Ring{g.Pts[g.org[h]]}
		for e := h; ; {
			faceOf[e] = f
			at := g.org[e^1]
			r = append(r, g.Pts[at])
			nb := g.out[at]
			k := pos[e^1]
			e = nb[(int(k)-1+len(nb))%len(nb)]
			if e == h || faceOf[e] >= 0 {
				break
			}
		}
		if r[0] != r[len(r)-1] {
			r = append(r, r[0])
		}
		rings = append(rings, r)
	}
	return rings, faceOf
}

// Clockwise returns the half-edge leaving the origin of h next clockwise
// from h (h itself when it is the only one). Valid after Faces.
func (g *Graph) Clockwise(h int32) int32 {
	nb := g.out[g.org[h]]
	return nb[(int(g.pos[h])-1+len(nb))%len(nb)]
}
