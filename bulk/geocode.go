package bulk

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

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
	a      *Answers
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

// HasPoint reports whether m carries a point: a building or a grid answer.
func HasPoint(m *address.Match) bool { return m.Building != nil || m.Grid != 0 }

// appendCSVAnswer appends the answer columns of r, from the comma before
// building to the line break.
func (g *geocoder) appendCSVAnswer(b []byte, r *geoRow) []byte {
	m := r.best
	if m == nil {
		b = append(b, ",,,,,,,,,,,"...)
		b = wire.AppendCSVField(b, r.err)
		return append(b, '\n')
	}
	b = append(b, ',')
	if m.Building != nil {
		b = strconv.AppendUint(b, uint64(m.Building.ID), 10)
	}
	if f := g.a.ByCode(m.Grid); f != nil {
		b = append(b, f.CSV...)
	} else {
		b = append(b, ",,,,,"...)
	}
	if HasPoint(m) {
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
		b = wire.AppendCSVField(b, address.StandardAddress(m.Building))
	}
	b = append(b, ',')
	b = wire.AppendCSVField(b, m.Reason)
	return append(b, ",\n"...)
}

// appendNDJSONAnswer appends the answer members of r and the closing brace
// and line break.
func (g *geocoder) appendNDJSONAnswer(b []byte, r *geoRow) []byte {
	m := r.best
	if m == nil {
		b = append(b, `"building":null,`...)
		b = append(b, NullChain...)
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
	if f := g.a.ByCode(m.Grid); f != nil {
		b = append(b, f.NDJSON[:len(f.NDJSON)-1]...)
	} else {
		b = append(b, NullChain...)
	}
	if HasPoint(m) {
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

// GeocodeCodec returns the codec of an address-geocoding stream of format
// f, answered from a and idx with points in cr. column names the CSV
// column or NDJSON member of the address ("": address, addr or 地址). For
// CSV it reads the header record from src: it returns the input read past
// the header, and the output header. maxRec bounds a record
// (DefaultMaxRecordBytes when <= 0). Errors are *FieldError, or src's.
func GeocodeCodec(f Format, src io.Reader, a *Answers, idx *address.Index, cr crs.CRS, column string, maxRec int) (c Codec, initial, header []byte, err error) {
	g := &geocoder{a: a, idx: idx, crs: cr, maxRec: positive(maxRec, DefaultMaxRecordBytes)}
	if len(column) > maxColumnName {
		return nil, nil, nil, &FieldError{Field: "column", Reason: "is longer than " + strconv.Itoa(maxColumnName) + " bytes", Fault: Malformed}
	}
	if f == NDJSON {
		names := addressColumns
		if column != "" {
			names = []string{column}
		}
		return &geocodeNDJSON{g: g, names: names}, nil, nil, nil
	}
	h, rest, err := readCSVHeaderRecord(src, g.maxRec)
	if err != nil {
		return nil, nil, nil, err
	}
	cc, err := newGeocodeCSV(h, g, column)
	if err != nil {
		return nil, nil, nil, err
	}
	return cc, rest, cc.outHeader, nil
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
	f := CSV
	switch o.Format {
	case "", "csv":
	case "ndjson", "jsonl":
		f = NDJSON
	default:
		return 0, fmt.Errorf("geocoding a stream: format %q: want csv or ndjson", o.Format)
	}
	if idx == nil {
		idx = address.NewIndex(snap)
	}
	src := ctxReader{ctx: ctx, r: in}
	codec, initial, header, err := GeocodeCodec(f, src, NewAnswers(nil, snap), idx, o.CRS, o.Column, o.MaxRecordBytes)
	if err != nil {
		return 0, streamErr(ctx, err)
	}
	p := Start(Options{Workers: o.Workers, ChunkBytes: o.ChunkBytes,
		MaxRecordBytes: o.MaxRecordBytes, MaxRows: math.MaxInt32}, src, codec, initial, header)
	_, err = io.Copy(out, p)
	p.Close()
	if err != nil {
		return p.Rows(), streamErr(ctx, err)
	}
	return p.Rows(), nil
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
func columnIndex(header []byte, spans []wire.FieldSpan, names []string) int {
	for _, name := range names {
		for i, sp := range spans {
			if strings.EqualFold(string(bytes.TrimSpace(sp.Text(header))), name) {
				return i
			}
		}
	}
	return -1
}
