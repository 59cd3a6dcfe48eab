package tiles

import (
	"container/heap"
	"slices"
)

// numColours is the number of colour indices handed out: planar maps need
// at most six with smallest-last greedy colouring.
const numColours = 6

// adjacency returns, per feature of a layer (by index inside the layer),
// its neighbours in the same layer: the features whose rings share an arc
// with it. Lists are sorted and hold no repeats.
func adjacency(t *topology, layer, n int) [][]int32 {
	adj := make([][]int32, n)
	var same []int32
	for _, users := range t.users {
		same = same[:0]
		for _, fi := range users {
			if f := t.features[fi]; f.layer == layer {
				same = append(same, f.index)
			}
		}
		for i, a := range same {
			for _, b := range same[i+1:] {
				if a != b {
					adj[a] = append(adj[a], b)
					adj[b] = append(adj[b], a)
				}
			}
		}
	}
	for i := range adj {
		slices.Sort(adj[i])
		adj[i] = slices.Compact(adj[i])
	}
	return adj
}

// colourGraph gives every node a colour 0..numColours-1 so that
// neighbours differ: nodes are removed smallest degree first (ties by
// index) and coloured greedily in the reverse order. On a planar graph
// this never needs more than six colours; if a node still finds all six
// taken, it gets the one fewest of its neighbours use.
func colourGraph(adj [][]int32) []uint8 {
	n := len(adj)
	order := smallestLast(adj)
	colours := make([]uint8, n)
	done := make([]bool, n)
	for _, v := range order {
		var used [numColours]int
		for _, nb := range adj[v] {
			if done[nb] {
				used[colours[nb]]++
			}
		}
		c := 0
		for k := range used {
			if used[k] < used[c] {
				c = k
			}
			if used[k] == 0 {
				c = k
				break
			}
		}
		colours[v], done[v] = uint8(c), true
	}
	return colours
}

// smallestLast returns the order in which colourGraph colours the nodes:
// nodes are removed smallest degree first (ties by index), and coloured
// in the reverse order.
func smallestLast(adj [][]int32) []int32 {
	n := len(adj)
	deg := make([]int, n)
	for i, a := range adj {
		deg[i] = len(a)
	}
	removed := make([]bool, n)
	order := make([]int32, n)
	// The queue holds (degree, node) entries; an entry whose degree is no
	// longer its node's is stale and skipped, so the node taken is always
	// one of smallest degree, the smallest index among those.
	q := make(degreeQueue, n)
	for i := range n {
		q[i] = degreeEntry{int32(deg[i]), int32(i)}
	}
	heap.Init(&q)
	for k := n - 1; k >= 0; {
		e := heap.Pop(&q).(degreeEntry)
		best := e.node
		if removed[best] || int(e.deg) != deg[best] {
			continue
		}
		removed[best] = true
		order[k] = best
		k--
		for _, nb := range adj[best] {
			deg[nb]--
			if !removed[nb] {
				heap.Push(&q, degreeEntry{int32(deg[nb]), nb})
			}
		}
	}
	return order
}

// A degreeEntry is a node and its degree when it was queued.
type degreeEntry struct{ deg, node int32 }

// A degreeQueue is a min-heap of entries by degree, then node.
type degreeQueue []degreeEntry

func (q degreeQueue) Len() int { return len(q) }
func (q degreeQueue) Less(i, j int) bool {
	return q[i].deg < q[j].deg || q[i].deg == q[j].deg && q[i].node < q[j].node
}
func (q degreeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *degreeQueue) Push(x any)   { *q = append(*q, x.(degreeEntry)) }
func (q *degreeQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// A colourKey names a polygon across versions: its layer and its id (a
// grid's stable id, a unit's code), as labelKey.id gives it.
type colourKey struct {
	layer int
	id    uint64
}

// layerColours colours the polygons of every layer. before[layer][index]
// is each one's earlier colour, -1 for none; a nil layer knows none. With
// no earlier colours it is colourGraph's colouring; otherwise polygons keep
// their earlier colour while no neighbour keeps the same one, so an edit
// recolours only the grids it made and, where needed, their neighbours
// (stableColours). dirty, when not nil, marks by layer the polygons whose
// neighbours or earlier colour may have changed since a properly coloured
// earlier version (colourDirty): then only those and their neighbours are
// looked at (patchColours; box gives a topology feature's world box).
func layerColours(topo *topology, count *[numLayers]int32, before *[numLayers][]int16, dirty *[numLayers][]bool, box func(fi int) wbound) [numLayers][]uint8 {
	var out [numLayers][]uint8
	for li := idxDistricts; li <= idxGrids; li++ {
		if dirty != nil {
			if c, ok := patchColours(topo, li, int(count[li]), before[li], dirty[li], box); ok {
				out[li] = c
				continue
			}
		}
		if topo.users == nil {
			topo.indexUsers()
		}
		adj := adjacency(topo, li, int(count[li]))
		if slices.ContainsFunc(before[li], func(c int16) bool { return c >= 0 }) {
			out[li] = stableColours(adj, before[li])
		} else {
			out[li] = colourGraph(adj)
		}
	}
	return out
}

// labelsBefore returns the earlier colours prev (nil for none) gives the
// polygons of every layer (ids[layer][index] is each one's id), for
// layerColours.
func labelsBefore(prev *Labels, ids *[numLayers][]uint64) *[numLayers][]int16 {
	var before [numLayers][]int16
	if prev == nil {
		return &before
	}
	for li := idxDistricts; li <= idxGrids; li++ {
		before[li] = make([]int16, len(ids[li]))
		for i, id := range ids[li] {
			before[li][i] = -1
			if c, ok := prev.colour(colourKey{li, id}); ok {
				before[li][i] = int16(c)
			}
		}
	}
	return &before
}

// stableColours colours the graph keeping each node's earlier colour
// (before, -1 for none) unless a neighbour already kept it (keepColours
// with every node a candidate). When some node finds all six taken, the
// whole graph is coloured afresh by colourGraph: valid colours matter
// more than stable ones.
func stableColours(adj [][]int32, before []int16) []uint8 {
	all := make([]int32, len(adj))
	for v := range all {
		all[v] = int32(v)
	}
	colours, ok := keepColours(len(adj), func(v int32) []int32 { return adj[v] }, before, all, nil)
	if !ok {
		return colourGraph(adj)
	}
	return colours
}

// keepColours colours n nodes, nb giving a candidate's neighbours. The
// nodes that are not candidates (cand, ascending, and isCand, nil when
// every node is one) keep their earlier colour (before) without question:
// the caller knows no neighbour keeps the same. The candidates keep
// theirs, in ascending order, unless a neighbour already kept it; the
// others then take, in smallest-last order of the graph among them
// (smallestLastAmong), the first colour none of their coloured neighbours
// has. It reports false when some node finds all six taken.
func keepColours(n int, nb func(v int32) []int32, before []int16, cand []int32, isCand []bool) ([]uint8, bool) {
	colours := make([]uint8, n)
	done := make([]bool, n)
	if isCand != nil {
		for v := range n {
			if !isCand[v] {
				colours[v], done[v] = uint8(before[v]), true
			}
		}
	}
	free := func(v int32) (uint8, bool) {
		var used [numColours]bool
		for _, w := range nb(v) {
			if done[w] {
				used[colours[w]] = true
			}
		}
		if b := before[v]; b >= 0 && b < numColours && !used[b] {
			return uint8(b), true
		}
		for c, u := range used {
			if !u {
				return uint8(c), true
			}
		}
		return 0, false
	}
	var rest []int32
	for _, v := range cand {
		if b := before[v]; b >= 0 && b < numColours {
			if c, ok := free(v); ok && int16(c) == b {
				colours[v], done[v] = c, true
				continue
			}
		}
		rest = append(rest, v)
	}
	for _, v := range smallestLastAmong(n, nb, rest) {
		c, ok := free(v)
		if !ok {
			return nil, false
		}
		colours[v], done[v] = c, true
	}
	return colours, true
}

// smallestLastAmong returns smallestLast's order of the graph among
// nodes (ascending, of a graph of n nodes, nb giving a node's
// neighbours): ties go to the smaller node.
func smallestLastAmong(n int, nb func(v int32) []int32, nodes []int32) []int32 {
	if len(nodes) == 0 {
		return nil
	}
	local := make(map[int32]int32, len(nodes))
	if len(nodes) == n {
		local = nil
	}
	for i, v := range nodes {
		if local != nil {
			local[v] = int32(i)
		}
	}
	adj := make([][]int32, len(nodes))
	for i, v := range nodes {
		for _, w := range nb(v) {
			if local == nil {
				adj[i] = append(adj[i], w)
			} else if j, ok := local[w]; ok {
				adj[i] = append(adj[i], j)
			}
		}
	}
	order := smallestLast(adj)
	for k, i := range order {
		order[k] = nodes[i]
	}
	return order
}
