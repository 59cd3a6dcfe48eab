package walk

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A Nearest is the station that serves a point or building, by network.
type Nearest struct {
	// Station is the nearest station.
	Station *geo.Station
	// DistanceMeters is the network distance, both access walks included.
	DistanceMeters float64
	// Origin is where the point or building is snapped.
	Origin Snap
}

// NearestStation returns the station nearest p along the network, however
// far. A point off the network gives ErrOffNetwork; one whose part of the
// network holds no station gives ErrNoStation.
func (n *Network) NearestStation(p orb.Point) (Nearest, error) {
	src, err := n.PointSource(p)
	if err != nil {
		return Nearest{}, fmt.Errorf("finding nearest station: %w", err)
	}
	return n.nearestFrom(src.Snap)
}

// NearestStationToBuilding returns the station nearest the building with
// the given id. It agrees with Coverage's distance up to floating-point
// rounding (the walk is summed from the other end).
func (n *Network) NearestStationToBuilding(id geo.BuildingID) (Nearest, error) {
	i, ok := n.buildingAt[id]
	if !ok {
		return Nearest{}, fmt.Errorf("finding nearest station to building %d: %w", id, ErrUnknownBuilding)
	}
	sn := n.bsnap[i]
	if sn.Edge < 0 {
		return Nearest{}, fmt.Errorf("finding nearest station to building %d: %w", id, ErrOffNetwork)
	}
	return n.nearestFrom(sn)
}

// nearestFrom searches outward from origin and stops once the nearest
// unsettled node is farther than the best station found.
func (n *Network) nearestFrom(origin Snap) (Nearest, error) {
	g := n.g
	s := n.getScratch()
	defer n.putScratch(s)
	best, bestSt := math.Inf(1), int32(-1)
	offer := func(st int32, d float64) {
		if d < best || (d == best && st < bestSt) {
			best, bestSt = d, st
		}
	}
	for _, st := range n.sIdx[n.sOff[origin.Edge]:n.sOff[origin.Edge+1]] {
		sn := n.ssnap[st]
		offer(st, origin.AccessMeters+math.Abs(origin.OffsetMeters-sn.OffsetMeters)+sn.AccessMeters)
	}
	inf := math.Inf(1)
	s.addSource(g, origin, inf)
	for len(s.heap) > 0 {
		it := s.pop()
		u := it.n
		if s.done[u] == s.gen || it.d > s.dist[u] {
			continue
		}
		if it.d >= best {
			break
		}
		s.done[u] = s.gen
		for i := g.off[u]; i < g.off[u+1]; i++ {
			e := g.adjEdge[i]
			rec := g.edges[e]
			for _, st := range n.sIdx[n.sOff[e]:n.sOff[e+1]] {
				sn := n.ssnap[st]
				if rec.from == u {
					offer(st, it.d+sn.OffsetMeters+sn.AccessMeters)
				}
				if rec.to == u {
					offer(st, it.d+(rec.length-sn.OffsetMeters)+sn.AccessMeters)
				}
			}
			s.relax(g.adjTo[i], it.d+g.adjLen[i], 0, inf)
		}
	}
	if bestSt < 0 {
		return Nearest{}, fmt.Errorf("finding nearest station: %w", ErrNoStation)
	}
	return Nearest{Station: n.stations[bestSt], DistanceMeters: best, Origin: origin}, nil
}
