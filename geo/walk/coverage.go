package walk

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A Tally counts buildings and households, covered or not.
type Tally struct {
	Buildings, BuildingsCovered   int
	Households, HouseholdsCovered int
}

// BuildingsUncovered returns the buildings not covered.
func (t Tally) BuildingsUncovered() int { return t.Buildings - t.BuildingsCovered }

// HouseholdsUncovered returns the households not covered.
func (t Tally) HouseholdsUncovered() int { return t.Households - t.HouseholdsCovered }

// Share returns the covered share of households, from 0 to 1; a unit with
// no households has share 0.
func (t Tally) Share() float64 {
	if t.Households == 0 {
		return 0
	}
	return float64(t.HouseholdsCovered) / float64(t.Households)
}

func (t *Tally) add(u Tally) {
	t.Buildings += u.Buildings
	t.BuildingsCovered += u.BuildingsCovered
	t.Households += u.Households
	t.HouseholdsCovered += u.HouseholdsCovered
}

// sub takes u from t.
func (t *Tally) sub(u Tally) {
	t.Buildings -= u.Buildings
	t.BuildingsCovered -= u.BuildingsCovered
	t.Households -= u.Households
	t.HouseholdsCovered -= u.HouseholdsCovered
}

// A BuildingCoverage says which source serves a building and how far away.
type BuildingCoverage struct {
	// Covered is true when DistanceMeters is within the limit.
	Covered bool
	// Source is the index in Coverage.Sources of the nearest source, -1 when
	// none can be reached (or the building is off the network).
	Source int
	// Station is the nearest station, nil for none or a what-if site.
	Station *geo.Station
	// DistanceMeters is the network distance to the nearest source, access
	// walks included; +Inf when none can be reached.
	DistanceMeters float64
}

// A Coverage is the result of one multi-source search from every station
// (and any what-if sites) over the whole network: each building's nearest
// source and whether it lies within the limit. It is immutable.
type Coverage struct {
	// LimitMeters is the limit a building must be within to be covered.
	LimitMeters float64
	// Sources are the stations on the network, then any what-if sites.
	Sources []Source

	net   *Network
	src   []int32   // per building
	dist  []float64 // per building
	grids []Tally   // per grid of City.Grids
	total Tally
}

// Coverage computes which buildings lie within limitMeters of a station.
func (n *Network) Coverage(limitMeters float64) (*Coverage, error) {
	return n.CoverageWith(nil, limitMeters)
}

// CoverageWith computes coverage as if stations also stood at the given
// sites (a what-if). A site too far from the network gives ErrOffNetwork.
func (n *Network) CoverageWith(sites []orb.Point, limitMeters float64) (*Coverage, error) {
	if err := CheckLimit(limitMeters); err != nil {
		return nil, fmt.Errorf("computing coverage: %w", err)
	}
	srcs := n.stationSources()
	for i, p := range sites {
		src, err := n.PointSource(p)
		if err != nil {
			return nil, fmt.Errorf("computing coverage with site %d: %w", i, err)
		}
		srcs = append(srcs, src)
	}
	return n.coverage(srcs, limitMeters), nil
}

func (n *Network) coverage(srcs []Source, limit float64) *Coverage {
	c := n.snap.City
	cov := &Coverage{
		LimitMeters: limit,
		Sources:     srcs,
		net:         n,
		src:         make([]int32, len(c.Buildings)),
		dist:        make([]float64, len(c.Buildings)),
		grids:       make([]Tally, len(c.Grids)),
	}
	s := n.getScratch()
	defer n.putScratch(s)
	for _, src := range srcs {
		s.addSource(n.g, src.Snap, math.Inf(1))
	}
	s.run(n.g, math.Inf(1))
	for i, b := range c.Buildings {
		d, lab := math.Inf(1), int32(-1)
		if sn := n.bsnap[i]; sn.Edge >= 0 {
			d, lab = s.targetDist(n.g, sn)
		}
		cov.src[i], cov.dist[i] = lab, d
		t := cov.buildingTally(i, b)
		if g := n.bGrid[i]; g >= 0 {
			cov.grids[g].add(t)
		}
		cov.total.add(t)
	}
	return cov
}

// Total returns the city-wide tally.
func (c *Coverage) Total() Tally { return c.total }

// Building returns the coverage of the building with index i in the
// snapshot's City.Buildings.
func (c *Coverage) Building(i int) BuildingCoverage {
	bc := BuildingCoverage{Source: int(c.src[i]), DistanceMeters: c.dist[i]}
	bc.Covered = bc.DistanceMeters <= c.LimitMeters
	if bc.Source >= 0 {
		bc.Station = c.Sources[bc.Source].Station
	}
	return bc
}

// BuildingByID returns the coverage of the building with the given id, or
// ErrUnknownBuilding.
func (c *Coverage) BuildingByID(id geo.BuildingID) (BuildingCoverage, error) {
	i, ok := c.net.buildingAt[id]
	if !ok {
		return BuildingCoverage{}, fmt.Errorf("building %d: %w", id, ErrUnknownBuilding)
	}
	return c.Building(int(i)), nil
}

// GridTally returns the tally of the grid with the given code (for the
// grid tile layer's coverage share).
func (c *Coverage) GridTally(code geo.GridCode) (Tally, bool) {
	i := c.net.gridIndex(code)
	if i < 0 {
		return Tally{}, false
	}
	return c.grids[i], true
}
