package address

import (
	"math"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// StandardAddress returns the standard address of a building, from the
// province down to the building: 贵州省六盘水市钟山区荷城街道人民中路12号凉都花园3栋.
func StandardAddress(b *geo.Building) string { return b.Address.String() }

// Reverse returns the building whose entrance is nearest p (WGS-84) and its
// geodesic distance in meters. It returns nil for an index with no
// buildings or a p that is not finite.
func (x *Index) Reverse(p orb.Point) (*geo.Building, float64) {
	if len(x.buildings) == 0 {
		return nil, 0
	}
	best := x.points.nearest(x.scaled(p), func(i int32) [2]float64 { return x.scaled(x.buildings[i].Point) })
	if best < 0 {
		return nil, 0
	}
	b := x.buildings[best]
	return b, orbgeo.Distance(p, b.Point)
}

// ReverseAddress returns the standard address of the building nearest p,
// the building and its distance in meters; "" for an empty index.
func (x *Index) ReverseAddress(p orb.Point) (string, *geo.Building, float64) {
	b, d := x.Reverse(p)
	if b == nil {
		return "", nil, 0
	}
	return StandardAddress(b), b, d
}

func cosDeg(deg float64) float64 { return math.Cos(deg * math.Pi / 180) }
