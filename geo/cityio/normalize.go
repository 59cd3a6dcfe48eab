package cityio

import (
	"cmp"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// snapScale is the inverse of the coordinate grid: 1e-7 degrees, about
// 1 cm. Snapping keeps shared edges vertex-identical through edits.
const snapScale = 1e7

// SnapCoord rounds a coordinate (degrees) to the 1e-7 degree grid. It is
// idempotent, and the writer prints a snapped value with at most 7
// decimals that parses back to the same float64.
func SnapCoord(v float64) float64 { return math.Round(v*snapScale) / snapScale }

// Snap rounds both coordinates of p to the 1e-7 degree grid.
func Snap(p orb.Point) orb.Point { return orb.Point{SnapCoord(p[0]), SnapCoord(p[1])} }

// Normalize puts c in the canonical form the reader produces and the
// writer writes: coordinates snapped to 1e-7 degrees, polygon rings
// oriented (outer rings counter-clockwise, holes clockwise), empty unit
// geometries nil, Grid.Bound filled, units and grids sorted by code and
// buildings, stations and streets by id. It modifies c in place; use it
// before a City is shared. Read(Write(c)) deep-equals c for a normalized,
// valid c. Nil entries are left alone (sorted last); Validate reports them.
func Normalize(c *geo.City) {
	if c == nil {
		return
	}
	for _, u := range c.Units {
		if u == nil {
			continue
		}
		if len(u.Geometry) == 0 {
			u.Geometry = nil
		}
		normalizeMultiPolygon(u.Geometry)
	}
	for _, g := range c.Grids {
		if g == nil {
			continue
		}
		normalizeMultiPolygon(g.Geometry)
		g.Bound = g.Geometry.Bound()
	}
	for _, b := range c.Buildings {
		if b != nil {
			b.Point = Snap(b.Point)
		}
	}
	for _, s := range c.Stations {
		if s != nil {
			s.Point = Snap(s.Point)
		}
	}
	for _, s := range c.Streets {
		if s == nil {
			continue
		}
		for i, p := range s.Line {
			s.Line[i] = Snap(p)
		}
	}
	sortCity(c)
}

// normalizeMultiPolygon snaps mp in place and orients it by the
// kernel's rule (planar.Orient), judged on the snapped coordinates.
func normalizeMultiPolygon(mp orb.MultiPolygon) {
	for _, poly := range mp {
		for _, ring := range poly {
			for j, p := range ring {
				ring[j] = Snap(p)
			}
		}
	}
	planar.Orient(mp)
}

// sortCity sorts the slices of c as geo.City documents.
func sortCity(c *geo.City) {
	sortBy(c.Units, func(u *geo.Unit) geo.DivisionCode { return u.Code })
	sortBy(c.Grids, func(g *geo.Grid) geo.GridCode { return g.Code })
	sortBy(c.Buildings, func(b *geo.Building) geo.BuildingID { return b.ID })
	sortBy(c.Stations, func(s *geo.Station) geo.StationID { return s.ID })
	sortBy(c.Streets, func(s *geo.Street) geo.StreetID { return s.ID })
}

// sortBy sorts xs stably by key, nil entries last.
func sortBy[T any, K cmp.Ordered](xs []*T, key func(*T) K) {
	slices.SortStableFunc(xs, func(a, b *T) int {
		switch {
		case a == nil || b == nil:
			return cmp.Compare(boolRank(a == nil), boolRank(b == nil))
		}
		return cmp.Compare(key(a), key(b))
	})
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
