package crs_test

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/crs"
	"github.com/paulmach/orb"
)

// A client sends an Amap (GCJ-02) point; gridmap stores WGS-84.
func ExampleToWGS84() {
	c, err := crs.Parse("GCJ-02")
	if err != nil {
		panic(err)
	}
	w := crs.ToWGS84(c, orb.Point{121.531541859215, 31.17530398364597})
	fmt.Printf("%s -> wgs84 %.7f, %.7f\n", c, w[0], w[1])
	// Output: gcj02 -> wgs84 121.5272106, 31.1774276
}
