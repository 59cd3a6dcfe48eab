package walk

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// A Component is a connected part of the graph. Fragments cut off from the
// main network are kept and reported so that data problems stay visible.
type Component struct {
	// ID is the component's index in Graph.Components: 0 is the largest.
	ID int
	// Nodes and Edges count its nodes and edges.
	Nodes, Edges int
	// LengthMeters is the total length of its edges.
	LengthMeters float64
	// Bound is the bounding box of its nodes.
	Bound orb.Bound
}

// Components returns the connected components, largest (by length) first.
// The result is shared: do not modify it.
func (g *Graph) Components() []Component { return g.components }

// ComponentOf returns the index in Components of the component holding
// node n.
func (g *Graph) ComponentOf(n int) int { return int(g.compOf[n]) }

// EdgeComponent returns the index in Components of the component holding
// edge e.
func (g *Graph) EdgeComponent(e int) int { return int(g.compOf[g.edges[e].from]) }

// findComponents labels nodes by breadth-first search, then renumbers the
// components largest first (ties by first node).
func (g *Graph) findComponents() {
	n := len(g.nodes)
	label := make([]int32, n)
	for i := range label {
		label[i] = -1
	}
	var comps []Component
	queue := make([]int32, 0, 64)
	for s := 0; s < n; s++ {
		if label[s] >= 0 {
			continue
		}
		id := int32(len(comps))
		c := Component{ID: int(id), Bound: orb.Bound{Min: g.nodes[s], Max: g.nodes[s]}}
		label[s] = id
		queue = append(queue[:0], int32(s))
		for len(queue) > 0 {
			u := queue[len(queue)-1]
			queue = queue[:len(queue)-1]
			c.Nodes++
			c.Bound = c.Bound.Extend(g.nodes[u])
			for i := g.off[u]; i < g.off[u+1]; i++ {
				if v := g.adjTo[i]; label[v] < 0 {
					label[v] = id
					queue = append(queue, v)
				}
			}
		}
		comps = append(comps, c)
	}
	for _, e := range g.edges {
		c := &comps[label[e.from]]
		c.Edges++
		c.LengthMeters += e.length
	}
	order := make([]int, len(comps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(comps[b].LengthMeters, comps[a].LengthMeters) })
	rank := make([]int32, len(comps))
	g.components = make([]Component, len(comps))
	for r, old := range order {
		rank[old] = int32(r)
		g.components[r] = comps[old]
		g.components[r].ID = r
	}
	for i, l := range label {
		label[i] = rank[l]
	}
	g.compOf = label
}
