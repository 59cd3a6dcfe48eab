package edit

import (
	"errors"
	"fmt"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// errOverlay is wrapped by every failure of a polygon overlay.
var errOverlay = errors.New("edit: polygon overlay failed")

// fromSF returns the polygonal parts of g; lines and points (the
// lower-dimensional leftovers of an overlay) are dropped.
func fromSF(g geom.Geometry) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, part := range g.Dump() {
		p, ok := part.AsPolygon()
		if !ok || p.IsEmpty() {
			continue
		}
		poly := make(orb.Polygon, 0, p.NumRings())
		poly = append(poly, seqRing(p.ExteriorRing().Coordinates()))
		for i := 0; i < p.NumInteriorRings(); i++ {
			poly = append(poly, seqRing(p.InteriorRingN(i).Coordinates()))
		}
		out = append(out, poly)
	}
	return out
}

// seqRing converts a coordinate sequence to a ring.
func seqRing(s geom.Sequence) orb.Ring {
	r := make(orb.Ring, s.Length())
	for i := range r {
		xy := s.GetXY(i)
		r[i] = orb.Point{xy.X, xy.Y}
	}
	return r
}

// overlay runs a simplefeatures overlay, turning a panic on pathological
// input into an error.
func overlay(name string, fn func(a, b geom.Geometry) (geom.Geometry, error), a, b orb.MultiPolygon) (out orb.MultiPolygon, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: %s: %v", errOverlay, name, r)
		}
	}()
	g, err := fn(planar.ToSF(a), planar.ToSF(b))
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errOverlay, name, err)
	}
	return fromSF(g), nil
}

// union returns the union of a and b.
func union(a, b orb.MultiPolygon) (orb.MultiPolygon, error) {
	switch {
	case len(a) == 0:
		return b, nil
	case len(b) == 0:
		return a, nil
	}
	return overlay("union", geom.Union, a, b)
}

// difference returns a minus b.
func difference(a, b orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(a) == 0 || len(b) == 0 || !a.Bound().Intersects(b.Bound()) {
		return a, nil
	}
	return overlay("difference", geom.Difference, a, b)
}

// intersection returns the area a and b share.
func intersection(a, b orb.MultiPolygon) (orb.MultiPolygon, error) {
	if len(a) == 0 || len(b) == 0 || !a.Bound().Intersects(b.Bound()) {
		return nil, nil
	}
	return overlay("intersection", geom.Intersection, a, b)
}

// unionAll returns the union of all parts.
func unionAll(parts []orb.MultiPolygon) (out orb.MultiPolygon, err error) {
	var polys []geom.Geometry
	for _, p := range parts {
		if len(p) > 0 {
			polys = append(polys, planar.ToSF(p))
		}
	}
	switch len(polys) {
	case 0:
		return nil, nil
	case 1:
		return parts[firstNonEmpty(parts)], nil
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: union of %d parts: %v", errOverlay, len(polys), r)
		}
	}()
	g, err := geom.UnionMany(polys)
	if err != nil {
		return nil, fmt.Errorf("%w: union of %d parts: %v", errOverlay, len(polys), err)
	}
	return fromSF(g), nil
}

// firstNonEmpty returns the index of the first non-empty part.
func firstNonEmpty(parts []orb.MultiPolygon) int {
	for i, p := range parts {
		if len(p) > 0 {
			return i
		}
	}
	return -1
}

// validPolygons reports whether mp is a valid MultiPolygon by
// simplefeatures' rules, with the reason when it is not.
func validPolygons(mp orb.MultiPolygon) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validating polygons: %v", r)
		}
	}()
	return planar.ToSF(mp).Validate()
}

// pointOnSurface returns a point inside mp (its largest part), and false
// for an empty mp.
func pointOnSurface(mp orb.MultiPolygon) (p orb.Point, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
		}
	}()
	if len(mp) == 0 {
		return orb.Point{}, false
	}
	pt, ok := planar.ToSF(mp).PointOnSurface().XY()
	return orb.Point{pt.X, pt.Y}, ok
}
