package cityio

import (
	"fmt"
	"strconv"

	"github.com/gridmap/gridmap/geo/wire"
	"github.com/paulmach/orb"
)

// A coordFault is a "coordinates" member that is well-formed JSON but not
// a valid GeoJSON coordinate array.
type coordFault string

func (e coordFault) Error() string { return string(e) }

// coords holds a decoded "coordinates" array: its positions in order and
// where each nested array ends.
type coords struct {
	// leaf is the nesting level of the positions: 1 for a Point, 2 for a
	// LineString, 3 for a Polygon, 4 for a MultiPolygon.
	leaf int
	pts  []orb.Point
	// ends[0] holds, for each line or ring, the end index in pts;
	// ends[1], for each polygon, the end index in ends[0]; ends[2], for
	// the whole multipolygon, the end index in ends[1].
	ends [3][]int
}

// geometryLeaf returns the coordinate nesting of a GeoJSON geometry type,
// or 0 for an unknown type.
func geometryLeaf(typ string) int {
	switch typ {
	case "Point":
		return 1
	case "MultiPoint", "LineString":
		return 2
	case "MultiLineString", "Polygon":
		return 3
	case "MultiPolygon":
		return 4
	}
	return 0
}

// decodeCoords parses the text of a "coordinates" member into c, which is
// reused between calls.
func (c *coords) decode(text []byte) error {
	c.leaf = 0
	c.pts = c.pts[:0]
	for i := range c.ends {
		c.ends[i] = c.ends[i][:0]
	}
	s := newScanner(text)
	if err := c.parse(s, 1); err != nil {
		return err
	}
	if s.Peek() != 0 {
		return coordFault("trailing data after coordinates")
	}
	return nil
}

func (c *coords) parse(s *wire.Scanner, level int) error {
	if level > 4 {
		return coordFault("coordinates nested deeper than a MultiPolygon")
	}
	if s.Peek() != '[' {
		return coordFault("coordinates: want an array")
	}
	s.Next()
	switch s.Peek() {
	case ']':
		return coordFault("coordinates hold an empty array")
	case '[':
		return c.parseArrays(s, level)
	}
	if c.leaf == 0 {
		c.leaf = level
	} else if c.leaf != level {
		return coordFault("coordinates mix nesting levels")
	}
	return c.parsePosition(s)
}

func (c *coords) parseArrays(s *wire.Scanner, level int) error {
	for {
		if err := c.parse(s, level+1); err != nil {
			return err
		}
		switch s.Peek() {
		case ',':
			s.Next()
			continue
		case ']':
			s.Next()
		default:
			return coordFault("coordinates: want ',' or ']'")
		}
		break
	}
	switch c.leaf - level {
	case 1:
		c.ends[0] = append(c.ends[0], len(c.pts))
	case 2:
		c.ends[1] = append(c.ends[1], len(c.ends[0]))
	case 3:
		c.ends[2] = append(c.ends[2], len(c.ends[1]))
	default:
		return coordFault("coordinates mix nesting levels")
	}
	return nil
}

// parsePosition reads the numbers of one position after its '['. A third
// (altitude) or further number is read and dropped.
func (c *coords) parsePosition(s *wire.Scanner) error {
	var p orb.Point
	n := 0
	for {
		t, err := s.Number()
		if err != nil {
			return coordFault("position: want numbers")
		}
		v, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return coordFault(fmt.Sprintf("coordinate %s out of range", truncate(string(t), 30)))
		}
		if n < 2 {
			p[n] = v
		}
		n++
		if s.Peek() == ',' {
			s.Next()
			continue
		}
		if s.Peek() != ']' {
			return coordFault("position: want ',' or ']'")
		}
		s.Next()
		break
	}
	if n < 2 {
		return coordFault("position has fewer than 2 numbers")
	}
	if len(c.pts) >= MaxFeatureVertices {
		return coordFault(fmt.Sprintf("more than %d vertices", MaxFeatureVertices))
	}
	c.pts = append(c.pts, p)
	return nil
}

// point returns the decoded Point (leaf 1).
func (c *coords) point() orb.Point { return c.pts[0] }

// lineString returns a copy of the decoded LineString (leaf 2).
func (c *coords) lineString() orb.LineString {
	return orb.LineString(append([]orb.Point(nil), c.pts...))
}

// multiPolygon returns a copy of the decoded Polygon (leaf 3) or
// MultiPolygon (leaf 4) as a MultiPolygon. All rings share one backing
// array; each is capped so that appending to one cannot clobber another.
func (c *coords) multiPolygon() orb.MultiPolygon {
	pts := append([]orb.Point(nil), c.pts...)
	rings := make([]orb.Ring, len(c.ends[0]))
	start := 0
	for i, end := range c.ends[0] {
		rings[i] = orb.Ring(pts[start:end:end])
		start = end
	}
	polyEnds := c.ends[1]
	if c.leaf == 3 {
		polyEnds = []int{len(rings)}
	}
	mp := make(orb.MultiPolygon, len(polyEnds))
	start = 0
	for i, end := range polyEnds {
		mp[i] = orb.Polygon(rings[start:end:end])
		start = end
	}
	return mp
}
