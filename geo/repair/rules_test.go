package repair_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/gridmap/gridmap/geo/repair/repairtest"
	"github.com/paulmach/orb"
)

const x0, y0, d = 104.80, 26.50, 0.001 // d is about 100 m

// pt returns the point (x, y) in units of d from (x0, y0).
func pt(x, y float64) orb.Point { return orb.Point{x0 + x*d, y0 + y*d} }

// ring returns the closed ring through the points (x, y) given in units
// of d, in the order given.
func ring(xy ...float64) orb.Ring {
	var r orb.Ring
	for i := 0; i+1 < len(xy); i += 2 {
		r = append(r, pt(xy[i], xy[i+1]))
	}
	return append(r, r[0])
}

// rect returns the rectangle [x1,x2]x[y1,y2], counter-clockwise.
func rect(x1, y1, x2, y2 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{ring(x1, y1, x2, y1, x2, y2, x1, y2)}}
}

func grid(key string, mp orb.MultiPolygon) repair.Grid {
	return repair.Grid{Key: key, Community: "c", Geometry: mp}
}

func community(mp orb.MultiPolygon) []repair.Community {
	return []repair.Community{{Key: "c", Geometry: mp}}
}

// count returns how many repairs of kind k res holds.
func count(res *repair.Result, k repair.Kind) int { return repair.Summarize(res.Repairs).Counts[k] }

// owner returns the key of the repaired grid holding p.
func owner(res *repair.Result, p orb.Point) string {
	for _, g := range res.Grids {
		if planar.MPContains(g.Geometry, p) {
			return g.Key
		}
	}
	return ""
}

// TestRules checks each repair rule on a small layout: the kinds it
// records and who ends up with the area in question.
func TestRules(t *testing.T) {
	cases := []struct {
		name   string
		grids  []repair.Grid
		comms  []repair.Community
		opts   repair.Options
		kinds  []repair.Kind
		at     orb.Point // a point whose owner is checked
		owner  string
		nGrids int
	}{
		{name: "overlap to the longest shared border",
			// b reaches 0.2 into a along a's whole east side: the strip
			// borders a on three sides (longer) and b on one.
			grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(1.8, 0, 4, 2))},
			kinds: []repair.Kind{repair.KindOverlap}, at: pt(1.9, 1), owner: "a", nGrids: 2},
		{name: "overlap to the largest grid",
			grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(1.8, 0, 6, 2))},
			opts:  repair.Options{Overlap: repair.LargestGrid},
			kinds: []repair.Kind{repair.KindOverlap}, at: pt(1.9, 1), owner: "b", nGrids: 2},
		{name: "gap filled by the longest border",
			// a 1 m wide gap of 100 m² that a borders along 100 m, b and
			// d along 50 m each and c along 1 m.
			grids: []repair.Grid{grid("a", rect(0, 0, 2, 1)), grid("b", rect(2.01, 0, 4, 0.5)), grid("d", rect(2.01, 0.5, 4, 1)), grid("c", rect(0, 1, 4, 2))},
			comms: community(rect(0, 0, 4, 2)),
			kinds: []repair.Kind{repair.KindGapFilled}, at: pt(2.005, 0.5), owner: "a", nGrids: 4},
		{name: "outside the community cut off",
			grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(2, 0, 4, 2.2))},
			comms: community(rect(0, 0, 4, 2)),
			kinds: []repair.Kind{repair.KindOutside}, at: pt(3, 2.1), owner: "", nGrids: 2},
		{name: "bow-tie keeps both lobes",
			grids: []repair.Grid{grid("a", orb.MultiPolygon{{ring(0, 0, 2, 2, 2, 0, 0, 2)}})},
			kinds: []repair.Kind{repair.KindInvalidRing}, at: pt(0.2, 1), owner: "a", nGrids: 1},
		{name: "hole touching its shell",
			grids: []repair.Grid{grid("a", orb.MultiPolygon{{ring(0, 0, 4, 0, 4, 4, 0, 4), ring(0, 2, 2, 1, 2, 3)}}),
				grid("b", orb.MultiPolygon{{ring(0, 2, 2, 1, 2, 3)}})},
			kinds: []repair.Kind{repair.KindInvalidRing}, at: pt(1.5, 2), owner: "b", nGrids: 2},
		{name: "repeated feature dropped",
			grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("a", rect(0, 0, 2, 2))},
			kinds: []repair.Kind{repair.KindDuplicate}, at: pt(1, 1), owner: "a", nGrids: 1},
		{name: "repeated points, open ring, mixed winding",
			grids: []repair.Grid{grid("a", orb.MultiPolygon{
				{{pt(0, 0), pt(2, 0), pt(2, 0), pt(2, 2), pt(0, 2)}},
				{ring(5, 5, 5, 6, 6, 6, 6, 5)}})},
			kinds: []repair.Kind{repair.KindDuplicatePoints, repair.KindUnclosed, repair.KindWinding}, at: pt(5.5, 5.5), owner: "a", nGrids: 1},
		{name: "detached sliver to its neighbour",
			// a's second part is a 0.8 m wide strip between c and b,
			// bordering each along 200 m: a sliver, to c (given first).
			grids: []repair.Grid{grid("a", orb.MultiPolygon{{ring(0, 0, 2, 0, 2, 2, 0, 2)}, {ring(4, 0, 4.008, 0, 4.008, 2, 4, 2)}}),
				grid("c", rect(2, 0, 4, 2)), grid("b", rect(4.008, 0, 6, 2))},
			kinds: []repair.Kind{repair.KindSliver}, at: pt(4.004, 1), owner: "c", nGrids: 3},
		{name: "small hole filled in a derived community",
			grids: []repair.Grid{grid("a", orb.MultiPolygon{{ring(0, 0, 4, 0, 4, 4, 0, 4), ring(2, 2, 2.05, 2, 2.05, 2.05, 2, 2.05)}})},
			kinds: []repair.Kind{repair.KindGapFilled}, at: pt(2.02, 2.02), owner: "a", nGrids: 1},
		{name: "large hole left in a derived community",
			grids: []repair.Grid{grid("a", orb.MultiPolygon{{ring(0, 0, 4, 0, 4, 4, 0, 4), ring(1, 1, 3, 1, 3, 3, 1, 3)}})},
			kinds: []repair.Kind{repair.KindGapLeft}, at: pt(2, 2), owner: "", nGrids: 1},
		{name: "vertices within the tolerance snapped",
			// b's west corners 0.3 m east of a's east side: a gap of 60 m²
			// closed by snapping, not by filling.
			grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(2.003, 0, 4, 2))},
			kinds: []repair.Kind{repair.KindSnap}, at: pt(2.0015, 1), owner: "b", nGrids: 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := repair.Grids(tc.grids, tc.comms, tc.opts)
			if err != nil {
				t.Fatalf("Grids: %v", err)
			}
			for _, k := range tc.kinds {
				if count(res, k) == 0 {
					t.Errorf("no %s repair; got %v", k, repair.Summarize(res.Repairs).Counts)
				}
			}
			if got := owner(res, tc.at); got != tc.owner {
				t.Errorf("owner of %v = %q, want %q", tc.at, got, tc.owner)
			}
			if len(res.Grids) != tc.nGrids {
				t.Errorf("%d grids, want %d", len(res.Grids), tc.nGrids)
			}
			repairtest.Partition(t, res, tc.comms, 0.01)
		})
	}
}

// TestFaults checks what cannot be repaired: an *Error naming the grid
// and the reason, and no result.
func TestFaults(t *testing.T) {
	cases := []struct {
		name  string
		grids []repair.Grid
		comms []repair.Community
		grid  string
		want  string
	}{
		{name: "no geometry", grids: []repair.Grid{grid("a", nil)}, grid: "a", want: "no geometry"},
		{name: "no area", grids: []repair.Grid{grid("a", orb.MultiPolygon{{ring(0, 0, 1, 1, 2, 2)}})}, grid: "a", want: "no geometry with an area"},
		{name: "bad coordinate", grids: []repair.Grid{grid("a", orb.MultiPolygon{{{{200, 0}, {201, 0}, {201, 1}, {200, 0}}}})}, grid: "a", want: "not a finite lon/lat"},
		{name: "key twice, different shapes", grids: []repair.Grid{grid("a", rect(0, 0, 1, 1)), grid("a", rect(1, 0, 2, 1))}, grid: "a", want: "used twice with different shapes"},
		{name: "far outside its community", grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(10, 10, 12, 12))},
			comms: community(rect(0, 0, 2, 2)), grid: "b", want: "lies outside its community"},
		{name: "no area left", grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(0, 0, 2, 2))}, grid: "b", want: "no area left"},
		{name: "gap above the threshold", grids: []repair.Grid{grid("a", rect(0, 0, 2, 2)), grid("b", rect(3, 0, 4, 2))},
			comms: community(rect(0, 0, 4, 2)), want: "gap of"},
		{name: "boundary without grids", grids: []repair.Grid{grid("a", rect(0, 0, 2, 2))},
			comms: []repair.Community{{Key: "c", Geometry: rect(0, 0, 2, 2)}, {Key: "empty", Geometry: rect(5, 5, 6, 6)}}, want: "boundary but no grids"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := repair.Grids(tc.grids, tc.comms, repair.Options{})
			var e *repair.Error
			if !errors.As(err, &e) || !errors.Is(err, repair.ErrUnrepairable) || res != nil {
				t.Fatalf("Grids = %v, %v; want an *Error and no result", res, err)
			}
			for _, f := range e.Faults {
				if strings.Contains(f.Reason, tc.want) && f.Grid == tc.grid {
					return
				}
			}
			t.Errorf("faults %v, want one for grid %q with %q", e.Faults, tc.grid, tc.want)
		})
	}
}

// TestOptionsValidate rejects negative and out-of-range tolerances.
func TestOptionsValidate(t *testing.T) {
	for _, o := range []repair.Options{{SnapM: -1}, {GapM2: -0.5}, {MaxOutside: 2}, {Overlap: 9}} {
		if _, err := repair.Grids([]repair.Grid{grid("a", rect(0, 0, 1, 1))}, nil, o); err == nil {
			t.Errorf("Grids with %+v: nil error", o)
		}
	}
}

// TestDeterministic wants the same repair for the same input.
func TestDeterministic(t *testing.T) {
	_, everything, all := roughCity(t, 2)
	has := map[string]bool{}
	for _, g := range everything[:400] {
		has[g.Community] = true
	}
	var grids []repair.Grid
	for _, g := range everything {
		if has[g.Community] {
			grids = append(grids, g)
		}
	}
	var comms []repair.Community
	for _, c := range all {
		if has[c.Key] {
			comms = append(comms, c)
		}
	}
	a, err := repair.Grids(grids, comms, repair.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := repair.Grids(grids, comms, repair.Options{})
	for i := range a.Grids {
		if !orb.Equal(a.Grids[i].Geometry, b.Grids[i].Geometry) {
			t.Fatalf("grid %s differs between two runs", a.Grids[i].Key)
		}
	}
	if len(a.Repairs) != len(b.Repairs) {
		t.Fatalf("%d repairs, then %d", len(a.Repairs), len(b.Repairs))
	}
}
