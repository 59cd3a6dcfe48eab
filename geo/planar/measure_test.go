package planar

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

func TestOrient(t *testing.T) {
	ccw := orb.Ring{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}
	hole := orb.Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}}
	flat := orb.Ring{{0, 0}, {1, 1}, {2, 2}, {0, 0}}
	rev := func(r orb.Ring) orb.Ring { c := slices.Clone(r); slices.Reverse(c); return c }
	cases := []struct {
		name        string
		in, want    orb.Polygon
		wrongOuter  bool
		wrongInHole bool
	}{
		{name: "already right", in: orb.Polygon{ccw, hole}, want: orb.Polygon{ccw, hole}},
		{name: "both wrong", in: orb.Polygon{rev(ccw), rev(hole)}, want: orb.Polygon{ccw, hole}, wrongOuter: true, wrongInHole: true},
		{name: "zero area left alone", in: orb.Polygon{flat, flat}, want: orb.Polygon{flat, flat}},
	}
	for _, c := range cases {
		in := orb.Polygon{slices.Clone(c.in[0]), slices.Clone(c.in[1])}
		if got := WrongWay(in[0], true); got != c.wrongOuter {
			t.Errorf("%s: WrongWay(outer) = %v, want %v", c.name, got, c.wrongOuter)
		}
		if got := WrongWay(in[1], false); got != c.wrongInHole {
			t.Errorf("%s: WrongWay(hole) = %v, want %v", c.name, got, c.wrongInHole)
		}
		Orient(orb.MultiPolygon{in})
		if !in.Equal(c.want) {
			t.Errorf("%s: Orient = %v, want %v", c.name, in, c.want)
		}
	}
}
