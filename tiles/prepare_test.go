package tiles

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// TestPrepareDropsBase checks that Prepare builds every level, drops the
// earlier renderer its levels were patched from (so old versions are not
// kept alive through it), and that the prepared renderer draws what a
// renderer building its levels on demand draws.
func TestPrepareDropsBase(t *testing.T) {
	s := testCity(t, 1)
	first, err := NewRenderer(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRendererFrom(s, Options{}, first)
	if err != nil {
		t.Fatal(err)
	}
	if r.levels.src == nil || r.levels.base != first {
		t.Fatal("a renderer made from another has no level sources or no base")
	}
	if err := r.Prepare(context.Background()); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if r.levels.base != nil {
		t.Error("Prepare built every level but kept the renderer they were patched from")
	}
	for z := range r.levels.slots {
		if r.levels.slots[z].lv == nil {
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
