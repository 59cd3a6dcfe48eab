package server

import (
	"math/rand/v2"
	"net/http"
	"runtime"
	"testing"
	"time"
)

// liveHeap returns the heap in use after two collections.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestMemoryFlatOverCommits commits 100 edits back to back, with every
// derived view warmed in the background as in production, and checks that
// the live heap once the last version is warm has not grown beyond a
// generous bound over the heap of the first warm version: old versions
// (snapshots, views, derived state, store states) are released, and
// nothing kept per edit (history, changesets, caches) adds up.
func TestMemoryFlatOverCommits(t *testing.T) {
	if testing.Short() {
		t.Skip("commits 100 edits to the generated city")
	}
	e := newEditEnv(t, fixtureSnapshot(t).City)
	warmed := make(chan uint64, 256)
	e.s.warmMu.Lock()
	e.s.warmed = func(v uint64) { warmed <- v }
	e.s.warmMu.Unlock()
	waitWarm := func(v uint64) {
		t.Helper()
		deadline := time.After(5 * time.Minute)
		for {
			select {
			case w := <-warmed:
				if w >= v {
					return
				}
			case <-deadline:
				t.Fatalf("version %d never finished warming", v)
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	commit := func() uint64 {
		t.Helper()
		for range 200 {
			v := e.s.view.Load()
			op, ok := randomEdit(r, v.snap)
			if !ok {
				continue
			}
			res := e.request(http.MethodPost, "/v1/edits", "admin", int(v.snap.Version), opJSON(t, op))
			if res.status == http.StatusCreated {
				return v.snap.Version + 1
			}
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("commit %s = %d %.400s", op.Kind, res.status, res.body)
			}
		}
		t.Fatal("no edit committed in 200 attempts")
		return 0
	}
	waitWarm(commit())
	warm := liveHeap()
	var last uint64
	for range 100 {
		last = commit()
	}
	waitWarm(last)
	after := liveHeap()
	runtime.KeepAlive(e) // the server must stay reachable while measured
	t.Logf("live heap: warm %.1f MiB, after 100 commits %.1f MiB", float64(warm)/(1<<20), float64(after)/(1<<20))
	if limit := warm + warm/4 + 8<<20; after > limit {
		t.Errorf("live heap after 100 commits = %.1f MiB, want at most %.1f MiB (warm %.1f MiB + 25%% + 8 MiB)",
			float64(after)/(1<<20), float64(limit)/(1<<20), float64(warm)/(1<<20))
	}
}
