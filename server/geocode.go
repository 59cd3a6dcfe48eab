package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/valyala/bytebufferpool"
)

// registerGeocode registers the address routes and warms each new view's
// address index.
func (s *Server) registerGeocode() error {
	for _, r := range []struct {
		method, path string
		h            Handler
	}{
		{http.MethodGet, "/v1/geocode", s.handleGeocode},
		{http.MethodPost, "/v1/geocode", s.handleGeocodePost},
		{http.MethodGet, "/v1/reverse", s.handleReverse},
	} {
		if err := s.Handle(r.method, r.path, r.h); err != nil {
			return err
		}
	}
	s.quickWarmers = append(s.quickWarmers, func(v *view) { v.addresses() })
	return nil
}

// addresses returns the view's address index, rebased on the newest one
// (or built, the first time) on first use.
func (v *view) addresses() *address.Index {
	x, _ := v.addrIndex.get(func() (x *address.Index, _ error) {
		rebaseOrBuild(func() bool { x = v.base.addresses(v); return x != nil },
			func() { x = address.NewIndex(v.snap) })
		v.base.keepAddresses(v, x)
		return x, nil
	})
	return x
}

// handleGeocode answers GET /v1/geocode?address=&crs= with the best match
// for one address and its alternatives. An address that matches nothing is
// a 200 answer with confidence 0; bad text is a 400 naming address.
func (s *Server) handleGeocode(c *fiber.Ctx) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	args := c.Context().QueryArgs()
	cr, err := parseCRS("crs", args.Peek("crs"))
	if err != nil {
		return err
	}
	if !args.Has("address") {
		return &FieldError{Field: "address", Reason: "is required"}
	}
	addr := string(args.Peek("address"))
	if err := address.CheckInput(addr); err != nil {
		return err
	}
	if notModified(c, v) {
		return nil
	}
	res, err := v.addresses().Geocode(addr)
	if err != nil {
		return err
	}
	b := make([]byte, 0, 2048)
	varyOnToken(c)
	b = appendGeocodeResult(b, v, addr, &res, cr, s.staffAccessOf(c))
	b = appendAnswerTail(b, v, cr)
	resp := c.Response()
	resp.Header.SetContentTypeBytes(contentTypeJSON)
	resp.SetBodyRaw(b)
	return nil
}

// handleGeocodePost dispatches POST /v1/geocode on its Content-Type: JSON
// batch, CSV stream or NDJSON stream.
func (s *Server) handleGeocodePost(c *fiber.Ctx) error {
	return s.dispatchBulk(c, s.handleGeocodeBatch, s.handleGeocodeStream)
}

// appendGeocodeResult appends the answer to addr as an unclosed JSON
// object: address, normalized, parts, best and alternatives, and the staff
// of the best match's grid as sa may see them. Points are written in cr.
func appendGeocodeResult(b []byte, v *view, addr string, res *address.Result, cr crs.CRS, sa staffAccess) []byte {
	b = append(b, `{"address":`...)
	b = wire.AppendString(b, addr)
	b = append(b, `,"normalized":`...)
	b = wire.AppendString(b, res.Normalized)
	b = append(b, `,"parts":`...)
	parts, err := json.Marshal(res.Parts)
	if err != nil {
		parts = []byte("{}")
	}
	b = append(b, parts...)
	b = append(b, `,"best":`...)
	b = appendMatch(b, v, res.Best, cr)
	b = append(b, `,"alternatives":[`...)
	for i := range res.Alternatives {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendMatch(b, v, &res.Alternatives[i], cr)
	}
	b = append(b, ']')
	if res.Best != nil {
		if g, ok := v.snap.Grid(res.Best.Grid); ok {
			b = sa.appendMember(b, g)
		}
	}
	return b
}

// appendMatch appends one match: the building (id and standard address,
// null without one), its point in cr, confidence, matched parts, reason,
// the grid chain exactly as /v1/lookup writes it, and for an answer
// without a building the grids its candidates span.
func appendMatch(b []byte, v *view, m *address.Match, cr crs.CRS) []byte {
	b = append(b, `{"building":`...)
	if m.Building != nil {
		b = strconv.AppendUint(b, uint64(m.Building.ID), 10)
		b = append(b, `,"standard_address":`...)
		b = wire.AppendString(b, address.StandardAddress(m.Building))
	} else {
		b = append(b, `null,"standard_address":null`...)
	}
	b = append(b, `,"point":`...)
	if bulk.HasPoint(m) {
		p := crs.FromWGS84(cr, m.Point)
		b = append(b, '[')
		b = wire.Lattice.AppendCoord(b, p[0])
		b = append(b, ',')
		b = wire.Lattice.AppendCoord(b, p[1])
		b = append(b, ']')
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"confidence":`...)
	b = strconv.AppendFloat(b, m.Confidence, 'f', -1, 64)
	b = append(b, `,"matched":[`...)
	for i, part := range m.Matched {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, part)
	}
	b = append(b, `],"reason":`...)
	b = wire.AppendString(b, m.Reason)
	b = append(b, ',')
	if f := v.answers.ByCode(m.Grid); f != nil {
		b = append(b, f.JSON[1:len(f.JSON)-1]...)
	} else {
		b = append(b, bulk.NullChain...)
	}
	if m.Building == nil && len(m.Grids) > 0 {
		b = append(b, `,"grids":[`...)
		for i, g := range m.Grids {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, '"')
			b = append(b, g.String()...)
			b = append(b, '"')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// maxGeocodeBatch is the most addresses one JSON batch may hold; more get
// 413. Files of any size go through the CSV and NDJSON streams.
const maxGeocodeBatch = 10_000

// A geocodeBatch is a parsed POST /v1/geocode JSON body. itemErrs[i] is
// the error of an element that is not a string, "" otherwise.
type geocodeBatch struct {
	crs      crs.CRS
	addrs    []string
	itemErrs []string
}

// handleGeocodeBatch answers {"crs":"gcj02","addresses":["...", ...]} with
// {"crs","version","results"}, one result per address in input order. A
// bad address gets an error object in its place; the rest are answered.
func (s *Server) handleGeocodeBatch(c *fiber.Ctx, v *view) error {
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := readBody(c, buf, s.cfg.BodyLimit); err != nil {
		return err
	}
	req, err := parseGeocodeBatch(buf.B, maxGeocodeBatch)
	if err != nil {
		return err
	}
	s.metrics.points.WithLabelValues("geocode_json").Add(float64(len(req.addrs)))
	results, err := v.addresses().GeocodeBatch(c.UserContext(), req.addrs, 0)
	if err != nil {
		return fmt.Errorf("geocoding a batch: %w", err)
	}
	out := appendBatchHead(make([]byte, 0, 64+len(req.addrs)*1024), req.crs, v.snap.Version)
	sa := s.staffAccessOf(c)
	varyOnToken(c)
	for i := range results {
		if i > 0 {
			out = append(out, ',')
		}
		r := &results[i]
		switch {
		case req.itemErrs[i] != "":
			out = appendItemError(out, i, req.itemErrs[i])
		case r.Err != nil:
			out = appendItemError(out, i, r.Err.Error())
		default:
			out = appendGeocodeResult(out, v, req.addrs[i], &r.Result, req.crs, sa)
			out = append(out, '}')
		}
	}
	out = append(out, "]}"...)
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(out)
	return nil
}

// appendItemError appends {"error":{"field":"addresses[i]","detail":msg}}.
func appendItemError(b []byte, i int, msg string) []byte {
	b = append(b, `{"error":{"field":"`...)
	b = append(b, addressField(i)...)
	b = append(b, `","detail":`...)
	b = wire.AppendString(b, msg)
	return append(b, "}}"...)
}

// addressField names element i of addresses.
func addressField(i int) string { return "addresses[" + strconv.Itoa(i) + "]" }

// parseGeocodeBatch parses a JSON batch body, {"crs": ..., "addresses":
// ["...", ...]} (jsonBatch's rules: unknown members are refused); an
// element that is not a string fails alone.
func parseGeocodeBatch(body []byte, maxAddrs int) (geocodeBatch, error) {
	var req geocodeBatch
	var err error
	req.crs, err = jsonBatch{list: "addresses", item: "address", read: func(s *wire.Scanner) (int, error) {
		err := parseAddresses(s, &req, maxAddrs)
		return len(req.addrs), err
	}}.parse(body)
	return req, err
}

// parseAddresses parses the addresses array.
func parseAddresses(s *wire.Scanner, req *geocodeBatch, maxAddrs int) error {
	if s.Peek() != '[' {
		return fieldErr(http.StatusUnprocessableEntity, "addresses", "must be an array of strings, not %s", s.KindAt())
	}
	s.Next()
	return s.Elements(func(i int) error {
		if i >= maxAddrs {
			return fieldErr(http.StatusRequestEntityTooLarge, "addresses",
				"holds more than %d addresses; send CSV or NDJSON to stream more", maxAddrs)
		}
		if s.Peek() != '"' {
			req.addrs = append(req.addrs, "")
			req.itemErrs = append(req.itemErrs, "must be a string, not "+s.KindAt())
			return s.Skip()
		}
		a, err := s.Text()
		req.addrs = append(req.addrs, a)
		req.itemErrs = append(req.itemErrs, "")
		return err
	})
}
