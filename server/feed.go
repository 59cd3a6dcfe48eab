package server

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/gridmap/gridmap/geo/store"
	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
)

// Settings of the change feed.
const (
	// feedClientBuffer is how many events a stream client may fall
	// behind before it is dropped (it resumes with Last-Event-ID).
	feedClientBuffer = 64
	// feedRecent is how many encoded events the hub keeps for resuming
	// clients, so a reconnect storm does not recompute them.
	feedRecent = 256
	// feedPage is how many changesets one history read returns.
	feedPage = 500
	// defaultFeedHeartbeat is the interval of the stream's comments that
	// keep idle connections (and proxies) open.
	defaultFeedHeartbeat = 15 * time.Second
)

// WithFeedHeartbeat sets the interval of the change stream's heartbeat
// comments (default 15s).
func WithFeedHeartbeat(d time.Duration) Option {
	return func(s *Server) { s.feed.heartbeat = d }
}

// A feedEvent is one committed changeset as the feed publishes it: the
// changeset's summary, its grids by what happened to them, its crosswalk
// rows and the tiles whose content it changed.
type feedEvent struct {
	changeSummary
	Created   []string            `json:"created"`
	Retired   []string            `json:"retired"`
	Changed   []string            `json:"changed"`
	Crosswalk []edit.CrosswalkRow `json:"crosswalk"`
	Tiles     []edit.TileKey      `json:"tiles"`
	// TileRanges are, zoom by zoom, the boxes of tiles showing a unit
	// whose totals (grids, households, buildings) the change altered.
	TileRanges []tileRange `json:"tile_ranges"`
}

// A tileRange is the box of tiles MinX..MaxX by MinY..MaxY of zoom Z.
type tileRange struct {
	Z    uint32 `json:"z"`
	MinX uint32 `json:"min_x"`
	MinY uint32 `json:"min_y"`
	MaxX uint32 `json:"max_x"`
	MaxY uint32 `json:"max_y"`
}

// An encodedEvent is a feed event ready to send: its version and JSON.
type encodedEvent struct {
	version uint64
	data    []byte
	// unit is the unit the changeset changed, for read scopes.
	unit geo.DivisionCode
}

// newFeedEvent builds the event of cs; units gives the geometry of the
// units above the changed community (any version: grid edits never move
// unit outlines).
func newFeedEvent(cs *store.Changeset, units *geo.Snapshot) (encodedEvent, error) {
	ev := feedEvent{changeSummary: summarize(cs), Created: []string{}, Retired: []string{}, Changed: []string{},
		Crosswalk: cs.Crosswalk, Tiles: []edit.TileKey{}}
	if ev.Crosswalk == nil {
		ev.Crosswalk = []edit.CrosswalkRow{}
	}
	for _, g := range ev.Grids {
		switch g.Kind {
		case edit.ChangeAdded:
			ev.Created = append(ev.Created, g.After)
		case edit.ChangeRetired:
			ev.Retired = append(ev.Retired, g.Before)
		default:
			ev.Changed = append(ev.Changed, g.After)
		}
	}
	d, err := cs.Delta()
	if err != nil {
		return encodedEvent{}, fmt.Errorf("feed event of version %d: %w", cs.Version, err)
	}
	ev.Tiles = append(lowZoomTiles(d.Changes), edit.ChangedTiles(d.Changes)...)
	ev.TileRanges = unitTileRanges(units, cs.Unit)
	b, err := json.Marshal(ev)
	if err != nil {
		return encodedEvent{}, fmt.Errorf("feed event of version %d: %w", cs.Version, err)
	}
	return encodedEvent{version: cs.Version, data: b, unit: cs.Unit}, nil
}

// lowZoomTiles returns the tiles of zooms below edit.MinTileZoom that
// hold a changed grid's box (a handful: at those zooms a community fits
// in one or two tiles).
func lowZoomTiles(changes []edit.Change) []edit.TileKey {
	var b orb.Bound
	first := true
	for _, c := range changes {
		for _, g := range []*geo.Grid{c.Before, c.After} {
			if g == nil || len(g.Geometry) == 0 {
				continue
			}
			if first {
				b, first = g.Geometry.Bound(), false
			} else {
				b = b.Union(g.Geometry.Bound())
			}
		}
	}
	out := []edit.TileKey{}
	if first {
		return out
	}
	for k := range tiles.KeysIn(b, 0, edit.MinTileZoom-1) {
		out = append(out, edit.TileKey{Z: uint8(k.Z), X: k.X, Y: k.Y})
	}
	return out
}

// A feedHub publishes each version the server starts serving to the
// stream clients and webhooks: on every Swap it reads the changesets
// after the last one published from the store, so commits of this
// instance and of others (followed through the store's Watch) are
// published alike, once and in order.
type feedHub struct {
	heartbeat time.Duration

	mu     sync.Mutex
	last   uint64 // the last version published
	primed bool   // last has been read
	subs   map[*feedSub]struct{}
	recent []encodedEvent // the last feedRecent events, oldest first
	closed chan struct{}
	once   sync.Once
	// listeners are told of every published version (webhooks).
	listeners []func(version uint64)
}

// A feedSub is one stream client: its events, and whether the hub
// dropped it for falling behind.
type feedSub struct {
	ch      chan encodedEvent
	dropped bool
}

// init prepares the hub; called once when the routes are registered.
func (h *feedHub) init() {
	h.subs = map[*feedSub]struct{}{}
	h.closed = make(chan struct{})
	if h.heartbeat <= 0 {
		h.heartbeat = defaultFeedHeartbeat
	}
}

// close ends every stream (at shutdown).
func (h *feedHub) close() {
	h.once.Do(func() {
		if h.closed != nil {
			close(h.closed)
		}
	})
}

// publish reads and publishes the changesets up to the version v now
// served. The first call only records v: the feed starts at the version
// the server started with (earlier ones are read from history by the
// clients that ask).
func (s *Server) publishFeed(v *view) {
	h := &s.feed
	ver := v.snap.Version
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.primed || s.store == nil {
		h.last, h.primed = max(h.last, ver), true
		return
	}
	for h.last < ver {
		css, err := s.store.Changes(context.Background(), store.Filter{After: h.last, Before: ver + 1, Limit: feedPage})
		if err != nil || len(css) == 0 {
			s.log.Error("change feed: reading the changesets", "after", h.last, "upto", ver, "err", err)
			return
		}
		for _, cs := range css {
			ev, err := newFeedEvent(cs, s.Snapshot())
			if err != nil {
				s.log.Error("change feed: encoding a changeset", "version", cs.Version, "err", err)
				return
			}
			h.sendLocked(ev)
			h.last = cs.Version
		}
	}
	for _, l := range h.listeners {
		l(h.last)
	}
}

// sendLocked keeps ev among the recent events and hands it to every
// client, dropping those whose buffer is full.
func (h *feedHub) sendLocked(ev encodedEvent) {
	h.recent = append(h.recent, ev)
	if len(h.recent) > feedRecent {
		h.recent = h.recent[len(h.recent)-feedRecent:]
	}
	for sub := range h.subs {
		select {
		case sub.ch <- ev:
		default:
			sub.dropped = true
			delete(h.subs, sub)
			close(sub.ch)
		}
	}
}

// subscribe registers a client and returns it with the last version
// published: events after it arrive on the client's channel.
func (h *feedHub) subscribe() (*feedSub, uint64) {
	sub := &feedSub{ch: make(chan encodedEvent, feedClientBuffer)}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.subs[sub] = struct{}{}
	return sub, h.last
}

// unsubscribe removes a client.
func (h *feedHub) unsubscribe(sub *feedSub) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[sub]; ok {
		delete(h.subs, sub)
		close(sub.ch)
	}
}

// recentEvent returns the kept event of version v, if any.
func (h *feedHub) recentEvent(v uint64) (encodedEvent, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n := len(h.recent); n > 0 && v >= h.recent[0].version && v <= h.recent[n-1].version {
		ev := h.recent[v-h.recent[0].version]
		return ev, ev.version == v
	}
	return encodedEvent{}, false
}

// history calls fn with the events of the versions after since, up to
// upto, oldest first, read from the recent events or the store.
func (s *Server) feedHistory(ctx context.Context, since, upto uint64, fn func(encodedEvent) error) error {
	for since < upto {
		if ev, ok := s.feed.recentEvent(since + 1); ok {
			if err := fn(ev); err != nil {
				return err
			}
			since++
			continue
		}
		css, err := s.store.Changes(ctx, store.Filter{After: since, Before: upto + 1, Limit: feedPage})
		if err != nil {
			return err
		}
		if len(css) == 0 {
			return nil
		}
		for _, cs := range css {
			ev, err := newFeedEvent(cs, s.Snapshot())
			if err != nil {
				return err
			}
			if err := fn(ev); err != nil {
				return err
			}
			since = cs.Version
		}
	}
	return nil
}

// eventID returns the SSE id of an event: its version.
func eventID(v uint64) string { return strconv.FormatUint(v, 10) }

// streamContext returns a context that ends when the hub closes or the
// returned cancel is called (which the stream does when it ends).
func (h *feedHub) streamContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-h.closed:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// unitTileRanges returns the tile boxes, from each layer's first zoom to
// tiles.DefaultMaxDataZoom, of the community c and the subdistrict and
// district above it, whose features carry the totals a grid edit changes.
func unitTileRanges(snap *geo.Snapshot, c geo.DivisionCode) []tileRange {
	out := []tileRange{}
	if snap == nil {
		return out
	}
	first := map[string]uint32{}
	for _, l := range tiles.Layers() {
		first[l.ID] = l.MinZoom
	}
	layers := map[geo.Level]string{geo.LevelDistrict: tiles.LayerDistricts, geo.LevelSubdistrict: tiles.LayerSubdistricts,
		geo.LevelCommunity: tiles.LayerCommunities}
	for code := c; code.Level() >= geo.LevelDistrict && code.Level() <= geo.LevelCommunity; code = code.Parent() {
		u, ok := snap.Unit(code)
		if !ok || len(u.Geometry) == 0 {
			continue
		}
		b := u.Geometry.Bound()
		for z := first[layers[code.Level()]]; z <= tiles.DefaultMaxDataZoom; z++ {
			r := tileRange{Z: z, MinX: math.MaxUint32, MinY: math.MaxUint32}
			for k := range tiles.KeysIn(orb.Bound{Min: b.Min, Max: b.Min}, z, z) {
				r.MinX, r.MaxY = k.X, k.Y
			}
			for k := range tiles.KeysIn(orb.Bound{Min: b.Max, Max: b.Max}, z, z) {
				r.MaxX, r.MinY = k.X, k.Y
			}
			out = append(out, r)
		}
	}
	return out
}
