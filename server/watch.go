package server

import (
	"context"
	"errors"
	"time"
)

// ErrWatchClosed is returned by Follow when the watcher's channel closes
// while its context is still running: the store was closed, or can no
// longer report versions.
var ErrWatchClosed = errors.New("server: the store stopped reporting versions")

// Retry back-off of Follow when a reload fails.
const (
	followMinBackoff = 100 * time.Millisecond
	followMaxBackoff = 10 * time.Second
)

// A Watcher reports a store's version each time a changeset is committed
// to it, by this instance or another one sharing the store.
// pg.Store is one: several gridmap instances serving one city from
// one PostgreSQL database learn of each other's edits through it.
type Watcher interface {
	// Watch returns a channel of committed versions, closed when ctx ends
	// or the store closes. A slow reader may miss versions but not the
	// newest one.
	Watch(ctx context.Context) <-chan uint64
}

// Follow serves the store's new versions as w reports them: on each
// version newer than the one served it calls Reload, so an edit
// committed on another instance is visible here within moments. A failed
// reload is logged and retried with back-off until it succeeds or a newer
// version is reported. Follow returns nil when ctx ends, ErrWatchClosed
// when w's channel closes first, and ErrNoStore on a server without a
// store.
//
// RunListener calls Follow itself when the store is a Watcher; call it
// only when serving otherwise (Serve, or App in tests).
func (s *Server) Follow(ctx context.Context, w Watcher) error {
	if s.store == nil {
		return ErrNoStore
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the watch on ErrWatchClosed too
	ch := w.Watch(ctx)
	var (
		want    uint64
		retry   <-chan time.Time
		backoff = followMinBackoff
	)
	for {
		select {
		case <-ctx.Done():
			return nil
		case v, ok := <-ch:
			if !ok {
				if ctx.Err() != nil {
					return nil
				}
				return ErrWatchClosed
			}
			want = max(want, v)
			retry, backoff = nil, followMinBackoff
		case <-retry:
			retry = nil
		}
		if !s.behind(want) {
			continue
		}
		if err := s.followReload(ctx, want); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			s.log.Warn("following the store: reload failed", "version", want, "err", err, "retry_ms", backoff.Milliseconds())
			retry = time.After(backoff)
			backoff = min(2*backoff, followMaxBackoff)
		}
	}
}

// behind reports whether the served snapshot is older than version v (or
// there is none).
func (s *Server) behind(v uint64) bool {
	cur := s.view.Load()
	return cur == nil || cur.snap.Version < v
}

// followReload reloads the store for a reported version and logs what it
// served.
func (s *Server) followReload(ctx context.Context, want uint64) error {
	start := time.Now()
	from := uint64(0)
	if cur := s.view.Load(); cur != nil {
		from = cur.snap.Version
	}
	if err := s.Reload(ctx); err != nil {
		return err
	}
	got := s.Snapshot()
	if got == nil {
		return ErrNotReady
	}
	if got.Version != from {
		s.log.Info("reloaded a version committed elsewhere", "from", from, "version", got.Version, "reported", want,
			"took_ms", time.Since(start).Milliseconds())
	}
	return nil
}

// startFollow runs Follow in a goroutine when the store is a Watcher. The
// returned function cancels it and waits for it to end.
func (s *Server) startFollow(ctx context.Context) (stop func()) {
	w, ok := s.store.(Watcher)
	if !ok {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.Follow(ctx, w); err != nil {
			s.log.Error("following the store stopped: edits committed on other instances are no longer served", "err", err)
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
