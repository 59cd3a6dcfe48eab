package server

import (
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackgroundBuildsBounded checks issue 13's item 9: every build of a
// view's derived state (walking network, coverage, address index, search,
// OGC layers, tile renderer and each zoom of its geometry) goes through
// the Background limiter, so no more than its slots (GOMAXPROCS-1, at
// least one) run at once, and lookups answer while a build holds a slot.
// The hook holds the first build until the lookups have answered, so the
// requests that need derived state queue behind it meanwhile.
func TestBackgroundBuildsBounded(t *testing.T) {
	limit := cap(Background.slots)
	var active, peak, started atomic.Int32
	holding := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	hook := func(start bool) {
		if !start {
			active.Add(-1)
			return
		}
		n := active.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		started.Add(1)
		once.Do(func() {
			close(holding)
			select {
			case <-release:
			case <-time.After(30 * time.Second):
				t.Error("the lookups never released the held build")
			}
		})
	}
	buildHook.Store(&hook)
	defer buildHook.Store(nil)

	s := newTestServer(t) // its warmers start building at once
	select {
	case <-holding:
	case <-time.After(30 * time.Second):
		t.Fatal("no background build started")
	}
	var wg sync.WaitGroup
	for _, path := range []string{"/v1/geocode?address=钟山大道1号", "/v1/coverage?level=grid",
		"/tiles/14/13155/6918.mvt", "/v1/search?q=钟环", "/ogc/collections/grids/items?limit=1"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r := do(t, s, http.MethodGet, path, "", ""); r.status >= 500 {
				t.Errorf("GET %s = %d %s", path, r.status, r.body)
			}
		}()
	}
	for range 20 {
		if r := do(t, s, http.MethodGet, "/v1/lookup?lon=104.805&lat=26.595", "", ""); r.status != http.StatusOK {
			t.Fatalf("lookup while a build runs = %d %s", r.status, r.body)
		}
	}
	if active.Load() < 1 {
		t.Fatal("the held build no longer counts as running")
	}
	close(release)
	wg.Wait()
	waitWarmers(s)
	if got := peak.Load(); got > int32(limit) {
		t.Errorf("%d builds ran at once; the limit is %d", got, limit)
	}
	if got := started.Load(); got < 5 {
		t.Errorf("only %d builds went through the limiter; want every derived value's", got)
	}
	t.Logf("%d builds, at most %d at once (limit %d)", started.Load(), peak.Load(), limit)
}

// waitWarmers returns once no warmer holds the server's warm lock.
func waitWarmers(s *Server) {
	s.warmMu.Lock()
	defer s.warmMu.Unlock()
}
