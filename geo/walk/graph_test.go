package walk

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestBuildGraph(t *testing.T) {
	cases := []struct {
		name               string
		ways               []Way
		nodes, edges, comp int
		skipped            int
	}{
		{"one way, inner vertex not a node", []Way{{ID: 1, Line: line(0, 0, 50, 0, 100, 0)}}, 2, 1, 1, 0},
		{"cross at a shared vertex", []Way{{ID: 1, Line: line(0, 0, 50, 0, 100, 0)}, {ID: 2, Line: line(50, -50, 50, 0, 50, 50)}}, 5, 4, 1, 0},
		{"crossing without a shared vertex stays apart", []Way{{ID: 1, Line: line(0, 0, 100, 0)}, {ID: 2, Line: line(50, -50, 50, 50)}}, 4, 2, 2, 0},
		{"end on another way's vertex", []Way{{ID: 1, Line: line(0, 0, 50, 0, 100, 0)}, {ID: 2, Line: line(50, 0, 50, 80)}}, 4, 3, 1, 0},
		{"closed loop", []Way{{ID: 1, Line: line(0, 0, 100, 0, 100, 100, 0, 0)}}, 1, 1, 1, 0},
		{"way visiting a vertex twice", []Way{{ID: 1, Line: line(0, -50, 0, 0, 100, 0, 100, 100, 0, 0, -50, 50)}}, 3, 3, 1, 0},
		{"degenerate way skipped", []Way{{ID: 1, Line: line(0, 0, 100, 0)}, {ID: 2, Line: line(5, 5, 5, 5)}}, 2, 1, 1, 1},
		{"two fragments", []Way{{ID: 1, Line: line(0, 0, 100, 0)}, {ID: 2, Line: line(500, 0, 600, 0, 600, 100)}}, 4, 2, 2, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := BuildGraph(c.ways)
			if err != nil {
				t.Fatalf("BuildGraph: %v", err)
			}
			st := g.Stats()
			if st.Nodes != c.nodes || st.Edges != c.edges || st.Components != c.comp || st.SkippedWays != c.skipped {
				t.Errorf("nodes/edges/components/skipped = %d/%d/%d/%d, want %d/%d/%d/%d",
					st.Nodes, st.Edges, st.Components, st.SkippedWays, c.nodes, c.edges, c.comp, c.skipped)
			}
		})
	}
}

func TestBuildGraphMergesNearlyCoincidentEnds(t *testing.T) {
	a := orb.Point{104.8300000, 26.5900000}
	b := orb.Point{104.8310000, 26.5900000}
	c := orb.Point{104.8300000, 26.5910000}
	g, err := BuildGraph([]Way{
		{ID: 1, Line: orb.LineString{a, b}},
		{ID: 2, Line: orb.LineString{{a[0] + 3e-9, a[1] - 4e-9}, c}},
	})
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	if g.NumNodes() != 3 || len(g.Components()) != 1 {
		t.Errorf("nodes = %d, components = %d, want 3 and 1", g.NumNodes(), len(g.Components()))
	}
}

func TestBuildGraphErrors(t *testing.T) {
	cases := []struct {
		name string
		ways []Way
		want error
	}{
		{"no ways", nil, ErrEmptyNetwork},
		{"only degenerate ways", []Way{{ID: 1, Line: orb.LineString{{104, 26}}}}, ErrEmptyNetwork},
		{"NaN", []Way{{ID: 1, Line: orb.LineString{{104, 26}, {math.NaN(), 26}}}}, ErrBadGeometry},
		{"latitude out of range", []Way{{ID: 1, Line: orb.LineString{{104, 26}, {104, 91}}}}, ErrBadGeometry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := BuildGraph(c.ways); !errors.Is(err, c.want) {
				t.Errorf("BuildGraph error = %v, want %v", err, c.want)
			}
		})
	}
}

func TestEdgeLengthsAreGeodesic(t *testing.T) {
	g, err := BuildGraph([]Way{{ID: 1, Line: line(0, 0, 30, 40, 30, 140)}})
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	if got, want := g.Edge(0).LengthMeters, 150.0; math.Abs(got-want) > 0.01 {
		t.Errorf("length = %.4f m, want %.4f", got, want)
	}
}

func TestTownComponentsReported(t *testing.T) {
	tw := newTown(t)
	comps := tw.g.Components()
	if len(comps) != 2 {
		t.Fatalf("components = %d, want 2 (town and fragment): %+v", len(comps), comps)
	}
	main, frag := comps[0], comps[1]
	if frag.Nodes != 2 || frag.Edges != 1 || math.Abs(frag.LengthMeters-400) > 0.5 {
		t.Errorf("fragment = %+v, want 2 nodes, 1 edge, 400 m", frag)
	}
	if main.Nodes+frag.Nodes != tw.g.NumNodes() || main.Edges+frag.Edges != tw.g.NumEdges() {
		t.Errorf("components %+v do not add up to %d nodes, %d edges", comps, tw.g.NumNodes(), tw.g.NumEdges())
	}
	for n := 0; n < tw.g.NumNodes(); n++ {
		tw.g.Neighbors(n, func(to, e int, _ float64) bool {
			if tw.g.ComponentOf(to) != tw.g.ComponentOf(n) || tw.g.EdgeComponent(e) != tw.g.ComponentOf(n) {
				t.Fatalf("edge %d joins components %d and %d", e, tw.g.ComponentOf(n), tw.g.ComponentOf(to))
			}
			return true
		})
	}
}
