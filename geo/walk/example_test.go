package walk_test

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/walk"
	"github.com/paulmach/orb"
)

// Minutes from an HTTP query become meters: the standard's table for 5, 10
// and 15 minutes, the walking speed otherwise.
func ExampleMinutesToMeters() {
	for _, m := range []float64{5, 10, 15, 20} {
		meters, _ := walk.MinutesToMeters(m, walk.DefaultSpeedKMH)
		fmt.Printf("%.0f min -> %.0f m\n", m, meters)
	}
	// Output:
	// 5 min -> 300 m
	// 10 min -> 500 m
	// 15 min -> 1000 m
	// 20 min -> 1333 m
}

// A building door 20 m off 人民中路 near the city government is snapped to
// the street: the walk to the street counts in every distance.
func ExampleGraph_Snap() {
	g, err := walk.BuildGraph([]walk.Way{{ID: 1, Name: "人民中路", Class: "primary",
		Line: orb.LineString{{104.8290, 26.5925}, {104.8320, 26.5925}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	door := orb.Point{104.8304, 26.5925 + 20/111319.49}
	s, err := g.Snap(door, 0)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("edge %d, %.0f m along, %.1f m from the door\n", s.Edge, s.OffsetMeters, s.AccessMeters)
	// Output:
	// edge 0, 139 m along, 20.0 m from the door
}
