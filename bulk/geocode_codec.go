package bulk

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/wire"
)

// A geocodeCSV reads CSV records with an address column and writes each
// record back with the GeocodeColumns appended.
//
// Records follow RFC 4180 as in the lookup stream: quoted fields may hold
// commas, doubled quotes and line breaks; blank lines are skipped; output
// lines end in "\n". A record with a different number of fields than the
// header is padded or cut to the header's width and answered with an
// error; so is a record longer than the record limit, replaced by empty
// fields.
type geocodeCSV struct {
	g         *geocoder
	fields    int // columns in the header
	col       int // the address column
	outHeader []byte
}

// newGeocodeCSV parses the header record. column names the address column;
// "" accepts address, addr or 地址.
func newGeocodeCSV(header []byte, g *geocoder, column string) (*geocodeCSV, error) {
	header = bytes.TrimPrefix(header, []byte("\xef\xbb\xbf"))
	header = bytes.TrimSuffix(header, []byte{'\r'})
	spans, _ := wire.SplitCSVFields(header, nil)
	names, field, missing := addressColumns, "address", "no address column (address, addr or 地址; or name one with column)"
	if column != "" {
		names, field, missing = []string{column}, "column", "no column "+strconv.Quote(column)
	}
	col := columnIndex(header, spans, names)
	if col < 0 {
		return nil, &FieldError{Field: field, Reason: "the CSV header has " + missing, Fault: Unprocessable}
	}
	out := append(append([]byte(nil), header...), ',')
	out = append(out, geocodeCSVColumns...)
	out = append(out, '\n')
	return &geocodeCSV{g: g, fields: len(spans), col: col, outHeader: out}, nil
}

// split cuts after the last complete record.
func (cc *geocodeCSV) split(buf []byte, atEOF bool) int {
	return wire.SplitCSVRecords(buf, atEOF, cc.g.maxRec)
}

// process parses, geocodes and writes every record of c.
func (cc *geocodeCSV) process(c *chunk) {
	var rows []geoRow
	var spans []wire.FieldSpan
	for rec := range wire.Records(c.in) {
		var r geoRow
		r, spans = cc.parseRecord(c, rec.Start, rec.End, rec.Unterminated, spans)
		rows = append(rows, r)
	}
	cc.g.answer(rows)
	for i := range rows {
		r := &rows[i]
		if r.err != "" {
			c.errRows++
		}
		c.out = append(c.out, c.echo(r.start, r.end, r.fixed)...)
		for k := int32(0); k < r.extra; k++ {
			c.out = append(c.out, ',')
		}
		c.out = cc.g.appendCSVAnswer(c.out, r)
		c.rowEnds = append(c.rowEnds, int32(len(c.out)))
	}
}

// parseRecord reads the record c.in[start:end].
func (cc *geocodeCSV) parseRecord(c *chunk, start, end int, unterminated bool, spans []wire.FieldSpan) (geoRow, []wire.FieldSpan) {
	rec := c.in[start:end]
	r := geoRow{start: int32(start), end: int32(end)}
	if len(rec) > cc.g.maxRec {
		r.end, r.extra = r.start, int32(cc.fields-1)
		r.err = "the record is longer than " + strconv.Itoa(cc.g.maxRec) + " bytes"
		return r, spans
	}
	spans, ok := wire.SplitCSVFields(rec, spans[:0])
	n := len(spans)
	if n > cc.fields {
		r.end = int32(start) + spans[cc.fields-1].End
	} else {
		r.extra = int32(cc.fields - n)
	}
	if wire.AnyDirty(spans) {
		r.fixed, r.start = true, int32(len(c.fix))
		c.fix = wire.AppendCanonicalCSV(c.fix, rec, spans, cc.fields)
		r.end = int32(len(c.fix))
	}
	switch {
	case !ok || unterminated:
		r.err = "unterminated quoted field"
	case n != cc.fields:
		r.err = "the row has " + strconv.Itoa(n) + " fields, the header " + strconv.Itoa(cc.fields)
	default:
		r.addr = string(spans[cc.col].Text(rec))
	}
	return r, spans
}

// errorRow appends a row with empty fields and msg in the error column.
func (cc *geocodeCSV) errorRow(b []byte, msg string) []byte {
	for k := 0; k < cc.fields-1; k++ {
		b = append(b, ',')
	}
	return cc.g.appendCSVAnswer(b, &geoRow{err: msg})
}

// The shapes of an NDJSON geocode line, in geoRow.extra.
const (
	ndjsonEmptyObject = iota // {}
	ndjsonObject             // an object with members
	ndjsonString             // a bare JSON string: the address
	ndjsonBad                // not a JSON object or string
)

// A geocodeNDJSON reads one JSON value per line: an object whose address
// member (named by names) is a string, other members kept, or a bare
// string. It writes one object per line: the input's members, or the
// address for a string, followed by GeocodeColumns as members (error only
// when the line failed). A line that is not a JSON object or string, or is
// longer than the record limit, becomes {"error": "..."}. Blank lines are
// skipped.
type geocodeNDJSON struct {
	g     *geocoder
	names []string
}

// split cuts after the last line break.
func (nc *geocodeNDJSON) split(buf []byte, atEOF bool) int { return wire.SplitLines(buf, atEOF) }

// process parses, geocodes and writes every line of c.
func (nc *geocodeNDJSON) process(c *chunk) {
	var rows []geoRow
	for start, end := range wire.Lines(c.in) {
		rows = append(rows, nc.parseLine(c.in, start, end))
	}
	nc.g.answer(rows)
	for i := range rows {
		if rows[i].err != "" {
			c.errRows++
		}
		c.out = nc.write(c.out, c.in, &rows[i])
		c.rowEnds = append(c.rowEnds, int32(len(c.out)))
	}
}

// parseLine reads the line in[start:end].
func (nc *geocodeNDJSON) parseLine(in []byte, start, end int) geoRow {
	r := geoRow{start: int32(start), end: int32(end), extra: ndjsonBad}
	if end-start > nc.g.maxRec {
		r.err = "the line is longer than " + strconv.Itoa(nc.g.maxRec) + " bytes"
		return r
	}
	var s wire.Scanner
	s.Reset(in[start:end])
	var err error
	switch s.Data()[0] {
	case '{':
		r.extra = ndjsonEmptyObject
		err = nc.scanObject(&s, &r)
	case '"':
		r.extra = ndjsonString
		r.addr, err = s.Text()
	default:
		r.err = "want a JSON object with an address member, or a JSON string"
		return r
	}
	if err == nil {
		err = s.End()
	}
	if err != nil {
		r.extra, r.err = ndjsonBad, err.Error()
	}
	return r
}

// scanObject scans an object line, taking its address member.
func (nc *geocodeNDJSON) scanObject(s *wire.Scanner, r *geoRow) error {
	s.Next()
	found := false
	err := s.Members(func(key []byte) error {
		r.extra = ndjsonObject
		if found || !nc.isAddress(key) {
			return s.Skip()
		}
		found = true
		if s.Peek() != '"' {
			r.err = string(key) + " must be a string, not " + s.KindAt()
			return s.Skip()
		}
		var err error
		r.addr, err = s.Text()
		return err
	})
	if err == nil && !found {
		r.err = "the line has no " + strings.Join(nc.names, ", ") + " member"
	}
	return err
}

// isAddress reports whether key names the address member.
func (nc *geocodeNDJSON) isAddress(key []byte) bool {
	for _, n := range nc.names {
		if string(key) == n {
			return true
		}
	}
	return false
}

// write appends the output line of r.
func (nc *geocodeNDJSON) write(b, in []byte, r *geoRow) []byte {
	line := in[r.start:r.end]
	switch r.extra {
	case ndjsonBad:
		return nc.errorRow(b, r.err)
	case ndjsonString:
		b = append(b, '{')
		b = wire.AppendString(b, nc.names[0])
		b = append(b, ':')
		b = append(b, line...)
		b = append(b, ',')
	case ndjsonObject:
		b = append(b, line[:len(line)-1]...)
		b = append(b, ',')
	default:
		b = append(b, '{')
	}
	return nc.g.appendNDJSONAnswer(b, r)
}

// errorRow appends {"error": msg}.
func (nc *geocodeNDJSON) errorRow(b []byte, msg string) []byte {
	b = append(b, `{"error":`...)
	b = wire.AppendString(b, msg)
	return append(b, "}\n"...)
}

// summaryRow appends the last row: empty fields and the counts in the
// error column.
func (cc *geocodeCSV) summaryRow(b []byte, n counts) []byte {
	return cc.errorRow(b, n.summaryText())
}

// summaryRow appends the last line, {"summary": {...}}.
func (nc *geocodeNDJSON) summaryRow(b []byte, n counts) []byte {
	return appendNDJSONSummary(b, n)
}
