package main

import (
	"context"
	"testing"
	"testing/synctest"
	"time"
)

// TestMemoryReleaser checks that requests never block, that a burst of
// them is coalesced into one release made once they pause for the gap,
// that a stream that never pauses is still released every maxDelay, and
// that a later request is served too.
func TestMemoryReleaser(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var freedAt []time.Duration
		start := time.Now()
		m := newMemoryReleaser(2*time.Second, 30*time.Second)
		m.free = func() { freedAt = append(freedAt, time.Since(start)) }
		for v := range uint64(100) {
			m.warmed(v) // nothing runs yet: must not block
		}
		go m.run(ctx)
		// A burst, then requests every second for 5 s: released 2 s
		// after the last.
		for v := range uint64(5) {
			time.Sleep(time.Second)
			m.warmed(v)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if len(freedAt) != 1 || freedAt[0] != 7*time.Second {
			t.Fatalf("released at %v, want once at 7s (2 s after the last request)", freedAt)
		}
		// A stream every 500 ms for 70 s never pauses: released at least
		// every 30 s all the same.
		for v := range uint64(140) {
			m.warmed(v)
			time.Sleep(500 * time.Millisecond)
		}
		synctest.Wait()
		if n := len(freedAt) - 1; n < 2 {
			t.Fatalf("a 70 s stream of requests was released %d times (at %v), want at least 2", n, freedAt)
		}
		cancel()
	})
}
