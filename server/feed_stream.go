package server

import (
	"bufio"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gridmap/gridmap/geo"
)

// registerFeed registers the change stream and the webhook routes, and
// publishes every new view's changesets first among the warmers, so an
// event leaves as soon as a commit is served.
func (s *Server) registerFeed() error {
	s.feed.init()
	s.quickWarmers = append([]warmer{s.publishFeed}, s.quickWarmers...)
	if err := s.Handle(http.MethodGet, "/v1/changes/stream", s.handleChangeStream); err != nil {
		return err
	}
	return s.registerWebhooks()
}

// handleChangeStream answers GET /v1/changes/stream with Server-Sent
// Events: one "changeset" event per committed version (id = version),
// oldest first. With Last-Event-ID (or ?since=) it first replays the
// versions after that one from history, so a client that reconnects
// misses nothing. Comments every heartbeat keep the connection open. A
// client that falls feedClientBuffer events behind is disconnected; it
// resumes with Last-Event-ID.
func (s *Server) handleChangeStream(c *fiber.Ctx) error {
	if _, err := s.requireStore(); err != nil {
		return err
	}
	since, resume, err := parseSince(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	head, err := s.store.Version(ctx)
	if err != nil {
		return err
	}
	if resume && since > head {
		field := "Last-Event-ID"
		if len(c.Request().Header.Peek(fiber.HeaderLastEventID)) == 0 {
			field = "since"
		}
		return fieldErr(http.StatusBadRequest, field, "version %d does not exist: the current version is %d", since, head)
	}
	sub, last := s.feed.subscribe()
	if !resume {
		since = last
	}
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set("X-Accel-Buffering", "no")
	conn := c.Context().Conn()
	stream := &sseWriter{s: s, sub: sub, since: since, upto: last, conn: conn, scopes: s.readScopes(c)}
	c.Context().SetBodyStreamWriter(stream.run)
	return nil
}

// parseSince reads Last-Event-ID, or else ?since=: a version number.
// resume is false when neither is given.
func parseSince(c *fiber.Ctx) (since uint64, resume bool, err error) {
	field, raw := "Last-Event-ID", c.Request().Header.Peek(fiber.HeaderLastEventID)
	if len(raw) == 0 {
		field, raw = "since", c.Context().QueryArgs().Peek("since")
		if raw == nil {
			return 0, false, nil
		}
	}
	v, perr := strconv.ParseUint(string(raw), 10, 64)
	if perr != nil {
		return 0, false, fieldErr(http.StatusBadRequest, field, "%s is not a version number (the id of the last event received)", quoteClip(raw))
	}
	return v, true, nil
}

// An sseWriter writes one client's stream.
type sseWriter struct {
	s           *Server
	sub         *feedSub
	since, upto uint64 // history to replay: versions since < v <= upto
	conn        interface{ SetWriteDeadline(time.Time) error }
	sent        uint64
	// scopes, when set, limit the events to changes inside them.
	scopes []geo.DivisionCode
}

// run writes the stream until the client goes away, falls behind, or the
// server shuts down.
func (w *sseWriter) run(bw *bufio.Writer) {
	defer w.s.feed.unsubscribe(w.sub)
	hb := w.s.feed.heartbeat
	w.sent = w.since
	w.deadline(hb)
	if _, err := bw.WriteString("retry: 2000\n: gridmap change feed\n\n"); err != nil || bw.Flush() != nil {
		return
	}
	ctx, cancel := w.s.feed.streamContext()
	defer cancel()
	err := w.s.feedHistory(ctx, w.since, w.upto, func(ev encodedEvent) error { return w.write(bw, ev, hb) })
	if err != nil {
		return
	}
	tick := time.NewTicker(hb)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-w.sub.ch:
			if !ok {
				return // dropped for falling behind
			}
			if ev.version > w.sent && w.write(bw, ev, hb) != nil {
				return
			}
		case <-tick.C:
			w.deadline(hb)
			if _, err := bw.WriteString(": heartbeat\n\n"); err != nil || bw.Flush() != nil {
				return
			}
		case <-w.s.feed.closed:
			return
		}
	}
}

// write sends one event and flushes it.
func (w *sseWriter) write(bw *bufio.Writer, ev encodedEvent, hb time.Duration) error {
	if w.scopes != nil && !inScopes(w.scopes, ev.unit) {
		return nil // outside the token's read scopes
	}
	w.deadline(hb)
	bw.WriteString("event: changeset\nid: ")
	bw.WriteString(eventID(ev.version))
	bw.WriteString("\ndata: ")
	bw.Write(ev.data)
	bw.WriteString("\n\n")
	if err := bw.Flush(); err != nil {
		return err
	}
	w.sent = ev.version
	return nil
}

// deadline gives the next write two heartbeats (at least 10 s) to finish:
// a client that stops reading fills the socket buffers and is dropped
// rather than holding the stream forever.
func (w *sseWriter) deadline(hb time.Duration) {
	if w.conn != nil {
		_ = w.conn.SetWriteDeadline(time.Now().Add(max(2*hb, 10*time.Second)))
	}
}
