package geo

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// locExactRange reports whether v is zero or between 1e-30 and 1e7 in
// magnitude, the range in which the orientation sign is proven exact.
func locExactRange(v float64) bool {
	a := math.Abs(v)
	return v == 0 || (a >= 1e-30 && a <= 1e7)
}

// FuzzLocator builds two grids from fuzzed corners (a quadrilateral, often
// self-intersecting, and a triangle sharing two of its corners) and checks
// that the Locator never panics and agrees with the brute-force reference
// whenever every coordinate is in the exact range.
func FuzzLocator(f *testing.F) {
	f.Add(0.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5, 0.5)
	f.Add(104.8, 26.5, 104.9, 26.5, 104.9, 26.6, 104.8, 26.6, 104.9, 26.55)
	f.Add(0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.5, 0.5)
	f.Add(1e-300, 0.0, 1e300, 0.0, math.NaN(), 1.0, 0.0, math.Inf(1), 0.0, 0.0)
	f.Fuzz(func(t *testing.T, ax, ay, bx, by, cx, cy, dx, dy, px, py float64) {
		a, b, c, d := orb.Point{ax, ay}, orb.Point{bx, by}, orb.Point{cx, cy}, orb.Point{dx, dy}
		grids := []*Grid{
			{ID: 2, Name: "quad", Geometry: orb.MultiPolygon{{{a, b, c, d, a}}}},
			{ID: 1, Name: "triangle", Geometry: orb.MultiPolygon{{{b, a, orb.Point{bx, dy}, b}}}},
		}
		l := NewLocator(grids)
		p := orb.Point{px, py}
		got, _ := l.Locate(p)
		l.Nearest(p)
		out := make([]*Grid, 1)
		l.LocateBatch([]orb.Point{p}, out)
		if out[0] != got {
			t.Fatalf("LocateBatch(%v) = %s, Locate = %s", p, locGridName(out[0]), locGridName(got))
		}
		for _, v := range []float64{ax, ay, bx, by, cx, cy, dx, dy, px, py} {
			if !locExactRange(v) {
				return
			}
		}
		if want, _ := NewBruteLocator(grids).Locate(p); got != want {
			t.Fatalf("Locate(%v) = %s, want %s (brute force)", p, locGridName(got), locGridName(want))
		}
	})
}
