package edit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

func TestApplyRejected(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	far1, far2 := distantPair(t, s, u.Code)
	other := otherCommunityGrid(t, s, u.Code)
	edge, onEdge := boundaryGrid(t, s, u)
	mid := midpoint(sharedChain(t, a, b))
	c, _ := pointOnSurface(a.Geometry)
	at := func(pts ...[2]float64) orb.Ring { // a ring of offsets in meters from c
		kx, ky := metersPerDegree(c[1])
		r := make(orb.Ring, len(pts))
		for i, p := range pts {
			r[i] = orb.Point{c[0] + p[0]/kx, c[1] + p[1]/ky}
		}
		return r
	}
	unknown, _ := geo.NewGridCode(u.Code, 998)
	layout := layoutOf(t, s, u.Code)
	wrongLayout := append(layoutOf(t, s, u.Code), LayoutGrid{Code: other.Code, Geometry: other.Geometry})
	cases := []struct {
		name string
		op   Op
		opts Options
		want ProblemCode
	}{
		{"overlap", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: withGeometry(layout, a.Code, mustUnion(t, a.Geometry, square(mid, 20)))}, Options{}, CodeOverlap},
		{"gap", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: withGeometry(layout, a.Code, mustDifference(t, a.Geometry, square(c, 10)))}, Options{}, CodeGap},
		{"gap from a missing grid", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: withGeometry(layout, b.Code, nil)}, Options{}, CodeGap},
		{"self-intersection", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{at([2]float64{0, 0}, [2]float64{60, 60}, [2]float64{60, 0}, [2]float64{0, 30}, [2]float64{0, 0})}}}, Options{}, CodeSelfIntersection},
		{"spike", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{at([2]float64{0, 0}, [2]float64{40, 0}, [2]float64{40, 40}, [2]float64{60, 60}, [2]float64{40, 40}, [2]float64{0, 40}, [2]float64{0, 0})}}}, Options{}, CodeSpike},
		{"empty ring", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{{}}}}, Options{}, CodeEmptyRing},
		{"polygon without rings", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{}}}, Options{}, CodeEmptyRing},
		{"degenerate ring", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{at([2]float64{0, 0}, [2]float64{40, 0}, [2]float64{0, 0})}}}, Options{}, CodeDegenerateRing},
		{"collinear ring", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{at([2]float64{0, 0}, [2]float64{40, 0}, [2]float64{80, 0}, [2]float64{0, 0})}}}, Options{}, CodeDegenerateRing},
		{"unclosed ring", Op{Kind: KindReplace, Grid: a.Code, Geometry: orb.MultiPolygon{{at([2]float64{0, 0}, [2]float64{40, 0}, [2]float64{40, 40}, [2]float64{0, 40})}}}, Options{}, CodeUnclosedRing},
		{"outside community", Op{Kind: KindReplace, Grid: edge.Code, Geometry: mustUnion(t, edge.Geometry, square(onEdge, 30))}, Options{}, CodeOutsideCommunity},
		{"wrong community merge", Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, other.Code}}, Options{}, CodeWrongCommunity},
		{"wrong community layout", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: wrongLayout}, Options{}, CodeWrongCommunity},
		{"unknown grid", Op{Kind: KindSplit, Grid: unknown, Line: lineAcross(t, a, 0)}, Options{}, CodeUnknownGrid},
		{"unknown community", Op{Kind: KindCreate, Community: geo.DivisionCode(520201099199), Geometry: square(c, 10)}, Options{}, CodeUnknownCommunity},
		{"not neighbours merge", Op{Kind: KindMerge, Grids: []geo.GridCode{far1.Code, far2.Code}}, Options{}, CodeNotNeighbours},
		{"not neighbours move", Op{Kind: KindMoveBoundary, Grids: []geo.GridCode{far1.Code, far2.Code}, Line: lineAcross(t, far1, 0)}, Options{}, CodeNotNeighbours},
		{"not neighbours retire", Op{Kind: KindRetire, Grid: far1.Code, Into: []geo.GridCode{far2.Code}}, Options{}, CodeNotNeighbours},
		{"line outside the grid", Op{Kind: KindSplit, Grid: a.Code, Line: orb.LineString{{c[0] + 0.1, c[1]}, {c[0] + 0.2, c[1]}}}, Options{}, CodeNoCut},
		{"line ending inside", Op{Kind: KindSplit, Grid: a.Code, Line: orb.LineString{c, {c[0] + 0.2, c[1]}}}, Options{}, CodeNoCut},
		{"self-crossing line", Op{Kind: KindSplit, Grid: a.Code, Line: zigzag(c)}, Options{}, CodeSelfIntersection},
		{"grid swallowed", Op{Kind: KindCreate, Community: u.Code, Geometry: orb.MultiPolygon{{b.Bound.Pad(1e-4).ToRing()}}}, Options{}, CodeEmptyGrid},
		{"code in use", Op{Kind: KindCreate, Community: u.Code, Code: a.Code, Geometry: square(mid, 20)}, Options{}, CodeCodeTaken},
		{"duplicate grid", Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, a.Code}}, Options{}, CodeDuplicateGrid},
		{"part count", Op{Kind: KindSplit, Grid: a.Code, Line: lineAcross(t, a, 0), Codes: []geo.GridCode{a.Code, 0, 0, 0, 0}}, Options{}, CodePartCount},
		{"building unassigned", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: withGeometry(layout, b.Code, nil)}, Options{ToleranceM2: 1e6}, CodeBuildingUnassigned},
		{"building ambiguous", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: withGeometry(layout, a.Code, mustUnion(t, a.Geometry, b.Geometry))}, Options{ToleranceM2: 1e6}, CodeBuildingAmbiguous},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Apply(s, tc.op, tc.opts)
			if err != nil {
				t.Fatalf("Apply error: %v", err)
			}
			if res.Valid || res.Next != nil || !hasProblem(res, tc.want) {
				t.Fatalf("Apply: valid %v, errors %v; want invalid with %s", res.Valid, res.Errors, tc.want)
			}
			for _, p := range res.Errors {
				if (p.Code == CodeGap || p.Code == CodeOverlap || p.Code == CodeOutsideCommunity) && (p.Geometry == nil || p.AreaM2 <= 1) {
					t.Errorf("%s problem without its area: %+v", p.Code, p)
				}
				if _, err := json.Marshal(p); err != nil {
					t.Errorf("json.Marshal(%s problem) = %v", p.Code, err)
				}
			}
		})
	}
}

func TestRetiredCodeNotReused(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	hist := NewCodeHistory(s.City, time.Time{})
	res := mustApply(t, s, Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}})
	hist.Record(res.Changes, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	next, _ := geo.NewSnapshot(res.Next, 2)
	mid := midpoint(sharedChain(t, a, b))
	cases := []struct {
		name string
		op   Op
	}{
		{"create with the retired code", Op{Kind: KindCreate, Community: u.Code, Code: b.Code, Geometry: square(mid, 20)}},
		{"layout with the retired code and another id", Op{Kind: KindReplaceLayout, Community: u.Code,
			Layout: append(layoutOf(t, next, u.Code), LayoutGrid{Code: b.Code, ID: 99999, Geometry: square(mid, 20)})}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Apply(next, tc.op, Options{History: hist})
			if err != nil || res.Valid || !hasProblem(res, CodeCodeTaken) {
				t.Fatalf("Apply = %v, errors %v; want code_taken", err, res.Errors)
			}
		})
	}
}

func TestHouseholdWarnings(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	g := largestGrid(s, u.Code)
	res := mustApply(t, s, Op{Kind: KindSplit, Grid: g.Code, Line: lineAcross(t, g, 0)})
	if !res.Valid {
		t.Fatalf("split invalid: %v", res.Errors)
	}
	if len(res.Warnings) == 0 && g.Households < 600 {
		t.Fatalf("splitting a grid of %d households gave no warning", g.Households)
	}
	for _, w := range res.Warnings {
		if w.Code != CodeHouseholds || !strings.Contains(w.Message, "300-500") {
			t.Errorf("warning %v, want %s", w, CodeHouseholds)
		}
	}
}

// distantPair returns two grids of the community that share no boundary.
func distantPair(t testing.TB, s *geo.Snapshot, comm geo.DivisionCode) (*geo.Grid, *geo.Grid) {
	t.Helper()
	gs := s.GridsOf(comm)
	for i, g := range gs {
		for _, h := range gs[i+1:] {
			if sharedLengthM(g.Geometry, h.Geometry, 26) == 0 && !g.Bound.Intersects(h.Bound) {
				return g, h
			}
		}
	}
	t.Fatalf("community %s has no two distant grids", comm)
	return nil, nil
}

// otherCommunityGrid returns a grid of another community.
func otherCommunityGrid(t testing.TB, s *geo.Snapshot, comm geo.DivisionCode) *geo.Grid {
	t.Helper()
	for _, g := range s.City.Grids {
		if g.Community() != comm {
			return g
		}
	}
	t.Fatal("the city has one community")
	return nil
}

// boundaryGrid returns a grid of the community with a vertex on the
// community's boundary, and that vertex.
func boundaryGrid(t testing.TB, s *geo.Snapshot, u *geo.Unit) (*geo.Grid, orb.Point) {
	t.Helper()
	for _, g := range s.GridsOf(u.Code) {
		for _, p := range ringPoints(nil, g.Geometry) {
			on := false
			forEdges(u.Geometry, func(a, b orb.Point) { on = on || segDist2(p, a, b) <= stitchEps*stitchEps })
			if on {
				return g, p
			}
		}
	}
	t.Fatalf("no grid of %s touches its boundary", u.Code)
	return nil, orb.Point{}
}

// zigzag returns a line through c that crosses itself.
func zigzag(c orb.Point) orb.LineString {
	d := 0.01
	return orb.LineString{{c[0] - d, c[1]}, {c[0] + d, c[1]}, {c[0] + d, c[1] + d/2}, {c[0], c[1] - d}}
}

func TestResultJSON(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	a, b := neighbourPair(t, s, u.Code)
	cases := []struct {
		name      string
		op        Op
		wantValid bool
	}{
		{"valid merge", Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}}, true},
		{"overlap", Op{Kind: KindReplaceLayout, Community: u.Code, Layout: withGeometry(layoutOf(t, s, u.Code), a.Code, mustUnion(t, a.Geometry, b.Geometry))}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := mustApply(t, s, tc.op)
			data, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Valid  bool `json:"valid"`
				Errors []struct {
					Code     string          `json:"code"`
					Geometry json.RawMessage `json:"geometry"`
				} `json:"errors"`
				Changes []struct {
					Kind   string          `json:"kind"`
					Before json.RawMessage `json:"before"`
				} `json:"changes"`
				Impact struct {
					Moves []Move    `json:"moves"`
					Tiles []TileKey `json:"tiles"`
				} `json:"impact"`
			}
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("preview JSON does not decode: %v", err)
			}
			if got.Valid != tc.wantValid || len(got.Changes) != len(res.Changes) || len(got.Impact.Moves) != len(res.Impact.Moves) {
				t.Errorf("preview JSON valid %v, %d changes, %d moves; want %v, %d, %d", got.Valid, len(got.Changes), len(got.Impact.Moves), tc.wantValid, len(res.Changes), len(res.Impact.Moves))
			}
			for _, c := range got.Changes {
				if c.Kind != string(ChangeAdded) {
					if _, err := DecodeGridFeature(c.Before); err != nil {
						t.Errorf("change before feature: %v", err)
					}
				}
			}
			for _, e := range got.Errors {
				if e.Code == string(CodeOverlap) && !strings.Contains(string(e.Geometry), "Polygon") {
					t.Errorf("overlap geometry %s, want a polygon", e.Geometry)
				}
			}
		})
	}
}
