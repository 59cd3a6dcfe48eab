package archive

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ErrBadBound is returned (wrapped) by ParseBound.
var ErrBadBound = errors.New("archive: bad box")

// maxLat is the latitude where Web Mercator tiles end.
const maxLat = 85.05112877980659

// ParseBound parses a WGS-84 box given as "west,south,east,north" in
// degrees: four finite numbers, longitudes within ±180, latitudes within
// the Web Mercator range (±85.0511), west not east of east and south not
// north of north.
func ParseBound(s string) (orb.Bound, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return orb.Bound{}, fmt.Errorf("%w: %q: want west,south,east,north (4 numbers), got %d", ErrBadBound, clip(s), len(parts))
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return orb.Bound{}, fmt.Errorf("%w: %q is not a number", ErrBadBound, clip(p))
		}
		v[i] = f
	}
	switch {
	case v[0] < -180 || v[0] > 180 || v[2] < -180 || v[2] > 180:
		return orb.Bound{}, fmt.Errorf("%w: longitudes %g and %g must be within -180 and 180", ErrBadBound, v[0], v[2])
	case v[1] < -maxLat || v[1] > maxLat || v[3] < -maxLat || v[3] > maxLat:
		return orb.Bound{}, fmt.Errorf("%w: latitudes %g and %g must be within ±%.4f", ErrBadBound, v[1], v[3], maxLat)
	case v[0] > v[2] || v[1] > v[3]:
		return orb.Bound{}, fmt.Errorf("%w: west %g must not exceed east %g, nor south %g north %g", ErrBadBound, v[0], v[2], v[1], v[3])
	}
	return orb.Bound{Min: orb.Point{v[0], v[1]}, Max: orb.Point{v[2], v[3]}}, nil
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
