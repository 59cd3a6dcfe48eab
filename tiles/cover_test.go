package tiles

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestKeysIn(t *testing.T) {
	gov := orb.Point{104.8304, 26.5925}
	cases := []struct {
		name       string
		b          orb.Bound
		minZ, maxZ uint32
		want       []Key
	}{
		{"a point at z14", orb.Bound{Min: gov, Max: gov}, 14, 14, []Key{{14, 12962, 6935}}},
		{"the world at z0-z1", orb.Bound{Min: orb.Point{-180, -85}, Max: orb.Point{180, 85}}, 0, 1,
			[]Key{{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {1, 0, 1}, {1, 1, 1}}},
		{"empty bound", orb.Bound{}, 0, 3, nil},
		{"zooms beyond MaxZoom are left out", orb.Bound{Min: gov, Max: gov}, 22, 30, []Key{{22, 3318514, 1775564}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []Key
			for k := range KeysIn(c.b, c.minZ, c.maxZ) {
				if err := k.Valid(); err != nil {
					t.Fatalf("KeysIn yielded %v: %v", k, err)
				}
				got = append(got, k)
			}
			if len(got) != len(c.want) {
				t.Fatalf("KeysIn = %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("KeysIn[%d] = %v, want %v", i, got[i], c.want[i])
				}
			}
			if n := CountKeys(c.b, c.minZ, c.maxZ); n != len(c.want) {
				t.Errorf("CountKeys = %d, want %d", n, len(c.want))
			}
		})
	}
}
