package tiles

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// zhongshan returns the WGS-84 box of 钟山区 (520201) in the reference city.
func zhongshan(t testing.TB, s *geo.Snapshot) orb.Bound {
	t.Helper()
	u, ok := s.Unit(520201000000)
	if !ok || len(u.Geometry) == 0 {
		t.Fatal("the reference city has no 钟山区 (520201) with an area")
	}
	return u.Geometry.Bound()
}

// TestCityEveryTile renders every tile of the reference city from z0 to
// z16 (z14 with -short) and those of 钟山区 at z17-z18, and checks each one
// (decoding, winding, ids, properties against the source data, clip box)
// and the 500 KB cap.
func TestCityEveryTile(t *testing.T) {
	r := cityRenderer(t)
	want := expectedProps(r.snap)
	maxZ := uint32(16)
	if testing.Short() {
		maxZ = 14
	}
	keys := func(yield func(Key) bool) {
		for k := range KeysIn(r.Bound(), 0, maxZ) {
			if !yield(k) {
				return
			}
		}
		if !testing.Short() {
			for k := range KeysIn(zhongshan(t, r.snap), 17, 18) {
				if !yield(k) {
					return
				}
			}
		}
	}
	n, nonEmpty, largest := 0, 0, 0
	var largestKey Key
	for k := range keys {
		data, err := r.Render(k)
		if err != nil {
			t.Fatalf("Render(%v): %v", k, err)
		}
		n++
		if len(data) > largest {
			largest, largestKey = len(data), k
		}
		if len(data) > 500_000 {
			t.Errorf("tile %s has %d bytes, want at most 500 KB", k, len(data))
		}
		if len(data) == 0 {
			continue
		}
		nonEmpty++
		for _, l := range checkTile(t, r, k, data) {
			for _, f := range l.Features {
				if msg := propsMismatch(f.Properties, want[l.Name][uint64(f.ID.(float64))]); msg != "" {
					t.Fatalf("tile %s %s feature %v: %s", k, l.Name, f.ID, msg)
				}
			}
		}
	}
	t.Logf("%d tiles, %d not empty, largest %s with %d bytes", n, nonEmpty, largestKey, largest)
}

// TestCitySharedBorders checks the shared borders of the reference city's
// grids at z10-z18, in the generalised geometry and in decoded tiles of
// 钟山区 (every tile at z12-z16, the tiles around its middle at z17-z18).
func TestCitySharedBorders(t *testing.T) {
	r := cityRenderer(t)
	checkLevels(t, r, 10, 18)
	b := zhongshan(t, r.snap)
	checkTileBorders(t, r, KeysIn(b, 12, 16))
	mid := b.Center()
	around := orb.Bound{Min: orb.Point{mid[0] - 0.01, mid[1] - 0.01}, Max: orb.Point{mid[0] + 0.01, mid[1] + 0.01}}
	checkTileBorders(t, r, KeysIn(around, 17, 18))
}

// TestCityDeterministic renders every tile z8-z16 with two renderers built
// from two separate Generate calls, and twice with one of them: the bytes
// must be identical.
func TestCityDeterministic(t *testing.T) {
	s2, err := generateCity()
	if err != nil {
		t.Fatalf("generating the city again: %v", err)
	}
	r1 := cityRenderer(t)
	r2, err := NewRenderer(s2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	maxZ := uint32(16)
	if testing.Short() {
		maxZ = 14
	}
	n := 0
	for k := range KeysIn(r1.Bound(), 8, maxZ) {
		a, err1 := r1.Render(k)
		b, err2 := r2.Render(k)
		again, err3 := r1.Render(k)
		if err1 != nil || err2 != nil || err3 != nil {
			t.Fatalf("Render(%v): %v, %v, %v", k, err1, err2, err3)
		}
		if !bytes.Equal(a, b) || !bytes.Equal(a, again) {
			t.Fatalf("tile %s differs: %d bytes, %d from the second city, %d rendered again", k, len(a), len(b), len(again))
		}
		n++
	}
	t.Logf("%d tiles identical", n)
}
