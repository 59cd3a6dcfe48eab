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
// Before grid must be in c under its id and code, a new grid's id and
// code in no grid of c, and each Move's building in its From grid (see
// Fits). Besides the checks, it costs two slice copies: c's grids
// (spliced, when they are sorted by code as a City's are) and buildings.
func (d Delta) Apply(c *geo.City) (*geo.City, error) { return d.apply(c, 0) }

// apply is Apply knowing that c holds no grid id above maxID (0: not
// known), as Fits takes it.
func (d Delta) apply(c *geo.City, maxID geo.GridID) (*geo.City, error) {
	f, err := d.fit(c, maxID)
	if err != nil {
		return nil, err
	}
	buildings, err := moveBuildings(c.Buildings, d.Moves, f.moved)
	if err != nil {
		return nil, err
	}
	next := *c
	next.Grids = d.grids(c, f.removed)
	next.Buildings = buildings
	return &next, nil
}

// Fits reports, with an error wrapping ErrDelta, whether the delta fits
// c as Apply requires, in proportion to the delta (binary searches) when
// c's grids are sorted by code and its buildings by id, as a City's are.
// maxID is the highest grid id c may hold (its CodeHistory's
// MaxGridID): a new grid above it is not looked for among c's grids; 0
// looks for every new grid.
func (d Delta) Fits(c *geo.City, maxID geo.GridID) error {
	_, err := d.fit(c, maxID)
	return err
}

// A fitting is where a delta's grids and buildings are in a city.
type fitting struct {
	removed []int // indexes in City.Grids of the Before grids
	moved   []int // indexes in City.Buildings of the moved buildings
}

// fit checks d against c (see Fits) and locates what it changes.
func (d Delta) fit(c *geo.City, maxID geo.GridID) (fitting, error) {
	var f fitting
	grids := newGridFinder(c.Grids)
	for _, ch := range d.Changes {
		switch {
		case ch.Before == nil && ch.After == nil:
			return f, fmt.Errorf("%w: change of grid %d has neither before nor after", ErrDelta, ch.ID)
		case ch.After != nil && ch.After.ID != ch.ID, ch.Before != nil && ch.Before.ID != ch.ID:
			return f, fmt.Errorf("%w: change of grid %d holds another grid's id", ErrDelta, ch.ID)
		case ch.Before == nil:
			if (maxID == 0 || ch.ID <= maxID) && grids.hasID(ch.ID) {
				return f, fmt.Errorf("%w: new grid %d already exists", ErrDelta, ch.ID)
			}
			continue
		}
		i, ok := grids.byCode(ch.Before.Code)
		if !ok || c.Grids[i].ID != ch.ID {
			if j, held := grids.byID(ch.ID); held {
				return f, fmt.Errorf("%w: grid %d is %s, not %s", ErrDelta, ch.ID, c.Grids[j].Code, ch.Before.Code)
			}
			return f, fmt.Errorf("%w: grid %d (%s) is not in the city", ErrDelta, ch.ID, ch.Before.Code)
		}
		f.removed = append(f.removed, i)
	}
	slices.Sort(f.removed)
	if len(slices.Compact(slices.Clone(f.removed))) != len(f.removed) {
		return f, fmt.Errorf("%w: a grid changes twice", ErrDelta)
	}
	var err error
	f.moved, err = locateMoves(c.Buildings, d.Moves)
	return f, err
}

// A gridFinder finds a city's grids: by code through bisection when they
// are sorted by code, else through maps built on first use.
type gridFinder struct {
	grids  []*geo.Grid
	sorted bool
	codes  map[geo.GridCode]int
	ids    map[geo.GridID]int
}

func newGridFinder(gs []*geo.Grid) *gridFinder {
	return &gridFinder{grids: gs, sorted: sortedByCode(gs)}
}

// sortedByCode reports whether gs are sorted by code. It samples: a
// City's grids are sorted (Apply keeps them so), and a slice that is not
// fails some bisection below, which then falls back to a map; so only a
// sample is checked here, and byCode checks what it finds.
func sortedByCode(gs []*geo.Grid) bool {
	step := max(1, len(gs)/64)
	for i := step; i < len(gs); i += step {
		if gs[i-step].Code > gs[i].Code {
			return false
		}
	}
	return true
}

// byCode returns the index of the grid with code c.
func (f *gridFinder) byCode(c geo.GridCode) (int, bool) {
	if f.sorted {
		i, ok := slices.BinarySearchFunc(f.grids, c, func(g *geo.Grid, c geo.GridCode) int { return cmp.Compare(g.Code, c) })
		if ok {
			return i, true
		}
	}
	if f.codes == nil {
		f.codes = make(map[geo.GridCode]int, len(f.grids))
		for i, g := range f.grids {
			f.codes[g.Code] = i
		}
	}
	i, ok := f.codes[c]
	return i, ok
}

// byID returns the index of the grid with id id (a scan on first use).
func (f *gridFinder) byID(id geo.GridID) (int, bool) {
	if f.ids == nil {
		f.ids = make(map[geo.GridID]int, len(f.grids))
		for i, g := range f.grids {
			f.ids[g.ID] = i
		}
	}
	i, ok := f.ids[id]
	return i, ok
}

// hasID reports whether a grid has id id, scanning the grids once.
func (f *gridFinder) hasID(id geo.GridID) bool {
	if f.ids != nil {
		_, ok := f.ids[id]
		return ok
	}
	for _, g := range f.grids {
		if g.ID == id {
			return true
		}
	}
	return false
}

// grids returns c's grids without those at the indexes removed (sorted)
// and with every After grid, sorted by code (stable: unchanged grids
// before new ones of an equal code). Sorted grids are spliced by
// bisection, copying the runs between the changes.
func (d Delta) grids(c *geo.City, removed []int) []*geo.Grid {
	var added []*geo.Grid
	for _, ch := range d.Changes {
		if ch.After != nil {
			added = append(added, ch.After)
		}
	}
	byCode := func(a, b *geo.Grid) int { return cmp.Compare(a.Code, b.Code) }
	slices.SortStableFunc(added, byCode)
	out := make([]*geo.Grid, 0, len(c.Grids)-len(removed)+len(added))
	if !slices.IsSortedFunc(c.Grids, byCode) {
		out = appendWithout(out, c.Grids, removed)
		out = append(out, added...)
		slices.SortStableFunc(out, byCode)
		return out
	}
	at := 0
	for _, g := range added {
		// The first grid of c with a greater code.
		i, _ := slices.BinarySearchFunc(c.Grids, g.Code+1, func(x *geo.Grid, code geo.GridCode) int { return cmp.Compare(x.Code, code) })
		i = max(i, at)
		out = appendWithout(out, c.Grids[at:i], shift(removed, at, i))
		out = append(out, g)
		at = i
	}
	return appendWithout(out, c.Grids[at:], shift(removed, at, len(c.Grids)))
}

// shift returns the indexes of removed in [lo, hi), made relative to lo.
func shift(removed []int, lo, hi int) []int {
	var out []int
	for _, r := range removed {
		if r >= lo && r < hi {
			out = append(out, r-lo)
		}
	}
	return out
}

// appendWithout appends gs less the indexes skip (sorted) to out.
func appendWithout(out, gs []*geo.Grid, skip []int) []*geo.Grid {
	at := 0
	for _, k := range skip {
		out = append(out, gs[at:k]...)
		at = k + 1
	}
	return append(out, gs[at:]...)
}

// locateMoves returns the index in bs of each moved building, checking
// that it is in its From grid. Buildings sorted by id (a City's are) are
// found by bisection, others through a map.
func locateMoves(bs []*geo.Building, moves []Move) ([]int, error) {
	if len(moves) == 0 {
		return nil, nil
	}
	var at map[geo.BuildingID]int
	find := func(id geo.BuildingID) (int, bool) {
		i, ok := slices.BinarySearchFunc(bs, id, func(b *geo.Building, id geo.BuildingID) int { return cmp.Compare(b.ID, id) })
		if ok || at != nil {
			if !ok {
				i, ok = at[id]
			}
			return i, ok
		}
		at = make(map[geo.BuildingID]int, len(bs))
		for i, b := range bs {
			at[b.ID] = i
		}
		i, ok = at[id]
		return i, ok
	}
	out := make([]int, len(moves))
	for k, m := range moves {
		i, ok := find(m.Building)
		if !ok {
			return nil, fmt.Errorf("%w: building %d does not exist", ErrDelta, m.Building)
		}
		if bs[i].Grid != m.From {
			return nil, fmt.Errorf("%w: building %d is in %s, not %s", ErrDelta, m.Building, bs[i].Grid, m.From)
		}
		out[k] = i
	}
	return out, nil
}

// moveBuildings returns bs with the building at each index of at (the
// moves' buildings, located by locateMoves) replaced by a copy in its
// new grid; bs itself when nothing moves.
func moveBuildings(bs []*geo.Building, moves []Move, at []int) ([]*geo.Building, error) {
	if len(moves) == 0 {
		return bs, nil
	}
	out := slices.Clone(bs)
	for k, m := range moves {
		i := at[k]
		if out[i] != bs[i] {
			return nil, fmt.Errorf("%w: building %d moves twice", ErrDelta, m.Building)
		}
		nb := *out[i]
		nb.Grid = m.To
		out[i] = &nb
	}
	return out, nil
}
