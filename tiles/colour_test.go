package tiles

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// sourceNeighbours returns the pairs of grids (by index) whose source rings
// share at least one edge (the same two vertices, in either direction).
func sourceNeighbours(grids []*geo.Grid) [][2]int {
	type seg [2]orb.Point
	owner := map[seg]int{}
	seen := map[[2]int]bool{}
	var out [][2]int
	for gi, g := range grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					a, b := ring[i], ring[i+1]
					if o, ok := owner[seg{b, a}]; ok && o != gi && !seen[[2]int{o, gi}] {
						seen[[2]int{o, gi}] = true
						out = append(out, [2]int{o, gi})
					}
					owner[seg{a, b}] = gi
				}
			}
		}
	}
	return out
}

// TestColours checks that neighbouring grids (sharing an edge in the
// source data) never get the same colour, that colours are 0-5, and the
// same for communities.
func TestColours(t *testing.T) {
	cases := []struct {
		name string
		r    *Renderer
	}{
		{"test city", newTestRenderer(t, 1)},
		{"reference city", cityRenderer(t)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkLayerColours(t, c.r, idxGrids, c.r.snap.City.Grids)
			var comms []*geo.Grid // communities dressed as grids for sourceNeighbours
			for _, u := range c.r.snap.City.Units {
				if u.Level() == geo.LevelCommunity && len(u.Geometry) > 0 {
					comms = append(comms, &geo.Grid{Code: geo.GridCode(u.Code), Geometry: u.Geometry})
				}
			}
			checkLayerColours(t, c.r, idxCommunities, comms)
		})
	}
}

func checkLayerColours(t *testing.T, r *Renderer, layer int, src []*geo.Grid) {
	t.Helper()
	l := r.layers[layer]
	if l.len() != len(src) {
		t.Fatalf("layer %s has %d features, the source %d", l.info.ID, l.len(), len(src))
	}
	colour := make([]int, len(src))
	used := map[int]int{}
	for i := range l.len() {
		colour[i] = -1
		tags := unpackTags(l.tags.get(int32(i)))
		for j := 0; j+1 < len(tags); j += 2 {
			if l.info.Fields[tags[j]].Name == "color" {
				colour[i] = int(dictValue(t, &l.dict, tags[j+1]).GetUintValue())
			}
		}
		if colour[i] < 0 || colour[i] >= numColours {
			t.Errorf("%s %d: colour %d, want 0-%d", l.info.ID, i, colour[i], numColours-1)
		}
		used[colour[i]]++
	}
	pairs := sourceNeighbours(src)
	for _, p := range pairs {
		if colour[p[0]] == colour[p[1]] {
			t.Errorf("%s %v and %v are neighbours with the same colour %d", l.info.ID, src[p[0]].Code, src[p[1]].Code, colour[p[0]])
		}
	}
	t.Logf("%s: %d neighbour pairs, colours used %v", l.info.ID, len(pairs), used)
}

// TestSmallestLastMatchesScan checks the queue-based smallestLast against
// the plain scan it replaced (pick the smallest degree, then the smallest
// index, n times) on random graphs with many ties.
func TestSmallestLastMatchesScan(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 9))
	for trial := range 50 {
		n := 1 + r.IntN(300)
		adj := make([][]int32, n)
		for range r.IntN(4 * n) {
			a, b := int32(r.IntN(n)), int32(r.IntN(n))
			if a != b {
				adj[a] = append(adj[a], b)
				adj[b] = append(adj[b], a)
			}
		}
		for i := range adj {
			slices.Sort(adj[i])
			adj[i] = slices.Compact(adj[i])
		}
		if got, want := smallestLast(adj), smallestLastScan(adj); !slices.Equal(got, want) {
			t.Fatalf("trial %d (%d nodes): order %v, the scan gives %v", trial, n, got, want)
		}
	}
}

// smallestLastScan is smallestLast by a scan per step (quadratic).
func smallestLastScan(adj [][]int32) []int32 {
	n := len(adj)
	deg := make([]int, n)
	for i, a := range adj {
		deg[i] = len(a)
	}
	removed := make([]bool, n)
	order := make([]int32, n)
	for k := n - 1; k >= 0; k-- {
		best := -1
		for i := 0; i < n; i++ {
			if !removed[i] && (best < 0 || deg[i] < deg[best]) {
				best = i
			}
		}
		removed[best] = true
		order[k] = int32(best)
		for _, nb := range adj[best] {
			deg[nb]--
		}
	}
	return order
}
