package server

import (
	"errors"
	"net/http"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/wire"
)

// jsonBatch is the shape of a JSON batch body: {"crs": "...", list: [...]}
// (POST /v1/lookup's points, POST /v1/geocode's addresses).
type jsonBatch struct {
	// list names the required array member, e.g. "points".
	list string
	// item names one element in messages, e.g. "point".
	item string
	// read reads the list's value (the scanner at it) and returns how
	// many elements it held.
	read func(s *wire.Scanner) (int, error)
}

// parse parses body: crs is optional (WGS-84 when absent), the list is
// required and must hold at least one element, and any other member is
// refused, so a misspelt member is not silently ignored. Faults are field
// errors naming the member (422, or what read returns).
func (b jsonBatch) parse(body []byte) (crs.CRS, error) {
	var c crs.CRS
	n, seen := 0, false
	err := parseBodyObject(body, func(s *wire.Scanner, key []byte) error {
		switch string(key) {
		case "crs":
			var err error
			c, err = parseCRSMember(s)
			return err
		case b.list:
			seen = true
			var err error
			n, err = b.read(s)
			return err
		}
		return fieldErr(http.StatusUnprocessableEntity, string(key), "unknown member; want crs and %s", b.list)
	})
	switch {
	case err != nil:
		return c, err
	case !seen:
		return c, fieldErr(http.StatusUnprocessableEntity, b.list, "is required")
	case n == 0:
		return c, fieldErr(http.StatusUnprocessableEntity, b.list, "must hold at least one %s", b.item)
	}
	return c, nil
}

// parseCRSMember parses the value of a body's "crs" member, a string that
// parseCRS reads; a fault is a 422 naming "crs".
func parseCRSMember(s *wire.Scanner) (crs.CRS, error) {
	var zero crs.CRS
	if s.Peek() != '"' {
		return zero, fieldErr(http.StatusUnprocessableEntity, "crs", "must be a string, not %s", s.KindAt())
	}
	raw, err := s.Str()
	if err != nil {
		return zero, err
	}
	c, err := parseCRS("crs", raw)
	if err != nil {
		err.(*FieldError).Status = http.StatusUnprocessableEntity
		return zero, err
	}
	return c, nil
}

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
