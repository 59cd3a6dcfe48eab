package tiles

import (
	"bytes"
	"context"
	"sync"
	"testing"
)

// TestRenderConcurrent renders the same tiles, z0 to z16, from several
// goroutines at once on fresh renderers: one with its levels built
// concurrently on demand (the build completing the set drops the level
// sources while others may still render), one prepared beforehand; run
// with -race. Every result must equal a sequential render.
func TestRenderConcurrent(t *testing.T) {
	s := testCity(t, 1)
	for _, prepare := range []bool{false, true} {
		r, err := NewRenderer(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if prepare {
			if err := r.Prepare(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		renderConcurrently(t, r)
	}
}

func renderConcurrently(t *testing.T, r *Renderer) {
	t.Helper()
	var keys []Key
	for k := range KeysIn(r.Bound(), 0, 16) {
		keys = append(keys, k)
	}
	const workers = 4
	got := make([][][]byte, workers)
	var start, wg sync.WaitGroup
	start.Add(1)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			start.Wait()
			for _, k := range keys {
				data, err := r.Render(k)
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], data)
			}
		}(w)
	}
	start.Done()
	wg.Wait()
	if r.levels.holdsEarlier() {
		t.Error("every level is built, but the renderer still holds what it was patched from")
	}
	seq, err := NewRenderer(r.snap, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		want, _ := seq.Render(k)
		for w := 0; w < workers; w++ {
			if i < len(got[w]) && !bytes.Equal(got[w][i], want) {
				t.Fatalf("worker %d tile %s differs from a sequential render", w, k)
			}
		}
	}
}
