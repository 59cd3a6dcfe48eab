package walk

import (
	"sync"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

// cities holds the walking networks of the generated city (fixtures seed
// 1) at scales 1 and 10, each built once per test binary.
var cities = map[int]*cityCache{1: {}, 10: {}}

type cityCache struct {
	once sync.Once
	net  *Network
	err  error
}

// cityNetwork returns the walking network of fixtures.Generate at the given
// scale (1 or 10).
func cityNetwork(tb testing.TB, scale int) *Network {
	tb.Helper()
	cc := cities[scale]
	cc.once.Do(func() { cc.net, cc.err = buildCity(tb, scale) })
	if cc.err != nil {
		tb.Fatalf("building the scale-%d city network: %v", scale, cc.err)
	}
	return cc.net
}

func buildCity(tb testing.TB, scale int) (*Network, error) {
	start := time.Now()
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		return nil, err
	}
	gen := time.Since(start)
	snap, err := geo.NewSnapshot(c, 1)
	if err != nil {
		return nil, err
	}
	start = time.Now()
	g, err := FromStreets(c.Streets)
	if err != nil {
		return nil, err
	}
	graph := time.Since(start)
	start = time.Now()
	net, err := New(snap, g, Options{})
	tb.Logf("scale %d: generate %v, graph %v (%d nodes, %d edges), snap %d buildings %v",
		scale, gen.Round(time.Millisecond), graph.Round(time.Millisecond), g.NumNodes(), g.NumEdges(), len(c.Buildings), time.Since(start).Round(time.Millisecond))
	return net, err
}

func TestCityNetworkSummary(t *testing.T) {
	net := cityNetwork(t, 1)
	g := net.Graph()
	st := g.Stats()
	t.Logf("graph: %+v", st)
	comps := g.Components()
	for i, c := range comps[:min(len(comps), 8)] {
		t.Logf("component %d: %d nodes, %d edges, %.0f m", i, c.Nodes, c.Edges, c.LengthMeters)
	}
	offB, offS := net.OffNetwork()
	t.Logf("off the network: %d buildings, %d stations", len(offB), len(offS))
	cov, err := net.Coverage(Band15)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	tot := cov.Total()
	t.Logf("15-minute coverage: %d/%d households (%.1f%%), %d/%d buildings",
		tot.HouseholdsCovered, tot.Households, 100*tot.Share(), tot.BuildingsCovered, tot.Buildings)
	if len(net.Stations()) != 251 {
		t.Errorf("stations = %d, want 251", len(net.Stations()))
	}
	if tot.Households != net.Households() || tot.HouseholdsCovered == 0 {
		t.Errorf("total %+v, city households %d", tot, net.Households())
	}
}

func TestCityReachMatchesReferenceDijkstra(t *testing.T) {
	net := cityNetwork(t, 1)
	ref := newRefGraph(net.Graph())
	rng := testRand(t)
	n := 40
	if testing.Short() {
		n = 10
	}
	for _, src := range randomSources(t, net, rng, n) {
		checkReach(t, net, ref, src, 100+rng.Float64()*1900)
	}
	for k := 0; k < n/2; k++ {
		st := net.Stations()[rng.IntN(len(net.Stations()))]
		_, sn, err := net.Station(st.ID)
		if err != nil {
			t.Fatalf("Station(%d): %v", st.ID, err)
		}
		checkReach(t, net, ref, sn, Band15)
	}
}

func TestCityCoverageTotalsAddUp(t *testing.T) {
	net := cityNetwork(t, 1)
	cov, err := net.Coverage(Band15)
	if err != nil {
		t.Fatalf("Coverage: %v", err)
	}
	total := cov.Total()
	for _, level := range []geo.Level{geo.LevelCity, geo.LevelDistrict, geo.LevelSubdistrict, geo.LevelCommunity, geo.LevelGrid} {
		units, err := cov.Units(level)
		if err != nil {
			t.Fatalf("Units(%v): %v", level, err)
		}
		var sum Tally
		for _, u := range units {
			sum.add(u.Tally)
		}
		if sum != total || sum.Households != net.Households() {
			t.Errorf("level %v sums to %+v, want %+v (%d households in the city)", level, sum, total, net.Households())
		}
	}
}

func TestCityCirclesValidAndNested(t *testing.T) {
	net := cityNetwork(t, 1)
	stations := net.Stations()
	step := 1
	if testing.Short() {
		step = 10
	}
	bands := Bands()
	for i := 0; i < len(stations); i += step {
		r, err := net.StationReach(stations[i].ID, Band15)
		if err != nil {
			t.Fatalf("StationReach(%d): %v", stations[i].ID, err)
		}
		polys, err := net.Circle(r, bands...)
		if err != nil {
			t.Fatalf("Circle(%d): %v", stations[i].ID, err)
		}
		checkBands(t, net, r, bands, polys)
	}
}

func TestCitySuggestGainsAreReal(t *testing.T) {
	net := cityNetwork(t, 1)
	sg, err := net.Suggest(SuggestOptions{K: 5, LimitMeters: Band10})
	if err != nil {
		t.Fatalf("Suggest: %v", err)
	}
	sum := 0
	for _, s := range sg.Sites {
		sum += s.GainHouseholds
	}
	if got := sg.After.HouseholdsCovered - sg.Before.HouseholdsCovered; got != sum || len(sg.Sites) != 5 {
		t.Errorf("%d sites; coverage rose by %d households, gains sum to %d", len(sg.Sites), got, sum)
	}
	t.Logf("5 sites at 500 m from %d candidates: %+v -> %+v", sg.Candidates, sg.Before, sg.After)
}
