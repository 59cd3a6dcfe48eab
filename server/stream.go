package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/bulk"
	"github.com/gridmap/gridmap/geo/crs"
)

// handleStream answers POST /v1/lookup with a CSV or NDJSON body,
// streaming one output row per input row (bulk.LookupCodec).
func (s *Server) handleStream(c *fiber.Ctx, v *view, f bulk.Format) error {
	return s.stream(c, v, f, "", func(src io.Reader, cr crs.CRS) (bulk.Codec, []byte, []byte, error) {
		return bulk.LookupCodec(f, src, v.answers, cr, s.cfg.MaxRecordBytes)
	})
}

// handleGeocodeStream answers POST /v1/geocode with a CSV or NDJSON body,
// streaming one output row per input row in input order
// (bulk.GeocodeCodec).
func (s *Server) handleGeocodeStream(c *fiber.Ctx, v *view, f bulk.Format) error {
	column := string(c.Context().QueryArgs().Peek("column"))
	return s.stream(c, v, f, "geocode_", func(src io.Reader, cr crs.CRS) (bulk.Codec, []byte, []byte, error) {
		return bulk.GeocodeCodec(f, src, v.answers, v.addresses(), cr, column, s.cfg.MaxRecordBytes)
	})
}

// stream answers a bulk request: it takes a stream slot, parses the crs
// parameter, builds the codec from the body with open (a bulk.FieldError
// becomes a problem naming the field) and streams the pipeline's output.
// form prefixes the format in the points metric.
func (s *Server) stream(c *fiber.Ctx, v *view, f bulk.Format, form string, open func(io.Reader, crs.CRS) (bulk.Codec, []byte, []byte, error)) error {
	if err := s.acquireStream(); err != nil {
		// The body stays unread: let the client finish sending it and
		// read the 429 rather than a reset.
		lingerOnClose(c.Context())
		return err
	}
	started := false
	defer func() {
		if !started {
			s.streams.release()
		}
	}()
	cr, err := parseCRS("crs", c.Context().QueryArgs().Peek("crs"))
	if err != nil {
		return err
	}
	src := c.Context().RequestBodyStream()
	if c.Request().Header.ContentLength() == 0 || src == nil {
		return &FieldError{Field: "body", Reason: "is empty"}
	}
	codec, initial, header, err := open(src, cr)
	if err != nil {
		return fieldErrFromBulk(err)
	}
	if f == bulk.CSV {
		form += "csv"
		c.Response().Header.SetContentType("text/csv; charset=utf-8")
	} else {
		form += "ndjson"
		c.Response().Header.SetContentType("application/x-ndjson")
	}
	c.Response().Header.Set("X-Gridmap-Version", strconv.FormatUint(v.snap.Version, 10))
	c.Status(http.StatusOK)
	s.serveStream(c, src, codec, initial, header, form)
	started = true
	return nil
}

// serveStream answers with the pipeline's output; the stream slot taken
// by acquireStream is released when the response is done with it.
func (s *Server) serveStream(c *fiber.Ctx, src io.Reader, codec bulk.Codec, initial, header []byte, form string) {
	conn := c.Context().Conn()
	p := s.newPipeline(src, func() { _ = conn.SetReadDeadline(time.Now()) }, codec, initial, header, form)
	c.Response().SetBodyStream(&releasingReader{Pipeline: p, done: s.streams.release}, -1)
}

// newPipeline starts a pipeline with the server's stream limits, counting
// rows in the points metric under form. unblock, when not nil, unblocks
// the request body's reads. initial holds input already read from src;
// header is written before the first row.
func (s *Server) newPipeline(src io.Reader, unblock func(), codec bulk.Codec, initial, header []byte, form string) *bulk.Pipeline {
	o := bulk.Options{
		Workers: s.cfg.StreamWorkers, ChunkBytes: s.cfg.StreamChunkBytes,
		MaxRecordBytes: s.cfg.MaxRecordBytes, MaxRows: s.cfg.MaxStreamPoints,
		Rows: s.metrics.points.WithLabelValues(form), Unblock: unblock,
	}
	return bulk.Start(o, src, codec, initial, header)
}

// fieldErrFromBulk turns a stream's bulk.FieldError into the problem
// answered for it; other errors pass through.
func fieldErrFromBulk(err error) error {
	var fe *bulk.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	status := http.StatusBadRequest
	switch fe.Fault {
	case bulk.TooLarge:
		status = http.StatusRequestEntityTooLarge
	case bulk.Unprocessable:
		status = http.StatusUnprocessableEntity
	}
	return &FieldError{Field: fe.Field, Reason: fe.Reason, Status: status}
}
