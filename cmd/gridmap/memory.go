package main

import (
	"context"
	"runtime/debug"
	"time"
)

// A memoryReleaser hands the heap's free memory back to the operating
// system (debug.FreeOSMemory: a collection, then every free page
// returned) after the server has built a version's derived state. The
// builds of each version leave hundreds of megabytes of garbage at scale
// 10; the Go runtime would keep that resident for minutes and let the
// heap goal grow with it. A release is a forced collection and a page
// fault for every page used again after it, which stalls requests: under
// a stream of commits, releasing every 2 s took the lookup p99 under
// load from 22 ms to 248 ms at scale 10 (bench/commits -wrk). So the
// release waits for a quiet spell: gap without another request, or
// maxDelay since the first one, whichever comes first.
type memoryReleaser struct {
	kick     chan struct{}
	gap      time.Duration
	maxDelay time.Duration
	free     func()
}

// newMemoryReleaser returns a releaser that frees once requests have
// stopped for gap, and at least every maxDelay while they go on.
func newMemoryReleaser(gap, maxDelay time.Duration) *memoryReleaser {
	return &memoryReleaser{kick: make(chan struct{}, 1), gap: gap, maxDelay: maxDelay, free: debug.FreeOSMemory}
}

// warmed asks for a release; it never blocks. Its signature is
// server.WithWarmed's.
func (m *memoryReleaser) warmed(uint64) {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// run releases memory when asked, once the requests pause, until ctx
// ends.
func (m *memoryReleaser) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.kick:
		}
		if !m.quiet(ctx) {
			return
		}
		m.free()
	}
}

// quiet waits until no request has come for gap, or maxDelay has passed
// since it began; it reports false when ctx ended first.
func (m *memoryReleaser) quiet(ctx context.Context) bool {
	deadline := time.NewTimer(m.maxDelay)
	defer deadline.Stop()
	for {
		pause := time.NewTimer(m.gap)
		select {
		case <-ctx.Done():
			pause.Stop()
			return false
		case <-deadline.C:
			pause.Stop()
			return true
		case <-pause.C:
			return true
		case <-m.kick:
			pause.Stop()
		}
	}
}

// loadingGCPercent is the collector's target while a restart decodes the
// store and indexes its city: that heap is nearly all live data, so a
// collection at every doubling (GOGC 100) is wasted work (about a fifth
// of a scale-50 restart's CPU).
const loadingGCPercent = 400

// collectLessWhileLoading raises the collector's target for loading and
// returns the function that restores it.
func collectLessWhileLoading() func() {
	old := debug.SetGCPercent(loadingGCPercent)
	return func() { debug.SetGCPercent(old) }
}
