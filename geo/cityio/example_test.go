package cityio_test

import (
	"fmt"
	"os"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/paulmach/orb"
)

// WriteLayer streams one layer as GeoJSON, one feature per line, in
// WGS-84 with coordinates snapped to 1e-7 degrees.
func ExampleWriteLayer() {
	c := &geo.City{Stations: []*geo.Station{{
		ID:    1,
		Kind:  geo.StationCentre,
		Name:  "荷城街道党群服务中心",
		Unit:  520201001000,
		Point: orb.Point{104.83040000004, 26.5925},
	}}}
	if err := cityio.WriteLayer(os.Stdout, c, cityio.LayerStations); err != nil {
		fmt.Println(err)
	}
	// Output:
	// {"type":"FeatureCollection","features":[
	// {"type":"Feature","id":1,"properties":{"id":1,"kind":"centre","name":"荷城街道党群服务中心","unit":"520201001"},"geometry":{"type":"Point","coordinates":[104.8304,26.5925]}}
	// ]}
}

// Problems name the layer, the feature and the fault.
func ExampleValidate() {
	c := &geo.City{Code: 520200000000, Name: "六盘水市", Province: "贵州省",
		Units: []*geo.Unit{{Code: 520200000000, Name: "六盘水市"}, {Code: 520201000000}}}
	err := cityio.Validate(c)
	for _, p := range err.(*cityio.ValidationError).Problems {
		fmt.Println(p)
	}
	// Output:
	// units 520201: empty name
}
