package address

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// bruteNearest is the oracle: the lowest index among the points nearest
// q, by scanning them all.
func bruteNearest(ps [][2]float64, q [2]float64) int32 {
	best, bestD := int32(-1), math.Inf(1)
	for i, p := range ps {
		dx, dy := p[0]-q[0], p[1]-q[1]
		if d := dx*dx + dy*dy; d < bestD {
			best, bestD = int32(i), d
		}
	}
	return best
}

// TestPointGridNearest compares the grid with a scan of every point, for
// query points inside the city, on its entrances, beside and far outside
// it, and on degenerate sets (one point repeated, points on a line).
func TestPointGridNearest(t *testing.T) {
	c := fixtureCity(t)
	x := NewCityIndex(c)
	ps := x.scaledPoints(c.Buildings)
	sets := map[string][][2]float64{
		"fixture city": ps,
		"one point":    {{1, 2}, {1, 2}, {1, 2}},
		"a line":       {{0, 0}, {0, 1}, {0, 2}, {0, 2}, {0, 7}},
		"two far":      {{0, 0}, {1000, 1000}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for name, set := range sets {
		g := newPointGrid(set)
		at := func(i int32) [2]float64 { return set[i] }
		lo, hi := set[0], set[0]
		for _, p := range set {
			lo = [2]float64{min(lo[0], p[0]), min(lo[1], p[1])}
			hi = [2]float64{max(hi[0], p[0]), max(hi[1], p[1])}
		}
		w, h := max(hi[0]-lo[0], 1e-3), max(hi[1]-lo[1], 1e-3)
		var qs [][2]float64
		for range 3000 {
			qs = append(qs, [2]float64{lo[0] - w + 3*w*r.Float64(), lo[1] - h + 3*h*r.Float64()})
		}
		for k := 0; k < len(set); k += max(1, len(set)/500) {
			qs = append(qs, set[k])
		}
		qs = append(qs, [2]float64{lo[0] - 1e6, hi[1] + 1e6}, [2]float64{1e300, -1e300})
		for _, q := range qs {
			got, want := g.nearest(q, at), bruteNearest(set, q)
			if got != want {
				t.Fatalf("%s: nearest(%v) = %d, want %d", name, q, got, want)
			}
		}
		for _, q := range [][2]float64{{math.NaN(), 0}, {0, math.Inf(1)}} {
			if got := g.nearest(q, at); got != -1 {
				t.Errorf("%s: nearest(%v) = %d, want -1", name, q, got)
			}
		}
	}
	if got := newPointGrid(nil).nearest([2]float64{0, 0}, nil); got != -1 {
		t.Errorf("empty grid: nearest = %d, want -1", got)
	}
}

// TestReverseNotFinite checks that a point that is not a number finds no
// building.
func TestReverseNotFinite(t *testing.T) {
	x := NewCityIndex(fixtureCity(t))
	if b, _ := x.Reverse(orb.Point{math.NaN(), 26.6}); b != nil {
		t.Errorf("Reverse(NaN) = building %d, want none", b.ID)
	}
}

// BenchmarkReverse finds the nearest entrance to points around the
// fixture city's buildings.
func BenchmarkReverse(b *testing.B) {
	c := fixtureCity(b)
	x := NewCityIndex(c)
	r := rand.New(rand.NewPCG(1, 2))
	qs := make([]orb.Point, 1024)
	for i := range qs {
		p := c.Buildings[r.IntN(len(c.Buildings))].Point
		qs[i] = orb.Point{p[0] + (r.Float64()-0.5)*0.01, p[1] + (r.Float64()-0.5)*0.01}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var hit *geo.Building
	for i := 0; i < b.N; i++ {
		hit, _ = x.Reverse(qs[i%len(qs)])
	}
	_ = hit
}
