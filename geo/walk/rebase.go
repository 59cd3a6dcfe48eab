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
// again: carried over through the grids' new places for every building
// the edit left alone (the same *geo.Building), looked up for the few it
// moved, which costs a pass over two arrays instead of snapping the
// buildings or a map lookup each. It returns nil, false when snap differs
// in anything else; build the network with New then.
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
		offIdx:      n.offIdx,
		households:  n.households,
		scratches:   make(chan *scratch, 2*runtime.GOMAXPROCS(0)),
		circles:     make(chan *circleScratch, 2*runtime.GOMAXPROCS(0)),
	}
	c := snap.City
	if n.gridAt != nil || !sortedWhereChanged(n.snap.City.Grids, c.Grids) {
		m.gridAt = indexGrids(c.Grids)
	}
	remap := gridRemap(n, m)
	old := n.snap.City.Buildings
	m.bGrid = make([]int32, len(c.Buildings))
	for i, b := range c.Buildings {
		if g := n.bGrid[i]; g >= 0 && b == old[i] {
			m.bGrid[i] = remap[g] // the same grid code, at its new place
		} else {
			m.bGrid[i] = m.gridIndex(b.Grid)
		}
	}
	m.offBuildings = make([]*geo.Building, len(n.offIdx))
	for k, i := range n.offIdx {
		m.offBuildings[k] = c.Buildings[i]
	}
	return m, true
}

// sortedWhereChanged reports whether b, the grids after an edit of a
// (whose grids are sorted by code), is sorted too: where the two lists
// differ (geo.SharedEnds) and at either side of that span.
func sortedWhereChanged(a, b []*geo.Grid) bool {
	head, tail := geo.SharedEnds(a, b)
	return sortedByCode(b[max(head-1, 0):min(len(b)-tail+1, len(b))])
}

// gridRemap returns, for each grid of n's city, the index in m's city of
// the grid with its code, or -1: when both are sorted by code, the grids
// they share at their start and end (geo.SharedEnds) keep their offsets
// and the span between is merged; else a lookup each.
func gridRemap(n, m *Network) []int32 {
	a, b := n.snap.City.Grids, m.snap.City.Grids
	out := make([]int32, len(a))
	if n.gridAt != nil || m.gridAt != nil {
		for i, g := range a {
			out[i] = m.gridIndex(g.Code)
		}
		return out
	}
	head, tail := geo.SharedEnds(a, b)
	for i := range head {
		out[i] = int32(i)
	}
	for i := len(a) - tail; i < len(a); i++ {
		out[i] = int32(i + len(b) - len(a))
	}
	// A grid between has its code, if at all, between in b too: the
	// grids either side are the same in both, and codes are unique.
	a, b = a[:len(a)-tail], b[:len(b)-tail]
	j := head
	for i := head; i < len(a); i++ {
		g := a[i]
		for j < len(b) && b[j].Code < g.Code {
			j++
		}
		out[i] = -1
		if j < len(b) && b[j].Code == g.Code {
			out[i] = int32(j)
		}
	}
	return out
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
// over, since no building or station moved, and the tallies per grid are
// carried over to the grids' new places, corrected for the buildings
// that changed grid (those the edits replaced, found by pointer). It
// returns nil, false when m does not share c's network's graph and
// snapped sites.
func (c *Coverage) Rebase(m *Network) (*Coverage, bool) {
	if m == nil || !c.net.sharesSites(m) {
		return nil, false
	}
	city := m.snap.City
	out := &Coverage{LimitMeters: c.LimitMeters, Sources: c.Sources, net: m, src: c.src, dist: c.dist,
		grids: make([]Tally, len(city.Grids)), total: c.total}
	remap := gridRemap(c.net, m)
	for g, t := range c.grids {
		if j := remap[g]; j >= 0 {
			out.grids[j] = t
		}
	}
	// A building the edits left alone (the same *geo.Building) keeps its
	// grid's code, so its tally stays with that code: only the others are
	// looked at, and they lie between the buildings both cities share at
	// the start and end of their lists.
	old := c.net.snap.City.Buildings
	head, tail := geo.SharedEnds(old, city.Buildings)
	for i := head; i < len(old)-tail; i++ {
		if old[i] == city.Buildings[i] {
			continue
		}
		was, now := c.net.bGrid[i], m.bGrid[i]
		if was >= 0 {
			was = remap[was]
		}
		if was == now {
			continue
		}
		t := c.buildingTally(i, city.Buildings[i])
		if was >= 0 {
			out.grids[was].sub(t)
		}
		if now >= 0 {
			out.grids[now].add(t)
		}
	}
	return out, true
}

// buildingTally returns the tally of one building, the one with index i.
func (c *Coverage) buildingTally(i int, b *geo.Building) Tally {
	t := Tally{Buildings: 1, Households: b.Households}
	if c.dist[i] <= c.LimitMeters {
		t.BuildingsCovered, t.HouseholdsCovered = 1, b.Households
	}
	return t
}

// sharesSites reports whether m has n's graph and n's snapped buildings
// and stations (the same arrays, as Rebase shares them).
func (n *Network) sharesSites(m *Network) bool {
	same := func(a, b []Snap) bool { return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0]) }
	return n.g == m.g && same(n.bsnap, m.bsnap) && same(n.ssnap, m.ssnap)
}
