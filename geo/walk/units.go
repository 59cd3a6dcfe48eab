package walk

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// A UnitCoverage is the tally of one unit or grid.
type UnitCoverage struct {
	// Level is the unit's level.
	Level geo.Level
	// Division is the unit's code; for a grid, its community's code.
	Division geo.DivisionCode
	// Grid is the grid's code at LevelGrid, 0 otherwise.
	Grid geo.GridCode
	// Name is the unit's or grid's name.
	Name string
	Tally
}

// Code returns the unit's code as text: 15 digits for a grid, 12 otherwise.
func (u UnitCoverage) Code() string {
	if u.Level == geo.LevelGrid {
		return u.Grid.String()
	}
	return u.Division.String()
}

// Units returns the tally of every unit at the level (city, district,
// subdistrict, community or grid), sorted by code, units with no buildings
// included. At every level the tallies add up to Total.
func (c *Coverage) Units(level geo.Level) ([]UnitCoverage, error) {
	city := c.net.snap.City
	if level == geo.LevelGrid {
		out := make([]UnitCoverage, len(city.Grids))
		for i, g := range city.Grids {
			out[i] = UnitCoverage{Level: level, Division: g.Community(), Grid: g.Code, Name: g.Name, Tally: c.grids[i]}
		}
		return out, nil
	}
	if level > geo.LevelGrid {
		return nil, fmt.Errorf("tallying coverage: %w: level %d", geo.ErrBadCode, level)
	}
	sums := make(map[geo.DivisionCode]*Tally)
	var out []UnitCoverage
	for _, u := range city.Units {
		if u.Level() == level {
			out = append(out, UnitCoverage{Level: level, Division: u.Code, Name: u.Name})
		}
	}
	slices.SortFunc(out, func(a, b UnitCoverage) int { return cmp.Compare(a.Division, b.Division) })
	for i := range out {
		sums[out[i].Division] = &out[i].Tally
	}
	for i, g := range city.Grids {
		if t, ok := sums[g.Community().Ancestor(level)]; ok {
			t.add(c.grids[i])
		}
	}
	return out, nil
}

// A BuildingGap is an uncovered building.
type BuildingGap struct {
	// Building is the building and Index its index in City.Buildings.
	Building *geo.Building
	Index    int
	// NearestMeters is the network distance to the nearest station,
	// +Inf when none can be reached; OffNetwork says it is not snapped.
	NearestMeters float64
	OffNetwork    bool
}

// Gaps lists what the coverage misses, worst first.
type Gaps struct {
	// LimitMeters is the coverage's limit.
	LimitMeters float64
	// Buildings are the uncovered buildings, most households first (then
	// farthest, then by index).
	Buildings []BuildingGap
	// Grids are the grids with uncovered households, most uncovered
	// households first (then lowest share, then by code).
	Grids []UnitCoverage
}

// Gaps returns up to maxBuildings uncovered buildings and maxGrids grids
// with uncovered households, worst first; a limit of zero or less means all.
func (c *Coverage) Gaps(maxBuildings, maxGrids int) Gaps {
	gaps := Gaps{LimitMeters: c.LimitMeters}
	for i, b := range c.net.snap.City.Buildings {
		if c.dist[i] <= c.LimitMeters {
			continue
		}
		gaps.Buildings = append(gaps.Buildings, BuildingGap{Building: b, Index: i, NearestMeters: c.dist[i], OffNetwork: c.net.bsnap[i].Edge < 0})
	}
	slices.SortFunc(gaps.Buildings, func(a, b BuildingGap) int {
		if d := cmp.Compare(b.Building.Households, a.Building.Households); d != 0 {
			return d
		}
		if d := cmp.Compare(b.NearestMeters, a.NearestMeters); d != 0 {
			return d
		}
		return cmp.Compare(a.Index, b.Index)
	})
	grids, _ := c.Units(geo.LevelGrid)
	for _, g := range grids {
		if g.HouseholdsUncovered() > 0 || g.BuildingsUncovered() > 0 {
			gaps.Grids = append(gaps.Grids, g)
		}
	}
	slices.SortFunc(gaps.Grids, func(a, b UnitCoverage) int {
		if d := cmp.Compare(b.HouseholdsUncovered(), a.HouseholdsUncovered()); d != 0 {
			return d
		}
		if d := cmp.Compare(a.Share(), b.Share()); d != 0 {
			return d
		}
		return cmp.Compare(a.Grid, b.Grid)
	})
	if maxBuildings > 0 && len(gaps.Buildings) > maxBuildings {
		gaps.Buildings = gaps.Buildings[:maxBuildings]
	}
	if maxGrids > 0 && len(gaps.Grids) > maxGrids {
		gaps.Grids = gaps.Grids[:maxGrids]
	}
	return gaps
}
