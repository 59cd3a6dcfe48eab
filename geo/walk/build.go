package walk

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// snapScale is the inverse of the grid, in degrees, on which coordinates
// are merged: 1e-7 degrees, about 1 cm.
const snapScale = 1e7

type vkey [2]int64

func keyOf(p orb.Point) vkey {
	return vkey{int64(math.Round(p[0] * snapScale)), int64(math.Round(p[1] * snapScale))}
}

func (k vkey) point() orb.Point {
	return orb.Point{float64(k[0]) / snapScale, float64(k[1]) / snapScale}
}

// WaysFromStreets converts the city's streets to ways, keeping their ids,
// names and classes.
func WaysFromStreets(streets []*geo.Street) []Way {
	ways := make([]Way, 0, len(streets))
	for _, s := range streets {
		if s == nil {
			continue
		}
		ways = append(ways, Way{ID: int64(s.ID), Name: s.Name, Class: s.Class, Line: s.Line})
	}
	return ways
}

// FromStreets builds the graph of the city's streets.
func FromStreets(streets []*geo.Street) (*Graph, error) {
	return BuildGraph(WaysFromStreets(streets))
}

// BuildGraph builds the pedestrian graph of ways. Vertices that agree to
// 1e-7 degrees are merged; a node is made at each way's ends and at every
// vertex used more than once (shared by two ways, or visited twice by one),
// and each way is split there into edges. Ways with fewer than two distinct
// vertices are skipped and counted in Stats. Disconnected parts are kept and
// listed by Components. A coordinate that is not a finite lon/lat gives
// ErrBadGeometry; no edge at all gives ErrEmptyNetwork.
func BuildGraph(ways []Way) (*Graph, error) {
	keys, err := quantizeWays(ways)
	if err != nil {
		return nil, err
	}
	b := newBuilder(len(ways))
	b.markJunctions(keys)
	for i, ks := range keys {
		if len(ks) < 2 {
			b.g.stats.SkippedWays++
			continue
		}
		b.splitWay(int32(len(b.g.ways)), ks)
		w := ways[i]
		b.g.ways = append(b.g.ways, wayMeta{id: w.ID, name: w.Name, class: w.Class})
	}
	g := b.g
	if len(g.edges) == 0 {
		return nil, fmt.Errorf("building walking graph of %d ways: %w", len(ways), ErrEmptyNetwork)
	}
	g.ptOff = append(g.ptOff, int32(len(g.pts)))
	g.stats.Ways = len(ways)
	g.finish()
	return g, nil
}

// quantizeWays snaps each way's vertices to the 1e-7 degree grid and drops
// repeated consecutive vertices.
func quantizeWays(ways []Way) ([][]vkey, error) {
	keys := make([][]vkey, len(ways))
	for i, w := range ways {
		ks := make([]vkey, 0, len(w.Line))
		for j, p := range w.Line {
			if !validPoint(p) {
				return nil, fmt.Errorf("reading way %d vertex %d %v: %w", w.ID, j, p, ErrBadGeometry)
			}
			k := keyOf(p)
			if len(ks) > 0 && ks[len(ks)-1] == k {
				continue
			}
			ks = append(ks, k)
		}
		keys[i] = ks
	}
	return keys, nil
}

type builder struct {
	g     *Graph
	uses  map[vkey]int32 // how many times a vertex is used; -1 marks an end
	nodes map[vkey]int32
}

func newBuilder(nways int) *builder {
	return &builder{
		g:     &Graph{ways: make([]wayMeta, 0, nways)},
		uses:  make(map[vkey]int32, nways*4),
		nodes: make(map[vkey]int32, nways*2),
	}
}

// markJunctions counts vertex uses so that splitWay knows where nodes go.
func (b *builder) markJunctions(keys [][]vkey) {
	for _, ks := range keys {
		if len(ks) < 2 {
			continue
		}
		for j, k := range ks {
			if j == 0 || j == len(ks)-1 {
				b.uses[k] = -1
				continue
			}
			if b.uses[k] >= 0 {
				b.uses[k]++
			}
		}
	}
}

func (b *builder) isNode(k vkey) bool { u := b.uses[k]; return u < 0 || u > 1 }

func (b *builder) node(k vkey) int32 {
	if n, ok := b.nodes[k]; ok {
		return n
	}
	n := int32(len(b.g.nodes))
	b.nodes[k] = n
	b.g.nodes = append(b.g.nodes, k.point())
	return n
}

// splitWay cuts one way at its nodes and appends the edges.
func (b *builder) splitWay(way int32, ks []vkey) {
	g := b.g
	start := 0
	for j := 1; j < len(ks); j++ {
		if j < len(ks)-1 && !b.isNode(ks[j]) {
			continue
		}
		from, to := b.node(ks[start]), b.node(ks[j])
		g.ptOff = append(g.ptOff, int32(len(g.pts)))
		length := 0.0
		for m := start; m <= j; m++ {
			p := ks[m].point()
			if m > start {
				length += haversine(g.pts[len(g.pts)-1], p)
			}
			g.pts = append(g.pts, p)
			g.cum = append(g.cum, length)
		}
		g.edges = append(g.edges, edgeRec{from: from, to: to, way: way, length: length})
		start = j
	}
}

// finish builds the adjacency rows, bounds, projection, segment index and
// components.
func (g *Graph) finish() {
	n := len(g.nodes)
	g.off = make([]int32, n+1)
	for _, e := range g.edges {
		g.off[e.from+1]++
		g.off[e.to+1]++
	}
	for i := 0; i < n; i++ {
		g.off[i+1] += g.off[i]
	}
	m := g.off[n]
	g.adjTo, g.adjEdge, g.adjLen = make([]int32, m), make([]int32, m), make([]float64, m)
	fill := append([]int32(nil), g.off[:n]...)
	add := func(a, b int32, e int, l float64) {
		i := fill[a]
		g.adjTo[i], g.adjEdge[i], g.adjLen[i] = b, int32(e), l
		fill[a]++
	}
	for i, e := range g.edges {
		add(e.from, e.to, i, e.length)
		add(e.to, e.from, i, e.length)
		g.stats.LengthMeters += e.length
	}
	g.bound = orb.MultiPoint(g.pts).Bound()
	g.proj = newProjection(g.bound.Center())
	g.indexSegments()
	g.findComponents()
	g.stats.Nodes, g.stats.Edges, g.stats.Components = n, len(g.edges), len(g.components)
}
