package geo

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
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
		{"unsorted where they differ", []*Grid{a3, a1}, []*Grid{a2b}, nil, nil, false},
		{"unsorted where they agree", []*Grid{a3, a1, a4}, []*Grid{a3, a1, a2b, a4}, nil, []*Grid{a2b}, true},
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

// TestDiffGridsRandom checks DiffGrids against the set difference by
// pointer on random edits of a sorted list: grids replaced under their
// code, removed and added, at the ends as well as inside. SEED= repeats
// a run.
func TestDiffGridsRandom(t *testing.T) {
	seed := uint64(1)
	if s, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("SEED=%d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	for range 2000 {
		n := rng.IntN(40)
		a := make([]*Grid, n)
		for i := range a {
			a[i] = &Grid{Code: GridCode(520201001001000 + 2*i)}
		}
		var b []*Grid
		for i, g := range a {
			switch rng.IntN(8) {
			case 0: // removed
			case 1: // replaced under its code
				b = append(b, &Grid{Code: g.Code})
			case 2: // a new grid after it
				b = append(b, g, &Grid{Code: GridCode(520201001001000 + 2*i + 1)})
			default:
				b = append(b, g)
			}
		}
		if rng.IntN(4) == 0 {
			b = append([]*Grid{{Code: 520201001000999}}, b...)
		}
		removed, added, ok := DiffGrids(a, b)
		want := func(x, y []*Grid) []*Grid {
			var out []*Grid
			for _, g := range x {
				if !slices.Contains(y, g) {
					out = append(out, g)
				}
			}
			return out
		}
		if wr, wa := want(a, b), want(b, a); !ok || !slices.Equal(removed, wr) || !slices.Equal(added, wa) {
			t.Fatalf("DiffGrids(%v, %v) = %v, %v, %v; want %v, %v, true", codes(a), codes(b), codes(removed), codes(added), ok, codes(wr), codes(wa))
		}
	}
}

func codes(gs []*Grid) []GridCode {
	out := make([]GridCode, len(gs))
	for i, g := range gs {
		out[i] = g.Code
	}
	return out
}
