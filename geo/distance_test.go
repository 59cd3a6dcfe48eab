package geo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// locHaversine is the great-circle distance on orb's Earth sphere,
// written out as a hand computation for the tests.
func locHaversine(a, b orb.Point) float64 {
	rad := math.Pi / 180
	dLat, dLon := (b[1]-a[1])*rad, (b[0]-a[0])*rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a[1]*rad)*math.Cos(b[1]*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * orb.EarthRadius * math.Asin(math.Sqrt(h))
}

// locBruteNearest returns the grid whose boundary is nearest p and the
// distance in meters, scanning every segment in a local projection.
func locBruteNearest(grids []*Grid, p orb.Point) (*Grid, float64) {
	m := orb.EarthRadius * math.Pi / 180
	kx := math.Cos(p[1]*math.Pi/180) * m
	var best *Grid
	bestD := math.Inf(1)
	for _, g := range grids {
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				for i := 0; i+1 < len(ring); i++ {
					ax, ay := (ring[i][0]-p[0])*kx, (ring[i][1]-p[1])*m
					bx, by := (ring[i+1][0]-p[0])*kx, (ring[i+1][1]-p[1])*m
					dx, dy := bx-ax, by-ay
					t := 0.0
					if l := dx*dx + dy*dy; l > 0 {
						t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
					}
					if d := math.Hypot(ax+t*dx, ay+t*dy); d < bestD {
						best, bestD = g, d
					}
				}
			}
		}
	}
	return best, bestD
}

func TestNearestHandComputed(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 10), 7))
	tc := newLocCity(r, 3, 30)
	l, lt := NewLocator(tc.grids), tc.lat
	w, h := lt.w, lt.h
	east, south := lt.vert[w][0][0], lt.vert[0][0][1]
	ne := lt.vert[w][h]
	yEast := lt.vmid[w][7][0][1]
	xSouth := lt.hmid[7][0][1][0]
	rad := math.Pi / 180
	inside := orb.Point{(lt.vert[5][9][0] + lt.vert[6][10][0]) / 2, (lt.vert[5][9][1] + lt.vert[6][10][1]) / 2}
	cases := []struct {
		name  string
		p     orb.Point
		want  *Grid
		wantM float64
		tolM  float64
	}{
		// 0.001 degrees of longitude along the parallel: R cos(lat) Δλ.
		{"east of the city", orb.Point{east + 0.001, yEast}, tc.cellGrid(w-1, 7), orb.EarthRadius * math.Cos(yEast*rad) * 0.001 * rad, 0.01},
		// 0.0005 degrees of latitude along the meridian: R Δφ = 55.66 m.
		{"south of the city", orb.Point{xSouth, south - 0.0005}, tc.cellGrid(7, 0), orb.EarthRadius * 0.0005 * rad, 1e-6},
		{"beyond the north-east corner", orb.Point{ne[0] + 0.001, ne[1] + 0.002}, tc.cellGrid(w-1, h-1), locHaversine(orb.Point{ne[0] + 0.001, ne[1] + 0.002}, ne), 1e-6},
		{"inside", inside, tc.cellGrid(5, 9), 0, 0},
		{"on the east edge", lt.vmid[w][3][1], tc.cellGrid(w-1, 3), 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, d := l.Nearest(c.p)
			if got != c.want || math.Abs(d-c.wantM) > c.tolM {
				t.Errorf("Nearest(%v) = %s, %.6f m, want %s, %.6f m", c.p, locGridName(got), d, locGridName(c.want), c.wantM)
			}
		})
	}
	for _, p := range []orb.Point{{math.NaN(), 26}, {math.Inf(1), 26}} {
		if g, d := l.Nearest(p); g != nil || d != 0 {
			t.Errorf("Nearest(%v) = %s, %v, want nil, 0", p, locGridName(g), d)
		}
	}
}

func TestNearestAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(locSeed(t, 11), 7))
	tc := newLocCity(r, 3, 30)
	l := NewLocator(tc.grids)
	bd := tc.bounds
	for range 2000 {
		// A point up to 0.01 degrees (about 1 km) outside the city.
		p := orb.Point{bd.Min[0] - 0.01 + r.Float64()*(bd.Max[0]-bd.Min[0]+0.02), bd.Min[1] - 0.01 + r.Float64()*(bd.Max[1]-bd.Min[1]+0.02)}
		if bd.Contains(p) {
			continue
		}
		got, d := l.Nearest(p)
		want, wantD := locBruteNearest(tc.grids, p)
		tol := 1e-4 * wantD
		if math.Abs(d-wantD) > tol {
			t.Fatalf("Nearest(%v) = %s, %.4f m, want %s, %.4f m", p, locGridName(got), d, locGridName(want), wantD)
		}
		if got != want {
			if _, gotD := locBruteNearest([]*Grid{got}, p); math.Abs(gotD-wantD) > tol {
				t.Fatalf("Nearest(%v) = %s (%.4f m by brute force), want %s (%.4f m)", p, locGridName(got), gotD, locGridName(want), wantD)
			}
		}
	}
}

func BenchmarkNearest(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 7))
	tc := locBenchCity(b)
	l := NewLocator(tc.grids)
	bd := tc.bounds
	ps := make([]orb.Point, 1024)
	for i := range ps {
		for {
			p := orb.Point{bd.Min[0] - 0.01 + r.Float64()*(bd.Max[0]-bd.Min[0]+0.02), bd.Min[1] - 0.01 + r.Float64()*(bd.Max[1]-bd.Min[1]+0.02)}
			if !bd.Contains(p) {
				ps[i] = p
				break
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		l.Nearest(ps[i&1023])
		i++
	}
}
