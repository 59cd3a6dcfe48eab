package server

import (
	"math"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
	"github.com/valyala/fasthttp"
)

var (
	contentTypeJSON = []byte("application/json")
	headerETag      = []byte("ETag")
	headerINM       = []byte("If-None-Match")
)

// handleLookup answers GET /v1/lookup?lon=&lat=&crs= with the grid holding
// the point and its units, or a 404 no-grid problem naming the nearest grid.
// With asof= (a version, a date or an RFC 3339 time) it answers with the
// grid that held the point then (asof.go).
func (s *Server) handleLookup(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	p, cr, err := parseLookupArgs(c.Context().QueryArgs())
	if err != nil {
		return err
	}
	if asof := c.Context().QueryArgs().Peek("asof"); len(asof) > 0 {
		if v, err = s.asOfView(c.UserContext(), v, asof); err != nil {
			return err
		}
	}
	wgs := crs.ToWGS84(cr, p)
	g, ok := v.snap.Locate(wgs)
	if !ok {
		_, err := v.snap.Lookup(wgs)
		if err == nil {
			err = geo.ErrNoGrid
		}
		return err
	}
	f := v.answers.Of(g)
	if f == nil {
		return geo.ErrNoGrid
	}
	resp := c.Response()
	varyOnToken(c)
	if notModified(c, v) {
		return nil
	}
	resp.Header.SetContentTypeBytes(contentTypeJSON)
	resp.AppendBody(f.JSON[:len(f.JSON)-1])
	var buf [512]byte
	resp.AppendBody(s.staffAccessOf(c).appendMember(buf[:0], g))
	resp.AppendBody(appendAnswerTail(buf[:0], v, cr))
	return nil
}

// appendAnswerTail appends `,"crs":"CR","version":N}`, which closes the
// answers of GET /v1/lookup, /v1/reverse and /v1/geocode: the system their
// points are written in and the data version.
func appendAnswerTail(b []byte, v *view, cr crs.CRS) []byte {
	b = append(b, `,"crs":"`...)
	b = append(b, cr.String()...)
	b = append(b, '"')
	return append(b, v.versionJSON...)
}

// parseLookupArgs reads lon, lat and crs from a query string.
func parseLookupArgs(args *fasthttp.Args) (orb.Point, crs.CRS, error) {
	lon, err := parseCoord("lon", args.Peek("lon"), 180)
	if err != nil {
		return orb.Point{}, 0, err
	}
	lat, err := parseCoord("lat", args.Peek("lat"), 90)
	if err != nil {
		return orb.Point{}, 0, err
	}
	cr, err := parseCRS("crs", args.Peek("crs"))
	if err != nil {
		return orb.Point{}, 0, err
	}
	return orb.Point{lon, lat}, cr, nil
}

// parseCoord parses a decimal coordinate that must be finite and within
// [-limit, limit].
func parseCoord(field string, b []byte, limit float64) (float64, error) {
	if len(b) == 0 {
		return 0, &FieldError{Field: field, Reason: "is required"}
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !isRangeErr(err) {
		return 0, fieldErr(http.StatusBadRequest, field, "%s is not a number", quoteClip(b))
	}
	return x, checkCoord(field, x, limit)
}

// checkCoord checks that x is finite and within [-limit, limit].
func checkCoord(field string, x, limit float64) error {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return fieldErr(http.StatusBadRequest, field, "must be a finite number")
	}
	if x < -limit || x > limit {
		return fieldErr(http.StatusBadRequest, field, "%s is outside %g..%g",
			strconv.FormatFloat(x, 'g', -1, 64), -limit, limit)
	}
	return nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// parseCRS parses a CRS name; empty means WGS-84.
func parseCRS(field string, b []byte) (crs.CRS, error) {
	switch string(b) {
	case "", "wgs84":
		return crs.WGS84, nil
	case "gcj02":
		return crs.GCJ02, nil
	case "bd09":
		return crs.BD09, nil
	case "cgcs2000":
		return crs.CGCS2000, nil
	}
	c, err := crs.Parse(string(b))
	if err != nil {
		return 0, fieldErr(http.StatusBadRequest, field, "unknown coordinate system %s; use wgs84, cgcs2000, gcj02 or bd09", quoteClip(b))
	}
	return c, nil
}

// quoteClip quotes b for an error message, shortened to 40 bytes.
func quoteClip(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "..."
	}
	return strconv.Quote(string(b))
}
