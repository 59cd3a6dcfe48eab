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
// heap goal grow with it. Requests are coalesced and spaced by at least
// gap, so a burst of commits costs one collection per gap.
type memoryReleaser struct {
	kick chan struct{}
	gap  time.Duration
	free func()
}

// newMemoryReleaser returns a releaser that frees at most once per gap.
func newMemoryReleaser(gap time.Duration) *memoryReleaser {
	return &memoryReleaser{kick: make(chan struct{}, 1), gap: gap, free: debug.FreeOSMemory}
}

// warmed asks for a release; it never blocks. Its signature is
// server.WithWarmed's.
func (m *memoryReleaser) warmed(uint64) {
	select {
	case m.kick <- struct{}{}:
	default:
	}
}

// run releases memory when asked until ctx ends.
func (m *memoryReleaser) run(ctx context.Context) {
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.kick:
		}
		if wait := m.gap - time.Since(last); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		m.free()
		last = time.Now()
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
