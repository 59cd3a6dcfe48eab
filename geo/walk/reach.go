package walk

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A Source is where a search starts: a station, or any point for a what-if.
type Source struct {
	// Station is the station, nil for a what-if point.
	Station *geo.Station
	// Point is the source's position in WGS-84.
	Point orb.Point
	// Snap is its place on the network.
	Snap Snap
}

// A NodeReach is one node within a reach's limit.
type NodeReach struct {
	// Node is the graph node.
	Node int32
	// Source is the index in Reach.Sources of the nearest source.
	Source int32
	// DistanceMeters is the network distance from that source, access walk
	// included.
	DistanceMeters float64
}

// A BuildingReach is one building within a reach's limit.
type BuildingReach struct {
	// Building is the building.
	Building *geo.Building
	// Index is its index in the snapshot's City.Buildings.
	Index int
	// Source is the index in Reach.Sources of the nearest source.
	Source int
	// DistanceMeters is the network distance from that source, both access
	// walks included.
	DistanceMeters float64
}

// A Reach is the result of a bounded search: what lies within LimitMeters
// of the sources along the network.
type Reach struct {
	// LimitMeters is the search's limit.
	LimitMeters float64
	// Sources are the search's sources.
	Sources []Source
	// Nodes are the nodes within the limit, nearest first.
	Nodes []NodeReach
	// Buildings are the covered buildings, nearest first (ties by index).
	Buildings []BuildingReach
	// Households is the sum of the covered buildings' households.
	Households int
}

// StationReach returns what lies within limitMeters of one station.
func (n *Network) StationReach(id geo.StationID, limitMeters float64) (*Reach, error) {
	st, sn, err := n.Station(id)
	if err != nil {
		return nil, fmt.Errorf("reaching from station: %w", err)
	}
	return n.Reach([]Source{{Station: st, Point: st.Point, Snap: sn}}, limitMeters)
}

// StationsReach returns what lies within limitMeters of any of the given
// stations, each node and building credited to its nearest station. A nil
// ids means every station on the network.
func (n *Network) StationsReach(ids []geo.StationID, limitMeters float64) (*Reach, error) {
	var srcs []Source
	if ids == nil {
		srcs = n.stationSources()
	}
	for _, id := range ids {
		st, sn, err := n.Station(id)
		if err != nil {
			return nil, fmt.Errorf("reaching from stations: %w", err)
		}
		srcs = append(srcs, Source{Station: st, Point: st.Point, Snap: sn})
	}
	return n.Reach(srcs, limitMeters)
}

func (n *Network) stationSources() []Source {
	srcs := make([]Source, 0, len(n.stations))
	for i, st := range n.stations {
		if n.ssnap[i].Edge >= 0 {
			srcs = append(srcs, Source{Station: st, Point: st.Point, Snap: n.ssnap[i]})
		}
	}
	return srcs
}

// PointSource snaps p as a what-if source. A point too far from the
// network gives ErrOffNetwork.
func (n *Network) PointSource(p orb.Point) (Source, error) {
	sn, err := n.g.Snap(p, n.opt.MaxAccessMeters)
	if err != nil {
		return Source{}, err
	}
	return Source{Point: p, Snap: sn}, nil
}

// PointReach returns what lies within limitMeters of any point, as if a
// station stood there.
func (n *Network) PointReach(p orb.Point, limitMeters float64) (*Reach, error) {
	src, err := n.PointSource(p)
	if err != nil {
		return nil, fmt.Errorf("reaching from a point: %w", err)
	}
	return n.Reach([]Source{src}, limitMeters)
}

// Reach runs one bounded multi-source search from srcs (each already
// snapped) and returns the nodes and buildings within limitMeters.
func (n *Network) Reach(srcs []Source, limitMeters float64) (*Reach, error) {
	if err := CheckLimit(limitMeters); err != nil {
		return nil, err
	}
	for i, src := range srcs {
		if err := n.checkSnap(src.Snap); err != nil {
			return nil, fmt.Errorf("reaching from source %d: %w", i, err)
		}
	}
	s := n.getScratch()
	defer n.putScratch(s)
	for _, src := range srcs {
		s.addSource(n.g, src.Snap, limitMeters)
	}
	s.run(n.g, limitMeters)
	r := &Reach{LimitMeters: limitMeters, Sources: srcs, Nodes: make([]NodeReach, len(s.order))}
	for i, u := range s.order {
		r.Nodes[i] = NodeReach{Node: u, Source: s.label[u], DistanceMeters: s.dist[u]}
	}
	n.collectBuildings(s, r)
	return r, nil
}

// checkSnap rejects a hand-made Snap that does not lie on the graph.
func (n *Network) checkSnap(s Snap) error {
	if s.Edge < 0 || s.Edge >= len(n.g.edges) {
		return fmt.Errorf("edge %d: %w", s.Edge, ErrOffNetwork)
	}
	l := n.g.edges[s.Edge].length
	if !(s.OffsetMeters >= 0 && s.OffsetMeters <= l) || !(s.AccessMeters >= 0) || math.IsInf(s.AccessMeters, 0) {
		return fmt.Errorf("offset %v of %v m, access %v m: %w", s.OffsetMeters, l, s.AccessMeters, ErrBadGeometry)
	}
	return nil
}

// collectBuildings adds the covered buildings of every edge touched by the
// search: those at a settled node and those carrying a source.
func (n *Network) collectBuildings(s *scratch, r *Reach) {
	g := n.g
	visit := func(e int32) {
		if s.edgeStamp[e] == s.gen {
			return
		}
		s.edgeStamp[e] = s.gen
		for _, b := range n.bIdx[n.bOff[e]:n.bOff[e+1]] {
			d, lab := s.targetDist(g, n.bsnap[b])
			if d <= r.LimitMeters {
				bl := n.snap.City.Buildings[b]
				r.Buildings = append(r.Buildings, BuildingReach{Building: bl, Index: int(b), Source: int(lab), DistanceMeters: d})
				r.Households += bl.Households
			}
		}
	}
	for _, u := range s.order {
		for i := g.off[u]; i < g.off[u+1]; i++ {
			visit(g.adjEdge[i])
		}
	}
	for _, src := range r.Sources {
		visit(int32(src.Snap.Edge))
	}
	slices.SortFunc(r.Buildings, func(a, b BuildingReach) int {
		if c := cmp.Compare(a.DistanceMeters, b.DistanceMeters); c != 0 {
			return c
		}
		return cmp.Compare(a.Index, b.Index)
	})
}
