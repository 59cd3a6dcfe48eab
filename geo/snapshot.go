package geo

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/paulmach/orb"
)

// ErrNoGrid is returned (wrapped in a *NoGridError) when a point lies in no grid.
var ErrNoGrid = errors.New("geo: point is in no grid")

// ErrNotFound is returned (wrapped) when a code or id names nothing in the snapshot.
var ErrNotFound = errors.New("geo: not found")

// A NoGridError says a point lies in no grid and names the nearest grid.
type NoGridError struct {
	// Nearest is the grid nearest to the point, nil if the city has none.
	Nearest *Grid
	// DistanceMeters is the geodesic distance from the point to Nearest.
	DistanceMeters float64
}

// Error describes the miss and the nearest grid.
func (e *NoGridError) Error() string {
	if e.Nearest == nil {
		return ErrNoGrid.Error()
	}
	return fmt.Sprintf("%s: nearest grid %s is %.1f m away", ErrNoGrid, e.Nearest.Code, e.DistanceMeters)
}

// Is makes errors.Is(err, ErrNoGrid) true.
func (e *NoGridError) Is(target error) bool { return target == ErrNoGrid }

// A Chain is a grid and the units above it.
type Chain struct {
	Grid        *Grid
	Community   *Unit
	Subdistrict *Unit
	District    *Unit
}

// UnitStats counts what lies inside a unit.
type UnitStats struct {
	Subdistricts int
	Communities  int
	Grids        int
	Buildings    int
	Households   int
}

// A Snapshot is one immutable version of the world: the city and every index
// over it. Readers share a *Snapshot without locks; an edit builds the next
// Snapshot and swaps it in. Nothing reachable from a Snapshot may be
// modified after NewSnapshot returns.
type Snapshot struct {
	// Version increases by one with every accepted edit.
	Version uint64
	// Created is when the snapshot was built.
	Created time.Time
	// City is the data the snapshot indexes.
	City *City

	units         map[DivisionCode]*Unit
	children      map[DivisionCode][]*Unit
	gridsByCode   map[GridCode]*Grid
	gridsByID     map[GridID]*Grid
	communityGrid map[DivisionCode][]*Grid
	gridBuildings map[GridCode][]*Building
	buildingsByID map[BuildingID]int32 // index in City.Buildings
	stats         map[DivisionCode]UnitStats
	locator       *Locator
	// sorted says City.Grids are sorted by code, as NextSnapshot needs
	// them (checked whole by NewSnapshot, then where an edit changed them).
	sorted bool
	// maxGridID is the highest id of City.Grids (see MaxGridID).
	maxGridID GridID
	// patch holds what NextSnapshot changed in the maps above, which it
	// shares with the snapshot before (snapshot_next.go); nil when the
	// maps hold everything.
	patch *snapshotPatch
}

// NewSnapshot indexes c as version v. c must already be valid (see
// cityio.Validate); NewSnapshot checks only the links it needs.
func NewSnapshot(c *City, v uint64) (*Snapshot, error) {
	s := &Snapshot{
		Version:       v,
		Created:       time.Now().UTC(),
		City:          c,
		units:         make(map[DivisionCode]*Unit, len(c.Units)),
		children:      make(map[DivisionCode][]*Unit),
		gridsByCode:   make(map[GridCode]*Grid, len(c.Grids)),
		gridsByID:     make(map[GridID]*Grid, len(c.Grids)),
		communityGrid: make(map[DivisionCode][]*Grid),
		gridBuildings: make(map[GridCode][]*Building, len(c.Grids)),
		buildingsByID: make(map[BuildingID]int32, len(c.Buildings)),
		stats:         make(map[DivisionCode]UnitStats, len(c.Units)),
	}
	// The point-in-grid index, most of the work, is built beside the maps.
	located := make(chan *Locator, 1)
	go func() { located <- NewLocator(c.Grids) }()
	s.sorted = slices.IsSortedFunc(c.Grids, cmpGridCode)
	err := s.index()
	s.locator = <-located
	if err != nil {
		return nil, err
	}
	return s, nil
}

// index fills the snapshot's maps and counts.
func (s *Snapshot) index() error {
	if err := s.indexUnits(); err != nil {
		return err
	}
	if err := s.indexGrids(); err != nil {
		return err
	}
	if err := s.indexBuildings(); err != nil {
		return err
	}
	s.countStats()
	return nil
}

func (s *Snapshot) indexUnits() error {
	for _, u := range s.City.Units {
		if _, dup := s.units[u.Code]; dup {
			return fmt.Errorf("indexing units: duplicate unit %s", u.Code)
		}
		s.units[u.Code] = u
	}
	for _, u := range s.City.Units {
		if u.Level() == LevelCity {
			continue
		}
		p := u.Code.Parent()
		if _, ok := s.units[p]; !ok {
			return fmt.Errorf("indexing units: unit %s has no parent %s", u.Code, p)
		}
		s.children[p] = append(s.children[p], u)
	}
	for _, kids := range s.children {
		slices.SortFunc(kids, func(a, b *Unit) int { return cmpCode(a.Code, b.Code) })
	}
	return nil
}

func (s *Snapshot) indexGrids() error {
	for _, g := range s.City.Grids {
		if g.ID == 0 {
			return fmt.Errorf("indexing grids: grid %s has id 0", g.Code)
		}
		if _, dup := s.gridsByCode[g.Code]; dup {
			return fmt.Errorf("indexing grids: duplicate grid code %s", g.Code)
		}
		if _, dup := s.gridsByID[g.ID]; dup {
			return fmt.Errorf("indexing grids: duplicate grid id %d", g.ID)
		}
		if u, ok := s.units[g.Community()]; !ok || u.Level() != LevelCommunity {
			return fmt.Errorf("indexing grids: grid %s has no community %s", g.Code, g.Community())
		}
		s.gridsByCode[g.Code] = g
		s.gridsByID[g.ID] = g
		s.communityGrid[g.Community()] = append(s.communityGrid[g.Community()], g)
		s.maxGridID = max(s.maxGridID, g.ID)
	}
	return nil
}

// MaxGridID returns an id at least as high as every grid's of the
// snapshot: the highest, or after edits that retired it perhaps a higher
// one that was (so a new grid given a higher id collides with none). It
// reads no grid.
func (s *Snapshot) MaxGridID() GridID { return s.maxGridID }

// indexBuildings maps buildings by id and files them by grid: the
// buildings of all grids share one block, each grid's run capped so that
// an append copies.
func (s *Snapshot) indexBuildings() error {
	count := make(map[GridCode]int32, len(s.gridsByCode))
	for i, b := range s.City.Buildings {
		n := len(s.buildingsByID)
		if s.buildingsByID[b.ID] = int32(i); len(s.buildingsByID) == n {
			return fmt.Errorf("indexing buildings: duplicate building id %d", b.ID)
		}
		count[b.Grid]++
	}
	start, next := make(map[GridCode]int32, len(count)), int32(0)
	for code, n := range count {
		if _, ok := s.gridsByCode[code]; !ok {
			return fmt.Errorf("indexing buildings: building %d has no grid %s", s.firstIn(code), code)
		}
		start[code], next = next, next+n
	}
	block := make([]*Building, len(s.City.Buildings))
	for _, b := range s.City.Buildings {
		k := start[b.Grid]
		block[k] = b
		start[b.Grid] = k + 1
	}
	for code, end := range start {
		s.gridBuildings[code] = block[end-count[code] : end : end]
	}
	return nil
}

// firstIn returns the id of the first building of grid code.
func (s *Snapshot) firstIn(code GridCode) BuildingID {
	for _, b := range s.City.Buildings {
		if b.Grid == code {
			return b.ID
		}
	}
	return 0
}

func (s *Snapshot) countStats() {
	add := func(code DivisionCode, d UnitStats) {
		for c := code; c != 0; c = c.Parent() {
			st := s.stats[c]
			st.Subdistricts += d.Subdistricts
			st.Communities += d.Communities
			st.Grids += d.Grids
			st.Buildings += d.Buildings
			st.Households += d.Households
			s.stats[c] = st
		}
	}
	for _, u := range s.City.Units {
		switch u.Level() {
		case LevelSubdistrict:
			add(u.Code.Parent(), UnitStats{Subdistricts: 1})
		case LevelCommunity:
			add(u.Code.Parent(), UnitStats{Communities: 1})
		}
	}
	for _, g := range s.City.Grids {
		add(g.Community(), UnitStats{Grids: 1, Buildings: len(s.gridBuildings[g.Code]), Households: sumHouseholds(s.gridBuildings[g.Code])})
	}
}

func sumHouseholds(bs []*Building) int {
	n := 0
	for _, b := range bs {
		n += b.Households
	}
	return n
}

func cmpCode(a, b DivisionCode) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Lookup returns the grid that holds p (WGS-84) and its chain of units. A
// point in no grid gives a *NoGridError naming the nearest grid.
func (s *Snapshot) Lookup(p orb.Point) (Chain, error) {
	g, ok := s.locator.Locate(p)
	if !ok {
		near, d := s.locator.Nearest(p)
		return Chain{}, &NoGridError{Nearest: near, DistanceMeters: d}
	}
	return s.ChainOf(g), nil
}

// Locate returns the grid that holds p (WGS-84), without the chain.
func (s *Snapshot) Locate(p orb.Point) (*Grid, bool) { return s.locator.Locate(p) }

// Locator returns the snapshot's point-in-grid index.
func (s *Snapshot) Locator() *Locator { return s.locator }

// ChainOf returns g with its community, subdistrict and district.
func (s *Snapshot) ChainOf(g *Grid) Chain {
	c := g.Community()
	return Chain{
		Grid:        g,
		Community:   s.units[c],
		Subdistrict: s.units[c.Parent()],
		District:    s.units[c.Parent().Parent()],
	}
}

// Unit returns the unit with the given code.
func (s *Snapshot) Unit(c DivisionCode) (*Unit, bool) {
	u, ok := s.units[c]
	return u, ok
}

// Children returns the units directly below c, sorted by code.
func (s *Snapshot) Children(c DivisionCode) []*Unit { return s.children[c] }

// Stats returns the counts below the unit c.
func (s *Snapshot) Stats(c DivisionCode) UnitStats {
	st, _ := lookup(s.stats, s.patch.statsOf(), c)
	return st
}

// Grid returns the grid with the given code.
func (s *Snapshot) Grid(c GridCode) (*Grid, bool) {
	return lookup(s.gridsByCode, s.patch.byCode(), c)
}

// GridByID returns the grid with the given stable id.
func (s *Snapshot) GridByID(id GridID) (*Grid, bool) {
	return lookup(s.gridsByID, s.patch.byID(), id)
}

// GridsOf returns the grids of community c, sorted by code.
func (s *Snapshot) GridsOf(c DivisionCode) []*Grid {
	gs, _ := lookup(s.communityGrid, s.patch.communityOf(), c)
	return gs
}

// BuildingsIn returns the buildings of the grid with code c, sorted by id.
func (s *Snapshot) BuildingsIn(c GridCode) []*Building {
	bs, _ := lookup(s.gridBuildings, s.patch.buildingsOf(), c)
	return bs
}

// Building returns the building with the given id.
func (s *Snapshot) Building(id BuildingID) (*Building, bool) {
	i, ok := s.buildingsByID[id]
	if !ok {
		return nil, false
	}
	return s.City.Buildings[i], true
}
