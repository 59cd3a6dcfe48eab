package repair_test

import (
	"math"
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/paulmach/orb"
)

var (
	cityOnce sync.Once
	cityVal  *geo.City
	cityErr  error
)

// city returns the embedded city (shared, never modified).
func city(t testing.TB) *geo.City {
	t.Helper()
	cityOnce.Do(func() { cityVal, cityErr = fixtures.Generate(fixtures.Options{Seed: 1}) })
	if cityErr != nil {
		t.Fatalf("fixtures.Generate: %v", cityErr)
	}
	return cityVal
}

// seed returns SEED from the environment, or 1.
func seed(t testing.TB) uint64 {
	if s := os.Getenv("SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SEED=%q: %v", s, err)
		}
		return v
	}
	return 1
}

// roughCity returns a roughened copy of the embedded city as repair input.
func roughCity(t testing.TB, s uint64) (*rough.Set, []repair.Grid, []repair.Community) {
	g, c := rough.CityGrids(city(t))
	set := rough.Roughen(g, c, rough.Options{Seed: s})
	grids := make([]repair.Grid, len(set.Grids))
	for i, g := range set.Grids {
		grids[i] = repair.Grid{Key: g.Key, Community: g.Community, Geometry: g.Geometry}
	}
	comms := make([]repair.Community, len(set.Communities))
	for i, c := range set.Communities {
		comms[i] = repair.Community{Key: c.Key, Geometry: c.Geometry}
	}
	return set, grids, comms
}

// TestRoughCity repairs the roughened embedded city and checks the
// outcome with the project's validator, with simplefeatures as an
// independent oracle, by area and by interior points.
func TestRoughCity(t *testing.T) {
	s := seed(t)
	t.Logf("SEED=%d", s)
	set, grids, comms := roughCity(t, s)
	t.Logf("defects: %v", set.Defects)
	res, err := repair.Grids(grids, comms, repair.Options{})
	if err != nil {
		t.Fatalf("Grids: %v", err)
	}
	if len(res.Grids) != len(city(t).Grids) {
		t.Fatalf("got %d grids, want %d", len(res.Grids), len(city(t).Grids))
	}
	sum := repair.Summarize(res.Repairs)
	t.Logf("repairs: %v", sum.Counts)
	checkValidator(t, res)
	checkOracle(t, res, comms, 1)
	checkAreas(t, res, set, 300)
	checkInterior(t, res, set)
}

// checkValidator runs cityio.Validate on the embedded city with the
// repaired grids (buildings dropped: the repair moves borders by metres).
func checkValidator(t *testing.T, res *repair.Result) {
	t.Helper()
	c := *city(t)
	byKey := map[string]orb.MultiPolygon{}
	for _, g := range res.Grids {
		byKey[g.Key] = g.Geometry
	}
	c.Grids = nil
	for _, g := range city(t).Grids {
		ng := *g
		ng.Geometry = byKey[g.Code.String()]
		ng.Bound = ng.Geometry.Bound()
		ng.Households, ng.Buildings = 0, 0
		c.Grids = append(c.Grids, &ng)
	}
	c.Buildings = nil
	if err := cityio.Validate(&c); err != nil {
		t.Errorf("cityio.Validate(repaired city) = %v", err)
	}
}

// checkAreas wants every grid that was only noisy within 0.1% of its
// original area.
func checkAreas(t *testing.T, res *repair.Result, set *rough.Set, minGrids int) {
	t.Helper()
	n, worst := 0, 0.0
	for _, g := range res.Grids {
		if !set.NoisyOnly[g.Key] {
			continue
		}
		n++
		orig := set.Original[g.Key]
		lat := orig.Bound().Center()[1]
		a0, a1 := planar.AreaM2(orig, lat), planar.AreaM2(g.Geometry, lat)
		rel := math.Abs(a1-a0) / a0
		worst = max(worst, rel)
		if rel > 0.001 {
			t.Errorf("grid %s: area %.1f m², original %.1f m² (%.3f%%), want within 0.1%%", g.Key, a1, a0, 100*rel)
		}
	}
	t.Logf("%d noisy-only grids, worst area change %.4f%%", n, 100*worst)
	if n < minGrids {
		t.Errorf("only %d noisy-only grids checked, want at least %d", n, minGrids)
	}
}

// checkInterior wants a point well inside each original grid (at least
// 5 m from its border) inside the repaired grid of the same key.
func checkInterior(t *testing.T, res *repair.Result, set *rough.Set) {
	t.Helper()
	checked := 0
	for _, g := range res.Grids {
		orig := set.Original[g.Key]
		p, ok := interiorPoint(orig, 5)
		if !ok {
			continue
		}
		checked++
		if !planar.MPContains(g.Geometry, p) {
			t.Errorf("grid %s: point %v, inside the original, is not inside the repaired grid", g.Key, p)
		}
	}
	if checked < len(res.Grids)*9/10 {
		t.Errorf("interior points checked for %d of %d grids, want 90%%", checked, len(res.Grids))
	}
}
