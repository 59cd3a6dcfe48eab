package geo

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

var (
	locBenchOnce sync.Once
	locBenchData *locCity
)

// locBenchCity is a city-sized partition: a 130 x 100 warped lattice with 10
// vertices per lattice edge grown into 2,176 grids of about 6 cells and 50
// to 300 vertices each, built once per test binary.
func locBenchCity(tb testing.TB) *locCity {
	tb.Helper()
	locBenchOnce.Do(func() {
		r := rand.New(rand.NewPCG(1, 7))
		locBenchData = newLocCitySized(r, 130, 100, 10, 2176, false)
	})
	return locBenchData
}

// locBenchPoints returns n seeded random points in the city's bounds.
func locBenchPoints(tc *locCity, n int) []orb.Point {
	r := rand.New(rand.NewPCG(2, 7))
	bd := tc.bounds
	ps := make([]orb.Point, n)
	for i := range ps {
		ps[i] = orb.Point{bd.Min[0] + r.Float64()*(bd.Max[0]-bd.Min[0]), bd.Min[1] + r.Float64()*(bd.Max[1]-bd.Min[1])}
	}
	return ps
}

// locReportMedian times calls of fn one by one and reports the median in ns,
// less the median cost of reading the clock twice.
func locReportMedian(b *testing.B, n int, fn func(i int)) {
	b.Helper()
	clock := make([]time.Duration, n)
	for i := range clock {
		t0 := time.Now()
		clock[i] = time.Since(t0)
	}
	d := make([]time.Duration, n)
	for i := range d {
		t0 := time.Now()
		fn(i)
		d[i] = time.Since(t0)
	}
	slices.Sort(clock)
	slices.Sort(d)
	b.ReportMetric(float64(d[n/2]-clock[n/2]), "median-ns")
}

func BenchmarkLocate(b *testing.B) {
	tc := locBenchCity(b)
	l := NewLocator(tc.grids)
	ps := locBenchPoints(tc, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		l.Locate(ps[i&4095])
		i++
	}
	b.StopTimer()
	locReportMedian(b, 4096, func(i int) { l.Locate(ps[i]) })
}

func BenchmarkLocateBatch(b *testing.B) {
	tc := locBenchCity(b)
	l := NewLocator(tc.grids)
	ps := locBenchPoints(tc, 100000)
	out := make([]*Grid, len(ps))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		l.LocateBatch(ps, out)
	}
	b.ReportMetric(float64(b.N*len(ps))/time.Since(start).Seconds(), "points/s")
}

func BenchmarkLocateBaselineOrb(b *testing.B) {
	tc := locBenchCity(b)
	var tr rtree.RTreeG[*Grid]
	for _, g := range tc.grids {
		tr.Insert(g.Bound.Min, g.Bound.Max, g)
	}
	locate := func(p orb.Point) (found *Grid) {
		tr.Search(p, p, func(_, _ [2]float64, g *Grid) bool {
			if planar.MultiPolygonContains(g.Geometry, p) {
				found = g
				return false
			}
			return true
		})
		return found
	}
	ps := locBenchPoints(tc, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		locate(ps[i&4095])
		i++
	}
	b.StopTimer()
	locReportMedian(b, 4096, func(i int) { locate(ps[i]) })
}

func BenchmarkNewLocator(b *testing.B) {
	tc := locBenchCity(b)
	b.ReportAllocs()
	for b.Loop() {
		NewLocator(tc.grids)
	}
}

func TestBenchCityShape(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the city-sized partition")
	}
	tc := locBenchCity(t)
	if len(tc.grids) != 2176 {
		t.Fatalf("bench city has %d grids, want 2176", len(tc.grids))
	}
	verts := make([]int, 0, len(tc.grids))
	for _, g := range tc.grids {
		n := 0
		for _, poly := range g.Geometry {
			for _, ring := range poly {
				n += len(ring)
			}
		}
		verts = append(verts, n)
	}
	slices.Sort(verts)
	t.Logf("vertices per grid: min %d, median %d, max %d", verts[0], verts[len(verts)/2], verts[len(verts)-1])
	l, b := NewLocator(tc.grids), NewBruteLocator(tc.grids)
	for _, p := range locBenchPoints(tc, 300) {
		locCheck(t, l, b, p)
	}
}
