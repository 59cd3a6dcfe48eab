package geo_test

import (
	"fmt"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// Two grids share the edge lon = 104.83: a point on it belongs to the
// grid east of it, a point on the city's east edge to the grid it bounds.
func ExampleLocator_Locate() {
	square := func(id geo.GridID, x0, x1 float64) *geo.Grid {
		ring := orb.Ring{{x0, 26.59}, {x1, 26.59}, {x1, 26.60}, {x0, 26.60}, {x0, 26.59}}
		return &geo.Grid{ID: id, Name: fmt.Sprintf("grid %d", id), Geometry: orb.MultiPolygon{{ring}}}
	}
	l := geo.NewLocator([]*geo.Grid{square(1, 104.82, 104.83), square(2, 104.83, 104.84)})
	for _, p := range []orb.Point{{104.825, 26.595}, {104.83, 26.595}, {104.84, 26.595}, {104.85, 26.595}} {
		g, ok := l.Locate(p)
		if !ok {
			near, m := l.Nearest(p)
			fmt.Printf("%v: no grid, %s is %.0f m away\n", p, near.Name, m)
			continue
		}
		fmt.Printf("%v: %s\n", p, g.Name)
	}
	// Output:
	// [104.825 26.595]: grid 1
	// [104.83 26.595]: grid 2
	// [104.84 26.595]: grid 2
	// [104.85 26.595]: no grid, grid 2 is 995 m away
}
