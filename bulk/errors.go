package bulk

import (
	"io"

	"github.com/gridmap/gridmap/geo/crs"
)

// A Fault is the kind of a FieldError, which the server maps to an HTTP
// status.
type Fault uint8

// The kinds of FieldError.
const (
	// Malformed input cannot be read at all (HTTP 400).
	Malformed Fault = iota
	// TooLarge input is over a limit (HTTP 413).
	TooLarge
	// Unprocessable input is well formed but lacks what the stream needs,
	// such as a coordinate or address column (HTTP 422).
	Unprocessable
)

// A FieldError is a stream that cannot start: its header or a parameter
// is at fault. A bad row never stops a stream; it is answered in its own
// row.
type FieldError struct {
	// Field names the offending input: "body", "lon", "lat", "address"
	// or "column".
	Field string
	// Reason says what is wrong with it, for people.
	Reason string
	Fault  Fault
}

// Error returns "field: reason".
func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// LookupCodec returns the codec of a point-lookup stream of format f
// whose points are in cr, answered from a. For CSV it reads the header
// record from src: it returns the input read past the header, and the
// output header. maxRec bounds a record (DefaultMaxRecordBytes when <= 0).
// Errors are *FieldError, or src's.
func LookupCodec(f Format, src io.Reader, a *Answers, cr crs.CRS, maxRec int) (c Codec, initial, header []byte, err error) {
	maxRec = positive(maxRec, DefaultMaxRecordBytes)
	if f != CSV {
		return &ndjsonCodec{a: a, crs: cr, maxRec: maxRec}, nil, nil, nil
	}
	h, rest, err := readCSVHeaderRecord(src, maxRec)
	if err != nil {
		return nil, nil, nil, err
	}
	cc, err := newCSVCodec(h, a, cr, maxRec)
	if err != nil {
		return nil, nil, nil, err
	}
	return cc, rest, cc.outHeader, nil
}
