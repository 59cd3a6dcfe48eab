package tiles_test

import (
	"fmt"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb/encoding/mvt"
)

func ExampleParseKey() {
	k, err := tiles.ParseKey("14", "12962", "6935")
	fmt.Println(k, err)
	_, err = tiles.ParseKey("14", "12962", "6935.mvt")
	fmt.Println(err)
	// Output:
	// 14/12962/6935 <nil>
	// tiles: bad tile key: y "6935.mvt": must be decimal digits
}

// Render the z14 tile over the Liupanshui city government (104.8304 E,
// 26.5925 N) of the reference city and list its layers.
func ExampleRenderer_Render() {
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		panic(err)
	}
	snap, err := geo.NewSnapshot(city, 1)
	if err != nil {
		panic(err)
	}
	r, err := tiles.NewRenderer(snap, tiles.Options{})
	if err != nil {
		panic(err)
	}
	data, err := r.Render(tiles.Key{Z: 14, X: 12962, Y: 6935})
	if err != nil {
		panic(err)
	}
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		panic(err)
	}
	for _, l := range layers {
		fmt.Println(l.Name)
	}
	// Output:
	// districts
	// subdistricts
	// communities
	// grids
	// streets
	// buildings
	// stations
	// labels
}
