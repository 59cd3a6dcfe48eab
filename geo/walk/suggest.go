package walk

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// MaxSuggestSites is the largest number of sites Suggest picks at once.
const MaxSuggestSites = 50

// SuggestOptions say how many new station sites to pick and where they may
// go.
type SuggestOptions struct {
	// K is the number of sites, 1-MaxSuggestSites.
	K int
	// LimitMeters is the coverage limit. Default Band15.
	LimitMeters float64
	// Candidates are the allowed sites. When empty, every graph node is a
	// candidate, narrowed by Units and Grids.
	Candidates []orb.Point
	// Units and Grids restrict generated candidates to nodes inside these
	// units (city, district, subdistrict or community) or grids; both
	// empty means anywhere.
	Units []geo.DivisionCode
	Grids []geo.GridCode
	// MinSpacingMeters keeps sites at least this far (straight line) from
	// existing stations and from each other; 0 means no rule.
	MinSpacingMeters float64
}

// A Site is one suggested station site.
type Site struct {
	// Point is the site; Node is its graph node, -1 for a supplied
	// candidate.
	Point orb.Point
	Node  int
	// Snap is its place on the network.
	Snap Snap
	// GainHouseholds and GainBuildings are what it newly covers given the
	// sites picked before it.
	GainHouseholds, GainBuildings int
}

// A Suggestion is the result of Suggest.
type Suggestion struct {
	// LimitMeters is the coverage limit.
	LimitMeters float64
	// Sites are the picked sites in the order picked. There are fewer than
	// K when no further site gains anything.
	Sites []Site
	// Candidates is the number of candidates evaluated (those with some
	// uncovered building within the limit, straight line).
	Candidates int
	// Before and After are the city's tallies without and with the sites;
	// After.HouseholdsCovered-Before.HouseholdsCovered is the sum of the
	// gains.
	Before, After Tally
	// Coverage is the what-if coverage with the sites added.
	Coverage *Coverage
}

// A candidate is a site with the uncovered buildings within the limit of it.
type candidate struct {
	point orb.Point
	node  int
	snap  Snap
	cover []int32 // indexes of uncovered buildings
	gain  int
}

// Suggest picks up to K new station sites greedily, each the one that
// newly covers the most households given those already picked (lazy
// greedy, CELF), and reports the what-if coverage with them. For each
// candidate it first finds the uncovered buildings within the limit by a
// bounded search, so the picks themselves are cheap.
func (n *Network) Suggest(opt SuggestOptions) (*Suggestion, error) {
	if opt.K < 1 || opt.K > MaxSuggestSites {
		return nil, fmt.Errorf("suggesting sites: %w: k=%d outside 1-%d", ErrBadK, opt.K, MaxSuggestSites)
	}
	if opt.LimitMeters == 0 {
		opt.LimitMeters = Band15
	}
	if err := CheckLimit(opt.LimitMeters); err != nil {
		return nil, fmt.Errorf("suggesting sites: %w", err)
	}
	before := n.coverage(n.stationSources(), opt.LimitMeters)
	d := n.newDemand(before)
	cands, err := n.candidates(opt, d)
	if err != nil {
		return nil, fmt.Errorf("suggesting sites: %w", err)
	}
	n.evaluate(cands, d, opt.LimitMeters)
	sites := d.pick(cands, opt.K, opt.MinSpacingMeters)
	srcs := n.stationSources()
	for _, st := range sites {
		srcs = append(srcs, Source{Point: st.Point, Snap: st.Snap})
	}
	after := n.coverage(srcs, opt.LimitMeters)
	return &Suggestion{
		LimitMeters: opt.LimitMeters,
		Sites:       sites,
		Candidates:  len(cands),
		Before:      before.Total(),
		After:       after.Total(),
		Coverage:    after,
	}, nil
}

// A demand is the set of uncovered buildings that can still be covered.
type demand struct {
	building   []int32 // uncovered index -> building index
	households []int
	uOff, uIdx []int32 // edge -> uncovered buildings rows
	points     []orb.Point
}

func (n *Network) newDemand(before *Coverage) *demand {
	c := n.snap.City
	d := &demand{}
	var snaps []Snap
	for i, b := range c.Buildings {
		if before.dist[i] <= before.LimitMeters || n.bsnap[i].Edge < 0 {
			continue
		}
		d.building = append(d.building, int32(i))
		d.households = append(d.households, b.Households)
		d.points = append(d.points, b.Point)
		snaps = append(snaps, n.bsnap[i])
	}
	d.uOff, d.uIdx = edgeRows(len(n.g.edges), snaps)
	return d
}

// candidates lists the candidate sites the rules allow (ErrNoCandidates if
// none), keeping those with some uncovered building within the limit in a
// straight line: a walk is never shorter.
func (n *Network) candidates(opt SuggestOptions, d *demand) ([]*candidate, error) {
	var all []*candidate
	if len(opt.Candidates) > 0 {
		for i, p := range opt.Candidates {
			src, err := n.PointSource(p)
			if err != nil {
				return nil, fmt.Errorf("candidate %d: %w", i, err)
			}
			all = append(all, &candidate{point: p, node: -1, snap: src.Snap})
		}
	} else {
		inside, err := n.unitFilter(opt.Units, opt.Grids)
		if err != nil {
			return nil, err
		}
		for v := range n.g.nodes {
			if p := n.g.nodes[v]; inside(p) {
				all = append(all, &candidate{point: p, node: v, snap: n.g.NodeSnap(v)})
			}
		}
	}
	if opt.MinSpacingMeters > 0 {
		pts := make([]orb.Point, len(n.stations))
		for i, st := range n.stations {
			pts[i] = st.Point
		}
		stations := newPointGrid(n.g.proj, opt.MinSpacingMeters, pts)
		kept := all[:0]
		for _, c := range all {
			if !stations.anyWithin(c.point, opt.MinSpacingMeters) {
				kept = append(kept, c)
			}
		}
		all = kept
	}
	if len(all) == 0 {
		return nil, ErrNoCandidates
	}
	near := newPointGrid(n.g.proj, opt.LimitMeters, d.points)
	reach := opt.LimitMeters*1.001 + 1
	out := all[:0]
	for _, c := range all {
		if near.anyWithin(c.point, reach) {
			out = append(out, c)
		}
	}
	return out, nil
}

// unitFilter returns a test for "inside one of the given units or grids".
func (n *Network) unitFilter(units []geo.DivisionCode, grids []geo.GridCode) (func(orb.Point) bool, error) {
	if len(units) == 0 && len(grids) == 0 {
		return func(orb.Point) bool { return true }, nil
	}
	var gs []*geo.Grid
	for _, code := range grids {
		g, ok := n.snap.Grid(code)
		if !ok {
			return nil, fmt.Errorf("restricting candidates: grid %s: %w", code, geo.ErrNotFound)
		}
		gs = append(gs, g)
	}
	for _, code := range units {
		if _, ok := n.snap.Unit(code); !ok {
			return nil, fmt.Errorf("restricting candidates: unit %s: %w", code, geo.ErrNotFound)
		}
		gs = append(gs, n.gridsUnder(code)...)
	}
	return func(p orb.Point) bool {
		for _, g := range gs {
			if g.Bound.Contains(p) && multiPolygonContains(g.Geometry, p) {
				return true
			}
		}
		return false
	}, nil
}

func (n *Network) gridsUnder(code geo.DivisionCode) []*geo.Grid {
	if code.Level() == geo.LevelCommunity {
		return n.snap.GridsOf(code)
	}
	var out []*geo.Grid
	for _, u := range n.snap.Children(code) {
		out = append(out, n.gridsUnder(u.Code)...)
	}
	return out
}

// gainOf returns the households of a candidate's buildings not yet covered.
func (d *demand) gainOf(c *candidate, covered []bool) int {
	g := 0
	for _, u := range c.cover {
		if !covered[u] {
			g += d.households[u]
		}
	}
	return g
}

func spacingOK(p orb.Point, picked []Site, minMeters float64) bool {
	for _, s := range picked {
		if haversine(p, s.Point) < minMeters {
			return false
		}
	}
	return true
}
