package server

import (
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBackgroundBuildsBounded checks issue 13's item 9: every build of a
// view's derived state (walking network, coverage, address index, search,
// OGC layers, tile renderer and each zoom of its geometry) goes through
// the Background limiter, so no more than its slots (GOMAXPROCS-1, at
// least one) run at once, plus one rebase in its quick lane, and lookups
// answer while a build holds a slot.
// The hook holds the first build until the lookups have answered, so the
// requests that need derived state queue behind it meanwhile.
func TestBackgroundBuildsBounded(t *testing.T) {
	limit := Background.limit
	var active, peak, started, quickActive, quickPeak atomic.Int32
	holding := make(chan struct{})
	release := make(chan struct{})
	var once sync.Once
	hook := func(start, quick bool) {
		count, top := &active, &peak
		if quick {
			count, top = &quickActive, &quickPeak
		}
		if !start {
			count.Add(-1)
			return
		}
		n := count.Add(1)
		for p := top.Load(); n > p && !top.CompareAndSwap(p, n); p = top.Load() {
		}
		started.Add(1)
		if quick {
			return // the held build is a slot's, not the quick lane's
		}
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
		t.Errorf("%d builds ran at once in the slots; the limit is %d", got, limit)
	}
	if got := quickPeak.Load(); got > 1 {
		t.Errorf("%d builds ran at once in the quick lane; it holds one", got)
	}
	if got := started.Load(); got < 5 {
		t.Errorf("only %d builds went through the limiter; want every derived value's", got)
	}
	t.Logf("%d builds, at most %d at once in the slots (limit %d) and %d in the quick lane", started.Load(), peak.Load(), limit, quickPeak.Load())
}

// waitWarmers returns once no view is being warmed.
func waitWarmers(s *Server) { s.warming.Wait() }

// TestWorkLimiterFirst checks that a task started with DoFirst takes the
// next free slot ahead of tasks already waiting in Do, that waiting tasks
// of one kind run in turn, and that no more tasks than the limit run.
func TestWorkLimiterFirst(t *testing.T) {
	l := newWorkLimiter(1)
	hold := make(chan struct{})
	go l.Do(func() { <-hold }) // holds the only slot
	state := func() (running, waiting int) {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.running, len(l.first) + len(l.rest)
	}
	waiting := func(n int) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
			if _, got := state(); got == n {
				return
			}
			if time.Now().After(deadline) {
				_, got := state()
				t.Fatalf("%d tasks waiting, want %d", got, n)
			}
		}
	}
	for r, _ := state(); r == 0; r, _ = state() {
		time.Sleep(time.Millisecond)
	}
	var mu sync.Mutex
	var order []string
	var running, peak atomic.Int32
	task := func(name string) func() {
		return func() {
			n := running.Add(1)
			defer running.Add(-1)
			if n > peak.Load() {
				peak.Store(n)
			}
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	start := func(first bool, name string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if first {
				l.DoFirst(task(name))
			} else {
				l.Do(task(name))
			}
		}()
	}
	start(false, "tiles 1")
	waiting(1)
	start(false, "tiles 2")
	waiting(2)
	start(true, "search")
	waiting(3)
	start(true, "geocode")
	waiting(4)
	close(hold)
	wg.Wait()
	want := []string{"search", "geocode", "tiles 1", "tiles 2"}
	if !slices.Equal(order, want) {
		t.Errorf("tasks ran in the order %v, want %v", order, want)
	}
	if peak.Load() > 1 {
		t.Errorf("%d tasks ran at once; the limit is 1", peak.Load())
	}
	if r, w := state(); r != 0 || w != 0 {
		t.Errorf("after the tasks: %d running, %d waiting; want none", r, w)
	}
}

// TestWorkLimiterHoldBack checks that while a HoldBack is in force a task
// started with Do waits even for a free slot, DoFirst tasks still run, and
// the held task runs once the hold is released.
func TestWorkLimiterHoldBack(t *testing.T) {
	l := newWorkLimiter(1)
	release := l.HoldBack()
	long := make(chan struct{})
	go l.Do(func() { close(long) })
	quick := make(chan struct{})
	go l.DoFirst(func() { close(quick) })
	select {
	case <-quick:
	case <-time.After(10 * time.Second):
		t.Fatal("a DoFirst task did not run during a HoldBack")
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		l.mu.Lock()
		queued := len(l.rest)
		l.mu.Unlock()
		if queued == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the Do task neither ran nor queued")
		}
	}
	select {
	case <-long:
		t.Fatal("a Do task ran during a HoldBack")
	default:
	}
	release()
	release() // a second call does nothing
	select {
	case <-long:
	case <-time.After(10 * time.Second):
		t.Fatal("the held Do task did not run after the release")
	}
}

// TestWorkLimiterQuick checks that a DoQuick task runs while a long task
// holds every slot and a HoldBack is in force, and that quick tasks run
// one at a time.
func TestWorkLimiterQuick(t *testing.T) {
	l := newWorkLimiter(1)
	hold := make(chan struct{})
	held := make(chan struct{})
	go l.Do(func() { close(held); <-hold }) // holds the only slot
	<-held
	release := l.HoldBack()
	defer release()
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.DoQuick(func() {
				n := running.Add(1)
				for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
				}
				time.Sleep(time.Millisecond)
				running.Add(-1)
			})
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("quick tasks waited for the slot a long task holds")
	}
	close(hold)
	if got := peak.Load(); got != 1 {
		t.Errorf("%d quick tasks ran at once, want 1", got)
	}
}
