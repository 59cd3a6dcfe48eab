package pg

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// Reconnection back-off of Watch.
const (
	minBackoff = 50 * time.Millisecond
	maxBackoff = 5 * time.Second
)

// Watch reports the database's version as other instances (or this one)
// commit changesets, so a server can reload with Load. It listens on a
// dedicated connection; whenever that connection is (re)established it
// reads head and reports it, because notifications sent while it was
// down are lost. Reported versions strictly increase; a reader that
// falls behind gets only the newest one (the channel holds one value).
// The channel is closed when ctx ends or the store is closed.
func (s *Store) Watch(ctx context.Context) <-chan uint64 {
	ch := make(chan uint64, 1)
	if _, err := s.cached(); err != nil {
		close(ch)
		return ch
	}
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(ch)
		defer stop()
		defer cancel()
		w := watcher{s: s, ch: ch}
		w.run(ctx)
	}()
	return ch
}

// A watcher is one Watch goroutine's state.
type watcher struct {
	s    *Store
	ch   chan uint64
	last uint64
	sent bool
}

// run listens, reconnecting with back-off, until ctx ends.
func (w *watcher) run(ctx context.Context) {
	backoff := minBackoff
	for ctx.Err() == nil {
		if w.listen(ctx) {
			backoff = minBackoff
		}
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// listen runs one connection: LISTEN, report head, then report each
// notification until the connection fails or ctx ends. It reports whether
// it got as far as listening.
func (w *watcher) listen(ctx context.Context) bool {
	conn, err := pgx.ConnectConfig(ctx, w.s.listen.Copy())
	if err != nil {
		return false
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return false
	}
	v, err := readHead(ctx, conn)
	if err != nil {
		return false
	}
	w.report(v)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		if v, err := strconv.ParseUint(n.Payload, 10, 64); err == nil {
			w.report(v)
		}
	}
}

// report sends v unless an equal or newer version was sent, replacing an
// unread older value.
func (w *watcher) report(v uint64) {
	if w.sent && v <= w.last {
		return
	}
	w.last, w.sent = v, true
	select {
	case w.ch <- v:
		return
	default:
	}
	select {
	case <-w.ch:
	default:
	}
	w.ch <- v
}
