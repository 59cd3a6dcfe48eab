package search

import (
	"maps"

	"github.com/gridmap/gridmap/geo"
)

// maxOverlay returns how many changed entries (gone and added) an Index
// may carry beside a table of n entries; a Patch past it builds a new
// table instead. A sixteenth of the table (so rebuilds are rare next to
// patches) and at most 1024, so a search never scans many entries.
func maxOverlay(n int) int { return min(1024, max(64, n/16)) }

// Patch returns the index of s made from ix, the index of an earlier (or
// later) version of the same city: only the grids and units that differ
// between the two cities (by pointer: an edit replaces the grids it
// changes and shares the rest) are indexed again, and ix's table is
// shared. It costs a pass over the two cities' grid lists and the changed
// entries; it builds a new index with New when the cities' units differ in
// number, their grids are not sorted by code, or the changes since the
// table was built pass maxOverlay. ix is not modified.
func (ix *Index) Patch(s *geo.Snapshot) *Index {
	c := s.City
	if c == ix.city {
		return ix
	}
	gone, fresh, ok := diffCities(ix.city, c)
	if !ok || len(ix.dead)+len(ix.added.entries)+len(gone)+len(fresh) > maxOverlay(len(ix.base.entries)) {
		return New(s)
	}
	goneSet := make(map[any]bool, len(gone))
	for _, e := range gone {
		goneSet[e.key()] = true
	}
	dead := maps.Clone(ix.dead)
	if dead == nil {
		dead = make(map[string]struct{}, len(gone))
	}
	for _, e := range gone {
		if b := ix.base.find(e.Code); b != nil && b.key() == e.key() {
			dead[e.Code] = struct{}{}
		}
	}
	added := make([]Entry, 0, len(ix.added.entries)+len(fresh))
	for _, e := range ix.added.entries {
		if !goneSet[e.key()] {
			added = append(added, e)
		}
	}
	added = append(added, fresh...)
	return &Index{city: c, base: ix.base, dead: dead, added: newTable(added, false)}
}

// key returns the entry's grid or unit, which identifies it across
// versions.
func (e *Entry) key() any {
	if e.Unit != nil {
		return e.Unit
	}
	return e.Grid
}

// diffCities returns the entries of a that b no longer has and those of b
// that a lacks, comparing units by position and grids by code (both lists
// sorted by code, geo.DiffGrids). It reports false when the cities cannot
// be compared so.
func diffCities(a, b *geo.City) (gone, fresh []Entry, ok bool) {
	removed, added, ok := geo.DiffGrids(a.Grids, b.Grids)
	if !ok || len(a.Units) != len(b.Units) {
		return nil, nil, false
	}
	for i, u := range a.Units {
		if v := b.Units[i]; v != u {
			if u.Level() != geo.LevelCity {
				gone = append(gone, unitEntry(u))
			}
			if v.Level() != geo.LevelCity {
				fresh = append(fresh, unitEntry(v))
			}
		}
	}
	for _, g := range removed {
		gone = append(gone, gridEntry(g))
	}
	for _, g := range added {
		fresh = append(fresh, gridEntry(g))
	}
	return gone, fresh, true
}
