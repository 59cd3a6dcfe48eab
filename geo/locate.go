package geo

import "github.com/paulmach/orb"

// PLACEHOLDER: replaced by the point-in-grid helper (see its task). This
// brute-force version exists only so the package compiles meanwhile.

// A Locator answers point-in-grid queries over a fixed set of grids.
type Locator struct{ grids []*Grid }

// NewLocator indexes grids.
func NewLocator(grids []*Grid) *Locator { return &Locator{grids: grids} }

// Locate returns the grid holding p.
func (l *Locator) Locate(p orb.Point) (*Grid, bool) { return nil, false }

// Nearest returns the grid nearest p and its distance in meters.
func (l *Locator) Nearest(p orb.Point) (*Grid, float64) { return nil, 0 }
