package walk

import (
	"fmt"
	"math"
)

// The standard's walking distances in meters (GB 50180-2018).
const (
	// Band15 is the 15-minute circle's default distance; the standard
	// allows 800-1000 m.
	Band15 = 1000.0
	// Band15Low is the shortest 15-minute distance the standard allows.
	Band15Low = 800.0
	// Band10 is the 10-minute circle's distance.
	Band10 = 500.0
	// Band5 is the 5-minute circle's distance.
	Band5 = 300.0
)

// Limits on the queries' reach.
const (
	// MinLimitMeters and MaxLimitMeters bound a limit given in meters.
	MinLimitMeters = 1.0
	MaxLimitMeters = 5000.0
	// MinLimitMinutes and MaxLimitMinutes bound a limit given in minutes.
	MinLimitMinutes = 1.0
	MaxLimitMinutes = 60.0
	// DefaultSpeedKMH is the default walking speed in km/h.
	DefaultSpeedKMH = 4.0
)

// Bands returns the standard's three bands, smallest first: Band5, Band10
// and Band15.
func Bands() []float64 { return []float64{Band5, Band10, Band15} }

// MinutesToMeters converts a walking time to a distance limit: 5, 10 and 15
// minutes give the standard's Band5, Band10 and Band15 (300, 500 and 1000 m);
// any other time gives minutes at speedKMH (DefaultSpeedKMH when zero or
// negative), so 20 minutes at 4 km/h is 1333.3 m. The result is capped at
// MaxLimitMeters. Minutes outside 1-60 give ErrLimitRange.
func MinutesToMeters(minutes, speedKMH float64) (float64, error) {
	if math.IsNaN(minutes) || minutes < MinLimitMinutes || minutes > MaxLimitMinutes {
		return 0, fmt.Errorf("%w: %v minutes outside %v-%v", ErrLimitRange, minutes, MinLimitMinutes, MaxLimitMinutes)
	}
	switch minutes {
	case 5:
		return Band5, nil
	case 10:
		return Band10, nil
	case 15:
		return Band15, nil
	}
	if !(speedKMH > 0) || math.IsInf(speedKMH, 0) {
		speedKMH = DefaultSpeedKMH
	}
	return math.Min(minutes*speedKMH*1000/60, MaxLimitMeters), nil
}

// CheckLimit returns ErrLimitRange unless meters lies in
// MinLimitMeters-MaxLimitMeters.
func CheckLimit(meters float64) error {
	if math.IsNaN(meters) || meters < MinLimitMeters || meters > MaxLimitMeters {
		return fmt.Errorf("%w: %v m outside %v-%v", ErrLimitRange, meters, MinLimitMeters, MaxLimitMeters)
	}
	return nil
}
