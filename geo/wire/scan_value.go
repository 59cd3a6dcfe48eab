package wire

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Escaped reports whether the last string Str read had escapes, so that
// its bytes are scratch space the next escaped string overwrites.
func (s *Scanner) Escaped() bool { return s.escaped }

// Str consumes a string and returns its decoded bytes: a sub-slice of the
// text when it has no escapes, else scratch space that the next escaped
// string overwrites (Escaped reports which). A lone surrogate escape
// decodes to U+FFFD.
func (s *Scanner) Str() ([]byte, error) {
	if s.Peek() != '"' {
		return nil, s.unexpected("'\"'")
	}
	s.pos++
	s.escaped = false
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			raw := s.data[start:s.pos]
			s.pos++
			return raw, s.checkUTF8(raw, start)
		case c == '\\':
			return s.escapedStr(start)
		case c < 0x20:
			return nil, s.Fail("control character in string")
		}
		s.pos++
	}
	return nil, s.Fail("unterminated string")
}

// checkUTF8 refuses text that is not UTF-8, if the scanner asks for it.
func (s *Scanner) checkUTF8(text []byte, start int) error {
	if s.UTF8 && !utf8.Valid(text) {
		return &SyntaxError{Offset: start, Msg: "string is not valid UTF-8"}
	}
	return nil
}

// escapedStr decodes the rest of a string from its first backslash.
func (s *Scanner) escapedStr(start int) ([]byte, error) {
	s.escaped = true
	out := append(s.scratch[:0], s.data[start:s.pos]...)
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		switch {
		case c == '"':
			s.pos++
			s.scratch = out
			return out, s.checkUTF8(out, start)
		case c < 0x20:
			return nil, s.Fail("control character in string")
		case c != '\\':
			out = append(out, c)
			s.pos++
			continue
		}
		var err error
		if out, err = s.escape(out); err != nil {
			return nil, err
		}
	}
	return nil, s.Fail("unterminated string")
}

// escape decodes the backslash escape at the cursor onto out.
func (s *Scanner) escape(out []byte) ([]byte, error) {
	if s.pos+1 >= len(s.data) {
		s.pos++
		return nil, s.Fail("unterminated escape")
	}
	e := s.data[s.pos+1]
	s.pos += 2
	switch e {
	case '"', '\\', '/':
		return append(out, e), nil
	case 'b':
		return append(out, '\b'), nil
	case 'f':
		return append(out, '\f'), nil
	case 'n':
		return append(out, '\n'), nil
	case 'r':
		return append(out, '\r'), nil
	case 't':
		return append(out, '\t'), nil
	case 'u':
		r, err := s.unicodeEscape()
		if err != nil {
			return nil, err
		}
		return utf8.AppendRune(out, r), nil
	}
	s.pos--
	return nil, s.Fail("bad escape")
}

// unicodeEscape reads the hex digits after \u, and a following low
// surrogate escape when the first is a high surrogate.
func (s *Scanner) unicodeEscape() (rune, error) {
	if s.pos+4 > len(s.data) {
		return 0, s.Fail("short \\u escape")
	}
	r, ok := s.hex4()
	if !ok {
		return 0, s.Fail("bad \\u escape")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
		save := s.pos
		s.pos += 2
		if r2, ok := s.hex4(); ok {
			if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
				return d, nil
			}
		}
		s.pos = save
	}
	return utf8.RuneError, nil
}

func (s *Scanner) hex4() (rune, bool) {
	if s.pos+4 > len(s.data) {
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	s.pos += 4
	return r, true
}

// Number consumes a number per the JSON grammar and returns its text.
func (s *Scanner) Number() ([]byte, error) {
	s.ws()
	d, i := s.data, s.pos
	start := i
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && '1' <= d[i] && d[i] <= '9':
		i = digits(d, i)
	default:
		s.pos = i
		return nil, s.Fail("want a number")
	}
	if i < len(d) && d[i] == '.' {
		j := digits(d, i+1)
		if j == i+1 {
			s.pos = j
			return nil, s.Fail("want digits after '.'")
		}
		i = j
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := digits(d, i)
		if j == i {
			s.pos = j
			return nil, s.Fail("want digits in exponent")
		}
		i = j
	}
	s.pos = i
	return d[start:i], nil
}

// digits returns the offset after the decimal digits at d[i:].
func digits(d []byte, i int) int {
	for i < len(d) && '0' <= d[i] && d[i] <= '9' {
		i++
	}
	return i
}

// Float consumes a number and parses it; overflow gives ±Inf.
func (s *Scanner) Float() (float64, error) {
	t, err := s.Number()
	if err != nil {
		return 0, err
	}
	x, err := strconv.ParseFloat(string(t), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, s.Fail("bad number")
	}
	return x, nil
}

// Literal consumes true, false or null and returns it.
func (s *Scanner) Literal() (string, error) {
	s.ws()
	for _, w := range [...]string{"true", "false", "null"} {
		if len(s.data)-s.pos >= len(w) && string(s.data[s.pos:s.pos+len(w)]) == w {
			s.pos += len(w)
			return w, nil
		}
	}
	return "", s.Fail("want a value")
}

// Text consumes a string and returns it decoded. In a string with escapes
// each byte that is not UTF-8 becomes U+FFFD, as encoding/json decodes
// it; a string without escapes comes back as it is.
func (s *Scanner) Text() (string, error) {
	b, err := s.Str()
	if err != nil || !s.escaped || utf8.Valid(b) {
		return string(b), err
	}
	out := make([]byte, 0, len(b)+8)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, b[:n]...)
		}
		b = b[n:]
	}
	return string(out), nil
}
