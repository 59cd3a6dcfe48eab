package cityio

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// starPolygon makes a star-shaped ring of n vertices around c, with
// every other vertex on a flat run so that bands hold many edges.
func starPolygon(rng *rand.Rand, c orb.Point, n int, radius float64) orb.Ring {
	var r orb.Ring
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		d := radius * (0.5 + rng.Float64()/2)
		p := orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)}
		if i%4 == 1 && len(r) > 0 {
			p[1] = r[len(r)-1][1] // horizontal edge
		}
		r = append(r, Snap(p))
	}
	return append(r, r[0])
}

// combRing is a square whose top and bottom edges are cut into n
// collinear pieces: one band then holds n edges.
func combRing(c orb.Point, half float64, n int) orb.Ring {
	var r orb.Ring
	for i := range n {
		r = append(r, Snap(orb.Point{c[0] - half + 2*half*float64(i)/float64(n), c[1] - half}))
	}
	for i := range n {
		r = append(r, Snap(orb.Point{c[0] + half - 2*half*float64(i)/float64(n), c[1] + half}))
	}
	return append(r, r[0])
}

func TestEdgeIndexAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t), 2))
	for round := range 50 {
		c := orb.Point{104.8, 26.5}
		outer := starPolygon(rng, c, 20+rng.IntN(200), 0.01)
		if round%2 == 1 {
			outer = combRing(c, 0.01, 50+rng.IntN(100))
		}
		hole := starPolygon(rng, c, 10+rng.IntN(20), 0.002)
		mp := orb.MultiPolygon{{outer, hole}}
		normalizeMultiPolygon(mp)
		ix := newEdgeIndex(mp)
		if round%2 == 1 && len(ix.inBand(ix.nb-1)) <= 8 {
			t.Fatalf("comb ring's top band holds %d edges: near() is not exercised", len(ix.inBand(ix.nb-1)))
		}
		for range 200 {
			p := orb.Point{c[0] + (rng.Float64()-0.5)*0.024, c[1] + (rng.Float64()-0.5)*0.024}
			near := false
			for _, s := range ix.segs {
				if segDist2(p, s.a, s.b) <= 4*topoTol*topoTol {
					near = true
				}
			}
			want := outside
			if planar.MultiPolygonContains(mp, p) {
				want = inside
			}
			if got := ix.locate(p); !near && got != want {
				t.Fatalf("round %d: locate(%v) = %d, want %d", round, p, got, want)
			}
			q := orb.Point{p[0] + (rng.Float64()-0.5)*0.01, p[1] + (rng.Float64()-0.5)*0.01}
			brute := false
			for _, s := range ix.segs {
				brute = brute || properCross(p, q, s.a, s.b)
			}
			if got := ix.crosses(p, q); got != brute {
				t.Fatalf("round %d: crosses(%v, %v) = %v, brute force says %v", round, p, q, got, brute)
			}
		}
		for _, v := range outer[:len(outer)-1] {
			if got := ix.locate(v); got != boundary {
				t.Fatalf("round %d: locate(vertex %v) = %d, want boundary", round, v, got)
			}
		}
	}
}
