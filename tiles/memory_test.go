package tiles

import (
	"context"
	"runtime"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
)

// liveHeap returns the bytes of live heap after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// retained measures the live heap that NewRenderer and then Prepare add
// for snapshot s, in bytes (negative growth counts as 0).
func retained(t testing.TB, s *geo.Snapshot) (r *Renderer, built, prepared uint64) {
	t.Helper()
	before := liveHeap()
	r, err := NewRenderer(s, Options{})
	if err != nil {
		t.Fatalf("NewRenderer: %v", err)
	}
	afterNew := liveHeap()
	if err := r.Prepare(context.Background()); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	afterPrepare := liveHeap()
	return r, sub(afterNew, before), sub(afterPrepare, afterNew)
}

func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}

// memBudgetPerScale is the heap a renderer may keep per city copy
// (fixtures Scale) after NewRenderer and Prepare. It keeps about 4 MB per
// copy (it kept 24 MB before its geometry, features and values were packed
// into flat slabs); the budget leaves room for growth of the fixtures.
const memBudgetPerScale = 6 << 20

// TestRendererMemory reports the heap a renderer retains after NewRenderer
// and after Prepare for the reference city (scale 1) and, without -short,
// for the scale-10 city, and checks it against memBudgetPerScale.
func TestRendererMemory(t *testing.T) {
	scales := []int{1}
	if !testing.Short() {
		scales = append(scales, 10)
	}
	for _, scale := range scales {
		s := citySnapshot(t)
		if scale != 1 {
			c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
			if err != nil {
				t.Fatalf("generating the scale-%d city: %v", scale, err)
			}
			if s, err = geo.NewSnapshot(c, 1); err != nil {
				t.Fatalf("snapshot of the scale-%d city: %v", scale, err)
			}
		}
		r, built, prepared := retained(t, s)
		total := built + prepared
		t.Logf("scale %d: %d grids, %d buildings, %d streets: NewRenderer %.1f MB, Prepare %.1f MB, total %.1f MB",
			scale, len(s.City.Grids), len(s.City.Buildings), len(s.City.Streets), mb(built), mb(prepared), mb(total))
		if budget := uint64(scale) * memBudgetPerScale; total > budget {
			t.Errorf("scale %d: renderer retains %.1f MB, want at most %.1f MB", scale, mb(total), mb(budget))
		}
		runtime.KeepAlive(r)
		runtime.KeepAlive(s)
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
