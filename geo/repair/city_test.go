package repair_test

import (
	"os"
	"strconv"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/gridmap/gridmap/geo/repair/repairtest"
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
	grids, comms := repairtest.Input(set)
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
	repairtest.Partition(t, res, comms, 1)
	repairtest.VertexIdentical(t, res)
	repairtest.Areas(t, res, set, 300)
	repairtest.Interior(t, res, set)
}

// TestRoughCityDerived repairs the roughened embedded city without its
// community boundaries: every community is derived from its grids, and
// grids of neighbouring communities must not overlap either.
func TestRoughCityDerived(t *testing.T) {
	s := seed(t)
	t.Logf("SEED=%d", s)
	set, grids, _ := roughCity(t, s)
	res, err := repair.Grids(grids, nil, repair.Options{})
	if err != nil {
		t.Fatalf("Grids: %v", err)
	}
	if len(res.Grids) != len(city(t).Grids) || len(res.Communities) != 224 {
		t.Fatalf("got %d grids in %d communities, want %d in 224", len(res.Grids), len(res.Communities), len(city(t).Grids))
	}
	t.Logf("repairs: %v", repair.Summarize(res.Repairs).Counts)
	checkValidator(t, res)
	whole := *res
	whole.Grids = nil
	for _, g := range res.Grids {
		g.Community = "city"
		whole.Grids = append(whole.Grids, g)
	}
	repairtest.Partition(t, &whole, nil, 0)
	repairtest.VertexIdentical(t, res)
	repairtest.AreasOf(t, res, set, repairtest.Enclosed(set), 250)
	repairtest.Interior(t, res, set)
}

// checkValidator runs cityio.Validate on the embedded city with the
// repaired grids (buildings dropped: the repair moves borders by metres),
// and with the communities the repair derived, where it derived them.
func checkValidator(t *testing.T, res *repair.Result) {
	t.Helper()
	c := *city(t)
	derived := map[string]orb.MultiPolygon{}
	for _, cm := range res.Communities {
		derived[cm.Key] = cm.Geometry
	}
	c.Units = nil
	for _, u := range city(t).Units {
		nu := *u
		if g, ok := derived[u.Code.String()]; ok {
			nu.Geometry = g
		}
		c.Units = append(c.Units, &nu)
	}
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
