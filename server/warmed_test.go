package server

import (
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
)

// TestWithWarmed checks that the warmed callback reports each swapped-in
// version once its derived state is built.
func TestWithWarmed(t *testing.T) {
	got := make(chan uint64, 4)
	s, err := New(Config{}, nil, nil, WithWarmed(func(v uint64) { got <- v }))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []uint64{1, 2} {
		snap, err := geo.NewSnapshot(testCity(t), v)
		if err != nil {
			t.Fatal(err)
		}
		s.Swap(snap)
		select {
		case w := <-got:
			if w != v {
				t.Errorf("warmed(%d) after swapping in version %d", w, v)
			}
		case <-time.After(2 * time.Minute):
			t.Fatalf("version %d: warmed never called", v)
		}
	}
}
