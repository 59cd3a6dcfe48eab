package edit_test

import (
	"fmt"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// Split a grid of the reference city by an east-west line through its
// middle, preview who moves, and build the next snapshot.
func ExampleApply() {
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		panic(err)
	}
	s, err := geo.NewSnapshot(city, 1)
	if err != nil {
		panic(err)
	}
	g, _ := s.Grid(520201011003008)
	mid := g.Bound.Center()[1]
	line := orb.LineString{{g.Bound.Min[0] - 0.001, mid}, {g.Bound.Max[0] + 0.001, mid}}
	res, err := edit.Apply(s, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line}, edit.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println("valid:", res.Valid)
	for _, c := range res.Changes {
		if c.Kind != edit.ChangeStitched {
			fmt.Println(c.Kind, c.After.Code)
		}
	}
	moved := res.Impact.HouseholdsMoved
	fmt.Println("households moving:", moved > 0, moved < g.Households)
	next, err := geo.NewSnapshot(res.Next, s.Version+1)
	if err != nil {
		panic(err)
	}
	fmt.Println("grids in the community:", len(s.GridsOf(g.Community())), "->", len(next.GridsOf(g.Community())))
	// Output:
	// valid: true
	// reshaped 520201011003008
	// added 520201011003011
	// households moving: true true
	// grids in the community: 10 -> 11
}
