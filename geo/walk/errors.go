package walk

import "errors"

// The errors of the package. Queries wrap them with context; test them with
// errors.Is. The HTTP layer maps ErrUnknownStation and ErrUnknownBuilding to
// 404 and the others to 400 or 422.
var (
	// ErrUnknownStation is returned when a station id names no station.
	ErrUnknownStation = errors.New("walk: unknown station")
	// ErrUnknownBuilding is returned when a building id names no building.
	ErrUnknownBuilding = errors.New("walk: unknown building")
	// ErrLimitRange is returned for a limit outside 1-60 minutes or
	// 1-5000 meters, or a band above the reach it is drawn from.
	ErrLimitRange = errors.New("walk: limit out of range")
	// ErrOffNetwork is returned when a point lies farther from every
	// walkable edge than the network's access limit (500 m by default).
	ErrOffNetwork = errors.New("walk: point too far from the walking network")
	// ErrNoStation is returned when no station can be reached from a point.
	ErrNoStation = errors.New("walk: no station reachable")
	// ErrBadK is returned when the number of sites to suggest is out of range.
	ErrBadK = errors.New("walk: number of sites out of range")
	// ErrNoCandidates is returned when the candidate rules leave no site.
	ErrNoCandidates = errors.New("walk: no candidate sites")
	// ErrBadGeometry is returned for a coordinate that is not a finite
	// longitude/latitude.
	ErrBadGeometry = errors.New("walk: bad geometry")
	// ErrEmptyNetwork is returned when the input holds no walkable edge.
	ErrEmptyNetwork = errors.New("walk: no walkable edge")
)
