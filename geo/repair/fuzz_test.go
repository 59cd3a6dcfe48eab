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
// odd, a square boundary. When its second bit is set, each vertex is also
// nudged by a few decimetres (from its own byte), so that vertices and
// edges fall within the snap tolerance of each other.
func fuzzGrids(data []byte) ([]repair.Grid, []repair.Community) {
	const step, nudge = 1e-4, 1.7e-6
	x0, y0 := 104.83, 26.59
	fine := len(data) > 0 && data[0]&2 != 0
	pt := func(b byte) orb.Point {
		p := orb.Point{x0 + float64(b%16)*step, y0 + float64(b/16)*step}
		if fine {
			p[0] += float64(int(b*37%7)-3) * nudge
			p[1] += float64(int(b*53%7)-3) * nudge
		}
		return p
	}
	var comms []repair.Community
	if len(data) > 0 && data[0]%2 == 1 {
		comms = append(comms, repair.Community{Key: "c", Geometry: square(x0, y0, 15*step)})
	}
	if len(data) > 0 {
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
	f.Add([]byte{3, 4, 0x00, 0x08, 0x88, 0x80, 4, 0x08, 0x0f, 0xff, 0xf8, 5, 0x01, 0x09, 0x99, 0x91, 0x11})
	f.Add([]byte{2, 6, 0x00, 0x0c, 0xcc, 0x6a, 0xc0, 0x33, 4, 0x0c, 0x0f, 0xff, 0xfc})
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
