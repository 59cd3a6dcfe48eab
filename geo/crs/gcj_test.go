package crs

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// seed returns the seed for random tests: SEED from the environment, or
// a fixed default. It logs the seed so a failure can be replayed.
func seed(t testing.TB) uint64 {
	t.Helper()
	s := uint64(20240601)
	if v := os.Getenv("SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("parsing SEED=%q: %v", v, err)
		}
		s = n
	}
	t.Logf("seed %d (set SEED= to replay)", s)
	return s
}

// chinaSample returns a random point well inside China's bounding box.
func chinaSample(r *rand.Rand) orb.Point {
	return orb.Point{74 + r.Float64()*61, 3 + r.Float64()*51}
}

func near(a, b orb.Point, tol float64) bool {
	return math.Abs(a[0]-b[0]) <= tol && math.Abs(a[1]-b[1]) <= tol
}

func TestWGS84ToGCJ02Vectors(t *testing.T) {
	cases := []struct {
		name      string
		wgs, want orb.Point
	}{
		{"shanghai", orb.Point{121.5272106, 31.1774276}, orb.Point{121.531541859215, 31.17530398364597}},
		{"shenzhen", orb.Point{113.912316, 22.543847}, orb.Point{113.9171764808363, 22.540796131694766}},
		{"beijing", orb.Point{116.377817, 39.911954}, orb.Point{116.38404722455657, 39.91334545536069}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := WGS84ToGCJ02(tc.wgs); !near(got, tc.want, 1e-6) {
				t.Errorf("WGS84ToGCJ02(%v) = %v, want %v", tc.wgs, got, tc.want)
			}
			if got := FromWGS84(GCJ02, tc.wgs); !near(got, tc.want, 1e-6) {
				t.Errorf("FromWGS84(GCJ02, %v) = %v, want %v", tc.wgs, got, tc.want)
			}
			back := GCJ02ToWGS84(tc.want)
			if d := geo.Distance(back, tc.wgs); d > 0.01 {
				t.Errorf("GCJ02ToWGS84(%v) = %v, %.4f m from %v, want < 0.01 m", tc.want, back, d, tc.wgs)
			}
		})
	}
}

func TestWGS84ToBD09Vector(t *testing.T) {
	wgs := orb.Point{116.403988, 39.914266}
	want := orb.Point{116.41661560068297, 39.92196580126834}
	if got := FromWGS84(BD09, wgs); !near(got, want, 1e-6) {
		t.Errorf("FromWGS84(BD09, %v) = %v, want %v", wgs, got, want)
	}
	if got := ToWGS84(BD09, want); geo.Distance(got, wgs) > 0.01 {
		t.Errorf("ToWGS84(BD09, %v) = %v, want %v within 0.01 m", want, got, wgs)
	}
}

func TestGCJ02RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 1))
	worst := 0.0
	for range 20000 {
		w := chinaSample(r)
		g := WGS84ToGCJ02(w)
		if g == w {
			t.Fatalf("WGS84ToGCJ02(%v) applied no offset inside China", w)
		}
		back := GCJ02ToWGS84(g)
		d := geo.Distance(back, w)
		worst = math.Max(worst, d)
		if d > 0.01 || !near(back, w, 1e-7) {
			t.Fatalf("GCJ02ToWGS84(WGS84ToGCJ02(%v)) = %v, %.6f m off, want < 0.01 m and 1e-7 deg", w, back, d)
		}
	}
	t.Logf("worst GCJ-02 round trip %.3g m", worst)
}

func TestBD09RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(seed(t), 2))
	for range 20000 {
		g := chinaSample(r)
		b := GCJ02ToBD09(g)
		if back := BD09ToGCJ02(b); geo.Distance(back, g) > 0.01 || !near(back, g, 1e-7) {
			t.Fatalf("BD09ToGCJ02(GCJ02ToBD09(%v)) = %v, want %v", g, back, g)
		}
		w := chinaSample(r)
		if back := ToWGS84(BD09, FromWGS84(BD09, w)); geo.Distance(back, w) > 0.01 {
			t.Fatalf("ToWGS84(BD09, FromWGS84(BD09, %v)) = %v, want %v", w, back, w)
		}
	}
}

func TestOutsideChinaUnchanged(t *testing.T) {
	cases := []struct {
		name string
		p    orb.Point
	}{
		{"london", orb.Point{-0.1276, 51.5072}},
		{"tokyo east of box", orb.Point{139.6917, 35.6895}},
		{"south of box", orb.Point{105, 0.5}},
		{"null island", orb.Point{0, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := WGS84ToGCJ02(tc.p); got != tc.p {
				t.Errorf("WGS84ToGCJ02(%v) = %v, want unchanged", tc.p, got)
			}
			if got := GCJ02ToWGS84(tc.p); got != tc.p {
				t.Errorf("GCJ02ToWGS84(%v) = %v, want unchanged", tc.p, got)
			}
		})
	}
}

func TestNonFiniteUnchanged(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, p := range []orb.Point{{nan, 26}, {104, nan}, {inf, 26}, {104, -inf}} {
		for c := WGS84; c <= BD09; c++ {
			for _, got := range []orb.Point{ToWGS84(c, p), FromWGS84(c, p)} {
				if !sameBits(got, p) {
					t.Errorf("conversion of %v in %v = %v, want unchanged", p, c, got)
				}
			}
		}
	}
}

func sameBits(a, b orb.Point) bool {
	return math.Float64bits(a[0]) == math.Float64bits(b[0]) && math.Float64bits(a[1]) == math.Float64bits(b[1])
}

func FuzzConvert(f *testing.F) {
	f.Add(104.8304, 26.5925, uint8(GCJ02))
	f.Add(116.403988, 39.914266, uint8(BD09))
	f.Add(-0.1, 51.5, uint8(BD09))
	f.Add(1e308, -1e308, uint8(BD09))
	f.Add(math.NaN(), 26.0, uint8(GCJ02))
	f.Fuzz(func(t *testing.T, lon, lat float64, c uint8) {
		p := orb.Point{lon, lat}
		w := ToWGS84(CRS(c), p)
		back := FromWGS84(CRS(c), w)
		inner := lon >= 75 && lon <= 135 && lat >= 5 && lat <= 53
		if inner && !near(back, p, 1e-7) {
			t.Fatalf("FromWGS84(%v, ToWGS84(%v, %v)) = %v, want %v within 1e-7 deg", CRS(c), CRS(c), p, back, p)
		}
	})
}
