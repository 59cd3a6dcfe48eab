package shapefile

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// Shape types of the .shp format (ESRI Shapefile Technical Description,
// 1998). The Z and M variants carry the same X/Y layout followed by Z and M
// arrays, which the reader drops.
const (
	typeNull        = 0
	typePoint       = 1
	typePolyLine    = 3
	typePolygon     = 5
	typeMultiPoint  = 8
	typePointZ      = 11
	typePolyLineZ   = 13
	typePolygonZ    = 15
	typeMultiPointZ = 18
	typePointM      = 21
	typePolyLineM   = 23
	typePolygonM    = 25
	typeMultiPointM = 28
	typeMultiPatch  = 31
)

const (
	headerLen = 100     // bytes of a .shp or .shx header
	fileCode  = 9994    // big-endian int at offset 0 of .shp and .shx
	version   = 1000    // little-endian int at offset 28
	recordHdr = 8       // record number and content length, big-endian
	shxEntry  = 8       // offset and content length in 16-bit words
	maxParts  = 1 << 24 // sanity bound, far beyond any real record
)

// baseType maps a shape type to its 2D base type, or -1 when unsupported.
func baseType(t int32) int {
	switch t {
	case typeNull:
		return typeNull
	case typePoint, typePointZ, typePointM:
		return typePoint
	case typePolyLine, typePolyLineZ, typePolyLineM:
		return typePolyLine
	case typePolygon, typePolygonZ, typePolygonM:
		return typePolygon
	case typeMultiPoint, typeMultiPointZ, typeMultiPointM:
		return typeMultiPoint
	}
	return -1
}

// typeName names a shape type for messages.
func typeName(t int32) string {
	switch t {
	case typeMultiPatch:
		return "MultiPatch (31)"
	}
	return fmt.Sprintf("%d", t)
}

// header is the part of a .shp/.shx header the reader uses.
type header struct {
	length    int64 // file length in bytes, as declared
	shapeType int32
}

// parseHeader checks the 100-byte header of a .shp or .shx file of size
// bytes.
func parseHeader(b []byte) (header, error) {
	if len(b) < headerLen {
		return header{}, fmt.Errorf("file is %d bytes, shorter than the 100-byte header", len(b))
	}
	if c := int32(binary.BigEndian.Uint32(b[0:])); c != fileCode {
		return header{}, fmt.Errorf("file code is %d, not 9994: not a shapefile", c)
	}
	if v := int32(binary.LittleEndian.Uint32(b[28:])); v != version {
		return header{}, fmt.Errorf("version is %d, not 1000", v)
	}
	h := header{
		length:    int64(binary.BigEndian.Uint32(b[24:])) * 2,
		shapeType: int32(binary.LittleEndian.Uint32(b[32:])),
	}
	if h.length < headerLen {
		return h, fmt.Errorf("header declares a file length of %d bytes, shorter than the header", h.length)
	}
	if h.shapeType == typeMultiPatch {
		return h, fmt.Errorf("shape type MultiPatch (31) is not supported: convert it to polygons first (ogr2ogr -nlt MULTIPOLYGON)")
	}
	if baseType(h.shapeType) < 0 {
		return h, fmt.Errorf("unknown shape type %d", h.shapeType)
	}
	return h, nil
}

// decodeRecord decodes the content of one record (after its 8-byte
// header) into a geometry; nil for a null shape.
func decodeRecord(c []byte) (orb.Geometry, error) {
	if len(c) < 4 {
		return nil, fmt.Errorf("record content is %d bytes, too short for a shape type", len(c))
	}
	t := int32(binary.LittleEndian.Uint32(c))
	switch baseType(t) {
	case typeNull:
		return nil, nil
	case typePoint:
		if len(c) < 20 {
			return nil, fmt.Errorf("point record is %d bytes, needs 20", len(c))
		}
		p := orb.Point{f64(c[4:]), f64(c[12:])}
		if !finite(p) {
			return nil, fmt.Errorf("point coordinate is not a finite number")
		}
		return p, nil
	case typeMultiPoint:
		return decodeMultiPoint(c)
	case typePolyLine, typePolygon:
		return decodeParts(c, baseType(t))
	}
	if t == typeMultiPatch {
		return nil, fmt.Errorf("shape type MultiPatch (31) is not supported")
	}
	return nil, fmt.Errorf("unknown shape type %s", typeName(t))
}

func decodeMultiPoint(c []byte) (orb.Geometry, error) {
	if len(c) < 40 {
		return nil, fmt.Errorf("multipoint record is %d bytes, needs at least 40", len(c))
	}
	n := int64(binary.LittleEndian.Uint32(c[36:]))
	if n*16 > int64(len(c)-40) {
		return nil, fmt.Errorf("multipoint declares %d points, more than its %d-byte record holds", n, len(c))
	}
	mp := make(orb.MultiPoint, n)
	for i := range mp {
		mp[i] = orb.Point{f64(c[40+16*i:]), f64(c[48+16*i:])}
		if !finite(mp[i]) {
			return nil, fmt.Errorf("point %d is not a finite number", i+1)
		}
	}
	return mp, nil
}

// decodeParts reads a polyline or polygon record: box, part and point
// counts, part starts, points.
func decodeParts(c []byte, base int) (orb.Geometry, error) {
	if len(c) < 44 {
		return nil, fmt.Errorf("record is %d bytes, needs at least 44", len(c))
	}
	np := int64(binary.LittleEndian.Uint32(c[36:]))
	n := int64(binary.LittleEndian.Uint32(c[40:]))
	if np > maxParts || np*4+n*16 > int64(len(c)-44) {
		return nil, fmt.Errorf("record declares %d parts and %d points, more than its %d bytes hold", np, n, len(c))
	}
	if np == 0 {
		if n != 0 {
			return nil, fmt.Errorf("record has %d points but no parts", n)
		}
		return nil, nil
	}
	pts := make([]orb.Point, n)
	off := 44 + 4*np
	for i := range pts {
		o := off + 16*int64(i)
		pts[i] = orb.Point{f64(c[o:]), f64(c[o+8:])}
		if !finite(pts[i]) {
			return nil, fmt.Errorf("point %d is not a finite number", i+1)
		}
	}
	parts := make([][]orb.Point, np)
	for i := range parts {
		s := int64(binary.LittleEndian.Uint32(c[44+4*i:]))
		e := n
		if i+1 < len(parts) {
			e = int64(binary.LittleEndian.Uint32(c[44+4*(i+1):]))
		}
		if s > e || e > n {
			return nil, fmt.Errorf("part %d spans points %d to %d of %d", i+1, s, e, n)
		}
		if i == 0 && s != 0 {
			return nil, fmt.Errorf("first part starts at point %d, not 0", s)
		}
		parts[i] = pts[s:e:e]
	}
	if base == typePolyLine {
		return lines(parts), nil
	}
	return assemblePolygons(parts), nil
}

// lines makes a LineString of one part, a MultiLineString of several, as
// GDAL does; empty parts are dropped.
func lines(parts [][]orb.Point) orb.Geometry {
	mls := make(orb.MultiLineString, 0, len(parts))
	for _, p := range parts {
		if len(p) > 0 {
			mls = append(mls, orb.LineString(p))
		}
	}
	switch len(mls) {
	case 0:
		return nil
	case 1:
		return mls[0]
	}
	return mls
}

func f64(b []byte) float64 { return math.Float64frombits(binary.LittleEndian.Uint64(b)) }

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}
