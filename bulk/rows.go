package bulk

import (
	"strconv"

	"github.com/gridmap/gridmap/geo/wire"
)

// counts are what the last row of every stream states: the records read,
// the rows written for them (fewer only when the row limit cut the
// stream) and, of the rows read, those answered with an error.
type counts struct{ in, out, errors int }

// summaryText is the CSV streams' last row's error column.
func (n counts) summaryText() string {
	return "#summary rows_in=" + strconv.Itoa(n.in) + " rows_out=" + strconv.Itoa(n.out) +
		" rows_error=" + strconv.Itoa(n.errors)
}

// appendNDJSONSummary appends the NDJSON streams' last line.
func appendNDJSONSummary(b []byte, n counts) []byte {
	b = append(b, `{"summary":{"rows_in":`...)
	b = strconv.AppendInt(b, int64(n.in), 10)
	b = append(b, `,"rows_out":`...)
	b = strconv.AppendInt(b, int64(n.out), 10)
	b = append(b, `,"rows_error":`...)
	b = strconv.AppendInt(b, int64(n.errors), 10)
	return append(b, "}}\n"...)
}

var utf8BOM = []byte(wire.BOM)

// skipRecord answers a record longer than the record limit, with no line
// end in c.in, with one error row, and discards the input up to its line
// end; c.in is left holding the input after it. It returns false when the
// stream was stopped or the input failed (the failure is queued).
func (p *Pipeline) skipRecord(c *chunk) bool {
	sk := getChunk(0)
	sk.skipped = "the record is longer than " + strconv.Itoa(p.maxRec) + " bytes"
	if !p.send(sk) {
		p.drain()
		return false
	}
	for {
		if _, next, ok := wire.LineEnd(c.in, 0); ok {
			c.in = c.in[:copy(c.in, c.in[next:])]
			return true
		}
		keep := 0
		if n := len(c.in); n > 0 && c.in[n-1] == '\r' {
			c.in[0], keep = '\r', 1
		}
		c.in = c.in[:keep]
		atEOF, err := p.fill(c)
		if err != nil {
			c.readErr = err
			p.send(c)
			return false
		}
		if atEOF {
			if _, next, _ := wire.LineEnd(c.in, 0); next < len(c.in) {
				c.in = c.in[:copy(c.in, c.in[next:])]
			} else {
				c.in = c.in[:0]
			}
			return true
		}
	}
}
