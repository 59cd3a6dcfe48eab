package edit

import (
	"encoding/json"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// TestPreviewOnly checks that a preview (Options.PreviewOnly) answers as
// the full apply does, without the next city: a split that moves
// buildings, a merge, an invalid edit and a staff change.
func TestPreviewOnly(t *testing.T) {
	s := testSnapshot(t)
	u := testCommunity(t, s, 8)
	big := largestGrid(s, u.Code)
	a, b := neighbourPair(t, s, u.Code)
	cases := []struct {
		name string
		op   Op
	}{
		{"split", Op{Kind: KindSplit, Grid: big.Code, Line: lineAcross(t, big, 0)}},
		{"merge", Op{Kind: KindMerge, Grids: []geo.GridCode{a.Code, b.Code}, Name: "合并网格"}},
		{"invalid", Op{Kind: KindSplit, Grid: big.Code, Line: orb.LineString{{0, 0}, {0.001, 0}}}},
		{"staff", Op{Kind: KindStaff, Grid: a.Code, Staff: []geo.Staff{{Name: "王芳", Role: geo.RoleHead, Type: geo.StaffFullTime, Phone: "138-1234-5678"}}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			full, err := Apply(s, tc.op, Options{})
			if err != nil {
				t.Fatal(err)
			}
			preview, err := Apply(s, tc.op, Options{PreviewOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			if preview.Next != nil {
				t.Errorf("a preview made the next city")
			}
			if full.Valid != (tc.name != "invalid") {
				t.Fatalf("Valid = %v", full.Valid)
			}
			if full.Valid && full.Next == nil {
				t.Errorf("a valid apply made no next city")
			}
			fj, _ := json.Marshal(full)
			pj, _ := json.Marshal(preview)
			if string(fj) != string(pj) {
				t.Errorf("the preview answers\n%s\nthe apply\n%s", pj, fj)
			}
		})
	}
}

// BenchmarkPreviewSplitScale10 applies one grid split of the scale-10
// city (21,760 grids, 182,000 buildings) as POST /v1/edits/preview does
// (PreviewOnly) and as a commit does (the next city made): the
// difference is the copy of the city's grid and building lists a preview
// no longer makes.
func BenchmarkPreviewSplitScale10(b *testing.B) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
	if err != nil {
		b.Fatal(err)
	}
	s, err := geo.NewSnapshot(c, 1)
	if err != nil {
		b.Fatal(err)
	}
	g := largestGrid(s, testCommunity(b, s, 8).Code)
	op := Op{Kind: KindSplit, Grid: g.Code, Line: lineAcross(b, g, 0)}
	hist := NewCodeHistory(c, s.Created)
	for _, mode := range []string{"preview", "apply"} {
		b.Run(mode, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, err := Apply(s, op, Options{History: hist, PreviewOnly: mode == "preview"})
				if err != nil || !res.Valid {
					b.Fatalf("Apply: %v %v", err, res.Errors)
				}
			}
		})
	}
}
