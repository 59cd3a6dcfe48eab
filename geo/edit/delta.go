package edit

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// ErrDelta is returned (wrapped) when a Delta does not fit the city it is
// applied to: a grid it replaces is not there as it was, or a building
// it moves is not where it says.
var ErrDelta = errors.New("edit: delta does not fit the city")

// A Delta is what an accepted edit or re-coding changes in a city: grids
// replaced, added or removed, and buildings that change grid. Applying it
// needs no geometry, so a store replays history quickly.
type Delta struct {
	Changes []Change
	Moves   []Move
}

// Apply returns the city with the delta applied, copy-on-write: c and
// everything reachable from it are left untouched, and the result shares
// every unchanged unit, grid, building, station and street with c. Each
// Before grid must be in c under its id and code; each Move's building
// must be in its From grid.
func (d Delta) Apply(c *geo.City) (*geo.City, error) {
	byID := make(map[geo.GridID]*geo.Grid, len(c.Grids))
	for _, g := range c.Grids {
		byID[g.ID] = g
	}
	repl := make(map[geo.GridID]*geo.Grid, len(d.Changes))
	var added []*geo.Grid
	for _, ch := range d.Changes {
		if err := checkChange(ch, byID); err != nil {
			return nil, err
		}
		if ch.Before == nil {
			added = append(added, ch.After)
			continue
		}
		repl[ch.ID] = ch.After
	}
	grids := make([]*geo.Grid, 0, len(c.Grids)+len(added))
	for _, g := range c.Grids {
		n, ok := repl[g.ID]
		switch {
		case !ok:
			grids = append(grids, g)
		case n != nil:
			grids = append(grids, n)
		}
	}
	grids = append(grids, added...)
	slices.SortStableFunc(grids, func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) })
	buildings, err := moveBuildings(c.Buildings, d.Moves)
	if err != nil {
		return nil, err
	}
	next := *c
	next.Grids = grids
	next.Buildings = buildings
	return &next, nil
}

// checkChange verifies one change against the city's grids by id.
func checkChange(ch Change, byID map[geo.GridID]*geo.Grid) error {
	cur, ok := byID[ch.ID]
	switch {
	case ch.Before == nil && ch.After == nil:
		return fmt.Errorf("%w: change of grid %d has neither before nor after", ErrDelta, ch.ID)
	case ch.Before == nil && ok:
		return fmt.Errorf("%w: new grid %d already exists", ErrDelta, ch.ID)
	case ch.Before != nil && !ok:
		return fmt.Errorf("%w: grid %d (%s) is not in the city", ErrDelta, ch.ID, ch.Before.Code)
	case ch.Before != nil && cur.Code != ch.Before.Code:
		return fmt.Errorf("%w: grid %d is %s, not %s", ErrDelta, ch.ID, cur.Code, ch.Before.Code)
	case ch.After != nil && ch.After.ID != ch.ID, ch.Before != nil && ch.Before.ID != ch.ID:
		return fmt.Errorf("%w: change of grid %d holds another grid's id", ErrDelta, ch.ID)
	}
	return nil
}

// moveBuildings returns buildings (sorted by id) with each moved building
// replaced by a copy in its new grid.
func moveBuildings(bs []*geo.Building, moves []Move) ([]*geo.Building, error) {
	if len(moves) == 0 {
		return bs, nil
	}
	out := slices.Clone(bs)
	find := func(id geo.BuildingID) (int, bool) {
		return slices.BinarySearchFunc(out, id, func(b *geo.Building, id geo.BuildingID) int { return cmp.Compare(b.ID, id) })
	}
	if !slices.IsSortedFunc(out, func(a, b *geo.Building) int { return cmp.Compare(a.ID, b.ID) }) {
		at := make(map[geo.BuildingID]int, len(out))
		for i, b := range out {
			at[b.ID] = i
		}
		find = func(id geo.BuildingID) (int, bool) { i, ok := at[id]; return i, ok }
	}
	for _, m := range moves {
		i, ok := find(m.Building)
		if !ok {
			return nil, fmt.Errorf("%w: building %d does not exist", ErrDelta, m.Building)
		}
		if out[i].Grid != m.From {
			return nil, fmt.Errorf("%w: building %d is in %s, not %s", ErrDelta, m.Building, out[i].Grid, m.From)
		}
		nb := *out[i]
		nb.Grid = m.To
		out[i] = &nb
	}
	return out, nil
}
