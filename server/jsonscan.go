package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// maxJSONDepth bounds nesting in scanned JSON, so hostile input cannot
// exhaust the stack.
const maxJSONDepth = 64

// errJSONSyntax marks a malformed JSON text; jsonSyntaxError wraps it.
var errJSONSyntax = errors.New("malformed JSON")

// A jsonSyntaxError is a malformed JSON text, with the byte offset.
type jsonSyntaxError struct {
	off int
	msg string
}

// Error says where the text went wrong.
func (e *jsonSyntaxError) Error() string {
	return fmt.Sprintf("malformed JSON at byte %d: %s", e.off, e.msg)
}

// Unwrap makes errors.Is(err, errJSONSyntax) true.
func (e *jsonSyntaxError) Unwrap() error { return errJSONSyntax }

// A jsonScanner walks a JSON text without building values. It validates
// what it passes over.
type jsonScanner struct {
	b []byte
	i int
}

func (s *jsonScanner) fail(msg string) error {
	return &jsonSyntaxError{off: s.i, msg: msg}
}

// ws skips JSON whitespace.
func (s *jsonScanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *jsonScanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// atEnd skips whitespace and reports whether the text is used up.
func (s *jsonScanner) atEnd() bool {
	s.ws()
	return s.i >= len(s.b)
}

// expect consumes c after optional whitespace.
func (s *jsonScanner) expect(c byte) error {
	if s.peek() != c {
		if s.i >= len(s.b) {
			return s.fail("unexpected end, want '" + string(c) + "'")
		}
		return s.fail("unexpected " + strconv.QuoteRune(rune(s.b[s.i])) + ", want '" + string(c) + "'")
	}
	s.i++
	return nil
}

// str consumes a string and returns its raw bytes without the quotes and
// whether it holds escapes.
func (s *jsonScanner) str() (raw []byte, escaped bool, err error) {
	if err := s.expect('"'); err != nil {
		return nil, false, err
	}
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped, nil
		case c == '\\':
			escaped = true
			if err := s.escape(); err != nil {
				return nil, false, err
			}
			continue
		case c < 0x20:
			return nil, false, s.fail("control character in string")
		}
		s.i++
	}
	return nil, false, s.fail("unterminated string")
}

// escape consumes one backslash escape.
func (s *jsonScanner) escape() error {
	s.i++
	if s.i >= len(s.b) {
		return s.fail("unterminated escape")
	}
	switch s.b[s.i] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		s.i++
		return nil
	case 'u':
		if s.i+5 > len(s.b) {
			return s.fail("short \\u escape")
		}
		for _, h := range s.b[s.i+1 : s.i+5] {
			if !isHex(h) {
				return s.fail("bad \\u escape")
			}
		}
		s.i += 5
		return nil
	}
	return s.fail("bad escape")
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// key consumes an object key and the colon after it. It returns the key's
// text, unescaped if it had escapes.
func (s *jsonScanner) key() ([]byte, error) {
	start := s.i
	raw, esc, err := s.str()
	if err != nil {
		return nil, err
	}
	if esc {
		if raw, err = s.unquote(start); err != nil {
			return nil, err
		}
	}
	return raw, s.expect(':')
}

// jsonUnmarshalString decodes one JSON string literal.
func jsonUnmarshalString(b []byte, v *string) error { return json.Unmarshal(b, v) }

// number consumes a number per the JSON grammar and returns its text.
func (s *jsonScanner) number() ([]byte, error) {
	s.ws()
	start := s.i
	if s.i < len(s.b) && s.b[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.b) && s.b[s.i] == '0':
		s.i++
	case s.i < len(s.b) && '1' <= s.b[s.i] && s.b[s.i] <= '9':
		s.digits()
	default:
		return nil, s.fail("want a number")
	}
	if s.i < len(s.b) && s.b[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return nil, s.fail("want digits after '.'")
		}
	}
	if s.i < len(s.b) && (s.b[s.i] == 'e' || s.b[s.i] == 'E') {
		s.i++
		if s.i < len(s.b) && (s.b[s.i] == '+' || s.b[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return nil, s.fail("want digits in exponent")
		}
	}
	return s.b[start:s.i], nil
}

func (s *jsonScanner) digits() int {
	n := 0
	for s.i < len(s.b) && '0' <= s.b[s.i] && s.b[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

// float consumes a number and parses it; overflow gives ±Inf.
func (s *jsonScanner) float() (float64, error) {
	t, err := s.number()
	if err != nil {
		return 0, err
	}
	x, err := strconv.ParseFloat(string(t), 64)
	if err != nil && !isRangeErr(err) {
		return 0, s.fail("bad number")
	}
	return x, nil
}

// literal consumes true, false or null.
func (s *jsonScanner) literal() error {
	for _, w := range [...]string{"true", "false", "null"} {
		if len(s.b)-s.i >= len(w) && string(s.b[s.i:s.i+len(w)]) == w {
			s.i += len(w)
			return nil
		}
	}
	return s.fail("want a value")
}

// skip consumes any one value, validating it.
func (s *jsonScanner) skip(depth int) error {
	if depth > maxJSONDepth {
		return s.fail("nested too deeply")
	}
	switch c := s.peek(); {
	case c == '"':
		_, _, err := s.str()
		return err
	case c == '{':
		s.i++
		return s.members(func(_ []byte) error { return s.skip(depth + 1) })
	case c == '[':
		s.i++
		return s.elements(func(int) error { return s.skip(depth + 1) })
	case c == '-' || '0' <= c && c <= '9':
		_, err := s.number()
		return err
	}
	return s.literal()
}

// members walks an object's members after its '{', calling member with
// each key positioned at the value, which member must consume.
func (s *jsonScanner) members(member func(key []byte) error) error {
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.fail("want a member name")
		}
		k, err := s.key()
		if err != nil {
			return err
		}
		if err := member(k); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return s.fail("want ',' or '}'")
		}
	}
}

// elements walks an array's elements after its '[', calling elem with
// each index positioned at the element, which elem must consume.
func (s *jsonScanner) elements(elem func(i int) error) error {
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return s.fail("want ',' or ']'")
		}
	}
}

// end checks that only whitespace remains.
func (s *jsonScanner) end() error {
	if !s.atEnd() {
		return s.fail("unexpected data after the value")
	}
	return nil
}

// kindAt names the JSON type of the value at the cursor, for messages.
func (s *jsonScanner) kindAt() string {
	switch c := s.peek(); {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '-' || '0' <= c && c <= '9':
		return "a number"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return "nothing"
}

// parseBodyObject parses body as one JSON object, calling member for each
// member with the scanner positioned at its value. An empty body, a body
// that is not an object and JSON syntax errors become field errors naming
// "body"; errors returned by member pass through.
func parseBodyObject(body []byte, member func(s *jsonScanner, key []byte) error) error {
	s := &jsonScanner{b: body}
	if s.peek() != '{' {
		if s.atEnd() {
			return &FieldError{Field: "body", Reason: "is empty"}
		}
		return fieldErr(http.StatusUnprocessableEntity, "body", "must be a JSON object, not %s", s.kindAt())
	}
	s.i++
	err := s.members(func(key []byte) error { return member(s, key) })
	if err == nil {
		err = s.end()
	}
	var se *jsonSyntaxError
	if errors.As(err, &se) {
		return &FieldError{Field: "body", Reason: se.Error()}
	}
	return err
}
