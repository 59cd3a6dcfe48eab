package repair_test

import (
	"errors"
	"testing"

	"github.com/gridmap/gridmap/geo/repair"
	"github.com/gridmap/gridmap/geo/repair/repairtest"
	"github.com/paulmach/orb"
)

// fuzzGrids decodes data into up to four grids of one community, each a
// ring of up to eight vertices on a coarse raster (about 11 m a step, so
// that rings cross, touch and overlap often), and, when the first byte is
// odd, a square boundary.
func fuzzGrids(data []byte) ([]repair.Grid, []repair.Community) {
	const step = 1e-4
	x0, y0 := 104.83, 26.59
	pt := func(b byte) orb.Point {
		return orb.Point{x0 + float64(b%16)*step, y0 + float64(b/16)*step}
	}
	var comms []repair.Community
	if len(data) > 0 && data[0]%2 == 1 {
		comms = append(comms, repair.Community{Key: "c", Geometry: square(x0, y0, 15*step)})
		data = data[1:]
	}
	var grids []repair.Grid
	for len(data) > 0 && len(grids) < 4 {
		n := int(data[0]%6) + 3
		data = data[1:]
		var r orb.Ring
		for i := 0; i < n && len(data) > 0; i++ {
			r = append(r, pt(data[0]))
			data = data[1:]
		}
		if len(r) > 0 {
			r = append(r, r[0])
		}
		grids = append(grids, repair.Grid{Key: string(rune('a' + len(grids))), Community: "c", Geometry: orb.MultiPolygon{{r}}})
	}
	return grids, comms
}

// FuzzGrids repairs random small polygon sets: it never panics, and it
// returns either a partition (checked by simplefeatures) or an *Error.
func FuzzGrids(f *testing.F) {
	f.Add([]byte{1, 4, 0x00, 0x08, 0x88, 0x80, 4, 0x06, 0x0f, 0xff, 0xf6})
	f.Add([]byte{0, 4, 0x00, 0x44, 0x04, 0x40, 4, 0x22, 0x66, 0x26, 0x62})
	f.Add([]byte{1, 5, 0x00, 0x0f, 0xff, 0xf0, 0x00, 3, 0x11, 0x1e, 0xe1})
	f.Add([]byte{0, 4, 0x00, 0x05, 0x55, 0x50, 4, 0x05, 0x0a, 0x5a, 0x55, 4, 0x00, 0x05, 0x55, 0x50})
	f.Fuzz(func(t *testing.T, data []byte) {
		grids, comms := fuzzGrids(data)
		res, err := repair.Grids(grids, comms, repair.Options{})
		if err != nil {
			var e *repair.Error
			if !errors.As(err, &e) || len(e.Faults) == 0 {
				t.Fatalf("Grids error %v is not an *Error with faults", err)
			}
			return
		}
		repairtest.Partition(t, res, comms, 0.01)
	})
}
