package wire

import (
	"bytes"
	"fmt"
	"strconv"
)

// DefaultMaxDepth is the nesting a Scanner allows when its MaxDepth is 0.
const DefaultMaxDepth = 64

// A SyntaxError is malformed JSON: what is wrong, at a byte offset.
type SyntaxError struct {
	Offset int    // bytes from the start of the scanned text
	Msg    string // what is wrong, e.g. "want ',' or ']'"
}

// Error says where the text went wrong.
func (e *SyntaxError) Error() string {
	return "malformed JSON at byte " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// A Scanner walks a JSON text in a byte slice without building values,
// checking the syntax of what it passes over. Its zero value scans an
// empty text; Reset gives it one.
type Scanner struct {
	// MaxDepth caps nesting, so that hostile input cannot exhaust the
	// stack (0: DefaultMaxDepth).
	MaxDepth int
	// UTF8 makes Str refuse strings that are not valid UTF-8; without it
	// their bytes pass through as they are.
	UTF8 bool

	data    []byte
	pos     int
	depth   int
	scratch []byte // decoded strings with escapes
	escaped bool   // the last string read was decoded into scratch
}

// NewScanner returns a Scanner over data.
func NewScanner(data []byte) *Scanner { return &Scanner{data: data} }

// Reset makes s scan data from its start.
func (s *Scanner) Reset(data []byte) { s.data, s.pos, s.depth, s.escaped = data, 0, 0, false }

// Data returns the text being scanned.
func (s *Scanner) Data() []byte { return s.data }

// Pos returns the cursor's byte offset in the text.
func (s *Scanner) Pos() int { return s.pos }

// Fail returns a SyntaxError at the cursor.
func (s *Scanner) Fail(msg string) error { return &SyntaxError{Offset: s.pos, Msg: msg} }

// Next moves the cursor past the byte Peek returned.
func (s *Scanner) Next() { s.pos++ }

// ws skips JSON white space.
func (s *Scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// Peek skips white space and returns the next byte, or 0 at the end.
func (s *Scanner) Peek() byte {
	s.ws()
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// AtEnd skips white space and reports whether the text is used up.
func (s *Scanner) AtEnd() bool {
	s.ws()
	return s.pos >= len(s.data)
}

// Expect consumes c after optional white space.
func (s *Scanner) Expect(c byte) error {
	if s.Peek() != c {
		return s.unexpected("'" + string(c) + "'")
	}
	s.pos++
	return nil
}

// unexpected fails naming the byte at the cursor and what was wanted.
func (s *Scanner) unexpected(want string) error {
	if s.pos >= len(s.data) {
		return s.Fail("unexpected end, want " + want)
	}
	return s.Fail("unexpected " + strconv.QuoteRune(rune(s.data[s.pos])) + ", want " + want)
}

// enter and leave track nesting depth for the depth cap.
func (s *Scanner) enter() error {
	s.depth++
	limit := s.MaxDepth
	if limit <= 0 {
		limit = DefaultMaxDepth
	}
	if s.depth > limit {
		return s.Fail(fmt.Sprintf("nesting deeper than %d", limit))
	}
	return nil
}

func (s *Scanner) leave() { s.depth-- }

// Object calls member for each member of the object at the cursor, with
// the key decoded (valid only during the call) and the cursor at the
// value, which member must consume.
func (s *Scanner) Object(member func(key []byte) error) error {
	if err := s.Expect('{'); err != nil {
		return err
	}
	return s.Members(member)
}

// Members is Object after its '{' has been consumed.
func (s *Scanner) Members(member func(key []byte) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	if s.Peek() == '}' {
		s.pos++
		return nil
	}
	for {
		key, err := s.Key()
		if err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		switch s.Peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.Fail("want ',' or '}'")
		}
	}
}

// Key consumes an object member's name and the colon after it, and
// returns the name decoded. A name that had escapes is a copy, so the
// value may reuse the scratch space.
func (s *Scanner) Key() ([]byte, error) {
	if s.Peek() != '"' {
		return nil, s.Fail("want a member name")
	}
	key, err := s.Str()
	if err != nil {
		return nil, err
	}
	if s.escaped {
		key = bytes.Clone(key)
	}
	return key, s.Expect(':')
}

// Array calls elem for each element of the array at the cursor, with its
// index; elem must consume the element.
func (s *Scanner) Array(elem func(i int) error) error {
	if err := s.Expect('['); err != nil {
		return err
	}
	return s.Elements(elem)
}

// Elements is Array after its '[' has been consumed.
func (s *Scanner) Elements(elem func(i int) error) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.leave()
	if s.Peek() == ']' {
		s.pos++
		return nil
	}
	for i := 0; ; i++ {
		if err := elem(i); err != nil {
			return err
		}
		switch s.Peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.Fail("want ',' or ']'")
		}
	}
}

// SkipRest consumes the rest of an array, from after one of its elements
// up to and including its ']'.
func (s *Scanner) SkipRest() error {
	for {
		switch s.Peek() {
		case ']':
			s.pos++
			return nil
		case ',':
			s.pos++
			if err := s.Skip(); err != nil {
				return err
			}
		default:
			return s.Fail("want ',' or ']'")
		}
	}
}

// Skip consumes any one value, checking its syntax.
func (s *Scanner) Skip() error {
	switch c := s.Peek(); {
	case c == '"':
		_, err := s.Str()
		return err
	case c == '{':
		s.pos++
		return s.Members(func([]byte) error { return s.Skip() })
	case c == '[':
		s.pos++
		return s.Elements(func(int) error { return s.Skip() })
	case c == '-' || '0' <= c && c <= '9':
		_, err := s.Number()
		return err
	}
	_, err := s.Literal()
	return err
}

// End checks that only white space remains.
func (s *Scanner) End() error {
	if !s.AtEnd() {
		return s.Fail("unexpected data after the value")
	}
	return nil
}

// KindAt names the JSON type of the value at the cursor, for messages.
func (s *Scanner) KindAt() string {
	switch c := s.Peek(); {
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

// Line returns the 1-based line number of byte offset off in the text.
func (s *Scanner) Line(off int) int {
	off = min(max(off, 0), len(s.data))
	return bytes.Count(s.data[:off], []byte{'\n'}) + 1
}
