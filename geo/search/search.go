// Package search is the code and name index of the city's grids and
// units, beside the point locator (geo) and the address index
// (geo/address): exact, prefix and substring matches, ranked.
package search

import (
	"cmp"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"golang.org/x/text/unicode/norm"
)

// A Class ranks how a search hit matched: exact before prefix before
// substring.
type Class uint8

// The classes of match, best first.
const (
	Exact Class = iota
	Prefix
	Substring
	none
)

// String returns "exact", "prefix" or "substring".
func (c Class) String() string { return [...]string{"exact", "prefix", "substring", "none"}[c] }

// An Entry is one searchable grid or unit.
type Entry struct {
	Level geo.Level
	// Code is the 15-digit grid code or the 12-digit division code.
	Code string
	// short is a unit's significant digits ("520201"), or the grid code.
	short string
	// name and full are the display name (a community's without
	// 居民委员会) and the official name, folded by Normalize for matching.
	name, full string
	// Exactly one of Unit and Grid is set.
	Unit *geo.Unit
	Grid *geo.Grid
}

// Names returns the entry's display and official names as stored.
func (e *Entry) Names() (name, full string) {
	if e.Unit != nil {
		return e.Unit.ShortName(), e.Unit.Name
	}
	return e.Grid.Name, e.Grid.Name
}

// Geometry returns the entry's area, empty for a unit without one.
func (e *Entry) Geometry() orb.MultiPolygon {
	if e.Unit != nil {
		return e.Unit.Geometry
	}
	return e.Grid.Geometry
}

// Point returns a point inside the entry's largest polygon for a map to
// fly to (geo.InteriorPoint, the point the standard numbering order places
// a grid by; not a centroid, which can fall outside a concave shape). The
// entry must have an area; without one it returns the box centre.
func (e *Entry) Point() orb.Point {
	g := e.Geometry()
	if p, ok := geo.InteriorPoint(g); ok {
		return p
	}
	return g.Bound().Center()
}

// An Index finds grids and units by code or name. It is a large table
// built once (New) and a small overlay of what later versions changed
// (Patch): the codes of the table's entries that are gone or replaced,
// and the entries added since. Every version's Index is immutable and
// shares the table with the versions patched from it.
type Index struct {
	// city is the indexed city, which Patch compares the next one with.
	city *geo.City
	base *table
	// dead holds the codes of base entries that are no longer the city's
	// (removed, or replaced by an entry in added).
	dead map[string]struct{}
	// added holds the entries added or changed since base, with no gram
	// index: it stays small (maxOverlay) and is scanned.
	added *table
}

// A Hit is one matching entry and how it matched.
type Hit struct {
	Entry *Entry
	Class Class
}

// New indexes the districts, subdistricts, communities and grids of a
// snapshot (not the city itself).
func New(s *geo.Snapshot) *Index {
	c := s.City
	entries := make([]Entry, 0, len(c.Units)+len(c.Grids))
	for _, u := range c.Units {
		if u.Level() != geo.LevelCity {
			entries = append(entries, unitEntry(u))
		}
	}
	for _, g := range c.Grids {
		entries = append(entries, gridEntry(g))
	}
	return &Index{city: c, base: newTable(entries, true), added: newTable(nil, false)}
}

// unitEntry returns the entry of a unit below the city.
func unitEntry(u *geo.Unit) Entry {
	return Entry{Level: u.Level(), Code: u.Code.String(), short: u.Code.Short(),
		name: Normalize(u.ShortName()), full: Normalize(u.Name), Unit: u}
}

// gridEntry returns the entry of a grid.
func gridEntry(g *geo.Grid) Entry {
	code := g.Code.String()
	name := Normalize(g.Name)
	return Entry{Level: geo.LevelGrid, Code: code, short: code, name: name, full: name, Grid: g}
}

// Normalize folds a name or a query for matching: NFKC (full-width digits
// and letters become ASCII) and ASCII lower case.
func Normalize(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// Search returns at most limit entries matching q (normalised and
// non-empty), best first: exact before prefix before substring matches,
// then districts before subdistricts, communities and grids, then by code.
// A code query costs a binary search and a name query the entries holding
// q's rarest pair of characters, not a scan of the city.
func (ix *Index) Search(q string, limit int) []Hit {
	hits := ix.base.search(q, ix.dead, nil)
	hits = ix.added.search(q, nil, hits)
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Entry.Level, b.Entry.Level), strings.Compare(a.Entry.Code, b.Entry.Code))
	})
	return hits[:min(limit, len(hits))]
}

// matchName returns how q matches a name.
func matchName(name, q string) Class {
	switch {
	case name == q:
		return Exact
	case strings.HasPrefix(name, q):
		return Prefix
	case strings.Contains(name, q):
		return Substring
	}
	return none
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
