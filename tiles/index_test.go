package tiles

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// bruteHits returns, sorted, the indices of the boxes that meet q.
func bruteHits(boxes []wbound, q wbound) []int32 {
	var out []int32
	for i, b := range boxes {
		if b.meets(q) {
			out = append(out, int32(i))
		}
	}
	return out
}

// TestPackedIndexSearch checks searches of random box and point indexes,
// with many items on shared coordinates so that edges touch, against a
// scan of every item.
func TestPackedIndexSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t, 1), 0))
	// coord draws from a coarse grid so that boxes often share edges.
	coord := func() float64 { return float64(rng.IntN(200)) / 1000 }
	for _, n := range []int{0, 1, 15, 16, 17, 256, 257, 3000} {
		for _, points := range []bool{false, true} {
			boxes := make([]wbound, n)
			pts := make([]wpt, n)
			for i := range boxes {
				p := wpt{coord(), coord()}
				pts[i] = p
				boxes[i] = wbound{p, p}
				if !points {
					boxes[i].extend(wpt{p[0] + coord()/10, p[1] + coord()/10})
				}
			}
			ix := buildIndex(n, func(i int) wbound { return boxes[i] }, points)
			var buf, stack []int32
			for range 200 {
				q := wbound{wpt{coord(), coord()}, wpt{}}
				q.max = wpt{q.min[0] + coord()/4, q.min[1] + coord()/4}
				buf, stack = ix.search(q, pts, buf[:0], stack)
				slices.Sort(buf)
				if want := bruteHits(boxes, q); !slices.Equal(buf, want) && (len(buf) > 0 || len(want) > 0) {
					t.Fatalf("n %d points %v: search(%v) = %v, want %v", n, points, q, buf, want)
				}
			}
		}
	}
}

// TestPackedIndexAllSame indexes many copies of one point: every search
// that touches it finds them all.
func TestPackedIndexAllSame(t *testing.T) {
	p := wpt{0.5, 0.25}
	pts := make([]wpt, 100)
	for i := range pts {
		pts[i] = p
	}
	ix := buildIndex(len(pts), func(i int) wbound { return wbound{pts[i], pts[i]} }, true)
	cases := []struct {
		name string
		q    wbound
		want int
	}{
		{"exactly the point", wbound{p, p}, 100},
		{"edge on the point", wbound{wpt{0.4, 0.25}, wpt{0.5, 0.3}}, 100},
		{"beside it", wbound{wpt{0.51, 0.2}, wpt{0.6, 0.3}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := ix.search(c.q, pts, nil, nil)
			if len(got) != c.want {
				t.Errorf("search found %d items, want %d", len(got), c.want)
			}
		})
	}
}

func TestHilbertKeyCorners(t *testing.T) {
	b := wbound{wpt{0, 0}, wpt{1, 1}}
	cases := []struct {
		name string
		p    wpt
		want uint32
	}{
		{"origin", wpt{0, 0}, 0},
		{"last corner", wpt{1, 0}, 1<<32 - 1},
		{"outside clamps", wpt{-5, -5}, 0},
	}
	for _, c := range cases {
		if got := hilbertKey(b, c.p); got != c.want {
			t.Errorf("%s: hilbertKey(%v) = %d, want %d", c.name, c.p, got, c.want)
		}
	}
	if got := hilbertKey(wbound{wpt{1, 1}, wpt{1, 1}}, wpt{1, 1}); got != 0 {
		t.Errorf("hilbertKey in an empty box = %d, want 0", got)
	}
}

func BenchmarkPackedIndexSearch(b *testing.B) {
	r := cityRenderer(b)
	l := r.layers[idxBuildings]
	var keys []Key
	for k := range KeysIn(zhongshan(b, r.snap), 14, 14) {
		keys = append(keys, k)
	}
	var buf, stack []int32
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf, stack = l.sortedHits(tileBound(keys[i%len(keys)], 65), buf, stack)
	}
}
