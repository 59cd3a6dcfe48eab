package server

import (
	"io"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
	"github.com/valyala/bytebufferpool"
)

// A batchRequest is a parsed POST /v1/lookup JSON body.
type batchRequest struct {
	crs    crs.CRS
	points []orb.Point
}

// handleLookupPost dispatches POST /v1/lookup on its Content-Type: JSON
// batch, CSV stream or NDJSON stream.
func (s *Server) handleLookupPost(c *fiber.Ctx) error {
	return s.dispatchBulk(c, s.handleBatch, s.handleStream)
}

// dispatchBulk serves a bulk POST route: an application/json body goes to
// batch, a CSV or NDJSON body to stream with its format. Compressed bodies
// and other media types are refused naming the header.
func (s *Server) dispatchBulk(c *fiber.Ctx, batch func(*fiber.Ctx, *view) error, stream func(*fiber.Ctx, *view, bulk.Format) error) error {
	v, err := s.readView(c)
	if err != nil {
		return err
	}
	if enc := c.Request().Header.Peek(fiber.HeaderContentEncoding); len(enc) > 0 && string(enc) != "identity" {
		return &FieldError{Field: "Content-Encoding", Status: http.StatusUnsupportedMediaType,
			Reason: "compressed bodies are not accepted; send identity"}
	}
	switch mediaType(c.Request().Header.ContentType()) {
	case "application/json":
		return batch(c, v)
	case "text/csv":
		return stream(c, v, bulk.CSV)
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines":
		return stream(c, v, bulk.NDJSON)
	}
	return &FieldError{Field: "Content-Type", Status: http.StatusUnsupportedMediaType,
		Reason: "must be application/json, text/csv or application/x-ndjson"}
}

// mediaType returns the lower-cased media type of a Content-Type value,
// without parameters.
func mediaType(ct []byte) string {
	end := len(ct)
	for i, c := range ct {
		if c == ';' {
			end = i
			break
		}
	}
	b := make([]byte, 0, 32)
	for _, c := range ct[:end] {
		if c == ' ' || c == '\t' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return string(b)
}

// handleBatch answers a JSON batch: {"crs":"gcj02","points":[[lon,lat],...]}.
func (s *Server) handleBatch(c *fiber.Ctx, v *view) error {
	buf := bytebufferpool.Get()
	defer bytebufferpool.Put(buf)
	if err := readBody(c, buf, s.cfg.BodyLimit); err != nil {
		return err
	}
	req, err := parseBatch(buf.B, s.cfg.MaxBatchPoints)
	if err != nil {
		return err
	}
	s.metrics.points.WithLabelValues("json").Add(float64(len(req.points)))
	out := appendBatchHead(make([]byte, 0, 64+len(req.points)*320), req.crs, v.snap.Version)
	sa := s.staffAccessOf(c)
	varyOnToken(c)
	for i, p := range req.points {
		if i > 0 {
			out = append(out, ',')
		}
		out = appendResult(out, v, crs.ToWGS84(req.crs, p), sa)
	}
	out = append(out, "]}"...)
	c.Response().Header.SetContentTypeBytes(contentTypeJSON)
	c.Response().SetBodyRaw(out)
	return nil
}

// appendBatchHead opens the answer of a JSON batch (POST /v1/lookup,
// POST /v1/geocode): `{"crs":"CR","version":N,"results":[`; the caller
// appends the results in input order and `]}`.
func appendBatchHead(b []byte, cr crs.CRS, version uint64) []byte {
	b = append(b, `{"crs":"`...)
	b = append(b, cr.String()...)
	b = append(b, `","version":`...)
	b = strconv.AppendUint(b, version, 10)
	return append(b, `,"results":[`...)
}

// appendResult appends the lookup result for the WGS-84 point p, with
// its grid's staff as sa may see them, or null.
func appendResult(b []byte, v *view, p orb.Point, sa staffAccess) []byte {
	if g, ok := v.snap.Locate(p); ok {
		if f := v.answers.Of(g); f != nil {
			return append(sa.appendMember(append(b, f.JSON[:len(f.JSON)-1]...), g), '}')
		}
	}
	return append(b, "null"...)
}

// readBody reads the request body into buf, refusing more than limit bytes
// with 413 and an empty body with 400.
func readBody(c *fiber.Ctx, buf *bytebufferpool.ByteBuffer, limit int) error {
	tooLarge := fieldErr(http.StatusRequestEntityTooLarge, "body", "is larger than %d bytes", limit)
	if n := c.Request().Header.ContentLength(); n > limit {
		return tooLarge
	}
	if r := c.Context().RequestBodyStream(); r != nil {
		if _, err := buf.ReadFrom(io.LimitReader(r, int64(limit)+1)); err != nil {
			return fieldErr(http.StatusBadRequest, "body", "reading: %v", err)
		}
	} else {
		buf.Set(c.Body())
	}
	if len(buf.B) > limit {
		return tooLarge
	}
	if len(buf.B) == 0 {
		return &FieldError{Field: "body", Reason: "is empty"}
	}
	return nil
}

// parseBatch parses a JSON batch body, {"crs": ..., "points": [[lon, lat], ...]}
// (jsonBatch's rules: unknown members are refused, so a misspelt "point"
// is not silently ignored).
func parseBatch(body []byte, maxPoints int) (batchRequest, error) {
	var req batchRequest
	var err error
	req.crs, err = jsonBatch{list: "points", item: "point", read: func(s *wire.Scanner) (int, error) {
		err := parseBatchPoints(s, &req, maxPoints)
		return len(req.points), err
	}}.parse(body)
	return req, err
}

// parseBatchPoints parses the points array, checking each pair.
func parseBatchPoints(s *wire.Scanner, req *batchRequest, maxPoints int) error {
	if s.Peek() != '[' {
		return fieldErr(http.StatusUnprocessableEntity, "points", "must be an array of [lon, lat] pairs, not %s", s.KindAt())
	}
	s.Next()
	if s.Peek() == ']' {
		s.Next()
		return nil
	}
	req.points = make([]orb.Point, 0, min(maxPoints, len(s.Data())/8+1))
	for i := 0; ; i++ {
		if i >= maxPoints {
			return fieldErr(http.StatusRequestEntityTooLarge, "points",
				"holds more than %d points; send CSV or NDJSON to stream more", maxPoints)
		}
		p, err := parsePair(s, i)
		if err != nil {
			return err
		}
		req.points = append(req.points, p)
		switch s.Peek() {
		case ',':
			s.Next()
		case ']':
			s.Next()
			return nil
		default:
			return s.Fail("want ',' or ']'")
		}
	}
}

// parsePair parses element i of points, a [lon, lat] pair.
func parsePair(s *wire.Scanner, i int) (orb.Point, error) {
	if s.Peek() != '[' {
		return orb.Point{}, fieldErr(http.StatusUnprocessableEntity, pointField(i), "must be a [lon, lat] array, not %s", s.KindAt())
	}
	s.Next()
	var xy [2]float64
	for k := 0; k < 2; k++ {
		if k == 1 {
			if s.Peek() != ',' {
				return orb.Point{}, pairShapeErr(s, i)
			}
			s.Next()
		}
		if c := s.Peek(); c != '-' && (c < '0' || c > '9') {
			return orb.Point{}, pairShapeErr(s, i)
		}
		x, err := s.Float()
		if err != nil {
			return orb.Point{}, err
		}
		xy[k] = x
	}
	if s.Peek() != ']' {
		return orb.Point{}, pairShapeErr(s, i)
	}
	s.Next()
	if msg := pairRangeErr(xy); msg != "" {
		return orb.Point{}, fieldErr(http.StatusUnprocessableEntity, pointField(i), "%s", msg)
	}
	return orb.Point{xy[0], xy[1]}, nil
}

// pointField names element i of points.
func pointField(i int) string { return "points[" + strconv.Itoa(i) + "]" }

// pairRangeErr says what is wrong with a pair's values, or "".
func pairRangeErr(xy [2]float64) string {
	for k, limit := range [2]float64{180, 90} {
		name := [2]string{"lon", "lat"}[k]
		if err := checkCoord(name, xy[k], limit); err != nil {
			return err.Error()
		}
	}
	return ""
}

func pairShapeErr(s *wire.Scanner, i int) error {
	if s.AtEnd() {
		return s.Fail("unexpected end")
	}
	return fieldErr(http.StatusUnprocessableEntity, pointField(i), "must be a [lon, lat] array of exactly two numbers")
}
