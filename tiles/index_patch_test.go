package tiles

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// TestPatchedIndexFindsWhatWholeFinds commits a chain of edits, each
// renderer made from the previous one's, and checks that every layer
// whose spatial index is shared with an earlier version's (patchIndex)
// finds, for random boxes, exactly the features an index built whole
// finds; and that the chain both patches indices and, once too many
// features are outside the shared index, builds them whole again. It
// also checks that the colours, patched (patchColours), are those of a
// whole build with the previous version's colours, and proper.
func TestPatchedIndexFindsWhatWholeFinds(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 8))
	prev, err := NewRenderer(citySnapshot(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	patched, rebuilt := 0, 0
	for step := 0; step < 40; step++ {
		s := prev.Snapshot()
		res := randomTileEdit(t, rnd, s, nil)
		if res == nil {
			continue
		}
		next, err := geo.NewSnapshot(res.Next, s.Version+1)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewRendererFrom(next, Options{}, prev)
		if err != nil {
			t.Fatal(err)
		}
		full, err := NewRendererLabels(next, Options{}, prev.Labels())
		if err != nil {
			t.Fatal(err)
		}
		full.levels.src.topo.indexUsers()
		for li := idxDistricts; li <= idxGrids; li++ {
			if !slices.Equal(r.labels.cols[li], full.labels.cols[li]) {
				t.Fatalf("step %d: the colours of layer %s differ from a whole build's", step, r.layers[li].info.ID)
			}
			adj := adjacency(full.levels.src.topo, li, len(full.labels.cols[li]))
			for v, nbs := range adj {
				for _, w := range nbs {
					if r.labels.cols[li][v] == r.labels.cols[li][w] {
						t.Fatalf("step %d: neighbours %d and %d of layer %s share a colour", step, v, w, r.layers[li].info.ID)
					}
				}
			}
		}
		for li, l := range r.layers {
			if l == prev.layers[li] || li == idxBuildings {
				continue // shared whole, or patched by patchBuildings
			}
			if l.patch == nil {
				rebuilt++
				continue
			}
			patched++
			checkIndexSearch(t, rnd, l, step)
		}
		prev = r
	}
	t.Logf("%d layer indices patched, %d built whole", patched, rebuilt)
	if patched == 0 || rebuilt == 0 {
		t.Errorf("%d layer indices patched, %d built whole: want some of each", patched, rebuilt)
	}
}

// checkIndexSearch compares l's searches with those of an index of l's
// features built whole, for random boxes over l's bound.
func checkIndexSearch(t *testing.T, rnd *rand.Rand, l *layer, step int) {
	t.Helper()
	whole := &layer{info: l.info, ids: l.ids, pts: l.pts, boxes: l.boxes}
	if l.info.kind == kindPoint {
		whole.index = buildIndex(len(l.pts), func(i int) wbound { return wbound{l.pts[i], l.pts[i]} }, true)
	} else {
		whole.index = buildIndex(len(l.boxes), func(i int) wbound { return l.boxes[i] }, false)
	}
	all := whole.index.nodes[len(whole.index.nodes)-1]
	var got, want, stack []int32
	for q := 0; q < 300; q++ {
		w := (all.max[0] - all.min[0]) * rnd.Float64() / 8
		x := all.min[0] + (all.max[0]-all.min[0])*rnd.Float64()
		y := all.min[1] + (all.max[1]-all.min[1])*rnd.Float64()
		b := wbound{wpt{x, y}, wpt{x + w, y + w}}
		got, stack = l.sortedHits(b, got, stack)
		want, stack = whole.sortedHits(b, want, stack)
		if !slices.Equal(got, want) {
			t.Fatalf("step %d, layer %s: the patched index finds %d features, one built whole %d", step, l.info.ID, len(got), len(want))
		}
	}
}

// TestBuildingValuesShared checks that the next buildings dictionary
// shares the earlier one's map of plain values while few values were
// added since it was made, and makes it again, holding every plain value
// and no reference, once more than maxRecentValues were.
func TestBuildingValuesShared(t *testing.T) {
	d := valueDict{resolve: func(int32) string { return "ref" }}
	d.intern(dictKey{s: "a"})
	d.internRef("an address", 0)
	d.intern(dictKey{u: 7, isNum: true})
	shared, own := buildingValues(&d)
	if len(shared) != 2 || len(own) != 0 || shared[dictKey{s: "a"}] != 0 || shared[dictKey{u: 7, isNum: true}] != 2 {
		t.Fatalf("made from a whole dictionary: shared %v, own %v", shared, own)
	}
	d.shared, d.index = shared, map[dictKey]uint32{}
	if i := d.intern(dictKey{s: "a"}); i != 0 {
		t.Fatalf("a, in the shared map, interned again as %d", i)
	}
	d.intern(dictKey{s: "b"})
	again, own := buildingValues(&d)
	if len(again) != len(shared) || len(own) != 1 || own[dictKey{s: "b"}] != 3 {
		t.Fatalf("a few values since: shared %d values, own %v; want the same shared map and b", len(again), own)
	}
	for i := range maxRecentValues + 1 {
		d.intern(dictKey{u: uint64(100 + i), isNum: true})
	}
	shared, own = buildingValues(&d)
	if len(own) != 0 || len(shared) != d.len()-1 {
		t.Fatalf("too many values since: shared %d of %d values, own %d; want all but the reference, none own", len(shared), d.len(), len(own))
	}
}
