package thirdparty

import "github.com/paulmach/orb"

// Points lists every point of g in order, for comparing a reader's
// geometry with GDAL's coordinate by coordinate.
func Points(g orb.Geometry) []orb.Point { return appendPoints(nil, g) }

func appendPoints(out []orb.Point, g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return append(out, g)
	case orb.MultiPoint:
		return append(out, g...)
	case orb.LineString:
		return append(out, g...)
	case orb.Ring:
		return append(out, g...)
	case orb.MultiLineString:
		for _, l := range g {
			out = append(out, l...)
		}
	case orb.Polygon:
		for _, r := range g {
			out = append(out, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			out = appendPoints(out, p)
		}
	}
	return out
}

// Parts lists the point count of each line or ring of g, the polygons of
// a MultiPolygon each followed by -1, so two geometries with the same
// points but different structure compare unequal.
func Parts(g orb.Geometry) []int {
	switch g := g.(type) {
	case orb.MultiLineString:
		var out []int
		for _, l := range g {
			out = append(out, len(l))
		}
		return out
	case orb.Polygon:
		var out []int
		for _, r := range g {
			out = append(out, len(r))
		}
		return out
	case orb.MultiPolygon:
		var out []int
		for _, p := range g {
			out = append(append(out, Parts(p)...), -1)
		}
		return out
	}
	return []int{len(Points(g))}
}
