package importer

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/paulmach/orb"
)

// jitter moves every vertex of n grids of c (every 100th) by up to maxM
// metres, as digitising does; shared vertices move differently in each
// grid. It returns the codes of the grids moved.
func jitter(c *geo.City, n int, maxM float64, seed uint64) []geo.GridCode {
	rng := rand.New(rand.NewPCG(seed, 7))
	var moved []geo.GridCode
	for i := 0; i < len(c.Grids) && len(moved) < n; i += len(c.Grids) / n {
		g := c.Grids[i]
		mp := orb.Clone(g.Geometry).(orb.MultiPolygon)
		for _, poly := range mp {
			for _, r := range poly {
				for k := range r[:len(r)-1] {
					d, a := maxM*math.Sqrt(rng.Float64()), rng.Float64()*2*math.Pi
					r[k][0] += d * math.Cos(a) / (111320 * math.Cos(r[k][1]*math.Pi/180))
					r[k][1] += d * math.Sin(a) / 110540
				}
				r[len(r)-1] = r[0]
			}
		}
		g.Geometry = mp
		moved = append(moved, g.Code)
	}
	return moved
}

// TestNoisyCityStarts is the example: the fixture city with every
// vertex of 20 grids moved by up to 0.5 m. The loader alone refuses it;
// through the pipeline it is repaired, and a point inside each grid
// (away from its border) still answers the grid's code.
func TestNoisyCityStarts(t *testing.T) {
	dir, orig := fixtureDir(t)
	noisy, err := cityio.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	moved := jitter(noisy, 20, 0.5, 1)
	if err := cityio.Write(dir, noisy); !errors.Is(err, cityio.ErrInvalid) {
		t.Fatalf("writing the noisy city: %v, want the validator to refuse it (else the test proves nothing)", err)
	}
	writeLayerFile(t, dir, noisy, cityio.LayerGrids)

	in, prov, err := CityDirInputs(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, divs := divisions(t)
	res, err := Run(context.Background(), Options{Inputs: in, Divisions: divs, Province: prov})
	if err != nil {
		t.Fatalf("Run on the noisy city: %v", err)
	}
	if len(res.Report.Repairs) == 0 || res.Report.RepairCounts["snap"] == 0 {
		t.Errorf("repairs %v, want snaps", res.Report.RepairCounts)
	}
	if len(res.Repairs) == 0 {
		t.Error("no repairs GeoJSON")
	}
	t.Logf("%d grids moved; repairs %v", len(moved), res.Report.RepairCounts)
	checkLookups(t, orig, res.City)
}

// checkLookups locates, in got, an interior point of each grid of want
// (one at least 2 m inside its border) and wants the same code.
func checkLookups(t *testing.T, want, got *geo.City) {
	t.Helper()
	snap, err := geo.NewSnapshot(got, 1)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	for _, g := range want.Grids {
		p, ok := geo.InteriorPoint(g.Geometry)
		if !ok || borderDistM(g.Geometry, p) < 2 {
			continue
		}
		if h, ok := snap.Locate(p); !ok || h.Code != g.Code {
			if bad++; bad <= 5 {
				t.Errorf("Locate(%v) = %v, want %s", p, h, g.Code)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d grids answer another code inside", bad, len(want.Grids))
	}
}

// borderDistM is the distance in metres from p to mp's nearest edge.
func borderDistM(mp orb.MultiPolygon, p orb.Point) float64 {
	kx := 111320 * math.Cos(p[1]*math.Pi/180)
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 1; i < len(r); i++ {
				a, b := r[i-1], r[i]
				ax, ay, bx, by := (a[0]-p[0])*kx, (a[1]-p[1])*110540, (b[0]-p[0])*kx, (b[1]-p[1])*110540
				dx, dy := bx-ax, by-ay
				tt := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					tt = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
				}
				best = math.Min(best, math.Hypot(ax+tt*dx, ay+tt*dy))
			}
		}
	}
	return best
}
