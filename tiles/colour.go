package tiles

import "slices"

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
	deg := make([]int, n)
	for i, a := range adj {
		deg[i] = len(a)
	}
	removed := make([]bool, n)
	order := make([]int32, 0, n)
	for len(order) < n {
		best := -1
		for i := 0; i < n; i++ {
			if !removed[i] && (best < 0 || deg[i] < deg[best]) {
				best = i
			}
		}
		removed[best] = true
		order = append(order, int32(best))
		for _, nb := range adj[best] {
			deg[nb]--
		}
	}
	colours := make([]uint8, n)
	done := make([]bool, n)
	for i := n - 1; i >= 0; i-- {
		v := order[i]
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
