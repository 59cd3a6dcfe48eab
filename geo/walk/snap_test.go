package walk

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestSnapByHand(t *testing.T) {
	cases := []struct {
		name           string
		ways           []Way
		x, y           float64
		edge           int
		offset, access float64
	}{
		{"perpendicular to a meridian street", []Way{{Line: line(0, 0, 0, 200)}}, 30, 50, 0, 50, 30},
		{"beyond the end", []Way{{Line: line(0, 0, 0, 200)}}, 0, 260, 0, 200, 60},
		{"before the start", []Way{{Line: line(0, 0, 0, 200)}}, -40, -30, 0, 0, 50},
		{"diagonal street", []Way{{Line: line(0, 0, 100, 100)}}, 100, 0, 0, 50 * math.Sqrt2, 50 * math.Sqrt2},
		{"second segment of a bent street", []Way{{Line: line(0, 0, 100, 0, 100, 100)}}, 120, 50, 0, 150, 20},
		{"nearer of two streets", []Way{{Line: line(0, 0, 0, 200)}, {Line: line(50, 0, 50, 200)}}, 40, 100, 1, 100, 10},
		{"on the street", []Way{{Line: line(0, 0, 300, 0)}}, 120, 0, 0, 120, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g, err := BuildGraph(c.ways)
			if err != nil {
				t.Fatalf("BuildGraph: %v", err)
			}
			got, err := g.Snap(at(c.x, c.y), 0)
			if err != nil {
				t.Fatalf("Snap: %v", err)
			}
			// Vertices are merged on a 1e-7 degree grid, so streets move by up
			// to 6 mm.
			if got.Edge != c.edge || math.Abs(got.OffsetMeters-c.offset) > 0.01 || math.Abs(got.AccessMeters-c.access) > 0.01 {
				t.Errorf("Snap(%v, %v) = edge %d offset %.4f access %.4f, want edge %d offset %.4f access %.4f",
					c.x, c.y, got.Edge, got.OffsetMeters, got.AccessMeters, c.edge, c.offset, c.access)
			}
			if d := haversine(at(c.x, c.y), got.Foot); math.Abs(d-got.AccessMeters) > 1e-3 {
				t.Errorf("foot %v is %.4f m from the point, access says %.4f", got.Foot, d, got.AccessMeters)
			}
		})
	}
}

func TestSnapErrors(t *testing.T) {
	g, err := BuildGraph([]Way{{Line: line(0, 0, 0, 200)}})
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	cases := []struct {
		name string
		p    orb.Point
		max  float64
		want error
	}{
		{"600 m away", at(600, 100), 0, ErrOffNetwork},
		{"60 m away, limit 50", at(60, 100), 50, ErrOffNetwork},
		{"NaN", orb.Point{math.NaN(), 26}, 0, ErrBadGeometry},
		{"longitude 200", orb.Point{200, 26}, 0, ErrBadGeometry},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := g.Snap(c.p, c.max); !errors.Is(err, c.want) {
				t.Errorf("Snap error = %v, want %v", err, c.want)
			}
		})
	}
	if _, err := g.Snap(at(499, 100), 0); err != nil {
		t.Errorf("Snap 499 m away: %v, want a snap", err)
	}
}

func TestTownBuildingsSnapToTheirStreet(t *testing.T) {
	tw := newTown(t)
	off, offSt := tw.net.OffNetwork()
	if len(off) != 1 || off[0].Point != at(600, 1800) {
		t.Errorf("off-network buildings = %v, want the one at (600, 1800)", off)
	}
	if len(offSt) != 1 || offSt[0].ID != 5 {
		t.Errorf("off-network stations = %v, want station 5", offSt)
	}
	for i, b := range tw.city.Buildings {
		sn, ok := tw.net.BuildingSnap(i)
		if !ok {
			continue
		}
		if sn.AccessMeters < 8-1e-3 || sn.AccessMeters > 20+1e-3 {
			t.Errorf("building %d snapped %.3f m away, want 8-20 m", b.ID, sn.AccessMeters)
		}
		if l := tw.g.Edge(sn.Edge).LengthMeters; sn.OffsetMeters < 0 || sn.OffsetMeters > l {
			t.Errorf("building %d offset %.3f outside edge length %.3f", b.ID, sn.OffsetMeters, l)
		}
	}
}
