package walk

import (
	"cmp"
	"fmt"
	"runtime"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"golang.org/x/sync/errgroup"
)

// Options configure a Network. The zero value gives the defaults.
type Options struct {
	// MaxAccessMeters is how far a building, station or query point may lie
	// from the nearest edge; farther ones are off the network. Default
	// DefaultMaxAccessMeters (500 m).
	MaxAccessMeters float64
	// SpeedKMH is the walking speed used by MinutesToMeters for times other
	// than 5, 10 and 15 minutes. Default DefaultSpeedKMH (4 km/h).
	SpeedKMH float64
	// Circle configures the display polygons.
	Circle CircleOptions
}

func (o Options) withDefaults() Options {
	if !(o.MaxAccessMeters > 0) {
		o.MaxAccessMeters = DefaultMaxAccessMeters
	}
	if !(o.SpeedKMH > 0) {
		o.SpeedKMH = DefaultSpeedKMH
	}
	o.Circle = o.Circle.withDefaults()
	return o
}

// A Network is a Graph with a snapshot's buildings and stations snapped
// onto it. It answers reach, coverage, nearest-station, circle and
// site-suggestion queries. It is immutable and safe for concurrent use;
// build a new one for a new snapshot.
type Network struct {
	g    *Graph
	snap *geo.Snapshot
	opt  Options

	bsnap []Snap  // per building of snap.City.Buildings; Edge -1 off the network
	bOff  []int32 // edge -> buildings rows
	bIdx  []int32

	stations  []*geo.Station
	ssnap     []Snap // Edge -1 off the network
	stationAt map[geo.StationID]int32
	sOff      []int32 // edge -> stations rows
	sIdx      []int32

	buildingAt map[geo.BuildingID]int32
	// gridAt maps grid codes to indexes in City.Grids; nil when the grids
	// are sorted by code, which a binary search then finds (gridIndex).
	gridAt map[geo.GridCode]int32
	bGrid  []int32 // per building: index in City.Grids, -1 if none

	// offBuildings are the buildings off the network, offIdx their
	// indexes in City.Buildings.
	offBuildings []*geo.Building
	offIdx       []int32
	offStations  []*geo.Station
	households   int

	// Free lists of scratch space. Unlike a sync.Pool they survive garbage
	// collections, so a query never re-allocates the graph-sized arrays.
	scratches chan *scratch
	circles   chan *circleScratch
}

// New snaps the snapshot's buildings and stations onto g. Buildings and
// stations farther than MaxAccessMeters from every edge are kept off the
// network (such buildings are never covered) and listed by OffNetwork.
func New(snap *geo.Snapshot, g *Graph, opt Options) (*Network, error) {
	if snap == nil || snap.City == nil || g == nil {
		return nil, fmt.Errorf("building walking network: %w", ErrEmptyNetwork)
	}
	n := &Network{g: g, snap: snap, opt: opt.withDefaults()}
	n.scratches = make(chan *scratch, 2*runtime.GOMAXPROCS(0))
	n.circles = make(chan *circleScratch, 2*runtime.GOMAXPROCS(0))
	c := snap.City
	n.bsnap = n.snapAll(len(c.Buildings), func(i int) *geo.Building { return c.Buildings[i] })
	n.stations = c.Stations
	n.ssnap = make([]Snap, len(c.Stations))
	n.stationAt = make(map[geo.StationID]int32, len(c.Stations))
	for i, st := range c.Stations {
		n.stationAt[st.ID] = int32(i)
		sn, err := g.Snap(st.Point, n.opt.MaxAccessMeters)
		if err != nil {
			sn.Edge = -1
			n.offStations = append(n.offStations, st)
		}
		n.ssnap[i] = sn
	}
	n.indexBuildings()
	for i, b := range c.Buildings {
		n.households += b.Households
		if n.bsnap[i].Edge < 0 {
			n.offBuildings = append(n.offBuildings, b)
			n.offIdx = append(n.offIdx, int32(i))
		}
	}
	n.bOff, n.bIdx = edgeRows(len(g.edges), n.bsnap)
	n.sOff, n.sIdx = edgeRows(len(g.edges), n.ssnap)
	return n, nil
}

// indexBuildings maps building ids and grid codes to indexes.
func (n *Network) indexBuildings() {
	c := n.snap.City
	n.gridAt = indexGrids(c.Grids)
	n.buildingAt = make(map[geo.BuildingID]int32, len(c.Buildings))
	n.bGrid = make([]int32, len(c.Buildings))
	for i, b := range c.Buildings {
		n.buildingAt[b.ID] = int32(i)
		n.bGrid[i] = n.gridIndex(b.Grid)
	}
}

// indexGrids maps the grids' codes to their indexes, or returns nil when
// the grids are sorted by code (each code once), as a city's are.
func indexGrids(grids []*geo.Grid) map[geo.GridCode]int32 {
	if sortedByCode(grids) {
		return nil
	}
	at := make(map[geo.GridCode]int32, len(grids))
	for i, g := range grids {
		at[g.Code] = int32(i)
	}
	return at
}

// sortedByCode reports whether grids are in increasing order of code.
func sortedByCode(grids []*geo.Grid) bool {
	for i := 1; i < len(grids); i++ {
		if grids[i-1].Code >= grids[i].Code {
			return false
		}
	}
	return true
}

// gridIndex returns the index in City.Grids of the grid with code, or -1.
func (n *Network) gridIndex(code geo.GridCode) int32 {
	if n.gridAt != nil {
		if i, ok := n.gridAt[code]; ok {
			return i
		}
		return -1
	}
	grids := n.snap.City.Grids
	i, ok := slices.BinarySearchFunc(grids, code, func(g *geo.Grid, c geo.GridCode) int { return cmp.Compare(g.Code, c) })
	if !ok {
		return -1
	}
	return int32(i)
}

// snapAll snaps count buildings in parallel.
func (n *Network) snapAll(count int, at func(int) *geo.Building) []Snap {
	out := make([]Snap, count)
	var eg errgroup.Group
	workers := max(1, min(runtime.GOMAXPROCS(0), 4))
	for w := 0; w < workers; w++ {
		eg.Go(func() error {
			for i := w; i < count; i += workers {
				sn, err := n.g.Snap(at(i).Point, n.opt.MaxAccessMeters)
				if err != nil {
					sn.Edge = -1
				}
				out[i] = sn
			}
			return nil
		})
	}
	_ = eg.Wait()
	return out
}

// edgeRows groups snapped items by edge, in compressed sparse rows.
func edgeRows(edges int, snaps []Snap) (off, idx []int32) {
	off = make([]int32, edges+1)
	for _, s := range snaps {
		if s.Edge >= 0 {
			off[s.Edge+1]++
		}
	}
	for e := 0; e < edges; e++ {
		off[e+1] += off[e]
	}
	idx = make([]int32, off[edges])
	fill := append([]int32(nil), off[:edges]...)
	for i, s := range snaps {
		if s.Edge >= 0 {
			idx[fill[s.Edge]] = int32(i)
			fill[s.Edge]++
		}
	}
	return off, idx
}

// getScratch takes a scratch from the free list (or makes one) and starts
// a query on it.
func (n *Network) getScratch() *scratch {
	var s *scratch
	select {
	case s = <-n.scratches:
	default:
		s = newScratch(n.g)
	}
	s.begin()
	return s
}

// putScratch returns a scratch to the free list, or drops it when full.
func (n *Network) putScratch(s *scratch) {
	select {
	case n.scratches <- s:
	default:
	}
}

// Graph returns the network's graph.
func (n *Network) Graph() *Graph { return n.g }

// Snapshot returns the snapshot whose buildings and stations are placed.
func (n *Network) Snapshot() *geo.Snapshot { return n.snap }

// Options returns the options in force, defaults filled in.
func (n *Network) Options() Options { return n.opt }

// MinutesToMeters converts minutes to a limit at the network's walking
// speed; see the package function.
func (n *Network) MinutesToMeters(minutes float64) (float64, error) {
	return MinutesToMeters(minutes, n.opt.SpeedKMH)
}

// Stations returns the snapshot's stations, sorted by id. The slice is
// shared: do not modify it.
func (n *Network) Stations() []*geo.Station { return n.stations }

// Station returns the station with the given id and its place on the
// network. An unknown id gives ErrUnknownStation; a station off the
// network gives its station with ErrOffNetwork.
func (n *Network) Station(id geo.StationID) (*geo.Station, Snap, error) {
	i, ok := n.stationAt[id]
	if !ok {
		return nil, Snap{}, fmt.Errorf("station %d: %w", id, ErrUnknownStation)
	}
	st, sn := n.stations[i], n.ssnap[i]
	if sn.Edge < 0 {
		return st, sn, fmt.Errorf("station %d: %w", id, ErrOffNetwork)
	}
	return st, sn, nil
}

// BuildingSnap returns where the building with index i in the snapshot's
// City.Buildings is snapped, and false when it is off the network.
func (n *Network) BuildingSnap(i int) (Snap, bool) {
	s := n.bsnap[i]
	return s, s.Edge >= 0
}

// OffNetwork returns the buildings and stations that lie farther than
// MaxAccessMeters from every edge. The slices are shared.
func (n *Network) OffNetwork() (buildings []*geo.Building, stations []*geo.Station) {
	return n.offBuildings, n.offStations
}

// Households returns the number of households in all the city's buildings.
func (n *Network) Households() int { return n.households }
