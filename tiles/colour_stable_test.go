package tiles

import (
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// TestColoursStableAcrossAnEdit splits a grid of the reference city and
// renders the next version with the earlier renderer's colours: every
// grid the edit did not touch keeps its colour and neighbours still
// differ (coloured afresh, dozens would change).
func TestColoursStableAcrossAnEdit(t *testing.T) {
	r := cityRenderer(t)
	s := r.Snapshot()
	g := s.City.Grids[len(s.City.Grids)/2]
	mid := g.Bound.Center()[1]
	line := orb.LineString{{g.Bound.Min[0] - 0.001, mid}, {g.Bound.Max[0] + 0.001, mid}}
	res, err := edit.Apply(s, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line}, edit.Options{})
	if err != nil || !res.Valid {
		t.Fatalf("splitting %s: %v %+v", g.Code, err, res.Errors)
	}
	next, err := geo.NewSnapshot(res.Next, s.Version+1)
	if err != nil {
		t.Fatal(err)
	}
	stable, err := NewRendererLabels(next, r.Options(), r.Labels())
	if err != nil {
		t.Fatal(err)
	}
	alone, err := NewRenderer(next, r.Options())
	if err != nil {
		t.Fatal(err)
	}
	checkLayerColours(t, stable, idxGrids, next.City.Grids)
	touched := map[uint64]bool{}
	for _, c := range res.Changes {
		touched[uint64(c.ID)] = true
	}
	kept, recoloured, aloneChanged := 0, 0, 0
	for _, ng := range next.City.Grids {
		k := colourKey{idxGrids, uint64(ng.ID)}
		was, ok := r.labels.colourMap()[k]
		if !ok || touched[k.id] {
			continue
		}
		if stable.labels.colourMap()[k] == was {
			kept++
		} else {
			recoloured++
			t.Errorf("grid %s, untouched by the split, changed colour %d -> %d", ng.Code, was, stable.labels.colourMap()[k])
		}
		if alone.labels.colourMap()[k] != was {
			aloneChanged++
		}
	}
	if kept < len(next.City.Grids)/2 {
		t.Errorf("only %d untouched grids compared", kept)
	}
	t.Logf("split %s: %d untouched grids kept their colour, %d recoloured; coloured afresh, %d would have changed",
		g.Code, kept, recoloured, aloneChanged)
}

// TestStableColoursFallBack checks stableColours on small graphs: earlier
// colours are kept unless a neighbour kept the same, new nodes take a free
// colour, and a node left with no free colour makes the whole graph
// coloured afresh, still validly.
func TestStableColoursFallBack(t *testing.T) {
	// A path 0-1-2 whose ends were both colour 1 and whose middle is new.
	path := [][]int32{{1}, {0, 2}, {1}}
	got := stableColours(path, []int16{1, -1, 1})
	if got[0] != 1 || got[2] != 1 || got[1] == 1 {
		t.Errorf("path: %v, want the ends kept at 1 and the middle another colour", got)
	}
	// Two neighbours that both had colour 2: the first keeps it.
	pair := [][]int32{{1}, {0}}
	if got := stableColours(pair, []int16{2, 2}); got[0] != 2 || got[1] == 2 {
		t.Errorf("pair: %v, want [2 x] with x != 2", got)
	}
	// A wheel: a new hub whose six rim nodes kept six different colours
	// finds none free, so everything is coloured afresh.
	wheel := make([][]int32, 7)
	for i := int32(1); i <= 6; i++ {
		prev, next := (i+4)%6+1, i%6+1
		wheel[i] = []int32{0, prev, next}
		wheel[0] = append(wheel[0], i)
	}
	got = stableColours(wheel, []int16{-1, 0, 1, 2, 3, 4, 5})
	for v, nbs := range wheel {
		for _, nb := range nbs {
			if got[v] == got[nb] {
				t.Errorf("wheel: %d and %d share colour %d (%v)", v, nb, got[v], got)
			}
		}
	}
}
