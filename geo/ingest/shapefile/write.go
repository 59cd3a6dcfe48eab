package shapefile

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// WGS84PRJ is the .prj of WGS-84 longitude and latitude in degrees, in the
// ESRI flavour of WKT that desktop GIS writes and reads.
const WGS84PRJ = `GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]`

// A Field is one attribute column of a written Shapefile: Type 'C' (text)
// or 'N' (a number, Decimals digits after the point). The width is the
// widest value written. Name is at most 10 bytes (the dBase limit).
// Text loses blanks around it when read back: dBase readers trim them.
type Field struct {
	Name     string
	Type     byte
	Decimals int
}

// A Layer is what Encode writes: features of one geometry kind (all
// orb.Point, or all orb.Polygon/orb.MultiPolygon; nil geometries are null
// shapes), each with one value per field. Numbers are given as text
// ("12", "0.8312"); an empty value is a null.
type Layer struct {
	Fields   []Field
	Features []Feature
	// PRJ is the coordinate system's WKT (WGS84PRJ for lon/lat degrees).
	PRJ string
	// Year, Month, Day date the .dbf header (zero: 1900-01-01).
	Year, Month, Day int
}

// A Feature is one record of a Layer.
type Feature struct {
	Geometry orb.Geometry
	Props    []string
}

// kindNames name the shape types written, for messages.
var kindNames = map[int32]string{typePoint: "point", typePolygon: "polygon"}

// maxShpBytes is the largest .shp the format's 32-bit length in 16-bit
// words addresses.
const maxShpBytes = math.MaxInt32 * 2

// Encode writes l as the component files of a Shapefile: .shp, .shx,
// .dbf in UTF-8, a .cpg saying so, and l.PRJ as the .prj. A feature whose
// geometry is of another kind than the others, a ring with fewer than
// four points, a coordinate that is not finite, a field name or value the
// .dbf cannot hold is an error naming the feature (1-based) or field.
func Encode(l Layer) (Files, error) {
	kind, err := shapeKind(l.Features)
	if err != nil {
		return Files{}, err
	}
	dbf, err := encodeDBF(l)
	if err != nil {
		return Files{}, err
	}
	shp, shx, err := encodeShapes(kind, l.Features)
	if err != nil {
		return Files{}, err
	}
	return Files{SHP: shp, SHX: shx, DBF: dbf, CPG: []byte("UTF-8"), PRJ: []byte(l.PRJ)}, nil
}

// shapeKind returns the one shape type of the features' geometries (null
// when every one is nil).
func shapeKind(feats []Feature) (int32, error) {
	kind := int32(typeNull)
	for i, f := range feats {
		var k int32
		switch f.Geometry.(type) {
		case nil:
			continue
		case orb.Point:
			k = typePoint
		case orb.Polygon, orb.MultiPolygon:
			k = typePolygon
		default:
			return 0, fmt.Errorf("shapefile: feature %d: a %s cannot be written (points and polygons only)", i+1, f.Geometry.GeoJSONType())
		}
		if kind != typeNull && k != kind {
			return 0, fmt.Errorf("shapefile: feature %d: a %s among %s features; a Shapefile holds one kind", i+1, f.Geometry.GeoJSONType(), kindNames[kind])
		}
		kind = k
	}
	return kind, nil
}

// encodeShapes writes the .shp and its .shx index.
func encodeShapes(kind int32, feats []Feature) (shp, shx []byte, err error) {
	shp = make([]byte, headerLen, headerLen+len(feats)*64)
	shx = make([]byte, headerLen, headerLen+len(feats)*shxEntry)
	box := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for i, f := range feats {
		content, b, err := encodeRecord(f.Geometry)
		if err != nil {
			return nil, nil, fmt.Errorf("shapefile: feature %d: %w", i+1, err)
		}
		if f.Geometry != nil {
			box = box.Union(b)
		}
		if len(shp)+recordHdr+len(content) > maxShpBytes {
			return nil, nil, fmt.Errorf("shapefile: feature %d: the .shp would pass the format's 4 GiB limit", i+1)
		}
		shx = binary.BigEndian.AppendUint32(shx, uint32(len(shp)/2))
		shx = binary.BigEndian.AppendUint32(shx, uint32(len(content)/2))
		shp = binary.BigEndian.AppendUint32(shp, uint32(i+1))
		shp = binary.BigEndian.AppendUint32(shp, uint32(len(content)/2))
		shp = append(shp, content...)
	}
	if kind == typeNull {
		box = orb.Bound{}
	}
	putHeader(shp, kind, box)
	putHeader(shx, kind, box)
	return shp, shx, nil
}

// putHeader fills the 100-byte main header of a .shp or .shx.
func putHeader(b []byte, kind int32, box orb.Bound) {
	binary.BigEndian.PutUint32(b[0:], fileCode)
	binary.BigEndian.PutUint32(b[24:], uint32(len(b)/2))
	binary.LittleEndian.PutUint32(b[28:], version)
	binary.LittleEndian.PutUint32(b[32:], uint32(kind))
	for i, v := range []float64{box.Min[0], box.Min[1], box.Max[0], box.Max[1]} {
		binary.LittleEndian.PutUint64(b[36+8*i:], math.Float64bits(v))
	}
}

// encodeRecord returns a record's content and the geometry's bound.
func encodeRecord(g orb.Geometry) ([]byte, orb.Bound, error) {
	switch g := g.(type) {
	case nil:
		return binary.LittleEndian.AppendUint32(nil, typeNull), orb.Bound{}, nil
	case orb.Point:
		if !finite(g) {
			return nil, orb.Bound{}, fmt.Errorf("coordinate %v is not finite", g)
		}
		b := binary.LittleEndian.AppendUint32(make([]byte, 0, 20), typePoint)
		return appendXY(b, g), g.Bound(), nil
	case orb.Polygon:
		return encodePolygon(orb.MultiPolygon{g})
	case orb.MultiPolygon:
		return encodePolygon(g)
	}
	return nil, orb.Bound{}, fmt.Errorf("a %s cannot be written", g.GeoJSONType())
}

// encodePolygon writes polygons as one polygon record: each shell
// clockwise and each hole counter-clockwise, as the format wants, rings
// closed.
func encodePolygon(mp orb.MultiPolygon) ([]byte, orb.Bound, error) {
	var rings []orb.Ring
	for pi, p := range mp {
		for ri, r := range p {
			r = closed(r)
			if len(r) < 4 {
				return nil, orb.Bound{}, fmt.Errorf("polygon %d ring %d has %d points, fewer than 4", pi+1, ri+1, len(r))
			}
			for _, pt := range r {
				if !finite(pt) {
					return nil, orb.Bound{}, fmt.Errorf("polygon %d ring %d: coordinate %v is not finite", pi+1, ri+1, pt)
				}
			}
			// A shell (ri 0) must turn clockwise: negative signed area.
			if (signedArea(r) > 0) == (ri == 0) {
				r = reversed(r)
			}
			rings = append(rings, r)
		}
	}
	if len(rings) == 0 {
		return binary.LittleEndian.AppendUint32(nil, typeNull), orb.Bound{}, nil
	}
	n := 0
	for _, r := range rings {
		n += len(r)
	}
	box := mp.Bound()
	b := binary.LittleEndian.AppendUint32(make([]byte, 0, 44+4*len(rings)+16*n), typePolygon)
	b = appendXY(b, box.Min)
	b = appendXY(b, box.Max)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(rings)))
	b = binary.LittleEndian.AppendUint32(b, uint32(n))
	at := 0
	for _, r := range rings {
		b = binary.LittleEndian.AppendUint32(b, uint32(at))
		at += len(r)
	}
	for _, r := range rings {
		for _, p := range r {
			b = appendXY(b, p)
		}
	}
	return b, box, nil
}

func appendXY(b []byte, p orb.Point) []byte {
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(p[0]))
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(p[1]))
}

// closed returns r ending on its first point.
func closed(r orb.Ring) orb.Ring {
	if len(r) > 0 && r[0] != r[len(r)-1] {
		return append(append(orb.Ring{}, r...), r[0])
	}
	return r
}

func reversed(r orb.Ring) orb.Ring {
	out := make(orb.Ring, len(r))
	for i, p := range r {
		out[len(r)-1-i] = p
	}
	return out
}
