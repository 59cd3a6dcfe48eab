package server

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo/cql2"
	"github.com/paulmach/orb"
)

// Paging limits of the items route.
const (
	ogcDefaultLimit = 10
	ogcMaxLimit     = 10_000
)

// ogcItemParams are the standard query parameters of the items route;
// the collection's property names are accepted too (simple filters).
var ogcItemParams = []string{"f", "limit", "offset", "bbox", "bbox-crs", "crs", "datetime",
	"filter", "filter-lang", "filter-crs", "version"}

// An ogcQuery is a parsed items request.
type ogcQuery struct {
	limit, offset int
	// crs is the output coordinate system.
	crs *ogcCRS
	// expr is the bbox, the simple property filters and the filter, ANDed;
	// nil when there is none.
	expr cql2.Expr
	// src is the text positions in expr's filter part refer to.
	src string
	// at is the datetime instant or pinned version; hasAt says one was
	// given.
	at    when
	hasAt bool
}

// parseOGCQuery parses and checks the items parameters for collection
// col. Every fault is a 400 naming its parameter.
func parseOGCQuery(c *fiber.Ctx, col *ogcCollection) (*ogcQuery, error) {
	if err := checkOGCParams(c, func(n string) bool { _, ok := col.prop(n); return ok }, ogcItemParams...); err != nil {
		return nil, err
	}
	if err := checkFormat(c); err != nil {
		return nil, err
	}
	q := &ogcQuery{limit: ogcDefaultLimit}
	var err error
	if q.limit, err = intParam(c, "limit", ogcDefaultLimit, 1); err != nil {
		return nil, err
	}
	q.limit = min(q.limit, ogcMaxLimit)
	if q.offset, err = intParam(c, "offset", 0, 0); err != nil {
		return nil, err
	}
	if q.crs, err = parseOGCCRS("crs", c.Query("crs")); err != nil {
		return nil, err
	}
	if err := q.parseWhen(c); err != nil {
		return nil, err
	}
	var parts []cql2.Expr
	if e, err := parseBBox(c); err != nil {
		return nil, err
	} else if e != nil {
		parts = append(parts, e)
	}
	for _, p := range col.props {
		if raw := c.Query(p.name); raw != "" || c.Request().URI().QueryArgs().Has(p.name) {
			e, err := propFilter(p, raw)
			if err != nil {
				return nil, err
			}
			parts = append(parts, e)
		}
	}
	if e, err := q.parseFilter(c, col); err != nil {
		return nil, err
	} else if e != nil {
		parts = append(parts, e)
	}
	for _, e := range parts {
		if q.expr == nil {
			q.expr = e
		} else {
			q.expr = &cql2.And{L: q.expr, R: e}
		}
	}
	return q, nil
}

// intParam parses an integer parameter of at least lo; absent gives def.
func intParam(c *fiber.Ctx, name string, def, lo int) (int, error) {
	raw := c.Query(name)
	if raw == "" && !c.Request().URI().QueryArgs().Has(name) {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo {
		return 0, fieldErr(http.StatusBadRequest, name, "%s is not an integer of at least %d", quoteClip([]byte(raw)), lo)
	}
	return n, nil
}

// parseWhen reads datetime (an instant: the data as it was then) or
// version (a version number, which next links carry so that every page
// comes from one version).
func (q *ogcQuery) parseWhen(c *fiber.Ctx) error {
	dt, ver := c.Query("datetime"), c.Query("version")
	switch {
	case dt != "" && ver != "":
		return fieldErr(http.StatusBadRequest, "version", "give datetime or version, not both")
	case dt != "":
		if strings.Contains(dt, "/") {
			return fieldErr(http.StatusBadRequest, "datetime", "%s is an interval; give an instant (2024-06-01 or an RFC 3339 time): the data as it was then", quoteClip([]byte(dt)))
		}
		t, err := parseTime("datetime", dt)
		if err != nil {
			return err
		}
		q.at, q.hasAt = when{at: t, isTime: true}, true
	case ver != "":
		v, err := strconv.ParseUint(ver, 10, 64)
		if err != nil {
			return fieldErr(http.StatusBadRequest, "version", "%s is not a version number", quoteClip([]byte(ver)))
		}
		q.at, q.hasAt = when{version: v}, true
	}
	return nil
}

// parseBBox parses bbox (4 numbers, or 6 with heights, in bbox-crs's
// axis order) into S_INTERSECTS(geometry, <box in WGS-84>).
func parseBBox(c *fiber.Ctx) (cql2.Expr, error) {
	raw := c.Query("bbox")
	bc, err := parseOGCCRS("bbox-crs", c.Query("bbox-crs"))
	if err != nil {
		return nil, err
	}
	if raw == "" {
		if c.Request().URI().QueryArgs().Has("bbox") {
			return nil, fieldErr(http.StatusBadRequest, "bbox", "is empty; want minx,miny,maxx,maxy")
		}
		return nil, nil
	}
	parts := strings.Split(raw, ",")
	if len(parts) != 4 && len(parts) != 6 {
		return nil, fieldErr(http.StatusBadRequest, "bbox", "%s has %d numbers; want 4 (minx,miny,maxx,maxy) or 6", quoteClip([]byte(raw)), len(parts))
	}
	v := make([]float64, len(parts))
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fieldErr(http.StatusBadRequest, "bbox", "%s is not a number", quoteClip([]byte(p)))
		}
		v[i] = x
	}
	if len(v) == 6 {
		v = []float64{v[0], v[1], v[3], v[4]}
	}
	if v[0] > v[2] || v[1] > v[3] {
		return nil, fieldErr(http.StatusBadRequest, "bbox", "%s: the lower corner must come first and not exceed the upper one", quoteClip([]byte(raw)))
	}
	lo, hi := bc.in(orb.Point{v[0], v[1]}), bc.in(orb.Point{v[2], v[3]})
	if !bc.projected() && (lo[1] < -90 || hi[1] > 90 || lo[0] < -180 || hi[0] > 180) {
		return nil, fieldErr(http.StatusBadRequest, "bbox", "%s is outside the longitude/latitude range in %s", quoteClip([]byte(raw)), bc.uri)
	}
	box := orb.Bound{Min: lo, Max: lo}.Extend(hi)
	if bc.projected() {
		// A projected box is not a lon/lat box: take the corners' and the
		// edges' midpoints.
		x0, y0, x1, y1 := v[0], v[1], v[2], v[3]
		for _, p := range []orb.Point{{x0, y1}, {x1, y0}, {(x0 + x1) / 2, y0}, {(x0 + x1) / 2, y1}, {x0, (y0 + y1) / 2}, {x1, (y0 + y1) / 2}} {
			box = box.Extend(bc.in(p))
		}
	}
	// A box of no area (a point or a line) is not a valid polygon: widen
	// it by a hair so it still finds what it touches.
	if box.Max[0]-box.Min[0] < 1e-9 || box.Max[1]-box.Min[1] < 1e-9 {
		box = box.Pad(1e-9)
	}
	return &cql2.Spatial{Op: "S_INTERSECTS", A: cql2.GeomOperand{Prop: "geometry"}, B: cql2.GeomOperand{Geom: box.ToPolygon()}}, nil
}

// propFilter turns ?name=value into name = value, the value typed as the
// property is.
func propFilter(p ogcProp, raw string) (cql2.Expr, error) {
	lit := cql2.String(raw)
	if p.kind() == cql2.KindNumber {
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return nil, fieldErr(http.StatusBadRequest, p.name, "%s is not a number", quoteClip([]byte(raw)))
		}
		lit = cql2.Number(n)
	}
	return &cql2.Compare{Op: "=", L: cql2.Scalar{Prop: p.name}, R: cql2.Scalar{Lit: lit}}, nil
}

// parseFilter parses filter (CQL2 text), checks it against the
// collection's queryables and maps its geometry literals from filter-crs.
func (q *ogcQuery) parseFilter(c *fiber.Ctx, col *ogcCollection) (cql2.Expr, error) {
	lang := c.Query("filter-lang")
	if lang != "" && lang != "cql2-text" {
		return nil, fieldErr(http.StatusBadRequest, "filter-lang", "%s is not supported: only cql2-text", quoteClip([]byte(lang)))
	}
	fc, err := parseOGCCRS("filter-crs", c.Query("filter-crs"))
	if err != nil {
		return nil, err
	}
	src := c.Query("filter")
	if src == "" {
		if c.Request().URI().QueryArgs().Has("filter") {
			return nil, fieldErr(http.StatusBadRequest, "filter", "is empty")
		}
		return nil, nil
	}
	src = strings.Clone(src)
	e, err := cql2.Parse(src)
	if err == nil {
		err = cql2.Check(src, e, col.queryables())
	}
	if err != nil {
		return nil, fieldErr(http.StatusBadRequest, "filter", "%v", err)
	}
	cql2.MapGeometries(e, fc.in)
	q.src = src
	return e, nil
}
