package server

// WithWarmed calls f with a version's number each time the background
// warming of its derived state (walking network, coverage, address and
// search indexes, tile renderer) completes while it is still the version
// served (a version replaced by a newer commit before that is not
// reported, so a burst of commits calls it about once); f runs
// on the warming goroutine, so it should return quickly. cmd/gridmap uses
// it to hand the memory the builds left behind back to the operating
// system, so that resident memory does not grow with the number of edits.
func WithWarmed(f func(version uint64)) Option {
	return func(s *Server) { s.warmed = f }
}
