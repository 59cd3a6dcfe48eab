package walk

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestSuggestGainsAreReal(t *testing.T) {
	tw := newTown(t)
	for _, c := range []struct {
		limit float64
		k     int
	}{{Band5, 6}, {Band10, 3}} {
		limit := c.limit
		sg, err := tw.net.Suggest(SuggestOptions{K: c.k, LimitMeters: limit})
		if err != nil {
			t.Fatalf("Suggest: %v", err)
		}
		if len(sg.Sites) != c.k {
			t.Fatalf("Suggest(limit %v) picked %d sites, want %d", limit, len(sg.Sites), c.k)
		}
		sum, sumB := 0, 0
		var pts []orb.Point
		for i, s := range sg.Sites {
			if s.GainHouseholds <= 0 {
				t.Errorf("site %d gains %d households", i, s.GainHouseholds)
			}
			if i > 0 && s.GainHouseholds > sg.Sites[i-1].GainHouseholds {
				t.Errorf("site %d gains %d, more than site %d's %d: greedy gains must not rise", i, s.GainHouseholds, i-1, sg.Sites[i-1].GainHouseholds)
			}
			sum += s.GainHouseholds
			sumB += s.GainBuildings
			pts = append(pts, s.Point)
		}
		if got := sg.After.HouseholdsCovered - sg.Before.HouseholdsCovered; got != sum {
			t.Errorf("coverage rose by %d households, gains sum to %d", got, sum)
		}
		if got := sg.After.BuildingsCovered - sg.Before.BuildingsCovered; got != sumB {
			t.Errorf("coverage rose by %d buildings, gains sum to %d", got, sumB)
		}
		again, err := tw.net.CoverageWith(pts, limit)
		if err != nil {
			t.Fatalf("CoverageWith: %v", err)
		}
		if again.Total() != sg.After {
			t.Errorf("CoverageWith(sites) = %+v, Suggest reported %+v", again.Total(), sg.After)
		}
	}
}

func TestSuggestFirstPickIsBest(t *testing.T) {
	tw := newTown(t)
	sg, err := tw.net.Suggest(SuggestOptions{K: 1, LimitMeters: Band10})
	if err != nil {
		t.Fatalf("Suggest: %v", err)
	}
	base := sg.Before.HouseholdsCovered
	best := 0
	for v := 0; v < tw.g.NumNodes(); v++ {
		cov, err := tw.net.CoverageWith([]orb.Point{tw.g.Node(v)}, Band10)
		if err != nil {
			t.Fatalf("CoverageWith(node %d): %v", v, err)
		}
		best = max(best, cov.Total().HouseholdsCovered-base)
	}
	if sg.Sites[0].GainHouseholds != best {
		t.Errorf("first site gains %d households, the best node gains %d", sg.Sites[0].GainHouseholds, best)
	}
}

func TestSuggestRules(t *testing.T) {
	tw := newTown(t)
	community := geo.DivisionCode(520201001004)
	sg, err := tw.net.Suggest(SuggestOptions{K: 3, LimitMeters: Band5, Units: []geo.DivisionCode{community}, MinSpacingMeters: 250})
	if err != nil {
		t.Fatalf("Suggest: %v", err)
	}
	if len(sg.Sites) == 0 {
		t.Fatalf("no sites in community %s", community)
	}
	for i, s := range sg.Sites {
		in := false
		for _, g := range tw.snap.GridsOf(community) {
			in = in || planar.MultiPolygonContains(g.Geometry, s.Point)
		}
		if !in {
			t.Errorf("site %d at %v lies outside community %s", i, s.Point, community)
		}
		for _, st := range tw.city.Stations {
			if d := haversine(st.Point, s.Point); d < 250 {
				t.Errorf("site %d is %.0f m from station %d, want >= 250", i, d, st.ID)
			}
		}
		for _, o := range sg.Sites[:i] {
			if d := haversine(o.Point, s.Point); d < 250 {
				t.Errorf("site %d is %.0f m from an earlier site, want >= 250", i, d)
			}
		}
	}
	given := []orb.Point{at(900, 900), at(100, 900), at(900, 100)}
	sg, err = tw.net.Suggest(SuggestOptions{K: 2, LimitMeters: Band5, Candidates: given})
	if err != nil {
		t.Fatalf("Suggest with candidates: %v", err)
	}
	for _, s := range sg.Sites {
		if s.Node != -1 || (s.Point != given[0] && s.Point != given[1] && s.Point != given[2]) {
			t.Errorf("site %+v is not one of the given candidates", s)
		}
	}
}

func TestSuggestErrors(t *testing.T) {
	tw := newTown(t)
	cases := []struct {
		name string
		opt  SuggestOptions
		want error
	}{
		{"k 0", SuggestOptions{K: 0}, ErrBadK},
		{"k too large", SuggestOptions{K: MaxSuggestSites + 1}, ErrBadK},
		{"limit too large", SuggestOptions{K: 1, LimitMeters: 9000}, ErrLimitRange},
		{"unknown unit", SuggestOptions{K: 1, Units: []geo.DivisionCode{520201001099}}, geo.ErrNotFound},
		{"unknown grid", SuggestOptions{K: 1, Grids: []geo.GridCode{520201001001009}}, geo.ErrNotFound},
		{"candidate off the network", SuggestOptions{K: 1, Candidates: []orb.Point{at(-5000, 0)}}, ErrOffNetwork},
		{"spacing leaves nothing", SuggestOptions{K: 1, MinSpacingMeters: 5000}, ErrNoCandidates},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := tw.net.Suggest(c.opt); !errors.Is(err, c.want) {
				t.Errorf("Suggest error = %v, want %v", err, c.want)
			}
		})
	}
}

func TestSuggestStopsWhenNothingGains(t *testing.T) {
	tw := newTown(t)
	sg, err := tw.net.Suggest(SuggestOptions{K: MaxSuggestSites, LimitMeters: Band5})
	if err != nil {
		t.Fatalf("Suggest: %v", err)
	}
	if len(sg.Sites) == 0 || len(sg.Sites) >= MaxSuggestSites {
		t.Fatalf("picked %d sites, want some but fewer than %d", len(sg.Sites), MaxSuggestSites)
	}
	for i, s := range sg.Sites {
		if s.GainHouseholds <= 0 {
			t.Errorf("site %d gains %d households", i, s.GainHouseholds)
		}
	}
	more, err := tw.net.Suggest(SuggestOptions{K: 1, LimitMeters: Band5, Candidates: nodePoints(tw.g)})
	if err != nil {
		t.Fatalf("Suggest: %v", err)
	}
	if more.Sites[0].GainHouseholds != sg.Sites[0].GainHouseholds {
		t.Errorf("nodes as explicit candidates gain %d, generated nodes %d", more.Sites[0].GainHouseholds, sg.Sites[0].GainHouseholds)
	}
}

func nodePoints(g *Graph) []orb.Point {
	out := make([]orb.Point, g.NumNodes())
	for i := range out {
		out[i] = g.Node(i)
	}
	return out
}
