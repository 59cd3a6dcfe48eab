package tiles

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestSegsConflict(t *testing.T) {
	cases := []struct {
		name string
		a, b seg
		want bool
	}{
		{"crossing", seg{0, 0, 10, 10, 0}, seg{0, 10, 10, 0, 1}, true},
		{"disjoint", seg{0, 0, 10, 0, 0}, seg{0, 5, 10, 5, 1}, false},
		{"shared endpoint", seg{0, 0, 10, 0, 0}, seg{10, 0, 10, 10, 1}, false},
		{"shared endpoint, collinear onward", seg{0, 0, 10, 0, 0}, seg{10, 0, 20, 0, 1}, false},
		{"shared endpoint, folding back", seg{0, 0, 10, 0, 0}, seg{10, 0, 5, 0, 1}, true},
		{"same segment reversed", seg{0, 0, 10, 0, 0}, seg{10, 0, 0, 0, 1}, true},
		{"T touch", seg{0, 0, 10, 0, 0}, seg{5, 0, 5, 10, 1}, true},
		{"collinear overlap", seg{0, 0, 10, 0, 0}, seg{5, 0, 15, 0, 1}, true},
		{"collinear apart", seg{0, 0, 10, 0, 0}, seg{11, 0, 15, 0, 1}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := segsConflict(c.a, c.b); got != c.want {
				t.Errorf("segsConflict(%v, %v) = %v, want %v", c.a, c.b, got, c.want)
			}
			if got := segsConflict(c.b, c.a); got != c.want {
				t.Errorf("segsConflict(%v, %v) = %v, want %v", c.b, c.a, got, c.want)
			}
		})
	}
}

func TestCloseRingAndSpikes(t *testing.T) {
	cases := []struct {
		name string
		in   []int32
		want []int32
	}{
		{"plain", []int32{0, 0, 10, 0, 10, 10}, []int32{0, 0, 10, 0, 10, 10}},
		{"closing vertex", []int32{0, 0, 10, 0, 10, 10, 0, 0}, []int32{0, 0, 10, 0, 10, 10}},
		{"spike at the last vertex", []int32{0, 0, 10, 0, 10, 10, 0, 10, -5, 5, 0, 10}, []int32{0, 0, 10, 0, 10, 10, 0, 10}},
		{"spike at the first vertex", []int32{-5, -5, 0, 0, 10, 0, 10, 10, 0, 0}, []int32{0, 0, 10, 0, 10, 10}},
		{"collapsed", []int32{0, 0, 10, 0, 0, 0}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var pts []int32
			for i := 0; i < len(c.in); i += 2 {
				pts = pushVertex(pts, c.in[i], c.in[i+1])
			}
			if got := closeRing(pts); !slices.Equal(got, c.want) {
				t.Errorf("closeRing(%v) = %v, want %v", c.in, got, c.want)
			}
		})
	}
}

// TestTopologySharesArcs builds two squares sharing an edge and a square
// with a hole filled by a third polygon: the shared edge and the hole
// border must each be one arc, walked in opposite directions.
func TestTopologySharesArcs(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	left := orb.MultiPolygon{{sq(0, 0, 1, 1)}}
	right := orb.MultiPolygon{{sq(1, 0, 2, 1)}}
	hole := sq(0.25, 0.25, 0.75, 0.75)
	slices.Reverse(hole)
	frame := orb.MultiPolygon{{sq(0, 2, 1, 3), orb.Ring{{0.25, 2.25}, {0.25, 2.75}, {0.75, 2.75}, {0.75, 2.25}, {0.25, 2.25}}}}
	filler := orb.MultiPolygon{{sq(0.25, 2.25, 0.75, 2.75)}}
	var srcs []topoSource
	for i, mp := range []orb.MultiPolygon{left, right, frame, filler} {
		srcs = append(srcs, topoSource{layer: idxGrids, index: int32(i), polys: projectPolygons(mp)})
	}
	topo := buildTopology(srcs)
	// left and right: the shared edge, and one arc each for the rest;
	// frame: its exterior (closed) and the hole border shared with filler.
	if topo.arcs.len() != 5 {
		t.Errorf("%d arcs, want 5", topo.arcs.len())
	}
	shared := func(a, b int) []arcRef {
		var out []arcRef
		for _, ra := range topo.features[a].polys[0][len(topo.features[a].polys[0])-1] {
			for _, rb := range topo.features[b].polys[0][0] {
				if ra.id() == rb.id() {
					out = append(out, ra, rb)
				}
			}
		}
		return out
	}
	for _, pair := range [][2]int{{0, 1}, {2, 3}} {
		s := shared(pair[0], pair[1])
		if len(s) != 2 || (s[0] >= 0) == (s[1] >= 0) {
			t.Errorf("features %v share arcs %v, want one arc walked in opposite directions", pair, s)
		}
	}
	adj := adjacency(topo, idxGrids, 4)
	want := [][]int32{{1}, {0}, {3}, {2}}
	for i := range want {
		if !slices.Equal(adj[i], want[i]) {
			t.Errorf("adjacency[%d] = %v, want %v", i, adj[i], want[i])
		}
	}
}

func TestSimplifyArc(t *testing.T) {
	// A nearly straight arc with one real bend, in world units of 1/1000.
	arc := []wpt{{0, 0}, {0.001, 0.0000001}, {0.002, 0}, {0.003, 0.002}, {0.004, 0}}
	got, _ := simplifyArc(nil, arc, 1000, 0.5, nil)
	want := []int32{0, 0, 2, 0, 3, 2, 4, 0}
	if !slices.Equal(got, want) {
		t.Errorf("simplifyArc = %v, want %v", got, want)
	}
	closed := []wpt{{0, 0}, {0.01, 0}, {0.01, 0.01}, {0, 0.01}, {0, 0}}
	got, _ = simplifyArc(nil, closed, 1000, 100, nil)
	if len(got) < 6 {
		t.Errorf("closed arc simplified to %v, want at least its start and farthest vertex", got)
	}
}
