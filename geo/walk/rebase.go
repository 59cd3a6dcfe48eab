package walk

import (
	"runtime"

	"github.com/gridmap/gridmap/geo"
)

// Rebase returns a network for snap that shares n's graph and the snapped
// positions of its buildings and stations, when snap has the same
// buildings (same ids, entrances and households, in the same order) and
// the same stations as n's snapshot: a grid edit moves buildings between
// grids but moves no building. Only the grid of each building is indexed
// again, which costs a pass over the buildings instead of snapping them.
// It returns nil, false when snap differs in anything else; build the
// network with New then.
func (n *Network) Rebase(snap *geo.Snapshot) (*Network, bool) {
	if snap == nil || snap.City == nil || !sameSites(n.snap.City, snap.City) {
		return nil, false
	}
	m := &Network{
		g: n.g, snap: snap, opt: n.opt,
		bsnap: n.bsnap, bOff: n.bOff, bIdx: n.bIdx,
		stations: snap.City.Stations, ssnap: n.ssnap, stationAt: n.stationAt, sOff: n.sOff, sIdx: n.sIdx,
		buildingAt:  n.buildingAt,
		offStations: n.offStations,
		households:  n.households,
		scratches:   make(chan *scratch, 2*runtime.GOMAXPROCS(0)),
		circles:     make(chan *circleScratch, 2*runtime.GOMAXPROCS(0)),
	}
	c := snap.City
	m.gridAt = make(map[geo.GridCode]int32, len(c.Grids))
	for i, g := range c.Grids {
		m.gridAt[g.Code] = int32(i)
	}
	m.bGrid = make([]int32, len(c.Buildings))
	for i, b := range c.Buildings {
		g, ok := m.gridAt[b.Grid]
		if !ok {
			g = -1
		}
		m.bGrid[i] = g
		if n.bsnap[i].Edge < 0 {
			m.offBuildings = append(m.offBuildings, b)
		}
	}
	return m, true
}

// sameSites reports whether b has a's buildings (ids, entrances,
// households, in order) and a's stations (the same values).
func sameSites(a, b *geo.City) bool {
	if len(a.Buildings) != len(b.Buildings) || len(a.Stations) != len(b.Stations) {
		return false
	}
	for i, x := range a.Buildings {
		y := b.Buildings[i]
		if x != y && (x.ID != y.ID || x.Point != y.Point || x.Households != y.Households) {
			return false
		}
	}
	for i, x := range a.Stations {
		if y := b.Stations[i]; x != y && *x != *y {
			return false
		}
	}
	return true
}

// Rebase returns c's coverage on m, a network that Rebase made from c's
// network (or from one it was made from): the distances and sources carry
// over, since no building or station moved, and only the tallies per grid
// are summed again. It returns nil, false when m does not share c's
// network's graph and snapped sites.
func (c *Coverage) Rebase(m *Network) (*Coverage, bool) {
	if m == nil || !c.net.sharesSites(m) {
		return nil, false
	}
	city := m.snap.City
	out := &Coverage{LimitMeters: c.LimitMeters, Sources: c.Sources, net: m, src: c.src, dist: c.dist,
		grids: make([]Tally, len(city.Grids))}
	for i, b := range city.Buildings {
		t := Tally{Buildings: 1, Households: b.Households}
		if c.dist[i] <= c.LimitMeters {
			t.BuildingsCovered, t.HouseholdsCovered = 1, b.Households
		}
		if g := m.bGrid[i]; g >= 0 {
			out.grids[g].add(t)
		}
		out.total.add(t)
	}
	return out, true
}

// sharesSites reports whether m has n's graph and n's snapped buildings
// and stations (the same arrays, as Rebase shares them).
func (n *Network) sharesSites(m *Network) bool {
	same := func(a, b []Snap) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }
	return n.g == m.g && same(n.bsnap, m.bsnap) && same(n.ssnap, m.ssnap)
}
