package geo_test

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/tidwall/rtree"
)

var (
	locCityOnce sync.Once
	locCityData *geo.City
	locCityErr  error
)

// locFixtureCity generates the reference fixture city (seed 1, scale 1) once.
func locFixtureCity(tb testing.TB) *geo.City {
	tb.Helper()
	locCityOnce.Do(func() { locCityData, locCityErr = fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1}) })
	if locCityErr != nil {
		tb.Fatalf("generating the fixture city: %v", locCityErr)
	}
	return locCityData
}

// locCitySeed returns SEED from the environment or def, and logs it.
func locCitySeed(tb testing.TB, def uint64) uint64 {
	tb.Helper()
	if v := os.Getenv("SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			tb.Fatalf("parsing SEED=%q: %v", v, err)
		}
		def = n
	}
	tb.Logf("seed %d (set SEED= to replay)", def)
	return def
}

// locCityPoints returns n random points in the bounds of random grids, so
// that most land in a grid and many near grid boundaries.
func locCityPoints(c *geo.City, r *rand.Rand, n int) []orb.Point {
	ps := make([]orb.Point, n)
	for i := range ps {
		b := c.Grids[r.IntN(len(c.Grids))].Geometry.Bound()
		b = b.Pad(0.1 * (b.Max[0] - b.Min[0]))
		ps[i] = orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
	}
	return ps
}

func TestLocateCityAgreesWithBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("scans every grid for 100,000 points")
	}
	c := locFixtureCity(t)
	l, b := geo.NewLocator(c.Grids), geo.NewBruteLocator(c.Grids)
	if l.Len() != len(c.Grids) {
		t.Fatalf("Len() = %d, want %d grids", l.Len(), len(c.Grids))
	}
	r := rand.New(rand.NewPCG(locCitySeed(t, 1), 9))
	ps := locCityPoints(c, r, 100000)
	// Every vertex of a random tenth of the grids, exactly on boundaries.
	for _, g := range c.Grids {
		if r.IntN(10) == 0 {
			for _, poly := range g.Geometry {
				for _, ring := range poly {
					ps = append(ps, ring...)
				}
			}
		}
	}
	hits := 0
	for _, p := range ps {
		got, gotOK := l.Locate(p)
		want, wantOK := b.Locate(p)
		if got != want || gotOK != wantOK {
			t.Fatalf("Locate(%.10f, %.10f) = %v, want %v (brute force)", p[0], p[1], got, want)
		}
		if gotOK {
			hits++
		}
	}
	t.Logf("%d points, %d in a grid", len(ps), hits)
}

func BenchmarkLocateCity(b *testing.B) {
	c := locFixtureCity(b)
	l := geo.NewLocator(c.Grids)
	ps := locCityPoints(c, rand.New(rand.NewPCG(1, 9)), 4096)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		l.Locate(ps[i&4095])
		i++
	}
	b.StopTimer()
	locReportMedianCity(b, 4096, func(i int) { l.Locate(ps[i]) })
}

func BenchmarkLocateBatchCity(b *testing.B) {
	c := locFixtureCity(b)
	l := geo.NewLocator(c.Grids)
	ps := locCityPoints(c, rand.New(rand.NewPCG(2, 9)), 100000)
	out := make([]*geo.Grid, len(ps))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		l.LocateBatch(ps, out)
	}
	b.ReportMetric(float64(b.N*len(ps))/time.Since(start).Seconds(), "points/s")
}

func BenchmarkLocateBaselineOrbCity(b *testing.B) {
	c := locFixtureCity(b)
	var tr rtree.RTreeG[*geo.Grid]
	for _, g := range c.Grids {
		bd := g.Geometry.Bound()
		tr.Insert(bd.Min, bd.Max, g)
	}
	locate := func(p orb.Point) (found *geo.Grid) {
		tr.Search(p, p, func(_, _ [2]float64, g *geo.Grid) bool {
			if planar.MultiPolygonContains(g.Geometry, p) {
				found = g
				return false
			}
			return true
		})
		return found
	}
	ps := locCityPoints(c, rand.New(rand.NewPCG(1, 9)), 4096)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		locate(ps[i&4095])
		i++
	}
	b.StopTimer()
	locReportMedianCity(b, 4096, func(i int) { locate(ps[i]) })
}

func BenchmarkNewLocatorCity(b *testing.B) {
	c := locFixtureCity(b)
	b.ReportAllocs()
	for b.Loop() {
		geo.NewLocator(c.Grids)
	}
}

// locReportMedianCity times calls of fn one by one and reports the median in
// ns, less the median cost of reading the clock twice.
func locReportMedianCity(b *testing.B, n int, fn func(i int)) {
	b.Helper()
	clock, d := make([]time.Duration, n), make([]time.Duration, n)
	for i := range n {
		t0 := time.Now()
		clock[i] = time.Since(t0)
	}
	for i := range n {
		t0 := time.Now()
		fn(i)
		d[i] = time.Since(t0)
	}
	slices.Sort(clock)
	slices.Sort(d)
	b.ReportMetric(float64(d[n/2]-clock[n/2]), "median-ns")
}
