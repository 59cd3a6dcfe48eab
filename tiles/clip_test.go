package tiles

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// levelRing returns an lvRing of x, y pairs (level zoom = tile zoom).
func levelRing(pts ...int32) lvRing { return lvRing{pts: pts, chunks: chunkBoxes(pts)} }

func TestClipRing(t *testing.T) {
	k := Key{Z: 1, X: 0, Y: 0}
	cases := []struct {
		name string
		ring lvRing
		want []int32 // nil: nothing left
	}{
		{"inside untouched", levelRing(10, 10, 100, 10, 100, 100), []int32{10, 10, 100, 10, 100, 100}},
		{"outside gone", levelRing(5000, 5000, 6000, 5000, 6000, 6000), nil},
		{"covering becomes the clip box", levelRing(-1000, -1000, 9000, -1000, 9000, 9000, -1000, 9000),
			[]int32{-64, -64, 4160, -64, 4160, 4160, -64, 4160}},
		{"crossing the right edge", levelRing(4000, 0, 4400, 0, 4400, 100, 4000, 100),
			[]int32{4000, 0, 4160, 0, 4160, 100, 4000, 100}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newTileFrame(k, 1, 64)
			var cl clipper
			area := cl.clipRing(&c.ring, &f)
			if c.want == nil {
				if area != 0 || len(cl.out) != 0 {
					t.Errorf("clipRing = %v (area %d), want nothing", cl.out, area)
				}
				return
			}
			if !sameRing(cl.out, c.want) || area != ringArea32(c.want) {
				t.Errorf("clipRing = %v (area %d), want %v (area %d)", cl.out, area, c.want, ringArea32(c.want))
			}
		})
	}
}

// sameRing reports whether two open rings hold the same cycle of vertices.
func sameRing(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for s := 0; s < len(a); s += 2 {
		if slices.Equal(append(slices.Clone(a[s:]), a[:s]...), b) {
			return true
		}
	}
	return false
}

// TestClipRingChunksChangeNothing clips random long rings with chunk
// skipping and with plain Sutherland-Hodgman over every vertex: the areas
// must agree (up to the rounding of the cut points).
func TestClipRingChunksChangeNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t, 5), 2))
	for n := 0; n < 300; n++ {
		k := Key{Z: 3, X: 2, Y: 2}
		cx, cy := 2*Extent+rng.Float64()*Extent, 2*Extent+rng.Float64()*Extent
		rad := 200 + rng.Float64()*6000
		m := 40 + rng.IntN(400)
		var pts []int32
		for i := 0; i < m; i++ {
			a := 2 * math.Pi * float64(i) / float64(m)
			rr := rad * (0.6 + 0.4*rng.Float64())
			pts = append(pts, int32(cx+rr*math.Cos(a)), int32(cy+rr*math.Sin(a)))
		}
		ring := lvRing{pts: closeRing(pts)}
		if len(ring.pts) < 6 {
			continue
		}
		ring.chunks = chunkBoxes(ring.pts)
		f := newTileFrame(k, 3, 64)
		var cl clipper
		got := cl.clipRing(&ring, &f)
		want := plainClipArea(ring.pts, &f)
		if math.Abs(float64(got)-want) > 2*float64(Extent) {
			t.Fatalf("ring %d (%d vertices): area %d with chunks, %.0f without", n, m, got, want)
		}
	}
}

func plainClipArea(pts []int32, f *tileFrame) float64 {
	var a []fpt
	for i := 0; i < len(pts); i += 2 {
		a = append(a, f.toTile(pts[i], pts[i+1]))
	}
	lo, hi := float64(f.lo), float64(f.hi)
	a = clipEdge(a, nil, 0, lo, true)
	a = clipEdge(a, nil, 0, hi, false)
	a = clipEdge(a, nil, 1, lo, true)
	a = clipEdge(a, nil, 1, hi, false)
	var s float64
	for i := range a {
		j := (i + 1) % len(a)
		s += a[i][0]*a[j][1] - a[j][0]*a[i][1]
	}
	return s
}

func TestCutIsSymmetric(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t, 6), 3))
	for n := 0; n < 1000; n++ {
		p := fpt{rng.Float64()*9000 - 2000, rng.Float64()*9000 - 2000}
		q := fpt{rng.Float64()*9000 - 2000, rng.Float64()*9000 - 2000}
		v := rng.Float64() * 4096
		axis := n % 2
		if (p[axis] < v) == (q[axis] < v) {
			continue
		}
		if a, b := cut(p, q, axis, v), cut(q, p, axis, v); a != b {
			t.Fatalf("cut(%v, %v) = %v, reversed %v", p, q, a, b)
		}
		a1, b1, ok1 := clipSegment(p, q, -64, 4160)
		b2, a2, ok2 := clipSegment(q, p, -64, 4160)
		if ok1 != ok2 || (ok1 && (a1 != a2 || b1 != b2)) {
			t.Fatalf("clipSegment(%v, %v) = %v %v %v, reversed %v %v %v", p, q, a1, b1, ok1, b2, a2, ok2)
		}
	}
}

func TestClipLine(t *testing.T) {
	k := Key{Z: 1, X: 0, Y: 0}
	f := newTileFrame(k, 1, 64)
	cases := []struct {
		name string
		line []int32
		want [][]int32
	}{
		{"inside", []int32{10, 10, 20, 20}, [][]int32{{10, 10, 20, 20}}},
		{"across", []int32{-1000, 100, 5000, 100}, [][]int32{{-64, 100, 4160, 100}}},
		{"out and back in", []int32{100, 100, 100, -1000, 200, -1000, 200, 100}, [][]int32{{100, 100, 100, -64}, {200, -64, 200, 100}}},
		{"outside", []int32{5000, 5000, 6000, 6000}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var cl clipper
			ends := cl.clipLine(c.line, &f, nil)
			var got [][]int32
			start := 0
			for _, e := range ends {
				got = append(got, cl.out[start:e])
				start = e
			}
			if len(got) != len(c.want) {
				t.Fatalf("clipLine = %v, want %v", got, c.want)
			}
			for i := range got {
				if !slices.Equal(got[i], c.want[i]) {
					t.Errorf("clipLine part %d = %v, want %v", i, got[i], c.want[i])
				}
			}
		})
	}
}
