package planar

import (
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// ToSF converts mp to a simplefeatures geometry without validating it, for
// the overlays (union, difference, intersection) simplefeatures computes.
func ToSF(mp orb.MultiPolygon) geom.Geometry {
	return ToSFMulti(mp).AsGeometry()
}

// ToSFMulti converts mp to a simplefeatures MultiPolygon without
// validating it (its Validate is the check of a polygon's shape).
func ToSFMulti(mp orb.MultiPolygon) geom.MultiPolygon {
	polys := make([]geom.Polygon, len(mp))
	for i, p := range mp {
		polys[i] = ToSFPolygon(p)
	}
	return geom.NewMultiPolygon(polys)
}

// ToSFPolygon converts p to a simplefeatures Polygon without validating it.
func ToSFPolygon(p orb.Polygon) geom.Polygon {
	rings := make([]geom.LineString, len(p))
	for i, r := range p {
		xy := make([]float64, 0, 2*len(r))
		for _, pt := range r {
			xy = append(xy, pt[0], pt[1])
		}
		rings[i] = geom.NewLineString(geom.NewSequence(xy, geom.DimXY))
	}
	return geom.NewPolygon(rings)
}
