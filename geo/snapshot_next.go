package geo

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// NextSnapshot indexes c as version v, the city that follows prev's by an
// edit of some grids: it shares every index of prev that the edit leaves
// alone and redoes only what the changed grids and the buildings that
// changed grid touch (their communities' grid lists and counts, their
// grids' building lists, the point-in-grid index of the changed grids),
// copy-on-write, so prev stays valid and unchanged: the index maps are
// shared and the changes kept in a patch beside them (snapshot_patch.go),
// so the work is in proportion to the edit, not the city. The result equals
// NewSnapshot(c, v) except for Created, and MaxGridID, which keeps the id
// of a grid the edit retired when that was the highest. When c differs from prev's city
// in more than grids and buildings' grids (other units, buildings added
// or removed, grids not sorted by code) it falls back to NewSnapshot.
func NextSnapshot(prev *Snapshot, c *City, v uint64) (*Snapshot, error) {
	if prev == nil || c == nil {
		return NewSnapshot(c, v)
	}
	if !prev.sorted {
		return NewSnapshot(c, v)
	}
	d, ok := diffCities(prev.City, c)
	if !ok {
		return NewSnapshot(c, v)
	}
	s := &Snapshot{
		Version: v, Created: time.Now().UTC(), City: c,
		units: prev.units, children: prev.children,
		buildingsByID: prev.buildingsByID,
		gridsByCode:   prev.gridsByCode,
		gridsByID:     prev.gridsByID,
		communityGrid: prev.communityGrid,
		gridBuildings: prev.gridBuildings,
		stats:         prev.stats,
		patch:         prev.patch.clone(),
		sorted:        true,
		maxGridID:     prev.maxGridID,
	}
	if err := s.nextGrids(prev, d); err != nil {
		return nil, err
	}
	if err := s.nextBuildings(prev, d); err != nil {
		return nil, err
	}
	s.nextStats(prev, d)
	s.locator = prev.locator.Next(d.removed, d.added)
	if s.patch.size() > flattenAt(len(c.Grids)) {
		s.flatten()
	}
	return s, nil
}

// A cityDiff is what an edit changed: grids removed and added (a
// reshaped grid is both), and the indexes of buildings that changed grid.
type cityDiff struct {
	removed, added []*Grid
	moved          []int
	communities    map[DivisionCode]bool
	grids          map[GridCode]bool // codes whose building list changes
}

// diffCities compares b with a, its predecessor, whose grids are sorted
// by code. It reports false when b differs in more than grids and
// buildings' grids, or its grids are not sorted by code. Like DiffGrids,
// it reads only what differs: the grids and buildings both cities share
// at the start and end of their lists are compared as pointers.
func diffCities(a, b *City) (cityDiff, bool) {
	d := cityDiff{communities: map[DivisionCode]bool{}, grids: map[GridCode]bool{}}
	if len(a.Units) != len(b.Units) || len(a.Buildings) != len(b.Buildings) {
		return d, false
	}
	for i, u := range a.Units {
		if b.Units[i] != u {
			return d, false
		}
	}
	var sorted, ok bool
	d.removed, d.added, sorted, ok = diffGrids(a.Grids, b.Grids)
	if !ok || !sorted {
		return d, false
	}
	for _, g := range slices.Concat(d.removed, d.added) {
		if g == nil {
			return d, false
		}
		d.communities[g.Community()] = true
		d.grids[g.Code] = true
	}
	head, tail := SharedEnds(a.Buildings, b.Buildings)
	for k := head; k < len(a.Buildings)-tail; k++ {
		x, y := a.Buildings[k], b.Buildings[k]
		if x == y {
			continue
		}
		if y == nil || x.ID != y.ID {
			return d, false
		}
		d.moved = append(d.moved, k)
		for _, code := range []GridCode{x.Grid, y.Grid} {
			d.communities[code.Community()] = true
			d.grids[code] = true
		}
	}
	return d, true
}

// nextGrids updates the grid maps and the touched communities' lists.
func (s *Snapshot) nextGrids(prev *Snapshot, d cityDiff) error {
	p := s.patch
	for _, g := range d.removed {
		if cur, _ := s.Grid(g.Code); cur == g {
			p.gridsByCode[g.Code] = patched[*Grid]{}
		}
		if cur, _ := s.GridByID(g.ID); cur == g {
			p.gridsByID[g.ID] = patched[*Grid]{}
		}
	}
	for _, g := range d.added {
		if g.ID == 0 {
			return fmt.Errorf("indexing grids: grid %s has id 0", g.Code)
		}
		if _, dup := s.Grid(g.Code); dup {
			return fmt.Errorf("indexing grids: duplicate grid code %s", g.Code)
		}
		if _, dup := s.GridByID(g.ID); dup {
			return fmt.Errorf("indexing grids: duplicate grid id %d", g.ID)
		}
		if u, ok := s.units[g.Community()]; !ok || u.Level() != LevelCommunity {
			return fmt.Errorf("indexing grids: grid %s has no community %s", g.Code, g.Community())
		}
		p.gridsByCode[g.Code] = patched[*Grid]{g, true}
		p.gridsByID[g.ID] = patched[*Grid]{g, true}
		s.maxGridID = max(s.maxGridID, g.ID)
	}
	for comm := range d.communities {
		lo, _ := slices.BinarySearchFunc(s.City.Grids, GridCode(uint64(comm)*1000), func(g *Grid, c GridCode) int { return cmp.Compare(g.Code, c) })
		hi, _ := slices.BinarySearchFunc(s.City.Grids, GridCode(uint64(comm)*1000+1000), func(g *Grid, c GridCode) int { return cmp.Compare(g.Code, c) })
		if lo == hi {
			p.communityGrid[comm] = patched[[]*Grid]{}
			continue
		}
		p.communityGrid[comm] = patched[[]*Grid]{slices.Clip(slices.Clone(s.City.Grids[lo:hi])), true}
	}
	return nil
}

// nextBuildings redoes the building lists of the grids whose buildings
// changed, in the order of City.Buildings, as NewSnapshot files them.
func (s *Snapshot) nextBuildings(prev *Snapshot, d cityDiff) error {
	moved := make(map[int]bool, len(d.moved))
	for _, k := range d.moved {
		moved[k] = true
		if b := s.City.Buildings[k]; !s.hasGrid(b.Grid) {
			return fmt.Errorf("indexing buildings: building %d has no grid %s", b.ID, b.Grid)
		}
	}
	for code := range d.grids {
		var idx []int
		for _, b := range prev.BuildingsIn(code) {
			if k := int(prev.buildingsByID[b.ID]); !moved[k] {
				idx = append(idx, k)
			}
		}
		for _, k := range d.moved {
			if s.City.Buildings[k].Grid == code {
				idx = append(idx, k)
			}
		}
		if len(idx) == 0 {
			s.patch.gridBuildings[code] = patched[[]*Building]{}
			continue
		}
		if !s.hasGrid(code) {
			return fmt.Errorf("indexing buildings: building %d has no grid %s", s.City.Buildings[idx[0]].ID, code)
		}
		slices.Sort(idx)
		bs := make([]*Building, len(idx))
		for i, k := range idx {
			bs[i] = s.City.Buildings[k]
		}
		s.patch.gridBuildings[code] = patched[[]*Building]{bs, true}
	}
	return nil
}

// hasGrid reports whether a grid has code c.
func (s *Snapshot) hasGrid(c GridCode) bool {
	g, ok := s.Grid(c)
	return ok && g != nil
}

// nextStats redoes the grid, building and household counts of the
// touched communities and carries the difference up to every ancestor.
func (s *Snapshot) nextStats(prev *Snapshot, d cityDiff) {
	count := func(sn *Snapshot, comm DivisionCode) UnitStats {
		var st UnitStats
		for _, g := range sn.GridsOf(comm) {
			bs := sn.BuildingsIn(g.Code)
			st.Grids++
			st.Buildings += len(bs)
			st.Households += sumHouseholds(bs)
		}
		return st
	}
	for comm := range d.communities {
		was, now := count(prev, comm), count(s, comm)
		for c := comm; c != 0; c = c.Parent() {
			st := s.Stats(c)
			st.Grids += now.Grids - was.Grids
			st.Buildings += now.Buildings - was.Buildings
			st.Households += now.Households - was.Households
			s.patch.stats[c] = patched[UnitStats]{st, true}
		}
	}
}
