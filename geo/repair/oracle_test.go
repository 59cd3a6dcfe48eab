package repair_test

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// toSF converts mp to a simplefeatures geometry.
func toSF(mp orb.MultiPolygon) geom.Geometry {
	polys := make([]geom.Polygon, 0, len(mp))
	for _, p := range mp {
		rings := make([]geom.LineString, 0, len(p))
		for _, r := range p {
			xy := make([]float64, 0, 2*len(r))
			for _, pt := range r {
				xy = append(xy, pt[0], pt[1])
			}
			rings = append(rings, geom.NewLineString(geom.NewSequence(xy, geom.DimXY)))
		}
		polys = append(polys, geom.NewPolygon(rings))
	}
	return geom.NewMultiPolygon(polys).AsGeometry()
}

// m2 converts an area in square degrees at latitude lat to m².
func m2(a, lat float64) float64 {
	kx, ky := planar.MetersPerDegree(lat)
	return a * kx * ky
}

// checkOracle checks each community with simplefeatures, which shares no
// code with the repair: every grid valid, the grids' areas summing to
// their union's (no overlap), and, where the community has a boundary,
// no piece of it left uncovered larger than maxGapM2.
func checkOracle(t *testing.T, res *repair.Result, comms []repair.Community, maxGapM2 float64) {
	t.Helper()
	byComm := map[string][]geom.Geometry{}
	lat := map[string]float64{}
	for _, g := range res.Grids {
		sf := toSF(g.Geometry)
		if err := sf.Validate(); err != nil {
			t.Errorf("grid %s: invalid polygon: %v", g.Key, err)
			continue
		}
		byComm[g.Community] = append(byComm[g.Community], sf)
		lat[g.Community] = g.Geometry.Bound().Center()[1]
	}
	boundary := map[string]orb.MultiPolygon{}
	for _, c := range comms {
		boundary[c.Key] = c.Geometry
	}
	for key, gs := range byComm {
		u, err := geom.UnionMany(gs)
		if err != nil {
			t.Errorf("community %s: union: %v", key, err)
			continue
		}
		sum := 0.0
		for _, g := range gs {
			sum += g.Area()
		}
		if over := m2(sum-u.Area(), lat[key]); over > 0.01 {
			t.Errorf("community %s: grids overlap by %.3f m² in all", key, over)
		}
		b, ok := boundary[key]
		if !ok {
			continue
		}
		gap, err := geom.Difference(toSF(b), u)
		if err != nil {
			t.Errorf("community %s: difference: %v", key, err)
			continue
		}
		for _, part := range gap.Dump() {
			if a := m2(part.Area(), lat[key]); a > maxGapM2 {
				xy, _ := part.PointOnSurface().XY()
				t.Errorf("community %s: gap of %.2f m² at %.7f,%.7f", key, a, xy.X, xy.Y)
			}
		}
	}
}

// interiorPoint returns simplefeatures' point on the surface of mp when it
// lies at least minM metres from mp's border.
func interiorPoint(mp orb.MultiPolygon, minM float64) (orb.Point, bool) {
	xy, ok := toSF(mp).PointOnSurface().XY()
	if !ok {
		return orb.Point{}, false
	}
	p := orb.Point{xy.X, xy.Y}
	kx, ky := planar.MetersPerDegree(p[1])
	best := math.Inf(1)
	planar.ForEdges(mp, func(a, b orb.Point) {
		best = min(best, planar.SegDist2(orb.Point{p[0] * kx, p[1] * ky}, orb.Point{a[0] * kx, a[1] * ky}, orb.Point{b[0] * kx, b[1] * ky}))
	})
	return p, math.Sqrt(best) >= minM
}
