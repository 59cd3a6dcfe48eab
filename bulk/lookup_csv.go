package bulk

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// csvOutColumns are the columns a CSV stream appends to each input row.
const csvOutColumns = "grid,community,subdistrict,district,error"

// A csvCodec reads CSV records with lon and lat columns and writes each
// record back with the grid, community, subdistrict and district codes and
// an error column appended.
//
// Records follow RFC 4180: fields may be quoted, quoted fields may hold
// commas, doubled quotes and line breaks. Blank lines are skipped. Output
// lines end in "\n". A record with a different number of fields than the
// header is padded or cut to the header's width and marked with an error;
// a record longer than the record limit is replaced by empty fields and
// an error.
type csvCodec struct {
	a         *Answers
	crs       crs.CRS
	fields    int // columns in the header
	lon, lat  int // column indexes
	maxRec    int // longest record
	outHeader []byte
}

// readCSVHeaderRecord reads the first non-blank record from src, at most
// maxRec bytes long, and returns it and the input read past it.
func readCSVHeaderRecord(src io.Reader, maxRec int) (header, rest []byte, err error) {
	buf := make([]byte, 0, 4096)
	for {
		for {
			end, next, done := wire.RecordEnd(buf, 0)
			if !done {
				break
			}
			if len(bytes.TrimSpace(buf[:end])) == 0 {
				buf = buf[next:]
				continue
			}
			return buf[:end], buf[next:], nil
		}
		if len(buf) > maxRec {
			return nil, nil, &FieldError{Field: "body", Reason: "the CSV header is longer than " + strconv.Itoa(maxRec) + " bytes", Fault: TooLarge}
		}
		if len(buf) == cap(buf) {
			buf = growCap(buf, 2*cap(buf)+4096)
		}
		n, err := src.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			if _, _, done := wire.RecordEnd(buf, 0); done {
				continue
			}
			if len(bytes.TrimSpace(buf)) == 0 {
				return nil, nil, &FieldError{Field: "body", Reason: "is empty; want a CSV header row", Fault: Malformed}
			}
			return buf, nil, nil
		}
		if err != nil {
			return nil, nil, &FieldError{Field: "body", Reason: "reading: " + err.Error(), Fault: Malformed}
		}
	}
}

// newCSVCodec parses a header record.
func newCSVCodec(header []byte, a *Answers, cr crs.CRS, maxRec int) (*csvCodec, error) {
	header = bytes.TrimPrefix(header, []byte("\xef\xbb\xbf"))
	header = bytes.TrimSuffix(header, []byte{'\r'})
	cc := &csvCodec{a: a, crs: cr, lon: -1, lat: -1, maxRec: maxRec}
	var spans []wire.FieldSpan
	spans, _ = wire.SplitCSVFields(header, spans)
	cc.fields = len(spans)
	for i, sp := range spans {
		name := strings.ToLower(strings.TrimSpace(string(sp.Value(header))))
		switch name {
		case "lon", "lng", "longitude", "x":
			if cc.lon < 0 {
				cc.lon = i
			}
		case "lat", "latitude", "y":
			if cc.lat < 0 {
				cc.lat = i
			}
		}
	}
	if cc.lon < 0 {
		return nil, &FieldError{Field: "lon", Reason: "the CSV header has no lon column (lon, lng, longitude or x)", Fault: Unprocessable}
	}
	if cc.lat < 0 {
		return nil, &FieldError{Field: "lat", Reason: "the CSV header has no lat column (lat, latitude or y)", Fault: Unprocessable}
	}
	cc.outHeader = append(append(append([]byte(nil), header...), ','), csvOutColumns+"\n"...)
	return cc, nil
}

// split cuts after the last complete record.
func (cc *csvCodec) split(buf []byte, atEOF bool) int {
	return wire.SplitCSVRecords(buf, atEOF, cc.maxRec)
}

// process parses, locates and writes every record of c.
func (cc *csvCodec) process(c *chunk) {
	c.recs, c.pts = c.recs[:0], c.pts[:0]
	quoted := bytes.IndexByte(c.in, '"') >= 0
	var spans []wire.FieldSpan
	for r := range wire.Records(c.in) {
		spans = cc.parseRecord(c, r.Start, r.End, quoted, r.Unterminated, spans)
	}
	locateChunk(c, cc.a, cc.crs)
	cc.write(c)
}

// parseRecord adds the record c.in[start:end] to c.recs.
func (cc *csvCodec) parseRecord(c *chunk, start, end int, quoted, unterminated bool, spans []wire.FieldSpan) []wire.FieldSpan {
	rec := c.in[start:end]
	r := rowRec{start: int32(start), end: int32(end), pt: -1}
	if len(rec) > cc.maxRec {
		r.end, r.extra, r.err = r.start, int32(cc.fields-1), "the record is longer than "+strconv.Itoa(cc.maxRec)+" bytes"
		c.recs = append(c.recs, r)
		return spans
	}
	var lonB, latB []byte
	n := 0
	if !quoted {
		n, lonB, latB = cc.plainFields(rec)
	} else {
		var ok bool
		spans, ok = wire.SplitCSVFields(rec, spans[:0])
		n = len(spans)
		if !ok || unterminated {
			r.err = "unterminated quoted field"
		}
		if cc.lon < n {
			lonB = spans[cc.lon].Value(rec)
		}
		if cc.lat < n {
			latB = spans[cc.lat].Value(rec)
		}
		if n > cc.fields {
			r.end = int32(start) + spans[cc.fields-1].End
		}
		if wire.AnyDirty(spans) {
			r.fixed, r.start = true, int32(len(c.fix))
			c.fix = wire.AppendCanonicalCSV(c.fix, rec, spans, cc.fields)
			r.end = int32(len(c.fix))
		}
	}
	if n < cc.fields {
		r.extra = int32(cc.fields - n)
	}
	if r.err == "" && n != cc.fields {
		r.err = "the row has " + strconv.Itoa(n) + " fields, the header " + strconv.Itoa(cc.fields)
	}
	if n > cc.fields && !quoted {
		r.end = int32(start + nthComma(rec, cc.fields))
	}
	if r.err == "" {
		p, msg := parseRowPoint(lonB, latB)
		if msg != "" {
			r.err = msg
		} else {
			r.pt = int32(len(c.pts))
			c.pts = append(c.pts, p)
		}
	}
	c.recs = append(c.recs, r)
	return spans
}

// plainFields counts the fields of an unquoted record and returns the lon
// and lat fields.
func (cc *csvCodec) plainFields(rec []byte) (n int, lon, lat []byte) {
	start := 0
	for {
		j := bytes.IndexByte(rec[start:], ',')
		end := len(rec)
		if j >= 0 {
			end = start + j
		}
		switch n {
		case cc.lon:
			lon = rec[start:end]
		case cc.lat:
			lat = rec[start:end]
		}
		n++
		if j < 0 {
			return n, lon, lat
		}
		start = end + 1
	}
}

// nthComma returns the offset of the n-th comma (1-based) in rec.
func nthComma(rec []byte, n int) int {
	for i, c := range rec {
		if c == ',' {
			n--
			if n == 0 {
				return i
			}
		}
	}
	return len(rec)
}

// parseRowPoint parses a row's lon and lat text; msg says what is wrong.
func parseRowPoint(lonB, latB []byte) (orb.Point, string) {
	lon, msg := parseRowCoord(bytes.TrimSpace(lonB), 180, &lonMessages)
	if msg != "" {
		return orb.Point{}, msg
	}
	lat, msg := parseRowCoord(bytes.TrimSpace(latB), 90, &latMessages)
	if msg != "" {
		return orb.Point{}, msg
	}
	return orb.Point{lon, lat}, ""
}

// coordMessages are the fixed row error messages for one coordinate, so a
// bad row costs no allocation.
type coordMessages struct{ missing, notNumber, notFinite, outOfRange string }

var (
	lonMessages = coordMessages{"lon is missing", "lon is not a number", "lon must be finite", "lon is outside -180..180"}
	latMessages = coordMessages{"lat is missing", "lat is not a number", "lat must be finite", "lat is outside -90..90"}
)

func parseRowCoord(b []byte, limit float64, m *coordMessages) (float64, string) {
	if len(b) == 0 {
		return 0, m.missing
	}
	x, err := strconv.ParseFloat(string(b), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, m.notNumber
	}
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, m.notFinite
	}
	if x < -limit || x > limit {
		return 0, m.outOfRange
	}
	return x, ""
}

// write appends each record's output row to c.out.
func (cc *csvCodec) write(c *chunk) {
	for i := range c.recs {
		r := &c.recs[i]
		c.out = append(c.out, c.echo(r.start, r.end, r.fixed)...)
		for k := int32(0); k < r.extra; k++ {
			c.out = append(c.out, ',')
		}
		if r.err == "" {
			c.out = append(c.out, r.place.CSV...)
		} else {
			c.errRows++
			c.out = append(c.out, ",,,,,"...)
			c.out = wire.AppendCSVField(c.out, r.err)
		}
		c.out = append(c.out, '\n')
		c.rowEnds = append(c.rowEnds, int32(len(c.out)))
	}
}

// errorRow appends a row with empty fields and msg in the error column.
func (cc *csvCodec) errorRow(b []byte, msg string) []byte {
	for k := 0; k < cc.fields-1; k++ {
		b = append(b, ',')
	}
	b = append(b, ",,,,,"...)
	b = wire.AppendCSVField(b, msg)
	return append(b, '\n')
}

// summaryRow appends the last row: empty fields and the counts in the
// error column.
func (cc *csvCodec) summaryRow(b []byte, n counts) []byte {
	return cc.errorRow(b, n.summaryText())
}
