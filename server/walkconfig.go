package server

import "github.com/gridmap/gridmap/geo/walk"

// A WalkConfig says how each view's walking network is built.
type WalkConfig struct {
	// Ways, when not nil, replace the snapshot's streets as the source of
	// the pedestrian graph: for example the walkable ways of an
	// OpenStreetMap extract loaded with geo/walk/osmload.
	Ways []walk.Way
	// Options are the network's options: walking speed, how far a building
	// may lie from the network, circle drawing. Zero fields take walk's
	// defaults.
	Options walk.Options
}

// WithWalk sets how the walking network is built (default: the snapshot's
// streets at 4 km/h).
func WithWalk(c WalkConfig) Option {
	return func(s *Server) { s.walkCfg = c }
}
