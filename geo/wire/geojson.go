package wire

import (
	"math"
	"strconv"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// A Coords is how a writer writes coordinates. Both follow the project's
// one number rule (AppendCoord); Lattice first snaps each coordinate to
// the 1e-7 degree lattice (planar.SnapCoord), so answers about the city
// have at most 7 decimals, while Exact keeps every bit, as a stored edit
// must to replay the same.
type Coords bool

const (
	// Exact writes coordinates as they are.
	Exact Coords = false
	// Lattice writes coordinates snapped to the 1e-7 degree lattice.
	Lattice Coords = true
)

// AppendCoord appends one coordinate by the project's one number rule:
// the shortest decimal that reads back as the same float64, with no
// exponent; null when it is not finite.
func AppendCoord(b []byte, x float64) []byte {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return append(b, "null"...)
	}
	return strconv.AppendFloat(b, x, 'f', -1, 64)
}

// AppendCoord appends x, snapped first if c is Lattice.
func (c Coords) AppendCoord(b []byte, x float64) []byte {
	if c == Lattice {
		x = planar.SnapCoord(x)
	}
	return AppendCoord(b, x)
}

// AppendPosition appends p as a GeoJSON position, [lon,lat].
func (c Coords) AppendPosition(b []byte, p orb.Point) []byte {
	b = c.AppendCoord(append(b, '['), p[0])
	b = c.AppendCoord(append(b, ','), p[1])
	return append(b, ']')
}

// AppendPositions appends pts as a JSON array of positions (a
// LineString's or a ring's coordinates).
func (c Coords) AppendPositions(b []byte, pts []orb.Point) []byte {
	b = append(b, '[')
	for i, p := range pts {
		if i > 0 {
			b = append(b, ',')
		}
		b = c.AppendPosition(b, p)
	}
	return append(b, ']')
}

// AppendPoint appends p as a GeoJSON Point geometry.
func (c Coords) AppendPoint(b []byte, p orb.Point) []byte {
	b = append(b, `{"type":"Point","coordinates":`...)
	return append(c.AppendPosition(b, p), '}')
}

// AppendLineString appends ls as a GeoJSON LineString geometry.
func (c Coords) AppendLineString(b []byte, ls orb.LineString) []byte {
	b = append(b, `{"type":"LineString","coordinates":`...)
	return append(c.AppendPositions(b, ls), '}')
}

// AppendMultiPolygon appends mp as a GeoJSON MultiPolygon geometry, its
// rings as they are (no orientation is imposed).
func (c Coords) AppendMultiPolygon(b []byte, mp orb.MultiPolygon) []byte {
	b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
	for i, poly := range mp {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for j, r := range poly {
			if j > 0 {
				b = append(b, ',')
			}
			b = c.AppendPositions(b, r)
		}
		b = append(b, ']')
	}
	return append(b, "]}"...)
}
