package geo

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// orderTestBox returns a grid covering the box [x0,x1]x[y0,y1] (degrees).
func orderTestBox(code GridCode, x0, y0, x1, y1 float64) *Grid {
	r := orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	mp := orb.MultiPolygon{{r}}
	return &Grid{ID: GridID(code % 1000), Code: code, Geometry: mp, Bound: mp.Bound()}
}

func orderCodes(gs []*Grid) []int {
	out := make([]int, len(gs))
	for i, g := range gs {
		out[i] = g.Code.Seq()
	}
	return out
}

func TestStandardOrder(t *testing.T) {
	const c = GridCode(520201011001000)
	cases := []struct {
		name  string
		grids []*Grid
		want  []int // sequences in the expected order
	}{
		{
			name: "3x3 block, rows north to south, west to east",
			grids: []*Grid{
				orderTestBox(c+1, 0, 0, 1, 1), orderTestBox(c+2, 1, 0, 2, 1), orderTestBox(c+3, 2, 0, 3, 1),
				orderTestBox(c+4, 0, 1, 1, 2), orderTestBox(c+5, 1, 1, 2, 2), orderTestBox(c+6, 2, 1, 3, 2),
				orderTestBox(c+7, 0, 2, 1, 3), orderTestBox(c+8, 1, 2, 2, 3), orderTestBox(c+9, 2, 2, 3, 3),
			},
			want: []int{7, 8, 9, 4, 5, 6, 1, 2, 3},
		},
		{
			// The points lie at latitudes 0.7, 0.5 and 0.8 with a band of
			// 0.5: all three join the row the northernmost opens.
			name: "a row that wobbles stays one row",
			grids: []*Grid{
				orderTestBox(c+1, 0, 0.2, 1, 1.2), orderTestBox(c+2, 1, 0, 2, 1), orderTestBox(c+3, 2, 0.3, 3, 1.3),
				orderTestBox(c+4, 0, -1, 1, 0), orderTestBox(c+5, 1, -1, 2, 0),
			},
			want: []int{1, 2, 3, 4, 5},
		},
		{
			name: "equal points tie by code",
			grids: []*Grid{
				orderTestBox(c+2, 0, 0, 1, 1), orderTestBox(c+1, 0, 0, 1, 1),
			},
			want: []int{1, 2},
		},
		{
			name: "no geometry goes last",
			grids: []*Grid{
				{Code: c + 5}, orderTestBox(c+9, 0, 0, 1, 1), {Code: c + 3},
			},
			want: []int{9, 3, 5},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.grids)
			rand.New(rand.NewPCG(1, 2)).Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			before := slices.Clone(in)
			got := orderCodes(StandardOrder(in))
			if !slices.Equal(got, tc.want) {
				t.Errorf("StandardOrder = %v, want %v", got, tc.want)
			}
			if !slices.Equal(in, before) {
				t.Error("StandardOrder changed its input slice")
			}
		})
	}
}

func TestOrderRepPointInside(t *testing.T) {
	// A U open to the north: its centroid lies in the notch, outside.
	u := orb.Ring{{0, 0}, {3, 0}, {3, 3}, {2, 3}, {2, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}
	cases := []struct {
		name string
		mp   orb.MultiPolygon
	}{
		{"U shape", orb.MultiPolygon{{u}}},
		{"square with a hole", orb.MultiPolygon{{
			{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
			{{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}},
		}}},
		{"largest of two", orb.MultiPolygon{
			{{{10, 10}, {11, 10}, {11, 11}, {10, 11}, {10, 10}}},
			{{{0, 0}, {5, 0}, {5, 5}, {0, 5}, {0, 0}}},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := orderRepPoint(tc.mp)
			if !ok || !planar.MultiPolygonContains(tc.mp, p) {
				t.Errorf("orderRepPoint = %v, %v; want a point inside", p, ok)
			}
		})
	}
	if _, ok := orderRepPoint(nil); ok {
		t.Error("orderRepPoint(nil) reported a point")
	}
}

func BenchmarkStandardOrder(b *testing.B) {
	const c = GridCode(520201011001000)
	var grids []*Grid
	for i := 0; i < 30; i++ {
		x, y := float64(i%6), float64(i/6)
		grids = append(grids, orderTestBox(c+GridCode(i+1), x, y, x+1, y+1))
	}
	b.ReportAllocs()
	for b.Loop() {
		StandardOrder(grids)
	}
}
