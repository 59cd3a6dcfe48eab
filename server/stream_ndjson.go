package server

import (
	"strconv"

	"github.com/gridmap/gridmap/geo/crs"
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
	v      *view
	crs    crs.CRS
	maxRec int // longest line
}

const ndjsonNullCodes = `"grid":null,"community":null,"subdistrict":null,"district":null,"error":`

// split cuts after the last line break.
func (nc *ndjsonCodec) split(buf []byte, atEOF bool) int { return splitLines(buf, atEOF) }

// process parses, locates and writes every line of c.
func (nc *ndjsonCodec) process(c *chunk) {
	c.recs, c.pts = c.recs[:0], c.pts[:0]
	for off := 0; off < len(c.in); {
		end, next, _ := lineEnd(c.in, off)
		start := off
		for start < end && isJSONSpace(c.in[start]) {
			start++
		}
		for end > start && isJSONSpace(c.in[end-1]) {
			end--
		}
		if end > start {
			nc.parseLine(c, start, end)
		}
		off = next
	}
	locateChunk(c, nc.v, nc.crs)
	nc.write(c)
}

func isJSONSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

// parseLine adds the line c.in[start:end] to c.recs.
func (nc *ndjsonCodec) parseLine(c *chunk, start, end int) {
	r := rowRec{start: int32(start), end: int32(end), pt: -1}
	if end-start > nc.maxRec {
		r.err, r.extra = "the line is longer than "+strconv.Itoa(nc.maxRec)+" bytes", -2
		c.recs = append(c.recs, r)
		return
	}
	s := jsonScanner{b: c.in[start:end]}
	var p orb.Point
	var msg string
	var err error
	switch s.b[0] {
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
		err = s.end()
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
func scanPointObject(s *jsonScanner) (p orb.Point, msg string, members int32, err error) {
	s.i++
	var lonB, latB []byte
	var lonBad, latBad bool
	if s.peek() == '}' {
		s.i++
		return p, lonMessages.missing, 0, nil
	}
	for {
		if s.peek() != '"' {
			return p, "", 1, s.fail("want a member name")
		}
		k, err := s.key()
		if err != nil {
			return p, "", 1, err
		}
		switch string(k) {
		case "lon", "lng", "longitude":
			lonB, lonBad, err = scanNumberMember(s)
		case "lat", "latitude":
			latB, latBad, err = scanNumberMember(s)
		default:
			err = s.skip(1)
		}
		if err != nil {
			return p, "", 1, err
		}
		switch s.peek() {
		case ',':
			s.i++
			continue
		case '}':
			s.i++
		default:
			return p, "", 1, s.fail("want ',' or '}'")
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
func scanNumberMember(s *jsonScanner) (text []byte, bad bool, err error) {
	if c := s.peek(); c == '-' || '0' <= c && c <= '9' {
		text, err = s.number()
		return text, false, err
	}
	return nil, true, s.skip(1)
}

// msgNotPair is the error of an array line that is not two numbers.
const msgNotPair = "want a [lon, lat] array of two numbers"

// scanPointArray scans a [lon, lat] array; pair is false if it is another
// kind of array.
func scanPointArray(s *jsonScanner) (p orb.Point, msg string, pair bool, err error) {
	s.i++
	if s.peek() == ']' {
		s.i++
		return p, msgNotPair, false, nil
	}
	var xy [2][]byte
	for k := 0; k < 2; k++ {
		if k == 1 && s.peek() == ',' {
			s.i++
		} else if k == 1 {
			return p, msgNotPair, false, s.skipRest()
		}
		t, bad, err := scanNumberMember(s)
		if err != nil {
			return p, "", false, err
		}
		if bad {
			return p, msgNotPair, false, s.skipRest()
		}
		xy[k] = t
	}
	if s.peek() != ']' {
		return p, msgNotPair, false, s.skipRest()
	}
	s.i++
	p, msg = parseRowPoint(xy[0], xy[1])
	return p, msg, true, nil
}

// skipRest skips the remaining elements of an array, positioned after an
// element, and its ']'.
func (s *jsonScanner) skipRest() error {
	for {
		switch s.peek() {
		case ']':
			s.i++
			return nil
		case ',':
			s.i++
			if err := s.skip(1); err != nil {
				return err
			}
		default:
			return s.fail("want ',' or ']'")
		}
	}
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
			c.out = appendJSONString(c.out, r.err)
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
			c.out = append(c.out, nc.v.fragments(r.grid).ndjson...)
		} else {
			c.errRows++
			c.out = append(c.out, ndjsonNullCodes...)
			c.out = appendJSONString(c.out, r.err)
			c.out = append(c.out, '}')
		}
		c.out = append(c.out, '\n')
		c.rowEnds = append(c.rowEnds, int32(len(c.out)))
	}
}

// appendPairHead appends `{"lon":x,"lat":y,` for a valid [x, y] line.
func appendPairHead(b, line []byte) []byte {
	s := jsonScanner{b: line, i: 1}
	lon, _ := s.number()
	_ = s.expect(',')
	lat, _ := s.number()
	b = append(b, `{"lon":`...)
	b = append(b, lon...)
	b = append(b, `,"lat":`...)
	b = append(b, lat...)
	return append(b, ',')
}

// errorRow appends {"error": msg}.
func (nc *ndjsonCodec) errorRow(b []byte, msg string) []byte {
	b = append(b, `{"error":`...)
	b = appendJSONString(b, msg)
	return append(b, "}\n"...)
}

// summaryRow appends the last line, {"summary": {...}}.
func (nc *ndjsonCodec) summaryRow(b []byte, n streamCounts) []byte {
	return appendNDJSONSummary(b, n)
}
