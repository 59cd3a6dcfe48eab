package store

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/gridmap/gridmap/geo"
)

// A BaseCity is the version-0 city with its grids indexed by id; its
// buildings are found by bisection when sorted by id, as a City's are
// (else through a map, which for 180,000 buildings costs about 8 MB). A
// later checkpoint of either store holds only what changesets change
// (every grid, and the buildings whose grid differs from the base city's,
// see Moved); Rebuild puts the city back together on top of the base.
type BaseCity struct {
	city  *geo.City
	index map[geo.BuildingID]int // nil when the buildings are sorted by id
	grids map[geo.GridID]*geo.Grid
}

// A MovedBuilding is a building whose grid differs from the base city's.
type MovedBuilding struct {
	ID   geo.BuildingID
	Grid geo.GridCode
}

// NewBaseCity indexes the base city c.
func NewBaseCity(c *geo.City) *BaseCity {
	b := &BaseCity{city: c, grids: make(map[geo.GridID]*geo.Grid, len(c.Grids))}
	if !slices.IsSortedFunc(c.Buildings, func(x, y *geo.Building) int { return cmp.Compare(x.ID, y.ID) }) {
		b.index = make(map[geo.BuildingID]int, len(c.Buildings))
		for i, bl := range c.Buildings {
			b.index[bl.ID] = i
		}
	}
	for _, g := range c.Grids {
		b.grids[g.ID] = g
	}
	return b
}

// building returns the index of the base building with the given id.
func (b *BaseCity) building(id geo.BuildingID) (int, bool) {
	if b.index != nil {
		i, ok := b.index[id]
		return i, ok
	}
	return slices.BinarySearchFunc(b.city.Buildings, id, func(x *geo.Building, id geo.BuildingID) int { return cmp.Compare(x.ID, id) })
}

// City returns the base city (shared: read-only).
func (b *BaseCity) City() *geo.City { return b.city }

// Grid returns the base city's grid with this id (shared: read-only).
func (b *BaseCity) Grid(id geo.GridID) (*geo.Grid, bool) {
	g, ok := b.grids[id]
	return g, ok
}

// Moved returns c's buildings whose grid differs from the base city's
// (and any the base city does not have), in c's order.
func (b *BaseCity) Moved(c *geo.City) []MovedBuilding {
	var out []MovedBuilding
	for _, bl := range c.Buildings {
		if i, ok := b.building(bl.ID); !ok || b.city.Buildings[i].Grid != bl.Grid {
			out = append(out, MovedBuilding{ID: bl.ID, Grid: bl.Grid})
		}
	}
	return out
}

// Rebuild returns the city of checkpoint v: the base city with grids in
// place of its own and the moved buildings in their grids. Unchanged
// buildings are shared with the base city. A moved building the base
// does not have is ErrCorrupt.
func (b *BaseCity) Rebuild(v uint64, grids []*geo.Grid, moved []MovedBuilding) (*geo.City, error) {
	c := *b.city
	c.Grids = grids
	if len(moved) > 0 {
		c.Buildings = append([]*geo.Building(nil), b.city.Buildings...)
		for _, m := range moved {
			i, ok := b.building(m.ID)
			if !ok {
				return nil, fmt.Errorf("%w: checkpoint %d moves unknown building %d", ErrCorrupt, v, m.ID)
			}
			nb := *c.Buildings[i]
			nb.Grid = m.Grid
			c.Buildings[i] = &nb
		}
	}
	return &c, nil
}

// Replay applies changesets in order to st, returning a new state; st is
// not modified, and is handed back itself when there is nothing to apply
// (states are shared read-only). The history is cloned once and recorded
// into. Every Store implementation replays with it, so they agree on what
// a changeset does.
func Replay(st *State, css ...*Changeset) (*State, error) {
	if len(css) == 0 {
		return st, nil
	}
	city, hist := st.City, st.History.Clone()
	next := &State{Version: st.Version, Time: st.Time}
	for _, cs := range css {
		if cs.Version != next.Version+1 {
			return nil, fmt.Errorf("%w: changeset %d follows version %d", ErrCorrupt, cs.Version, next.Version)
		}
		d, err := cs.Delta()
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
		}
		if city, err = d.Apply(city); err != nil {
			return nil, fmt.Errorf("%w: changeset %d: %v", ErrInvalid, cs.Version, err)
		}
		hist.Record(d.Changes, cs.Time)
		next.Version, next.Time = cs.Version, cs.Time
	}
	next.City, next.History = city, hist
	return next, nil
}

// Advance returns the state that the stored changeset cs (of version
// st.Version+1) makes of st. next, when not nil, is the city the caller
// made by applying cs's changes to the city at cs.Base (edit.Result.Next,
// edit.RecodeResult.Next): it becomes the new state's city, shared with
// the caller, after a check in proportion to cs that cs fits st
// (edit.Delta.Fits) and that next has the grid and building counts cs
// makes. With next nil, cs is replayed (Replay). Either way the history
// is st's, cloned (sharing what does not change) and recorded into. A
// changeset that does not fit is ErrInvalid.
func Advance(st *State, cs *Changeset, next *geo.City) (*State, error) {
	if next == nil {
		return Replay(st, cs)
	}
	if cs.Version != st.Version+1 {
		return nil, fmt.Errorf("%w: changeset %d follows version %d", ErrCorrupt, cs.Version, st.Version)
	}
	d, err := cs.Delta()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := d.Fits(st.City, st.History.MaxGridID()); err != nil {
		return nil, fmt.Errorf("%w: changeset %d: %v", ErrInvalid, cs.Version, err)
	}
	grids := len(st.City.Grids)
	for _, c := range d.Changes {
		switch {
		case c.Before == nil:
			grids++
		case c.After == nil:
			grids--
		}
	}
	if len(next.Grids) != grids || len(next.Buildings) != len(st.City.Buildings) {
		return nil, fmt.Errorf("%w: changeset %d: the city given holds %d grids and %d buildings, the changeset makes %d and %d",
			ErrInvalid, cs.Version, len(next.Grids), len(next.Buildings), grids, len(st.City.Buildings))
	}
	hist := st.History.Clone()
	hist.Record(d.Changes, cs.Time)
	return &State{Version: cs.Version, Time: cs.Time, City: next, History: hist}, nil
}
