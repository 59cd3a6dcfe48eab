package server

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/address"
	"github.com/gridmap/gridmap/geo/search"
	"github.com/gridmap/gridmap/geo/walk"
	"github.com/gridmap/gridmap/tiles"
)

// A lazy holds a value derived from one view's snapshot (a tile renderer,
// a walking network, an address index), built once on first use. Because a
// view belongs to exactly one snapshot, a derived value can never outlive
// the snapshot it was built from: a Swap brings a new view and new lazies.
type lazy[T any] struct {
	mu   sync.Mutex
	done atomic.Bool // v and err are set
	v    T
	err  error
}

// get returns the value, building it with build on the first call. Later
// callers wait for the first build and share its result. A build that
// gives up with errSuperseded is not kept: the next call builds again.
func (l *lazy[T]) get(build func() (T, error)) (T, error) {
	if l.done.Load() {
		return l.v, l.err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.done.Load() {
		return l.v, l.err
	}
	v, err := build()
	if errors.Is(err, errSuperseded) {
		return v, err
	}
	l.v, l.err = v, err
	l.done.Store(true)
	return v, err
}

// ready returns the value if it is built without error.
func (l *lazy[T]) ready() (T, bool) {
	if l.done.Load() && l.err == nil {
		return l.v, true
	}
	var zero T
	return zero, false
}

// errSuperseded is returned by a build that gave up because a newer
// version replaced its view before the build's turn came (see
// tileServer.servingRenderer).
var errSuperseded = errors.New("superseded by a newer version")

// A lazyLRU keeps the values of recently asked keys, each built once by
// a lazy, least recently used first out beyond size (at least one).
// Concurrent requests for one key share one build; a failed build is not
// kept.
type lazyLRU[K comparable, V any] struct {
	mu      sync.Mutex
	size    int
	entries map[K]*lazy[V]
	order   []K // least recently used first
}

// get returns the value of k, building it with build once.
func (c *lazyLRU[K, V]) get(k K, build func() (V, error)) (V, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[K]*lazy[V]{}
	}
	e, ok := c.entries[k]
	if !ok {
		e = &lazy[V]{}
		c.entries[k] = e
	}
	c.order = append(slices.DeleteFunc(c.order, func(o K) bool { return o == k }), k)
	for len(c.order) > max(c.size, 1) {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
	c.mu.Unlock()
	v, err := e.get(build)
	if err != nil {
		c.mu.Lock()
		if c.entries[k] == e {
			delete(c.entries, k)
			c.order = slices.DeleteFunc(c.order, func(o K) bool { return o == k })
		}
		c.mu.Unlock()
	}
	return v, err
}

// A warmer builds a view's derived values ahead of the first request that
// needs them. Features register warmers when they register routes: in
// Server.quickWarmers those done in milliseconds (the change feed's
// publication, and what is rebased or patched from the previous version:
// addresses, search, walking network and coverage), in Server.warmers
// the rest (tiles).
type warmer func(v *view)

// warm runs the registered warmers for v in the background, so a Swap
// returns at once while the new view's indexes build: first the quick
// warmers, one view at a time (quickMu), then the others, one view at a
// time (warmMu). The quick ones never wait for an older view's long
// warmer (a tile renderer) to return, so a new version's geocoding,
// search and coverage are ready first: their builds go ahead of waiting
// long ones in the Background limiter (backgroundFirst), and while they
// run no long build starts (WorkLimiter.HoldBack). A view
// that is no longer current by the time a warmer's turn comes (a newer
// commit swapped in and cancelled its warmCtx) is skipped: back-to-back
// commits never pile up rebuilds on the cores. The warmers themselves
// hold no worker: each build they start takes one (see background), so
// requests needing the same values wait for the same builds.
func (s *Server) warm(v *view) {
	if len(s.warmers)+len(s.quickWarmers) == 0 {
		return
	}
	s.warming.Add(1)
	go func() {
		defer s.warming.Done()
		s.quickMu.Lock()
		release := Background.HoldBack() // no long build slips in between two quick ones
		ok := s.runWarmers(v, s.quickWarmers)
		release()
		s.quickMu.Unlock()
		if !ok {
			return
		}
		s.warmMu.Lock()
		defer s.warmMu.Unlock()
		if s.runWarmers(v, s.warmers) && s.warmed != nil {
			s.warmed(v.snap.Version)
		}
	}()
}

// runWarmers runs ws for v in order while v is current and not
// cancelled, and reports whether v still is at the end.
func (s *Server) runWarmers(v *view, ws []warmer) bool {
	current := func() bool { return s.view.Load() == v && (v.warmCtx == nil || v.warmCtx.Err() == nil) }
	for _, w := range ws {
		if !current() {
			return false
		}
		w(v)
	}
	return current()
}

// background runs one piece of derived-state building (an index, a
// network, a tile renderer or one zoom of its geometry) through the
// Background limiter, so at most GOMAXPROCS-1 (at least one) such pieces
// run at once and request handling always keeps a core, on an operating
// system thread of lower priority (see lowPriority). f must not wait for
// another background piece: callers resolve what a build depends on
// first, then build.
func background(f func()) { Background.Do(func() { build(false, f) }) }

// backgroundFirst is background for a quick build that a request for the
// newest version may be waiting on (an address index, walking network,
// coverage or search index rebased or patched from the previous
// version's): it goes ahead of every long build waiting for a turn, so
// it waits at most for the builds already running.
func backgroundFirst(f func()) { Background.DoFirst(func() { build(false, f) }) }

// rebaseOrBuild runs rebase, a derived value's rebase on the previous
// version's (milliseconds), in the Background limiter's quick lane, so it
// never waits for a long build holding the slots (a tile renderer takes
// seconds at scale 50); when rebase reports false (nothing to rebase on),
// whole builds the value afresh through backgroundFirst.
func rebaseOrBuild(rebase func() bool, whole func()) {
	var ok bool
	Background.DoQuick(func() { build(true, func() { ok = rebase() }) })
	if !ok {
		backgroundFirst(whole)
	}
}

// build runs f at low priority, telling buildHook (quick: in the quick
// lane).
func build(quick bool, f func()) {
	if h := buildHook.Load(); h != nil {
		(*h)(true, quick)
		defer (*h)(false, quick)
	}
	lowPriority(f)
}

// buildHook, when set (by tests), is called as each background build
// starts (true) and ends (false).
var buildHook atomic.Pointer[func(start, quick bool)]

// lowPriority runs f on a new goroutine locked to its own thread, which
// is given a nice value of backgroundNice first (where the system allows
// it) and ends with f: the thread is then discarded rather than handed
// back, lowered, to request handling. A panic in f is raised again in the
// caller.
func lowPriority(f func()) {
	var p any
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() { p = recover() }()
		runtime.LockOSThread() // never unlocked: the thread exits with the goroutine
		lowerThreadPriority()
		f()
	}()
	<-done
	if p != nil {
		panic(p)
	}
}

// A lineage keeps the newest view's walking network, 15-minute coverage,
// address index and search index, so that the next version's can be
// rebased on them (walk.Network.Rebase, address.Index.Rebase,
// search.Index.Patch) instead of built again: a grid edit moves buildings
// between grids but moves no building, street or address, and changes
// the search entries of its grids only. It holds only the newest of each,
// so no old version stays alive through it.
type lineage struct {
	mu       sync.Mutex
	net      *walk.Network
	cov      *walk.Coverage
	addr     *address.Index
	addrCity *geo.City
	// addrVersion is addrCity's snapshot version.
	addrVersion uint64
	// search is the newest search index, of version searchVersion.
	search        *search.Index
	searchVersion uint64
	// renderer is the newest tile renderer: the next version's is made
	// from it (tiles.NewRendererFrom), reusing its label points and
	// colours and patching its zooms' geometry.
	renderer *tiles.Renderer
	// gen is renderer's key in the tile cache (view.tileGen).
	gen uint64
}

// tileRenderer returns the newest tile renderer and its tile cache key,
// or nil.
func (l *lineage) tileRenderer() (*tiles.Renderer, uint64) {
	if l == nil {
		return nil, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.renderer, l.gen
}

// keepRenderer records r, v's tile renderer (with its cache key
// v.tileGen), as the newest.
func (l *lineage) keepRenderer(v *view, r *tiles.Renderer) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.renderer == nil || l.renderer.Version() <= v.snap.Version {
		l.renderer, l.gen = r, v.tileGen
	}
}

// network returns a network for v rebased on the newest one, or nil.
func (l *lineage) network(v *view) *walk.Network {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	base := l.net
	l.mu.Unlock()
	if base == nil || (v.walkCfg == nil || v.walkCfg.Ways == nil) && !sameStreets(base.Snapshot().City, v.snap.City) {
		return nil
	}
	n, ok := base.Rebase(v.snap)
	if !ok {
		return nil
	}
	return n
}

// keepNetwork records n, v's network, as the newest.
func (l *lineage) keepNetwork(v *view, n *walk.Network) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.net == nil || l.net.Snapshot().Version <= v.snap.Version {
		l.net = n
	}
}

// coverage returns the 15-minute coverage on n rebased on the newest
// one, or nil.
func (l *lineage) coverage(n *walk.Network) *walk.Coverage {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	base := l.cov
	l.mu.Unlock()
	if base == nil {
		return nil
	}
	c, ok := base.Rebase(n)
	if !ok {
		return nil
	}
	return c
}

// keepCoverage records c, v's 15-minute coverage, as the newest.
func (l *lineage) keepCoverage(v *view, c *walk.Coverage) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.net != nil && l.net.Snapshot().Version <= v.snap.Version {
		l.cov = c
	}
}

// addresses returns an address index for v rebased on the newest, or nil.
func (l *lineage) addresses(v *view) *address.Index {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	base, city := l.addr, l.addrCity
	l.mu.Unlock()
	if base == nil {
		return nil
	}
	x, ok := base.Rebase(city, v.snap.City)
	if !ok {
		return nil
	}
	return x
}

// keepAddresses records x, v's address index, as the newest.
func (l *lineage) keepAddresses(v *view, x *address.Index) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.addrCity == nil || l.addrVersion <= v.snap.Version {
		l.addr, l.addrCity, l.addrVersion = x, v.snap.City, v.snap.Version
	}
}

// searchIndex returns v's search index patched from the newest one, or
// nil when there is none yet.
func (l *lineage) searchIndex(v *view) *search.Index {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	base := l.search
	l.mu.Unlock()
	if base == nil {
		return nil
	}
	return base.Patch(v.snap)
}

// keepSearch records ix, v's search index, as the newest.
func (l *lineage) keepSearch(v *view, ix *search.Index) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.search == nil || l.searchVersion <= v.snap.Version {
		l.search, l.searchVersion = ix, v.snap.Version
	}
}

// sameStreets reports whether b has a's streets (the same values).
func sameStreets(a, b *geo.City) bool {
	if len(a.Streets) != len(b.Streets) {
		return false
	}
	for i, s := range a.Streets {
		if t := b.Streets[i]; s != t && (s.ID != t.ID || s.Name != t.Name || s.Class != t.Class || !slices.Equal(s.Line, t.Line)) {
			return false
		}
	}
	return true
}
