package tiles

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPolylabelInside(t *testing.T) {
	square := [][]wpt{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}
	// A U shape: its centroid (5, 6.2) lies in the notch, outside.
	u := [][]wpt{{{0, 0}, {10, 0}, {10, 10}, {8, 10}, {8, 2}, {2, 2}, {2, 10}, {0, 10}}}
	holed := [][]wpt{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{3, 3}, {3, 7}, {7, 7}, {7, 3}}}
	cases := []struct {
		name    string
		poly    [][]wpt
		minDist float64
	}{
		{"square", square, 4.9},
		{"U shape", u, 0.9},
		{"square with a hole in the middle", holed, 1.4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := polylabel(c.poly, 0.01)
			if d := polygonDist(p[0], p[1], c.poly); d < c.minDist {
				t.Errorf("polylabel = %v at distance %.3f from the boundary, want at least %.2f inside", p, d, c.minDist)
			}
		})
	}
	cx, cy := ringCentroid(u[0])
	if polygonDist(cx, cy, u) > 0 {
		t.Errorf("the U's centroid (%g, %g) is inside: the test shape does not show the point", cx, cy)
	}
}

// TestLabelsInsideTheirPolygons checks that the label point of every grid
// and unit of the reference city lies strictly inside its polygon.
func TestLabelsInsideTheirPolygons(t *testing.T) {
	r := cityRenderer(t)
	srcs := collectPolygons(r.snap, nil)
	labels := r.layers[idxLabels]
	if labels.len() != len(srcs) {
		t.Fatalf("%d labels for %d polygon features", labels.len(), len(srcs))
	}
	for i, src := range srcs {
		id, pt := labels.ids[i], labels.pts[i]
		if id != (labelKey{unit: src.unit, grid: src.grid}).id() {
			t.Fatalf("label %d has id %d, want %d", i, id, (labelKey{unit: src.unit, grid: src.grid}).id())
		}
		inside := false
		for _, poly := range src.rings {
			if polygonDist(pt[0], pt[1], poly) > 0 {
				inside = true
			}
		}
		if !inside {
			t.Errorf("label of %d (layer %d) at %v is outside its polygon", id, src.layer, unproject(pt))
		}
	}
}

// TestPolylabelRandomStars checks random star-shaped polygons, whose
// centroids often fall outside when they are thin.
func TestPolylabelRandomStars(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t, 3), 1))
	for n := 0; n < 200; n++ {
		k := 3 + rng.IntN(12)
		var ring []wpt
		for i := 0; i < k; i++ {
			a := 2 * math.Pi * float64(i) / float64(k)
			rad := 0.1 + rng.Float64()
			ring = append(ring, wpt{rad * math.Cos(a), rad * math.Sin(a)})
		}
		poly := [][]wpt{ring}
		p := polylabel(poly, 1e-4)
		if polygonDist(p[0], p[1], poly) <= 0 {
			t.Fatalf("star %d: label %v outside %v", n, p, ring)
		}
	}
}
