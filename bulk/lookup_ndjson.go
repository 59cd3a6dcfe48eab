package bulk

import (
	"strconv"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// An ndjsonCodec reads one JSON value per line, an object with numeric
// "lon" and "lat" members (other members are kept) or a [lon, lat] array,
// and writes one object per line: the input object's members, or lon and
// lat for an array, followed by "grid", "community", "subdistrict" and
// "district" codes. A line that fails gets null codes and an "error"
// member; a line that is not JSON, or longer than the record limit,
// becomes {"error": "..."}. Blank lines are skipped.
type ndjsonCodec struct {
	a      *Answers
	crs    crs.CRS
	maxRec int // longest line
}

const ndjsonNullCodes = NullChain + `,"error":`

// split cuts after the last line break.
func (nc *ndjsonCodec) split(buf []byte, atEOF bool) int { return wire.SplitLines(buf, atEOF) }

// process parses, locates and writes every line of c.
func (nc *ndjsonCodec) process(c *chunk) {
	c.recs, c.pts = c.recs[:0], c.pts[:0]
	for start, end := range wire.Lines(c.in) {
		nc.parseLine(c, start, end)
	}
	locateChunk(c, nc.a, nc.crs)
	nc.write(c)
}

// parseLine adds the line c.in[start:end] to c.recs.
func (nc *ndjsonCodec) parseLine(c *chunk, start, end int) {
	r := rowRec{start: int32(start), end: int32(end), pt: -1}
	if end-start > nc.maxRec {
		r.err, r.extra = "the line is longer than "+strconv.Itoa(nc.maxRec)+" bytes", -2
		c.recs = append(c.recs, r)
		return
	}
	var s wire.Scanner
	s.Reset(c.in[start:end])
	var p orb.Point
	var msg string
	var err error
	switch s.Data()[0] {
	case '{':
		p, msg, r.extra, err = scanPointObject(&s)
	case '[':
		var pair bool
		p, msg, pair, err = scanPointArray(&s)
		r.extra = -3
		if pair {
			r.extra = -1
		}
	default:
		msg = "want a JSON object or a [lon, lat] array"
		r.extra = -2
	}
	if err == nil && r.extra != -2 {
		err = s.End()
	}
	switch {
	case err != nil:
		r.err, r.extra = err.Error(), -2
	case msg != "":
		r.err = msg
	default:
		r.pt = int32(len(c.pts))
		c.pts = append(c.pts, p)
	}
	c.recs = append(c.recs, r)
}

// scanPointObject scans an object, taking its lon and lat members. members
// is 1 if the object has any member.
func scanPointObject(s *wire.Scanner) (p orb.Point, msg string, members int32, err error) {
	s.Next()
	var lonB, latB []byte
	var lonBad, latBad bool
	if s.Peek() == '}' {
		s.Next()
		return p, lonMessages.missing, 0, nil
	}
	for {
		if s.Peek() != '"' {
			return p, "", 1, s.Fail("want a member name")
		}
		k, err := s.Key()
		if err != nil {
			return p, "", 1, err
		}
		switch string(k) {
		case "lon", "lng", "longitude":
			lonB, lonBad, err = scanNumberMember(s)
		case "lat", "latitude":
			latB, latBad, err = scanNumberMember(s)
		default:
			err = s.Skip()
		}
		if err != nil {
			return p, "", 1, err
		}
		switch s.Peek() {
		case ',':
			s.Next()
			continue
		case '}':
			s.Next()
		default:
			return p, "", 1, s.Fail("want ',' or '}'")
		}
		break
	}
	switch {
	case lonBad:
		return p, "lon must be a number", 1, nil
	case latBad:
		return p, "lat must be a number", 1, nil
	}
	p, msg = parseRowPoint(lonB, latB)
	return p, msg, 1, nil
}

// scanNumberMember scans a member value; bad is true if it is not a number.
func scanNumberMember(s *wire.Scanner) (text []byte, bad bool, err error) {
	if c := s.Peek(); c == '-' || '0' <= c && c <= '9' {
		text, err = s.Number()
		return text, false, err
	}
	return nil, true, s.Skip()
}

// msgNotPair is the error of an array line that is not two numbers.
const msgNotPair = "want a [lon, lat] array of two numbers"

// scanPointArray scans a [lon, lat] array; pair is false if it is another
// kind of array.
func scanPointArray(s *wire.Scanner) (p orb.Point, msg string, pair bool, err error) {
	s.Next()
	if s.Peek() == ']' {
		s.Next()
		return p, msgNotPair, false, nil
	}
	var xy [2][]byte
	for k := 0; k < 2; k++ {
		if k == 1 && s.Peek() == ',' {
			s.Next()
		} else if k == 1 {
			return p, msgNotPair, false, s.SkipRest()
		}
		t, bad, err := scanNumberMember(s)
		if err != nil {
			return p, "", false, err
		}
		if bad {
			return p, msgNotPair, false, s.SkipRest()
		}
		xy[k] = t
	}
	if s.Peek() != ']' {
		return p, msgNotPair, false, s.SkipRest()
	}
	s.Next()
	p, msg = parseRowPoint(xy[0], xy[1])
	return p, msg, true, nil
}

// write appends each line's output object to c.out.
func (nc *ndjsonCodec) write(c *chunk) {
	for i := range c.recs {
		r := &c.recs[i]
		line := c.in[r.start:r.end]
		switch r.extra {
		case -2: // not a usable JSON line
			c.errRows++
			c.out = append(c.out, `{"error":`...)
			c.out = wire.AppendString(c.out, r.err)
			c.out = append(c.out, "}\n"...)
			c.rowEnds = append(c.rowEnds, int32(len(c.out)))
			continue
		case -1: // [lon, lat]
			c.out = appendPairHead(c.out, line)
		case -3: // another array
			c.out = append(c.out, `{"point":`...)
			c.out = append(c.out, line...)
			c.out = append(c.out, ',')
		default:
			c.out = append(c.out, line[:len(line)-1]...)
			if r.extra > 0 {
				c.out = append(c.out, ',')
			}
		}
		if r.err == "" {
			c.out = append(c.out, r.place.NDJSON...)
		} else {
			c.errRows++
			c.out = append(c.out, ndjsonNullCodes...)
			c.out = wire.AppendString(c.out, r.err)
			c.out = append(c.out, '}')
		}
		c.out = append(c.out, '\n')
		c.rowEnds = append(c.rowEnds, int32(len(c.out)))
	}
}

// appendPairHead appends `{"lon":x,"lat":y,` for a valid [x, y] line.
func appendPairHead(b, line []byte) []byte {
	var s wire.Scanner
	s.Reset(line)
	_ = s.Expect('[')
	lon, _ := s.Number()
	_ = s.Expect(',')
	lat, _ := s.Number()
	b = append(b, `{"lon":`...)
	b = append(b, lon...)
	b = append(b, `,"lat":`...)
	b = append(b, lat...)
	return append(b, ',')
}

// errorRow appends {"error": msg}.
func (nc *ndjsonCodec) errorRow(b []byte, msg string) []byte {
	b = append(b, `{"error":`...)
	b = wire.AppendString(b, msg)
	return append(b, "}\n"...)
}

// summaryRow appends the last line, {"summary": {...}}.
func (nc *ndjsonCodec) summaryRow(b []byte, n counts) []byte {
	return appendNDJSONSummary(b, n)
}
