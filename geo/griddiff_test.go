package geo

import (
	"slices"
	"testing"
)

func TestDiffGrids(t *testing.T) {
	g := func(code GridCode) *Grid { return &Grid{Code: code} }
	a1, a2, a3, a4 := g(520201001001001), g(520201001001002), g(520201001001003), g(520201001001005)
	a2b, a4b := g(a2.Code), g(520201001001004)
	cases := []struct {
		name           string
		a, b           []*Grid
		removed, added []*Grid
		ok             bool
	}{
		{"same", []*Grid{a1, a2}, []*Grid{a1, a2}, nil, nil, true},
		{"replaced in place", []*Grid{a1, a2, a3}, []*Grid{a1, a2b, a3}, []*Grid{a2}, []*Grid{a2b}, true},
		{"split", []*Grid{a1, a3, a4}, []*Grid{a1, a3, a4b, a4}, nil, []*Grid{a4b}, true},
		{"removed at the end", []*Grid{a1, a3, a4}, []*Grid{a1, a3}, []*Grid{a4}, nil, true},
		{"all new", []*Grid{a1}, []*Grid{a2b, a3}, []*Grid{a1}, []*Grid{a2b, a3}, true},
		{"unsorted", []*Grid{a3, a1}, []*Grid{a1}, nil, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			removed, added, ok := DiffGrids(tc.a, tc.b)
			if ok != tc.ok || !slices.Equal(removed, tc.removed) || !slices.Equal(added, tc.added) {
				t.Errorf("DiffGrids = %v, %v, %v; want %v, %v, %v", removed, added, ok, tc.removed, tc.added, tc.ok)
			}
		})
	}
}
