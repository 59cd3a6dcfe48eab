package server

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/search"
	"github.com/gridmap/gridmap/geo/wire"
)

// The limits of GET /v1/search.
const (
	maxSearchQueryBytes = 200
	defaultSearchLimit  = 10
	maxSearchLimit      = 100
)

// warmSearch builds a new view's search index ahead of the first search.
func (s *Server) warmSearch(v *view) {
	if s.view.Load() == v {
		v.searchIndex()
	}
}

// searchIndex returns the view's search index, patched from the newest
// one (or built, the first time) on first use.
func (v *view) searchIndex() *search.Index {
	ix, _ := v.search.get(func() (ix *search.Index, _ error) {
		rebaseOrBuild(func() bool { ix = v.base.searchIndex(v); return ix != nil },
			func() { ix = search.New(v.snap) })
		v.base.keepSearch(v, ix)
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
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	hits := v.searchIndex().Search(q, limit)
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
	q := search.Normalize(strings.TrimSpace(string(raw)))
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
func appendSearchHit(b []byte, h search.Hit) []byte {
	e := h.Entry
	b = append(b, `{"kind":"`...)
	b = append(b, e.Level.String()...)
	b = append(b, `","code":"`...)
	b = append(b, e.Code...)
	b = append(b, `","name":`...)
	name, full := e.Names()
	b = wire.AppendString(b, name)
	if full != name {
		b = append(b, `,"full_name":`...)
		b = wire.AppendString(b, full)
	}
	b = append(b, `,"match":"`...)
	b = append(b, h.Class.String()...)
	b = append(b, '"')
	geom := e.Geometry()
	if len(geom) == 0 {
		return append(b, `,"bbox":null,"point":null}`...)
	}
	bound := geom.Bound()
	b = append(b, `,"bbox":[`...)
	b = appendCoords(b, bound.Min[0], bound.Min[1], bound.Max[0], bound.Max[1])
	p := e.Point()
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
