package edit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"unicode/utf8"

	"github.com/gridmap/gridmap/geo"
)

// ErrBadOp is matched (errors.Is) by every *FieldError: the operation is
// malformed and was not decoded.
var ErrBadOp = errors.New("edit: malformed operation")

// Limits on what DecodeOp and DecodeLayout accept.
const (
	// MaxOpBytes caps the size of one encoded operation (16 MiB).
	MaxOpBytes = 16 << 20
	// MaxOpVertices caps the positions of all geometries of one operation.
	MaxOpVertices = 200_000
	// MaxLayoutGrids caps the features of a replace_layout upload (a
	// community has at most 999 grid codes).
	MaxLayoutGrids = 999
	// MaxReasonRunes caps the length of a reason.
	MaxReasonRunes = 2000
	// MaxNameRunes caps the length of a grid name.
	MaxNameRunes = 100
)

// A FieldError says which member of an operation is malformed and why.
// Field is a JSON path such as "grids[1]" or
// "grids.features[3].geometry.coordinates[0][2]"; it is empty when the
// whole body is at fault.
type FieldError struct {
	Field  string
	Reason string
}

// Error formats the error as "edit: malformed operation: field: reason".
func (e *FieldError) Error() string {
	if e.Field == "" {
		return ErrBadOp.Error() + ": " + e.Reason
	}
	return ErrBadOp.Error() + ": " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrBadOp) true.
func (e *FieldError) Is(target error) bool { return target == ErrBadOp }

// fieldErr builds a *FieldError.
func fieldErr(field, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// opFields lists the members each kind requires and allows.
var opFields = map[Kind]struct{ required, optional []string }{
	KindReplace:       {[]string{"grid", "geometry"}, nil},
	KindMoveBoundary:  {[]string{"grids", "line"}, nil},
	KindSplit:         {[]string{"grid", "line"}, []string{"codes", "names"}},
	KindMerge:         {[]string{"grids"}, []string{"name"}},
	KindCreate:        {[]string{"community", "geometry"}, []string{"code", "name"}},
	KindRetire:        {[]string{"grid", "into"}, nil},
	KindReplaceLayout: {[]string{"community", "grids"}, nil},
	KindStaff:         {[]string{"grid", "staff"}, nil},
}

// DecodeOp reads one JSON operation from r, at most MaxOpBytes, strictly:
// an unknown op, a missing or unexpected member, a bad code, malformed
// GeoJSON, a coordinate outside lon/lat range, too many vertices or an
// oversized body give a *FieldError. Geometric faults that validation
// reports with a location (empty, unclosed or degenerate rings, spikes,
// self-intersections) are left to Apply.
func DecodeOp(r io.Reader) (Op, error) {
	data, err := readCapped(r, MaxOpBytes)
	if err != nil {
		return Op{}, err
	}
	return ParseOp(data)
}

// ParseOp decodes one JSON operation held in data. See DecodeOp.
func ParseOp(data []byte) (Op, error) {
	if len(data) > MaxOpBytes {
		return Op{}, fieldErr("", "body exceeds %d bytes", MaxOpBytes)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil || top == nil {
		return Op{}, fieldErr("", "not a JSON object: %s", jsonReason(err))
	}
	var kind string
	if err := decodeString(top, "op", &kind, 40); err != nil {
		return Op{}, err
	}
	spec, ok := opFields[Kind(kind)]
	if !ok {
		return Op{}, fieldErr("op", "unknown op %q (want one of %v)", truncateRunes(kind, 40), Kinds())
	}
	if err := checkMembers(top, spec.required, spec.optional); err != nil {
		return Op{}, err
	}
	d := &opDecoder{top: top, op: Op{Kind: Kind(kind)}}
	if err := d.decode(); err != nil {
		return Op{}, err
	}
	return d.op, nil
}

// readCapped reads r to the end, refusing more than limit bytes.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("reading operation: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fieldErr("", "body exceeds %d bytes", limit)
	}
	return data, nil
}

// checkMembers refuses unknown members and missing required ones.
func checkMembers(top map[string]json.RawMessage, required, optional []string) error {
	keys := make([]string, 0, len(top))
	for k := range top {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if k == "op" || k == "reason" || slices.Contains(required, k) || slices.Contains(optional, k) {
			continue
		}
		return fieldErr(truncateRunes(k, 40), "member not allowed for this op")
	}
	for _, k := range required {
		if v, ok := top[k]; !ok || isNull(v) {
			return fieldErr(k, "missing")
		}
	}
	return nil
}

// An opDecoder decodes the members of one operation.
type opDecoder struct {
	top      map[string]json.RawMessage
	op       Op
	vertices int
}

// decode fills op from the members present.
func (d *opDecoder) decode() error {
	op := &d.op
	steps := []func() error{
		func() error { return decodeString(d.top, "reason", &op.Reason, MaxReasonRunes) },
		func() error { return decodeString(d.top, "name", &op.Name, MaxNameRunes) },
		func() error { return d.gridCode("grid", &op.Grid) },
		func() error { return d.gridCode("code", &op.Code) },
		func() error { return d.community() },
		func() error { return d.codeList("into", &op.Into, 1) },
		func() error { return d.codeList("codes", &op.Codes, 1) },
		func() error { return d.names() },
		func() error { return d.grids() },
		func() error { return d.geometry() },
		func() error { return d.line() },
		func() error { return d.staff() },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// gridCode decodes an optional 15-digit grid code member.
func (d *opDecoder) gridCode(name string, dst *geo.GridCode) error {
	raw, ok := d.top[name]
	if !ok || isNull(raw) {
		return nil
	}
	c, err := parseGridCodeValue(raw)
	if err != nil {
		return fieldErr(name, "%s", err)
	}
	*dst = c
	return nil
}

// community decodes the community member: a community-level code.
func (d *opDecoder) community() error {
	raw, ok := d.top["community"]
	if !ok {
		return nil
	}
	c, err := parseCommunityValue(raw)
	if err != nil {
		return fieldErr("community", "%s", err)
	}
	d.op.Community = c
	return nil
}

// codeList decodes an array of at least min grid codes.
func (d *opDecoder) codeList(name string, dst *[]geo.GridCode, min int) error {
	raw, ok := d.top[name]
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return fieldErr(name, "want an array of grid codes")
	}
	if len(items) < min || len(items) > MaxLayoutGrids {
		return fieldErr(name, "want %d to %d grid codes, got %d", min, MaxLayoutGrids, len(items))
	}
	out := make([]geo.GridCode, len(items))
	for i, it := range items {
		if name == "codes" && isNull(it) {
			continue // allocate
		}
		c, err := parseGridCodeValue(it)
		if err != nil {
			return fieldErr(fmt.Sprintf("%s[%d]", name, i), "%s", err)
		}
		out[i] = c
	}
	*dst = out
	return nil
}

// names decodes the split's optional part names.
func (d *opDecoder) names() error {
	raw, ok := d.top["names"]
	if !ok {
		return nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil || len(items) > MaxLayoutGrids {
		return fieldErr("names", "want an array of at most %d strings", MaxLayoutGrids)
	}
	d.op.Names = make([]string, len(items))
	for i, it := range items {
		if isNull(it) {
			continue
		}
		if err := decodeStringValue(it, &d.op.Names[i], MaxNameRunes); err != nil {
			return fieldErr(fmt.Sprintf("names[%d]", i), "%s", err.Reason)
		}
	}
	return nil
}

// grids decodes "grids": codes for move_boundary and merge, a
// FeatureCollection for replace_layout.
func (d *opDecoder) grids() error {
	raw, ok := d.top["grids"]
	if !ok {
		return nil
	}
	switch d.op.Kind {
	case KindReplaceLayout:
		layout, err := decodeLayoutValue(raw, "grids", &d.vertices)
		if err != nil {
			return err
		}
		d.op.Layout = layout
		return nil
	case KindMoveBoundary:
		if err := d.codeList("grids", &d.op.Grids, 2); err != nil {
			return err
		}
		if len(d.op.Grids) != 2 {
			return fieldErr("grids", "want exactly 2 grid codes, got %d", len(d.op.Grids))
		}
		return nil
	}
	return d.codeList("grids", &d.op.Grids, 2)
}

// geometry decodes the Polygon or MultiPolygon of replace and create.
func (d *opDecoder) geometry() error {
	raw, ok := d.top["geometry"]
	if !ok {
		return nil
	}
	mp, err := decodeArea(raw, "geometry", &d.vertices)
	if err != nil {
		return err
	}
	d.op.Geometry = mp
	return nil
}

// line decodes the LineString of split and move_boundary.
func (d *opDecoder) line() error {
	raw, ok := d.top["line"]
	if !ok {
		return nil
	}
	ls, err := decodeLine(raw, "line", &d.vertices)
	if err != nil {
		return err
	}
	d.op.Line = ls
	return nil
}

// decodeString decodes an optional string member of at most max runes.
func decodeString(top map[string]json.RawMessage, name string, dst *string, max int) error {
	raw, ok := top[name]
	if !ok || isNull(raw) {
		if name == "op" {
			return fieldErr("op", "missing")
		}
		return nil
	}
	if err := decodeStringValue(raw, dst, max); err != nil {
		err.Field = name
		return err
	}
	return nil
}

// decodeStringValue decodes a JSON string of at most max runes.
func decodeStringValue(raw json.RawMessage, dst *string, max int) *FieldError {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return fieldErr("", "want a string")
	}
	if !utf8.ValidString(s) {
		return fieldErr("", "not valid UTF-8")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fieldErr("", "longer than %d characters (%d)", max, n)
	}
	*dst = s
	return nil
}

// isNull reports whether raw is the JSON null.
func isNull(raw json.RawMessage) bool { return bytes.Equal(bytes.TrimSpace(raw), []byte("null")) }

// jsonReason shortens a JSON decoding error for a FieldError.
func jsonReason(err error) string {
	if err == nil {
		return "null"
	}
	return truncateRunes(err.Error(), 120)
}

// truncateRunes shortens s to at most n runes for messages.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "..."
}
