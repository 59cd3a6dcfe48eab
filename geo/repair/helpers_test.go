package repair_test

import (
	"strconv"

	"github.com/paulmach/orb"
)

func itoa(n int) string { return strconv.Itoa(n) }

// square returns a square of side d degrees with its south-west corner at
// (x, y), counter-clockwise.
func square(x, y, d float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + d, y}, {x + d, y + d}, {x, y + d}, {x, y}}}}
}
