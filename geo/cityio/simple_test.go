package cityio

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
)

// testSeed returns SEED from the environment or a fresh seed, and logs it.
func testSeed(t *testing.T) uint64 {
	t.Helper()
	seed := rand.Uint64()
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("bad SEED %q: %v", s, err)
		}
		seed = v
	}
	t.Logf("SEED=%d", seed)
	return seed
}

// randomRing makes rings of several kinds: star-shaped (simple), random
// walks (often self-intersecting), stars with a spike, and stars with a
// vertex moved onto another edge (touching itself).
func randomRing(rng *rand.Rand) (orb.Ring, string) {
	n := 4 + rng.IntN(30)
	var r orb.Ring
	kind := []string{"star", "random", "spike", "touch"}[rng.IntN(4)]
	c := orb.Point{104.8 + rng.Float64()/10, 26.5 + rng.Float64()/10}
	for i := range n {
		switch kind {
		case "random":
			r = append(r, Snap(orb.Point{c[0] + rng.Float64()*1e-3, c[1] + rng.Float64()*1e-3}))
		default:
			a := 2 * math.Pi * float64(i) / float64(n)
			d := 1e-4 * (0.3 + rng.Float64())
			r = append(r, Snap(orb.Point{c[0] + d*math.Cos(a), c[1] + d*math.Sin(a)}))
		}
	}
	switch kind {
	case "spike":
		i := rng.IntN(n-1) + 1
		tip := Snap(orb.Point{r[i][0] + (rng.Float64()-0.5)*1e-4, r[i][1] + (rng.Float64()-0.5)*1e-4})
		r = append(r[:i+1], append(orb.Ring{tip, r[i]}, r[i+1:]...)...)
	case "touch":
		i := rng.IntN(n - 2)
		k := (i + 2 + rng.IntN(n-3)) % n
		if k != i && k != i+1 {
			r[k] = orb.Point{(r[i][0] + r[i+1][0]) / 2, (r[i][1] + r[i+1][1]) / 2}
		}
	}
	return append(r, r[0]), kind
}

func TestRingClearlySimpleAgreesWithSimplefeatures(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t), 1))
	proven := 0
	for range 3000 {
		r, kind := randomRing(rng)
		fast := ringClearlySimple(r)
		if !fast {
			continue
		}
		proven++
		mp := orb.MultiPolygon{{append(orb.Ring(nil), r...)}}
		mp = append(mp, orb.Polygon{ring(0, 0, 1, 0, 1, 1)}) // a second part forces simplefeatures
		if f := geometryFault(mp); f != "" {
			t.Fatalf("ringClearlySimple(%s ring %v) = true, but simplefeatures says %s", kind, r, f)
		}
	}
	if proven < 500 {
		t.Errorf("only %d of 3000 rings proven simple: the fast path is hardly used", proven)
	}
}

func TestRingClearlySimpleCases(t *testing.T) {
	cases := []struct {
		name string
		r    orb.Ring
		want bool
	}{
		{"square", ring(0, 0, 1, 0, 1, 1, 0, 1), true},
		{"bow-tie", ring(0, 0, 1, 1, 1, 0, 0, 1), false},
		{"spike", ring(0, 0, 2, 0, 2, 2, 1, 2, 1, 3, 1, 2, 0, 2), false},
		{"collinear back", ring(0, 0, 2, 0, 1, 0, 1, 1), false},
		{"repeated vertex", ring(0, 0, 1, 0, 1, 0, 1, 1, 0, 1), false},
		{"vertex on edge", ring(0, 0, 2, 0, 2, 2, 1, 0, 0, 2), false},
		{"triangle", ring(0, 0, 1, 0, 0, 1), true},
	}
	for _, tc := range cases {
		if got := ringClearlySimple(tc.r); got != tc.want {
			t.Errorf("ringClearlySimple(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
