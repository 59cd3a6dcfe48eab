package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// errWKB is wrapped by every WKB decoding error.
var errWKB = errors.New("bad WKB")

// maxWKBDepth bounds the nesting of multi-geometries (a well-formed
// MultiPolygon nests two deep).
const maxWKBDepth = 4

// The WKB geometry types, in the ISO numbering (Z adds 1000, M 2000, ZM
// 3000) or with the EWKB flags.
const (
	wkbPoint = 1 + iota
	wkbLineString
	wkbPolygon
	wkbMultiPoint
	wkbMultiLineString
	wkbMultiPolygon
	wkbCollection

	ewkbZ    = 0x80000000
	ewkbM    = 0x40000000
	ewkbSRID = 0x20000000
)

var wkbNames = [...]string{"", "Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"}

// decodeWKB reads one 2D, Z, M or ZM WKB geometry (ISO type codes 1-7,
// 1001-1007, 2001-2007, 3001-3007, or the EWKB flags), dropping Z and M.
// An empty point (NaN coordinates) or a geometry with no parts is nil.
// Bytes after the geometry are an error. Geometry collections are not
// supported.
func decodeWKB(b []byte) (orb.Geometry, error) {
	r := &wkbReader{b: b}
	g, err := r.geometry(0, 0)
	if err != nil {
		return nil, err
	}
	if r.i != len(r.b) {
		return nil, fmt.Errorf("%w: %d bytes after the geometry", errWKB, len(r.b)-r.i)
	}
	return g, nil
}

type wkbReader struct {
	b     []byte
	i     int
	order binary.ByteOrder
}

func (r *wkbReader) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", errWKB, r.i, fmt.Sprintf(format, args...))
}

func (r *wkbReader) uint32() (uint32, error) {
	if len(r.b)-r.i < 4 {
		return 0, r.errorf("truncated")
	}
	v := r.order.Uint32(r.b[r.i:])
	r.i += 4
	return v, nil
}

// count reads an element count and checks that the rest of the input can
// hold that many elements of at least size bytes each.
func (r *wkbReader) count(size int) (int, error) {
	n, err := r.uint32()
	if err != nil {
		return 0, err
	}
	if uint64(n)*uint64(size) > uint64(len(r.b)-r.i) {
		return 0, r.errorf("count %d exceeds the %d bytes left", n, len(r.b)-r.i)
	}
	return int(n), nil
}

// header reads a byte order and type; it returns the 2D type and the
// number of coordinates per point.
func (r *wkbReader) header() (typ uint32, dims int, err error) {
	if r.i >= len(r.b) {
		return 0, 0, r.errorf("truncated")
	}
	switch r.b[r.i] {
	case 0:
		r.order = binary.BigEndian
	case 1:
		r.order = binary.LittleEndian
	default:
		return 0, 0, r.errorf("byte order %d", r.b[r.i])
	}
	r.i++
	t, err := r.uint32()
	if err != nil {
		return 0, 0, err
	}
	dims = 2
	if t&ewkbZ != 0 {
		dims++
	}
	if t&ewkbM != 0 {
		dims++
	}
	if t&ewkbSRID != 0 {
		if _, err := r.uint32(); err != nil {
			return 0, 0, err
		}
	}
	code := t &^ (ewkbZ | ewkbM | ewkbSRID)
	switch code / 1000 {
	case 1, 2:
		dims++
	case 3:
		dims += 2
	case 0:
	default:
		return 0, 0, r.errorf("geometry type %d", code)
	}
	typ = code % 1000
	if typ < wkbPoint || typ > wkbCollection || dims > 4 {
		return 0, 0, r.errorf("geometry type %d", t)
	}
	if typ == wkbCollection {
		return 0, 0, r.errorf("a GeometryCollection, which is not supported")
	}
	return typ, dims, nil
}

// geometry reads one geometry; want, when not 0, is the type a
// multi-geometry's part must have.
func (r *wkbReader) geometry(depth int, want uint32) (orb.Geometry, error) {
	if depth > maxWKBDepth {
		return nil, r.errorf("nested deeper than %d", maxWKBDepth)
	}
	typ, dims, err := r.header()
	if err != nil {
		return nil, err
	}
	if want != 0 && typ != want {
		return nil, r.errorf("%s inside a Multi%s", wkbNames[typ], wkbNames[want])
	}
	switch typ {
	case wkbPoint:
		p, err := r.points(1, dims)
		if err != nil || math.IsNaN(p[0][0]) || math.IsNaN(p[0][1]) {
			return nil, err
		}
		return p[0], nil
	case wkbLineString:
		return r.lineString(dims)
	case wkbPolygon:
		return r.polygon(dims)
	}
	return r.multi(depth, typ)
}

// points reads n points of dims coordinates, keeping x and y.
func (r *wkbReader) points(n, dims int) ([]orb.Point, error) {
	if uint64(n)*uint64(dims)*8 > uint64(len(r.b)-r.i) {
		return nil, r.errorf("truncated")
	}
	pts := make([]orb.Point, n)
	for k := range pts {
		x := math.Float64frombits(r.order.Uint64(r.b[r.i:]))
		y := math.Float64frombits(r.order.Uint64(r.b[r.i+8:]))
		pts[k] = orb.Point{x, y}
		r.i += dims * 8
	}
	return pts, nil
}

func (r *wkbReader) lineString(dims int) (orb.Geometry, error) {
	n, err := r.count(dims * 8)
	if err != nil || n == 0 {
		return nil, err
	}
	pts, err := r.points(n, dims)
	return orb.LineString(pts), err
}

func (r *wkbReader) polygon(dims int) (orb.Geometry, error) {
	n, err := r.count(4)
	if err != nil || n == 0 {
		return nil, err
	}
	poly := make(orb.Polygon, n)
	for k := range poly {
		m, err := r.count(dims * 8)
		if err != nil {
			return nil, err
		}
		pts, err := r.points(m, dims)
		if err != nil {
			return nil, err
		}
		poly[k] = orb.Ring(pts)
	}
	return poly, nil
}

// multi reads a MultiPoint, MultiLineString or MultiPolygon; empty parts
// are dropped.
func (r *wkbReader) multi(depth int, typ uint32) (orb.Geometry, error) {
	n, err := r.count(9) // the smallest part: an empty line or polygon
	if err != nil {
		return nil, err
	}
	order := r.order
	var mp orb.MultiPoint
	var ml orb.MultiLineString
	var mpoly orb.MultiPolygon
	for range n {
		g, err := r.geometry(depth+1, typ-3)
		if err != nil {
			return nil, err
		}
		switch g := g.(type) {
		case orb.Point:
			mp = append(mp, g)
		case orb.LineString:
			ml = append(ml, g)
		case orb.Polygon:
			mpoly = append(mpoly, g)
		}
	}
	r.order = order
	switch {
	case typ == wkbMultiPoint && len(mp) > 0:
		return mp, nil
	case typ == wkbMultiLineString && len(ml) > 0:
		return ml, nil
	case typ == wkbMultiPolygon && len(mpoly) > 0:
		return mpoly, nil
	}
	return nil, nil
}
