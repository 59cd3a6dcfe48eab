package server

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"golang.org/x/text/unicode/norm"
)

// The limits of GET /v1/search.
const (
	maxSearchQueryBytes = 200
	defaultSearchLimit  = 10
	maxSearchLimit      = 100
)

// A matchClass ranks how a search hit matched: exact before prefix before
// substring.
type matchClass uint8

const (
	matchExact matchClass = iota
	matchPrefix
	matchSubstring
	matchNone
)

// A searchEntry is one searchable grid or unit.
type searchEntry struct {
	level geo.Level
	// code is the 15-digit grid code or the 12-digit division code; short
	// is a unit's significant digits ("520201"), or the grid code.
	code, short string
	// name and full are the display name (a community's without
	// 居民委员会) and the official name, folded by normName for matching.
	name, full string
	// Exactly one of unit and grid is set.
	unit *geo.Unit
	grid *geo.Grid
}

// names returns the entry's display and official names as stored.
func (e *searchEntry) names() (name, full string) {
	if e.unit != nil {
		return e.unit.ShortName(), e.unit.Name
	}
	return e.grid.Name, e.grid.Name
}

// geometry returns the entry's area, empty for a unit without one.
func (e *searchEntry) geometry() orb.MultiPolygon {
	if e.unit != nil {
		return e.unit.Geometry
	}
	return e.grid.Geometry
}

// A searchIndex finds grids and units by code or name. Entries are sorted
// by code, so the codes starting with a prefix are one run.
type searchIndex struct {
	entries []searchEntry
}

// A searchHit is one matching entry and how it matched.
type searchHit struct {
	e     *searchEntry
	class matchClass
}

// newSearchIndex indexes the districts, subdistricts, communities and grids
// of a snapshot (not the city itself).
func newSearchIndex(s *geo.Snapshot) *searchIndex {
	c := s.City
	ix := &searchIndex{entries: make([]searchEntry, 0, len(c.Units)+len(c.Grids))}
	for _, u := range c.Units {
		if u.Level() == geo.LevelCity {
			continue
		}
		ix.entries = append(ix.entries, searchEntry{level: u.Level(), code: u.Code.String(), short: u.Code.Short(),
			name: normName(u.ShortName()), full: normName(u.Name), unit: u})
	}
	for _, g := range c.Grids {
		code := g.Code.String()
		ix.entries = append(ix.entries, searchEntry{level: geo.LevelGrid, code: code, short: code,
			name: normName(g.Name), full: normName(g.Name), grid: g})
	}
	slices.SortFunc(ix.entries, func(a, b searchEntry) int { return strings.Compare(a.code, b.code) })
	return ix
}

// normName folds a name for matching: NFKC (full-width digits and letters
// become ASCII) and ASCII lower case.
func normName(s string) string {
	return strings.ToLower(norm.NFKC.String(s))
}

// search returns at most limit entries matching q (already normalised and
// non-empty), best first: exact before prefix before substring matches,
// then districts before subdistricts, communities and grids, then by code.
func (ix *searchIndex) search(q string, limit int) []searchHit {
	best := make(map[int]matchClass)
	note := func(i int, m matchClass) {
		if old, ok := best[i]; !ok || m < old {
			best[i] = m
		}
	}
	if isDigits(q) {
		start, _ := slices.BinarySearchFunc(ix.entries, q, func(e searchEntry, q string) int { return strings.Compare(e.code, q) })
		for i := start; i < len(ix.entries) && strings.HasPrefix(ix.entries[i].code, q); i++ {
			if ix.entries[i].code == q {
				note(i, matchExact)
			} else {
				note(i, matchPrefix)
			}
		}
		if i, ok := ix.byShort(q); ok {
			note(i, matchExact)
		}
	}
	for i := range ix.entries {
		e := &ix.entries[i]
		if m := min(matchName(e.name, q), matchName(e.full, q)); m != matchNone {
			note(i, m)
		}
	}
	hits := make([]searchHit, 0, len(best))
	for i, m := range best {
		hits = append(hits, searchHit{e: &ix.entries[i], class: m})
	}
	slices.SortFunc(hits, func(a, b searchHit) int {
		return cmp.Or(cmp.Compare(a.class, b.class), cmp.Compare(a.e.level, b.e.level), strings.Compare(a.e.code, b.e.code))
	})
	return hits[:min(limit, len(hits))]
}

// byShort finds the unit whose significant digits are q ("520201" for
// 520201000000).
func (ix *searchIndex) byShort(q string) (int, bool) {
	switch len(q) {
	case 4, 6, 9:
	default:
		return 0, false
	}
	full := q + strings.Repeat("0", 12-len(q))
	i, ok := slices.BinarySearchFunc(ix.entries, full, func(e searchEntry, q string) int { return strings.Compare(e.code, q) })
	return i, ok && ix.entries[i].short == q
}

// matchName returns how q matches a name.
func matchName(name, q string) matchClass {
	switch {
	case name == q:
		return matchExact
	case strings.HasPrefix(name, q):
		return matchPrefix
	case strings.Contains(name, q):
		return matchSubstring
	}
	return matchNone
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// warmSearch builds a new view's search index ahead of the first search.
func (s *Server) warmSearch(v *view) {
	if s.view.Load() == v {
		v.searchIndex()
	}
}

// searchIndex returns the view's search index, building it on first use.
func (v *view) searchIndex() *searchIndex {
	ix, _ := v.search.get(func() (ix *searchIndex, _ error) {
		background(func() { ix = newSearchIndex(v.snap) })
		return ix, nil
	})
	return ix
}

// handleSearch answers GET /v1/search?q=&limit= with the grids and units
// whose code or name matches q.
func (s *Server) handleSearch(c *fiber.Ctx) error {
	q, limit, err := parseSearch(c)
	if err != nil {
		return err
	}
	v := s.view.Load()
	if v == nil {
		return ErrNotReady
	}
	if notModified(c, v) {
		return nil
	}
	hits := v.searchIndex().search(q, limit)
	b := make([]byte, 0, 64+160*len(hits))
	b = append(b, `{"results":[`...)
	for i, h := range hits {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendSearchHit(b, h)
	}
	b = append(b, `],"version":`...)
	b = strconv.AppendUint(b, v.snap.Version, 10)
	b = append(b, '}')
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(b)
	return nil
}

// parseSearch reads and checks q and limit, returning q normalised.
func parseSearch(c *fiber.Ctx) (string, int, error) {
	args := c.Context().QueryArgs()
	raw := args.Peek("q")
	switch {
	case len(raw) > maxSearchQueryBytes:
		return "", 0, fieldErr(http.StatusBadRequest, "q", "is %d bytes long, more than %d", len(raw), maxSearchQueryBytes)
	case !utf8.Valid(raw):
		return "", 0, fieldErr(http.StatusBadRequest, "q", "is not valid UTF-8")
	}
	q := normName(strings.TrimSpace(string(raw)))
	q = strings.TrimSpace(q)
	if q == "" {
		return "", 0, fieldErr(http.StatusBadRequest, "q", "is missing or blank: give a grid code, a unit code or a name")
	}
	limit := defaultSearchLimit
	if args.Has("limit") {
		rl := args.Peek("limit")
		n, err := strconv.Atoi(string(rl))
		if err != nil || n < 1 || n > maxSearchLimit {
			return "", 0, fieldErr(http.StatusBadRequest, "limit", "%s is not a whole number from 1 to %d", quoteClip(rl), maxSearchLimit)
		}
		limit = n
	}
	return q, limit, nil
}

// appendSearchHit appends one result: kind, code, name (and full_name when
// it differs), match, bbox [w,s,e,n] and an interior point [lon,lat]; bbox
// and point are null for a unit without geometry.
func appendSearchHit(b []byte, h searchHit) []byte {
	e := h.e
	b = append(b, `{"kind":"`...)
	b = append(b, e.level.String()...)
	b = append(b, `","code":"`...)
	b = append(b, e.code...)
	b = append(b, `","name":`...)
	name, full := e.names()
	b = wire.AppendString(b, name)
	if full != name {
		b = append(b, `,"full_name":`...)
		b = wire.AppendString(b, full)
	}
	b = append(b, `,"match":"`...)
	b = append(b, [...]string{"exact", "prefix", "substring"}[h.class]...)
	b = append(b, '"')
	geom := e.geometry()
	if len(geom) == 0 {
		return append(b, `,"bbox":null,"point":null}`...)
	}
	bound := geom.Bound()
	b = append(b, `,"bbox":[`...)
	b = appendCoords(b, bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1])
	p := interiorPoint(geom)
	b = append(b, `],"point":[`...)
	b = appendCoords(b, p[0], p[1])
	return append(b, "]}"...)
}

// appendCoords appends degrees rounded to 7 decimals, comma-separated.
func appendCoords(b []byte, xs ...float64) []byte {
	for i, x := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.Lattice.AppendCoord(b, x)
	}
	return b
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
