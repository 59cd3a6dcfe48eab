package edit

import (
	"encoding/json"
	"testing"

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
