package walk

import (
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// A Way is one walkable polyline handed to BuildGraph: a street segment, a
// GeoJSON LineString or an OpenStreetMap way.
type Way struct {
	// ID is the source's id (a geo.StreetID or an OSM way id).
	ID int64
	// Name is the street name; it may be empty.
	Name string
	// Class is the road class (primary, secondary, tertiary, alley, or an
	// OSM highway value).
	Class string
	// Line is the way's geometry in WGS-84.
	Line orb.LineString
}

// An Edge is a stretch of one way between two nodes of the graph.
type Edge struct {
	// From and To are the edge's end nodes; its geometry runs From to To.
	From, To int
	// LengthMeters is the sum of the haversine lengths of its segments.
	LengthMeters float64
	// Way is the index of the way it comes from in the graph's input.
	Way int
}

// A Graph is an undirected pedestrian network: nodes at way ends and at
// vertices shared by two or more ways (or visited twice by one), edges
// between them carrying the ways' geometry. Coordinates are merged when they
// agree to 1e-7 degrees (about 1 cm). Adjacency is stored in compressed
// sparse rows. A Graph is immutable and safe for concurrent use.
type Graph struct {
	nodes []orb.Point
	edges []edgeRec
	ways  []wayMeta

	// Compressed sparse rows: the half-edges of node n are
	// [off[n], off[n+1]) in adjTo, adjEdge and adjLen.
	off     []int32
	adjTo   []int32
	adjEdge []int32
	adjLen  []float64

	// Edge geometry: edge e's vertices are pts[ptOff[e]:ptOff[e+1]], with
	// cum the distance in meters from the edge's start to each vertex.
	ptOff []int32
	pts   []orb.Point
	cum   []float64

	segTree rtree.RTreeG[int32]
	proj    projection
	bound   orb.Bound

	compOf     []int32
	components []Component
	stats      GraphStats
}

type edgeRec struct {
	from, to int32
	way      int32
	length   float64
}

type wayMeta struct {
	id          int64
	name, class string
}

// GraphStats summarises how a graph was built.
type GraphStats struct {
	// Ways is the number of ways given; SkippedWays those dropped for
	// having fewer than two distinct vertices.
	Ways, SkippedWays int
	// Nodes and Edges count the graph's nodes and edges.
	Nodes, Edges int
	// LengthMeters is the total length of the edges.
	LengthMeters float64
	// Components is the number of connected components.
	Components int
}

// NumNodes returns the number of nodes.
func (g *Graph) NumNodes() int { return len(g.nodes) }

// NumEdges returns the number of edges.
func (g *Graph) NumEdges() int { return len(g.edges) }

// Node returns node n's position in WGS-84.
func (g *Graph) Node(n int) orb.Point { return g.nodes[n] }

// Edge returns edge e.
func (g *Graph) Edge(e int) Edge {
	r := g.edges[e]
	return Edge{From: int(r.from), To: int(r.to), LengthMeters: r.length, Way: int(r.way)}
}

// EdgeLine returns a copy of edge e's geometry, from its From node to its
// To node.
func (g *Graph) EdgeLine(e int) orb.LineString {
	return append(orb.LineString(nil), g.pts[g.ptOff[e]:g.ptOff[e+1]]...)
}

// EdgeWay returns the id, name and class of the way edge e comes from.
func (g *Graph) EdgeWay(e int) (id int64, name, class string) {
	w := g.ways[g.edges[e].way]
	return w.id, w.name, w.class
}

// Degree returns the number of half-edges at node n (a loop counts twice).
func (g *Graph) Degree(n int) int { return int(g.off[n+1] - g.off[n]) }

// Neighbors calls fn for each half-edge at node n with the node at its
// other end, the edge and its length, until fn returns false.
func (g *Graph) Neighbors(n int, fn func(to, edge int, lengthMeters float64) bool) {
	for i := g.off[n]; i < g.off[n+1]; i++ {
		if !fn(int(g.adjTo[i]), int(g.adjEdge[i]), g.adjLen[i]) {
			return
		}
	}
}

// Bound returns the bounding box of the graph's geometry.
func (g *Graph) Bound() orb.Bound { return g.bound }

// Stats returns the graph's build summary.
func (g *Graph) Stats() GraphStats { return g.stats }
