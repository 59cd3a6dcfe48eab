package server

import (
	"sync"
)

// A lazy holds a value derived from one view's snapshot (a tile renderer,
// a walking network, an address index), built once on first use. Because a
// view belongs to exactly one snapshot, a derived value can never outlive
// the snapshot it was built from: a Swap brings a new view and new lazies.
type lazy[T any] struct {
	once sync.Once
	v    T
	err  error
}

// get returns the value, building it with build on the first call. Later
// callers wait for the first build and share its result.
func (l *lazy[T]) get(build func() (T, error)) (T, error) {
	l.once.Do(func() { l.v, l.err = build() })
	return l.v, l.err
}

// A warmer builds a view's derived values ahead of the first request that
// needs them. Features register warmers when they register routes.
type warmer func(v *view)

// warm runs the registered warmers for v in the background, so a Swap
// returns at once while the new view's indexes build.
func (s *Server) warm(v *view) {
	if len(s.warmers) == 0 {
		return
	}
	go func() {
		for _, w := range s.warmers {
			w(v)
		}
	}()
}
