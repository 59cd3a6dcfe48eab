// Package search is the code and name index of the city's grids and
// units, beside the point locator (geo) and the address index
// (geo/address): exact, prefix and substring matches, ranked.
package search

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
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

// Point returns a point inside the entry's largest polygon (not a
// centroid, which can fall outside a concave shape), for a map to fly to;
// the entry must have an area.
func (e *Entry) Point() orb.Point { return interiorPoint(e.Geometry()) }

// An Index finds grids and units by code or name. Entries are sorted by
// code, so the codes starting with a prefix are one run.
type Index struct {
	entries []Entry
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
	ix := &Index{entries: make([]Entry, 0, len(c.Units)+len(c.Grids))}
	for _, u := range c.Units {
		if u.Level() == geo.LevelCity {
			continue
		}
		ix.entries = append(ix.entries, Entry{Level: u.Level(), Code: u.Code.String(), short: u.Code.Short(),
			name: Normalize(u.ShortName()), full: Normalize(u.Name), Unit: u})
	}
	for _, g := range c.Grids {
		code := g.Code.String()
		ix.entries = append(ix.entries, Entry{Level: geo.LevelGrid, Code: code, short: code,
			name: Normalize(g.Name), full: Normalize(g.Name), Grid: g})
	}
	slices.SortFunc(ix.entries, func(a, b Entry) int { return strings.Compare(a.Code, b.Code) })
	return ix
}

// Normalize folds a name or a query for matching: NFKC (full-width digits
// and letters become ASCII) and ASCII lower case.
func Normalize(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// Search returns at most limit entries matching q (normalised and
// non-empty), best first: exact before prefix before substring matches,
// then districts before subdistricts, communities and grids, then by code.
func (ix *Index) Search(q string, limit int) []Hit {
	best := make(map[int]Class)
	note := func(i int, m Class) {
		if old, ok := best[i]; !ok || m < old {
			best[i] = m
		}
	}
	if isDigits(q) {
		start, _ := slices.BinarySearchFunc(ix.entries, q, func(e Entry, q string) int { return strings.Compare(e.Code, q) })
		for i := start; i < len(ix.entries) && strings.HasPrefix(ix.entries[i].Code, q); i++ {
			if ix.entries[i].Code == q {
				note(i, Exact)
			} else {
				note(i, Prefix)
			}
		}
		if i, ok := ix.byShort(q); ok {
			note(i, Exact)
		}
	}
	for i := range ix.entries {
		e := &ix.entries[i]
		if m := min(matchName(e.name, q), matchName(e.full, q)); m != none {
			note(i, m)
		}
	}
	hits := make([]Hit, 0, len(best))
	for i, m := range best {
		hits = append(hits, Hit{Entry: &ix.entries[i], Class: m})
	}
	slices.SortFunc(hits, func(a, b Hit) int {
		return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(a.Entry.Level, b.Entry.Level), strings.Compare(a.Entry.Code, b.Entry.Code))
	})
	return hits[:min(limit, len(hits))]
}

// byShort finds the unit whose significant digits are q ("520201" for
// 520201000000).
func (ix *Index) byShort(q string) (int, bool) {
	switch len(q) {
	case 4, 6, 9:
	default:
		return 0, false
	}
	full := q + strings.Repeat("0", 12-len(q))
	i, ok := slices.BinarySearchFunc(ix.entries, full, func(e Entry, q string) int { return strings.Compare(e.Code, q) })
	return i, ok && ix.entries[i].short == q
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

// interiorPoint returns a point inside the largest polygon of mp (not a
// centroid, which can fall outside a concave shape): on a horizontal line
// through the polygon's middle that passes no vertex, the middle of the
// widest stretch inside. It returns the box centre for a degenerate polygon.
func interiorPoint(mp orb.MultiPolygon) orb.Point {
	var poly orb.Polygon
	best := -1.0
	for _, p := range mp {
		if a := planar.Area(p); a > best {
			poly, best = p, a
		}
	}
	b := poly.Bound()
	y := scanY(poly, (b.Min[1]+b.Max[1])/2)
	var xs []float64
	for _, r := range poly {
		for i := 1; i < len(r); i++ {
			p, q := r[i-1], r[i]
			if (p[1] > y) != (q[1] > y) {
				xs = append(xs, p[0]+(y-p[1])*(q[0]-p[0])/(q[1]-p[1]))
			}
		}
	}
	slices.Sort(xs)
	pt, width := b.Center(), -1.0
	for i := 0; i+1 < len(xs); i += 2 {
		if w := xs[i+1] - xs[i]; w > width {
			pt, width = orb.Point{(xs[i] + xs[i+1]) / 2, y}, w
		}
	}
	return pt
}

// scanY returns a latitude near mid that no vertex of poly has: halfway
// between the nearest vertex latitudes at or below mid and above it.
func scanY(poly orb.Polygon, mid float64) float64 {
	lo, hi := math.Inf(-1), math.Inf(1)
	for _, r := range poly {
		for _, p := range r {
			if p[1] <= mid {
				lo = max(lo, p[1])
			} else {
				hi = min(hi, p[1])
			}
		}
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return mid
	}
	return (lo + hi) / 2
}
