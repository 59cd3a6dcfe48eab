package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
)

// geocodeCSVColumns are the columns a geocode CSV stream appends.
const geocodeCSVColumns = "building,grid,community,subdistrict,district,lon,lat,confidence,standard_address,reason,error"

// GeocodeColumns returns the columns a geocode CSV stream appends to each
// input row, in order. An NDJSON stream adds members of the same names.
func GeocodeColumns() []string { return strings.Split(geocodeCSVColumns, ",") }

// addressColumns are the CSV column and NDJSON member names taken as the
// address when no column is named.
var addressColumns = []string{"address", "addr", "地址"}

// maxColumnName bounds the ?column= parameter.
const maxColumnName = 256

// A geocoder answers the rows of a geocode stream. Its codecs are shared by
// the stream's workers and never modified.
type geocoder struct {
	v      *view
	idx    *address.Index
	crs    crs.CRS
	maxRec int
}

// A geoRow is one input record of a geocode stream while it is processed.
type geoRow struct {
	start, end int32 // the echoed bytes in chunk.in, or chunk.fix if fixed
	fixed      bool
	// extra is, for CSV, the empty fields to pad; for NDJSON, the row's
	// shape: one of the ndjson* constants.
	extra int32
	addr  string
	err   string
	best  *address.Match
}

// answer geocodes every row that has no error yet.
func (g *geocoder) answer(rows []geoRow) {
	for i := range rows {
		r := &rows[i]
		if r.err != "" {
			continue
		}
		if err := address.CheckInput(r.addr); err != nil {
			r.err = err.Error()
			continue
		}
		res, err := g.idx.Geocode(r.addr)
		if err != nil {
			r.err = err.Error()
			continue
		}
		r.best = res.Best
	}
}

// hasPoint reports whether m carries a point: a building or a grid answer.
func hasPoint(m *address.Match) bool { return m.Building != nil || m.Grid != 0 }

// appendCSVAnswer appends the answer columns of r, from the comma before
// building to the line break.
func (g *geocoder) appendCSVAnswer(b []byte, r *geoRow) []byte {
	m := r.best
	if m == nil {
		b = append(b, ",,,,,,,,,,,"...)
		b = appendCSVField(b, r.err)
		return append(b, '\n')
	}
	b = append(b, ',')
	if m.Building != nil {
		b = strconv.AppendUint(b, uint64(m.Building.ID), 10)
	}
	if f := g.v.codeFragments(m.Grid); f != nil {
		b = append(b, f.csv...)
	} else {
		b = append(b, ",,,,,"...)
	}
	if hasPoint(m) {
		p := crs.FromWGS84(g.crs, m.Point)
		b = wire.Lattice.AppendCoord(b, p[0])
		b = append(b, ',')
		b = wire.Lattice.AppendCoord(b, p[1])
	} else {
		b = append(b, ',')
	}
	b = append(b, ',')
	b = strconv.AppendFloat(b, m.Confidence, 'f', -1, 64)
	b = append(b, ',')
	if m.Building != nil {
		b = appendCSVField(b, address.StandardAddress(m.Building))
	}
	b = append(b, ',')
	b = appendCSVField(b, m.Reason)
	return append(b, ",\n"...)
}

// appendNDJSONAnswer appends the answer members of r and the closing brace
// and line break.
func (g *geocoder) appendNDJSONAnswer(b []byte, r *geoRow) []byte {
	m := r.best
	if m == nil {
		b = append(b, `"building":null,`...)
		b = append(b, nullChain...)
		b = append(b, `,"error":`...)
		b = wire.AppendString(b, r.err)
		return append(b, "}\n"...)
	}
	b = append(b, `"building":`...)
	if m.Building != nil {
		b = strconv.AppendUint(b, uint64(m.Building.ID), 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, ',')
	if f := g.v.codeFragments(m.Grid); f != nil {
		b = append(b, f.ndjson[:len(f.ndjson)-1]...)
	} else {
		b = append(b, nullChain...)
	}
	if hasPoint(m) {
		p := crs.FromWGS84(g.crs, m.Point)
		b = append(b, `,"lon":`...)
		b = wire.Lattice.AppendCoord(b, p[0])
		b = append(b, `,"lat":`...)
		b = wire.Lattice.AppendCoord(b, p[1])
	} else {
		b = append(b, `,"lon":null,"lat":null`...)
	}
	b = append(b, `,"confidence":`...)
	b = strconv.AppendFloat(b, m.Confidence, 'f', -1, 64)
	b = append(b, `,"standard_address":`...)
	if m.Building != nil {
		b = wire.AppendString(b, address.StandardAddress(m.Building))
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"reason":`...)
	b = wire.AppendString(b, m.Reason)
	return append(b, "}\n"...)
}

// newGeocodeCodec builds the codec of format f, reading the CSV header from
// src. It returns the input read past the header and the output header.
func newGeocodeCodec(src io.Reader, g *geocoder, f streamFormat, column string) (rowCodec, []byte, []byte, error) {
	if len(column) > maxColumnName {
		return nil, nil, nil, fieldErr(http.StatusBadRequest, "column", "is longer than %d bytes", maxColumnName)
	}
	if f == formatNDJSON {
		names := addressColumns
		if column != "" {
			names = []string{column}
		}
		return &geocodeNDJSON{g: g, names: names}, nil, nil, nil
	}
	header, rest, err := readCSVHeaderRecord(src, g.maxRec)
	if err != nil {
		return nil, nil, nil, err
	}
	cc, err := newGeocodeCSV(header, g, column)
	if err != nil {
		return nil, nil, nil, err
	}
	return cc, rest, cc.outHeader, nil
}

// handleGeocodeStream answers POST /v1/geocode with a CSV or NDJSON body,
// streaming one output row per input row in input order.
func (s *Server) handleGeocodeStream(c *fiber.Ctx, v *view, f streamFormat) error {
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
	args := c.Context().QueryArgs()
	cr, err := parseCRS("crs", args.Peek("crs"))
	if err != nil {
		return err
	}
	column := string(args.Peek("column"))
	if c.Request().Header.ContentLength() == 0 {
		return &FieldError{Field: "body", Reason: "is empty"}
	}
	src := c.Context().RequestBodyStream()
	if src == nil {
		return &FieldError{Field: "body", Reason: "is empty"}
	}
	g := &geocoder{v: v, idx: v.addresses(), crs: cr, maxRec: s.cfg.MaxRecordBytes}
	codec, initial, header, err := newGeocodeCodec(src, g, f, column)
	if err != nil {
		return err
	}
	form := "geocode_ndjson"
	if f == formatCSV {
		form = "geocode_csv"
		c.Response().Header.SetContentType("text/csv; charset=utf-8")
	} else {
		c.Response().Header.SetContentType("application/x-ndjson")
	}
	c.Response().Header.Set("X-Gridmap-Version", strconv.FormatUint(v.snap.Version, 10))
	c.Status(http.StatusOK)
	s.serveStream(c, src, codec, initial, header, form)
	started = true
	return nil
}

// GeocodeOptions configure GeocodeStream. Zero fields take the defaults.
type GeocodeOptions struct {
	// Format is "csv" (a header row, then one row per address) or "ndjson"
	// (one JSON object, or string, per line). Default "csv".
	Format string
	// Column names the CSV column or NDJSON member that holds the address.
	// Default: address, addr or 地址.
	Column string
	// CRS is the coordinate system of the lon and lat written. Default
	// WGS-84.
	CRS crs.CRS
	// Workers is how many goroutines geocode. Default GOMAXPROCS.
	Workers int
	// ChunkBytes is how much input a worker takes at a time. Default 256 KiB.
	ChunkBytes int
	// MaxRecordBytes is the longest CSV record or NDJSON line. Default 1 MiB.
	MaxRecordBytes int
}

// GeocodeStream geocodes every row of in, without a server, and writes to
// out what POST /v1/geocode streams for the same body: each input row with
// GeocodeColumns appended (CSV) or added as members (NDJSON), in input
// order. Memory stays bounded whatever the input's size, and the rows are
// geocoded in parallel. idx may be nil, to build snap's index. It returns
// the rows written; a bad row never stops the stream, but a header without
// an address column, a read or write error or the end of ctx does.
func GeocodeStream(ctx context.Context, snap *geo.Snapshot, idx *address.Index, in io.Reader, out io.Writer, o GeocodeOptions) (int, error) {
	f := formatCSV
	switch o.Format {
	case "", "csv":
	case "ndjson", "jsonl":
		f = formatNDJSON
	default:
		return 0, fmt.Errorf("geocoding a stream: format %q: want csv or ndjson", o.Format)
	}
	d := DefaultConfig()
	setInt(&o.ChunkBytes, d.StreamChunkBytes)
	setInt(&o.MaxRecordBytes, d.MaxRecordBytes)
	if idx == nil {
		idx = address.NewIndex(snap)
	}
	src := ctxReader{ctx: ctx, r: in}
	g := &geocoder{v: newView(snap), idx: idx, crs: o.CRS, maxRec: o.MaxRecordBytes}
	codec, initial, header, err := newGeocodeCodec(src, g, f, o.Column)
	if err != nil {
		return 0, streamErr(ctx, err)
	}
	p := startPipeline(pipelineOptions{workers: o.Workers, chunkBytes: o.ChunkBytes,
		maxRecord: o.MaxRecordBytes, maxRows: math.MaxInt32}, src, nil, codec, initial, header)
	_, err = io.Copy(out, p)
	p.Close()
	if err != nil {
		return p.rowsSeen, streamErr(ctx, err)
	}
	return p.rowsSeen, nil
}

// streamErr wraps a failure of GeocodeStream, as ctx's error if ctx ended.
func streamErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		err = cerr
	}
	return fmt.Errorf("geocoding a stream: %w", err)
}

// A ctxReader fails its reads once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the underlying reader unless the context is done.
func (c ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(b)
}

// columnIndex returns the index of the header field named like one of
// names (case and surrounding spaces ignored), or -1.
func columnIndex(header []byte, spans []fieldSpan, names []string) int {
	for _, name := range names {
		for i, sp := range spans {
			if strings.EqualFold(string(bytes.TrimSpace(sp.text(header))), name) {
				return i
			}
		}
	}
	return -1
}
