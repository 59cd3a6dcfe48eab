package geo

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
)

// A BruteLocator is the reference the Locator must agree with: it scans
// every grid, by ID, with GridContains (rule 1), then with the boundary
// test of rule 2. It skips a grid only when p lies outside the grid's
// bounding box padded by 1e-8 degrees, where neither test can hold. It is
// exported for the external tests only.
type BruteLocator struct {
	grids  []*Grid
	bounds []orb.Bound
}

// NewBruteLocator returns a BruteLocator over grids.
func NewBruteLocator(grids []*Grid) *BruteLocator {
	sorted := slices.DeleteFunc(slices.Clone(grids), func(g *Grid) bool { return g == nil })
	slices.SortStableFunc(sorted, func(a, b *Grid) int { return cmp.Compare(a.ID, b.ID) })
	b := &BruteLocator{grids: sorted, bounds: make([]orb.Bound, len(sorted))}
	for i, g := range sorted {
		b.bounds[i] = g.Geometry.Bound().Pad(1e-8)
	}
	return b
}

// Locate returns the grid holding p by the boundary rule, by brute force.
func (b *BruteLocator) Locate(p orb.Point) (*Grid, bool) {
	for i, g := range b.grids {
		if b.bounds[i].Contains(p) && GridContains(g, p) {
			return g, true
		}
	}
	for i, g := range b.grids {
		if b.bounds[i].Contains(p) && gridTouches(g, p) {
			return g, true
		}
	}
	return nil, false
}

// Containing returns every grid that contains p by rule 1 alone.
func (b *BruteLocator) Containing(p orb.Point) []*Grid {
	var out []*Grid
	for _, g := range b.grids {
		if GridContains(g, p) {
			out = append(out, g)
		}
	}
	return out
}
