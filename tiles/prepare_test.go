package tiles

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
)

// TestPrepareDropsBase checks that Prepare builds every level, drops the
// earlier levels they were patched from and the earlier layers Changes
// compares with (so old versions are not kept alive through it), and
// that the prepared renderer draws what a renderer building its levels
// on demand draws.
func TestPrepareDropsBase(t *testing.T) {
	s := testCity(t, 1)
	first, err := NewRenderer(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Prepare(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := NewRendererFrom(s, Options{}, first)
	if err != nil {
		t.Fatal(err)
	}
	if r.levels.src == nil || r.levels.since == nil {
		t.Fatal("a renderer made from another has no level sources or nothing for Changes to compare with")
	}
	for z, b := range r.levels.from {
		if b == nil || b.anc.id != first.levels.id {
			t.Fatalf("zoom %d is not patched from the built level of the renderer it is made from", z)
		}
	}
	if err := r.Prepare(context.Background()); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if r.levels.holdsEarlier() {
		t.Error("Prepare built every level but kept what they were patched from")
	}
	for z := range r.levels.slots {
		if r.levels.slots[z].lv.Load() == nil {
			t.Errorf("level %d not built", z)
		}
	}
	lazy, err := NewRenderer(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for k := range KeysIn(r.Bound(), 0, 18) {
		got, err1 := r.Render(k)
		want, err2 := lazy.Render(k)
		if err1 != nil || err2 != nil {
			t.Fatalf("Render(%v): %v, %v", k, err1, err2)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("tile %s: the prepared renderer wrote %d bytes, the lazy one %d", k, len(got), len(want))
		}
		n++
	}
	t.Logf("%d tiles identical", n)
}

// TestPrepareCancelled checks that Prepare stops when its context is done
// and keeps the sources the missing levels need.
func TestPrepareCancelled(t *testing.T) {
	r := newTestRenderer(t, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Prepare(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Prepare(cancelled) = %v, want context.Canceled", err)
	}
	if r.levels.src == nil {
		t.Fatal("a cancelled Prepare dropped the level sources")
	}
	if _, err := r.Render(Key{Z: 12, X: 3238, Y: 1733}); err != nil {
		t.Errorf("Render after a cancelled Prepare: %v", err)
	}
}

// holdsEarlier reports whether ls holds anything of an earlier version:
// a level to patch from, or layers for Changes.
func (ls *levels) holdsEarlier() bool {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	return ls.since != nil || slices.ContainsFunc(ls.from, func(b *levelBase) bool { return b != nil })
}
