package server

import (
	"errors"
	"net/http"

	"github.com/gridmap/gridmap/geo/wire"
)

// parseBodyObject parses body as one JSON object, calling member for each
// member with the scanner positioned at its value. An empty body, a body
// that is not an object and JSON syntax errors become field errors naming
// "body"; errors returned by member pass through.
func parseBodyObject(body []byte, member func(s *wire.Scanner, key []byte) error) error {
	s := wire.NewScanner(body)
	if s.Peek() != '{' {
		if s.AtEnd() {
			return &FieldError{Field: "body", Reason: "is empty"}
		}
		return fieldErr(http.StatusUnprocessableEntity, "body", "must be a JSON object, not %s", s.KindAt())
	}
	s.Next()
	err := s.Members(func(key []byte) error { return member(s, key) })
	if err == nil {
		err = s.End()
	}
	var se *wire.SyntaxError
	if errors.As(err, &se) {
		return &FieldError{Field: "body", Reason: se.Error()}
	}
	return err
}
