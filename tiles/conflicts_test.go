package tiles

import (
	"slices"
	"testing"

	"github.com/tidwall/rtree"
)

// badArcs is the R-tree search conflictsAmong replaced, kept as its
// reference. It returns, sorted and without repeats, the arcs whose simplified
// segments cross or overlap a segment of another arc or of themselves,
// or touch one anywhere but at shared endpoints. Only arcs with want[a]
// set are checked; nil arcs are skipped.
func badArcs(arcs [][]int32, want []bool) []int32 {
	var segs []seg
	for a, pts := range arcs {
		if !want[a] {
			continue
		}
		for i := 0; i+3 < len(pts); i += 2 {
			segs = append(segs, seg{pts[i], pts[i+1], pts[i+2], pts[i+3], int32(a)})
		}
	}
	var tr rtree.RTreeGN[int32, int32]
	for i, s := range segs {
		lo, hi := s.box()
		tr.Insert(lo, hi, int32(i))
	}
	bad := make([]bool, len(arcs))
	for i, s := range segs {
		lo, hi := s.box()
		tr.Search(lo, hi, func(_, _ [2]int32, j int32) bool {
			if int(j) > i && segsConflict(s, segs[j]) {
				bad[s.arc], bad[segs[j].arc] = true, true
			}
			return true
		})
	}
	var out []int32
	for a, b := range bad {
		if b {
			out = append(out, int32(a))
		}
	}
	return out
}

// TestConflictsMatchRTree checks that the cell index finds the arcs in
// conflict that the R-tree search found, on the reference city's arcs at
// every zoom and at tolerances high enough to make crossings.
func TestConflictsMatchRTree(t *testing.T) {
	r := cityRenderer(t)
	topo := r.levels.src.topo
	want := make([]bool, topo.arcs.len())
	for i := range want {
		want[i] = true
	}
	found := 0
	for z := uint32(0); z <= 16; z += 2 {
		for _, tol := range []float64{2, 16, 64} {
			arcs := make([][]int32, topo.arcs.len())
			var keep []bool
			for a := range arcs {
				arcs[a], keep = simplifyArc(nil, topo.arcs.at(a), worldScale(z), tol, keep)
			}
			pairs, _ := conflictsAmong(arcs, want)
			got, ref := pairArcs(pairs), badArcs(arcs, want)
			if !slices.Equal(got, ref) {
				t.Fatalf("z%d tolerance %g: %d arcs in conflict, the R-tree finds %d", z, tol, len(got), len(ref))
			}
			found += len(got)
		}
	}
	if found == 0 {
		t.Fatal("no conflicts at any zoom: the comparison proves nothing")
	}
	t.Logf("%d arcs in conflict over the zooms, as the R-tree finds", found)
}
