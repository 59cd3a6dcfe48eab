package geo

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// locRatOrient is the exact orientation sign computed with big.Rat.
func locRatOrient(x1, y1, x2, y2, px, py float64) int {
	r := func(v float64) *big.Rat { return new(big.Rat).SetFloat64(v) }
	sub := func(a, b float64) *big.Rat { return new(big.Rat).Sub(r(a), r(b)) }
	left := new(big.Rat).Mul(sub(x2, x1), sub(py, y1))
	right := new(big.Rat).Mul(sub(y2, y1), sub(px, x1))
	return left.Cmp(right)
}

func TestPipOrientExact(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 9), 7))
	cases := []struct {
		name                   string
		x1, y1, x2, y2, px, py float64
		want                   int
	}{
		{"left", 0, 0, 0, 1, -1, 0.5, 1},
		{"right", 0, 0, 0, 1, 1, 0.5, -1},
		{"on", 0, 0, 2, 2, 1, 1, 0},
		{"classic near-collinear", 12, 12, 24, 24, 0.5 + 0x1p-52, 0.5, -1},
		{"classic near-collinear other side", 12, 12, 24, 24, 0.5, 0.5 + 0x1p-52, 1},
		{"lon lat on edge", 104.8, 26.5, 104.9, 26.6, 104.85, 26.55, locRatOrient(104.8, 26.5, 104.9, 26.6, 104.85, 26.55)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := pipOrient(c.x1, c.y1, c.x2, c.y2, c.px, c.py); got != c.want {
				t.Errorf("pipOrient(%v, %v, %v, %v, %v, %v) = %d, want %d", c.x1, c.y1, c.x2, c.y2, c.px, c.py, got, c.want)
			}
		})
	}
	exact := 0
	for range 20000 {
		x1, y1 := 104+r.Float64(), 26+r.Float64()
		x2, y2 := 104+r.Float64(), 26+r.Float64()
		t0 := r.Float64()
		px, py := x1+t0*(x2-x1), y1+t0*(y2-y1) // on the line up to rounding
		px = math.Nextafter(px, px+float64(r.IntN(3)-1))
		want := locRatOrient(x1, y1, x2, y2, px, py)
		if got := pipOrient(x1, y1, x2, y2, px, py); got != want {
			t.Fatalf("pipOrient(%v, %v, %v, %v, %v, %v) = %d, want %d", x1, y1, x2, y2, px, py, got, want)
		}
		if got := pipOrientExact(x1, y1, x2, y2, px, py); got != want {
			t.Fatalf("pipOrientExact(%v, %v, %v, %v, %v, %v) = %d, want %d", x1, y1, x2, y2, px, py, got, want)
		}
		if want == 0 {
			exact++
		}
	}
	for range 20000 { // points exactly on a line, then one float step off it
		q := func(k int) float64 { return float64(k) * 0x1p-24 }
		ax, ay, dx, dy := r.IntN(1<<20), r.IntN(1<<20), r.IntN(2001)-1000, r.IntN(2001)-1000
		k, n := r.IntN(50), 1+r.IntN(50)
		x1, y1 := 104+q(ax), 26+q(ay)
		x2, y2 := 104+q(ax+n*dx), 26+q(ay+n*dy)
		px, py := 104+q(ax+k*dx), 26+q(ay+k*dy)
		if r.IntN(2) == 0 {
			py = math.Nextafter(py, math.Inf(r.IntN(2)*2-1))
		}
		want := locRatOrient(x1, y1, x2, y2, px, py)
		if got := pipOrient(x1, y1, x2, y2, px, py); got != want {
			t.Fatalf("pipOrient(%v, %v, %v, %v, %v, %v) = %d, want %d", x1, y1, x2, y2, px, py, got, want)
		}
		if want == 0 {
			exact++
		}
	}
	if exact < 5000 {
		t.Fatalf("only %d points exactly on their line, want at least 5000", exact)
	}
}

func TestGridContainsSquare(t *testing.T) {
	// A square 0..2 with a square hole 0.5..1.5 and a second part 3..4.
	sq := func(x0, y0, x1, y1 float64, ccw bool) orb.Ring {
		r := orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
		if !ccw {
			r.Reverse()
		}
		return r
	}
	g := &Grid{ID: 1, Geometry: orb.MultiPolygon{
		{sq(0, 0, 2, 2, true), sq(0.5, 0.5, 1.5, 1.5, false)},
		{sq(3, 0, 4, 1, true)},
	}}
	cases := []struct {
		name string
		p    orb.Point
		want bool
	}{
		{"interior", orb.Point{0.25, 1}, true},
		{"in hole", orb.Point{1, 1}, false},
		{"west edge", orb.Point{0, 1}, true},
		{"east edge", orb.Point{2, 1}, false},
		{"south edge", orb.Point{1, 0}, true},
		{"north edge", orb.Point{1, 2}, false},
		{"south-west corner", orb.Point{0, 0}, true},
		{"south-east corner", orb.Point{2, 0}, false},
		{"north-west corner", orb.Point{0, 2}, false},
		{"hole west edge (east of it is hole)", orb.Point{0.5, 1}, false},
		{"hole east edge (east of it is grid)", orb.Point{1.5, 1}, true},
		{"hole south edge (north of it is hole)", orb.Point{1, 0.5}, false},
		{"hole north edge (north of it is grid)", orb.Point{1, 1.5}, true},
		{"second part", orb.Point{3.5, 0.5}, true},
		{"between parts", orb.Point{2.5, 0.5}, false},
		{"outside", orb.Point{-1, -1}, false},
		{"nan", orb.Point{math.NaN(), 1}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := GridContains(g, c.p); got != c.want {
				t.Errorf("GridContains(square, %v) = %v, want %v", c.p, got, c.want)
			}
		})
	}
}

func TestGridTouches(t *testing.T) {
	g := &Grid{ID: 1, Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}
	cases := []struct {
		name string
		p    orb.Point
		want bool
	}{
		{"on east edge", orb.Point{1, 0.5}, true},
		{"just outside", orb.Point{1 + 0.9e-9, 0.5}, true},
		{"beyond epsilon", orb.Point{1 + 2e-9, 0.5}, false},
		{"near corner diagonally", orb.Point{1 + 0.6e-9, 1 + 0.6e-9}, true},
		{"beyond corner diagonally", orb.Point{1 + 0.8e-9, 1 + 0.8e-9}, false},
		{"interior", orb.Point{0.5, 0.5}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := gridTouches(g, c.p); got != c.want {
				t.Errorf("gridTouches(unit square, %v) = %v, want %v", c.p, got, c.want)
			}
		})
	}
}

// locRandomRingGrid returns a grid of one ring of n random vertices in a
// 0.01-degree box (often self-intersecting, which the parity rule handles)
// and, with holes, a second random ring inside the same box.
func locRandomRingGrid(r *rand.Rand, n int, holes bool) *Grid {
	ring := func() orb.Ring {
		out := make(orb.Ring, 0, n+1)
		for range n {
			out = append(out, orb.Point{locSnap7(104.8 + 0.01*r.Float64()), locSnap7(26.5 + 0.01*r.Float64())})
		}
		return append(out, out[0])
	}
	poly := orb.Polygon{ring()}
	if holes {
		poly = append(poly, ring())
	}
	return &Grid{ID: 1, Name: "random ring", Geometry: orb.MultiPolygon{poly}}
}

func TestLocGridAgreesOnRandomRings(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 12), 7))
	for round := range 200 {
		g := locRandomRingGrid(r, 3+r.IntN(12), round%2 == 1)
		lg, ok := newLocGrid(g)
		if !ok {
			t.Fatalf("newLocGrid(random ring %d) failed", round)
		}
		var verts []orb.Point
		for _, ring := range g.Geometry[0] {
			verts = append(verts, ring...)
		}
		for n := range 500 {
			p := orb.Point{104.799 + 0.012*r.Float64(), 26.499 + 0.012*r.Float64()}
			if n%5 == 0 { // a vertex, or a point on the line between two vertices
				a, b := verts[r.IntN(len(verts))], verts[r.IntN(len(verts))]
				p = orb.Point{a[0] + (b[0]-a[0])*float64(r.IntN(3))/2, a[1] + (b[1]-a[1])*float64(r.IntN(3))/2}
			}
			in, edgeCell := lg.contains(p[0], p[1])
			if want := GridContains(g, p); in != want {
				t.Fatalf("round %d: contains(%v) = %v, want %v (GridContains)", round, p, in, want)
			}
			touch := edgeCell && lg.touches(p[0], p[1])
			if want := gridTouches(g, p); touch != want {
				t.Fatalf("round %d: touches(%v) = %v (edge cell %v), want %v (gridTouches)", round, p, touch, edgeCell, want)
			}
		}
	}
}
