package address

import (
	"runtime"
	"testing"

	"github.com/gridmap/gridmap/geo"
)

// indexHeapBytes returns the live heap an index of c holds: the heap after
// building it less the heap before, both after a collection.
func indexHeapBytes(c *geo.City) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewCityIndex(c)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	if after.HeapAlloc < before.HeapAlloc {
		return 0
	}
	return after.HeapAlloc - before.HeapAlloc
}

// TestIndexMemory checks the fixture city's index stays under 100 MB.
func TestIndexMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the fixture city")
	}
	c := fixtureCity(t)
	got := indexHeapBytes(c)
	t.Logf("index of %d buildings holds %.1f MiB", len(c.Buildings), float64(got)/(1<<20))
	if got == 0 || got > 100<<20 {
		t.Errorf("index heap = %d bytes, want between 1 and 100 MiB", got)
	}
}
