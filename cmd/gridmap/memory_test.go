package main

import (
	"context"
	"testing"
)

// TestMemoryReleaser checks that requests never block and a burst of them
// is coalesced into one release, and that a later request is served too.
func TestMemoryReleaser(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	freed := make(chan struct{}, 100)
	m := newMemoryReleaser(0)
	m.free = func() { freed <- struct{}{} }
	for v := range uint64(100) {
		m.warmed(v) // nothing runs yet: must not block
	}
	go m.run(ctx)
	<-freed
	m.warmed(101)
	<-freed
	cancel()
	if len(freed) != 0 {
		t.Errorf("%d more releases than requests after coalescing", len(freed))
	}
}
