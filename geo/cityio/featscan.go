package cityio

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo/wire"
)

// A prop is one property of a feature as read. Its byte slices point into
// the file's bytes (or into an owned copy for escaped strings) and stay
// valid while the file is decoded.
type prop struct {
	key  []byte
	kind byte   // one of the kind* constants
	text []byte // the string value, or a number's text
}

// Property kinds.
const (
	kindString byte = 's'
	kindNumber byte = 'n'
	kindBool   byte = 'b'
	kindNull   byte = 'z'
	kindOther  byte = 'o' // object or array
)

// kindName names a kind in faults.
func kindName(k byte) string {
	switch k {
	case kindString:
		return "string"
	case kindNumber:
		return "number"
	case kindBool:
		return "boolean"
	case kindNull:
		return "null"
	}
	return "object or array"
}

// A rawFeature is one feature of a FeatureCollection as read, before its
// layer gives meaning to its members.
type rawFeature struct {
	index    int
	id       prop // the Feature's "id" member; kind 0 when absent
	props    []prop
	hasGeom  bool   // a "geometry" member was present
	geomType []byte // nil for a null geometry
	coords   []byte // text of "coordinates", nil when absent
	faults   []string
}

func (f *rawFeature) reset(index int) {
	*f = rawFeature{index: index, props: f.props[:0], faults: f.faults[:0]}
}

func (f *rawFeature) fault(format string, args ...any) {
	f.faults = append(f.faults, fmt.Sprintf(format, args...))
}

// A fileFault is a fault of a whole layer file that stops its reading:
// malformed JSON or a top level that is not a FeatureCollection.
type fileFault struct {
	msg string
}

func (e *fileFault) Error() string { return e.msg }

// scanCollection reads a FeatureCollection and calls fn for each feature.
// The feature and the slices it holds are reused after fn returns. The
// error is a *fileFault.
func scanCollection(data []byte, fn func(*rawFeature)) error {
	return scanCollectionMembers(data, fn, nil)
}

// scanCollectionMembers is scanCollection with a hook for other top-level
// members: member, when not nil, is called with each key other than type
// and features and reports whether it read the value (else it is skipped).
func scanCollectionMembers(data []byte, fn func(*rawFeature), member func(s *wire.Scanner, key []byte) (bool, error)) error {
	s := newScanner(bytes.TrimPrefix(data, []byte(wire.BOM)))
	f := &rawFeature{index: -1}
	sawType, sawFeatures := false, false
	err := s.Object(func(key []byte) error {
		switch string(key) {
		case "type":
			sawType = true
			v, err := s.Str()
			if err != nil {
				return err
			}
			if string(v) != "FeatureCollection" {
				return &fileFault{msg: fmt.Sprintf("top-level type is %q, want FeatureCollection", truncate(string(v), 40))}
			}
			return nil
		case "features":
			sawFeatures = true
			return s.Array(func(i int) error {
				f.reset(i)
				if err := scanFeature(s, f); err != nil {
					return err
				}
				fn(f)
				return nil
			})
		}
		if member != nil {
			if done, err := member(s, key); done || err != nil {
				return err
			}
		}
		return s.Skip()
	})
	if err == nil {
		err = s.End()
	}
	var se *wire.SyntaxError
	switch {
	case errors.As(err, &se):
		where := fmt.Sprintf("line %d", s.Line(se.Offset))
		if f.index >= 0 {
			where += fmt.Sprintf(", feature #%d", f.index)
		}
		return &fileFault{msg: fmt.Sprintf("invalid JSON at %s: %s", where, se.Msg)}
	case err != nil:
		return err
	case !sawType:
		return &fileFault{msg: "missing member \"type\": \"FeatureCollection\""}
	case !sawFeatures:
		return &fileFault{msg: "missing member \"features\""}
	}
	return nil
}

// scanFeature reads one Feature object into f.
func scanFeature(s *wire.Scanner, f *rawFeature) error {
	if s.Peek() != '{' {
		start := s.Pos()
		if err := s.Skip(); err != nil {
			return err
		}
		f.fault("feature is not an object: %s", truncate(string(s.Data()[start:s.Pos()]), 30))
		return nil
	}
	sawType := false
	err := s.Object(func(key []byte) error {
		switch string(key) {
		case "type":
			sawType = true
			return scanFeatureType(s, f)
		case "id":
			return scanValue(s, &f.id)
		case "properties":
			return scanProperties(s, f)
		case "geometry":
			f.hasGeom = true
			return scanGeometry(s, f)
		}
		return s.Skip()
	})
	if err == nil && !sawType {
		f.fault("missing member \"type\": \"Feature\"")
	}
	return err
}

func scanFeatureType(s *wire.Scanner, f *rawFeature) error {
	var v prop
	if err := scanValue(s, &v); err != nil {
		return err
	}
	if v.kind != kindString || string(v.text) != "Feature" {
		f.fault("type is %s, want \"Feature\"", describe(v))
	}
	return nil
}

// scanValue reads any value into v, keeping strings and number text.
func scanValue(s *wire.Scanner, v *prop) error {
	switch c := s.Peek(); {
	case c == '"':
		t, err := s.Str()
		if err != nil {
			return err
		}
		if s.Escaped() {
			t = bytes.Clone(t)
		}
		v.kind, v.text = kindString, t
	case c == '{' || c == '[':
		start := s.Pos()
		if err := s.Skip(); err != nil {
			return err
		}
		v.kind, v.text = kindOther, s.Data()[start:s.Pos()]
	case c == 't' || c == 'f' || c == 'n':
		lit, err := s.Literal()
		if err != nil {
			return err
		}
		v.kind, v.text = kindBool, []byte(lit)
		if lit == "null" {
			v.kind = kindNull
		}
	default:
		t, err := s.Number()
		if err != nil {
			return err
		}
		v.kind, v.text = kindNumber, t
	}
	return nil
}

// describe renders a value for a fault message.
func describe(v prop) string {
	switch v.kind {
	case 0:
		return "absent"
	case kindString:
		return fmt.Sprintf("%q", truncate(string(v.text), 40))
	case kindOther:
		return "an object or array"
	}
	return truncate(string(v.text), 40)
}

func scanProperties(s *wire.Scanner, f *rawFeature) error {
	switch s.Peek() {
	case 'n':
		_, err := s.Literal()
		if err != nil {
			return err
		}
		f.fault("properties are null")
		return nil
	case '{':
	default:
		var v prop
		if err := scanValue(s, &v); err != nil {
			return err
		}
		f.fault("properties are %s, want an object", describe(v))
		return nil
	}
	return s.Object(func(key []byte) error {
		f.props = append(f.props, prop{key: key})
		return scanValue(s, &f.props[len(f.props)-1])
	})
}

// scanGeometry reads the geometry member: null, or an object whose type
// is kept and whose coordinates are kept as text for decodeCoords.
func scanGeometry(s *wire.Scanner, f *rawFeature) error {
	if c := s.Peek(); c != '{' {
		var v prop
		if err := scanValue(s, &v); err != nil {
			return err
		}
		if v.kind != kindNull {
			f.fault("geometry is %s, want an object or null", describe(v))
		}
		return nil
	}
	sawType := false
	err := s.Object(func(key []byte) error {
		switch string(key) {
		case "type":
			sawType = true
			var v prop
			if err := scanValue(s, &v); err != nil {
				return err
			}
			if v.kind != kindString {
				f.fault("geometry type is %s, want a string", describe(v))
				v.text = []byte("?")
			}
			f.geomType = v.text
			return nil
		case "coordinates":
			start := s.Pos()
			if err := s.Skip(); err != nil {
				return err
			}
			f.coords = bytes.TrimSpace(s.Data()[start:s.Pos()])
			return nil
		}
		return s.Skip()
	})
	if err == nil && !sawType {
		f.fault("geometry has no type")
		f.geomType = []byte("?")
	}
	return err
}

// newScanner returns the readers' JSON scanner over data: nesting capped
// at maxNesting, strings required to be UTF-8.
func newScanner(data []byte) *wire.Scanner {
	s := wire.NewScanner(data)
	s.MaxDepth, s.UTF8 = maxNesting, true
	return s
}
