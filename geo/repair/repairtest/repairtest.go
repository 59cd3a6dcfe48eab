// Package repairtest checks a topology repair's outcome for tests, with
// simplefeatures as an oracle that shares no code with the repair: valid
// grids, no overlap, no gap above a size, areas kept and points well
// inside each original grid still inside the repaired grid of its key.
package repairtest

import (
	"math"
	"testing"

	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Input converts a roughened set to the repair's input.
func Input(set *rough.Set) ([]repair.Grid, []repair.Community) {
	grids := make([]repair.Grid, len(set.Grids))
	for i, g := range set.Grids {
		grids[i] = repair.Grid{Key: g.Key, Community: g.Community, Geometry: g.Geometry}
	}
	var comms []repair.Community
	for _, c := range set.Communities {
		comms = append(comms, repair.Community{Key: c.Key, Geometry: c.Geometry})
	}
	return grids, comms
}

// m2 converts an area in square degrees at latitude lat to m².
func m2(a, lat float64) float64 {
	kx, ky := planar.MetersPerDegree(lat)
	return a * kx * ky
}

// Partition checks each community: every grid valid, the grids' areas
// summing to their union's (no overlap above 0.01 m²), and, where the
// community has a boundary in comms, no piece of it uncovered larger
// than maxGapM2.
func Partition(t testing.TB, res *repair.Result, comms []repair.Community, maxGapM2 float64) {
	t.Helper()
	byComm := map[string][]geom.Geometry{}
	lat := map[string]float64{}
	for _, g := range res.Grids {
		sf := planar.ToSF(g.Geometry)
		if err := sf.Validate(); err != nil {
			t.Errorf("grid %s: invalid polygon: %v", g.Key, err)
			continue
		}
		byComm[g.Community] = append(byComm[g.Community], sf)
		lat[g.Community] = g.Geometry.Bound().Center()[1]
	}
	boundary := map[string]orb.MultiPolygon{}
	for _, c := range comms {
		boundary[c.Key] = c.Geometry
	}
	for key, gs := range byComm {
		u, err := geom.UnionMany(gs)
		if err != nil {
			t.Errorf("community %s: union: %v", key, err)
			continue
		}
		sum := 0.0
		for _, g := range gs {
			sum += g.Area()
		}
		if over := m2(sum-u.Area(), lat[key]); over > 0.01 {
			t.Errorf("community %s: grids overlap by %.3f m² in all", key, over)
		}
		if b, ok := boundary[key]; ok {
			gaps(t, key, planar.ToSF(b), u, lat[key], maxGapM2)
		}
	}
}

// gaps reports each piece of the boundary b that u leaves uncovered,
// larger than maxM2.
func gaps(t testing.TB, key string, b, u geom.Geometry, lat, maxM2 float64) {
	t.Helper()
	gap, err := geom.Difference(b, u)
	if err != nil {
		t.Errorf("community %s: difference: %v", key, err)
		return
	}
	for _, part := range gap.Dump() {
		if a := m2(part.Area(), lat); a > maxM2 {
			xy, _ := part.PointOnSurface().XY()
			t.Errorf("community %s: gap of %.2f m² at %.7f,%.7f", key, a, xy.X, xy.Y)
		}
	}
}

// Areas wants every grid that was only noisy within 0.1% of its original
// area, and at least minGrids such grids.
func Areas(t testing.TB, res *repair.Result, set *rough.Set, minGrids int) {
	t.Helper()
	AreasOf(t, res, set, set.NoisyOnly, minGrids)
}

// Enclosed returns the noisy-only grids whose every original edge is
// also another grid's: a border with no neighbour (the coverage's outline,
// a hole) keeps its noise when no community boundary is given, so only
// these can be held to 0.1% then.
func Enclosed(set *rough.Set) map[string]bool {
	count := map[[2]orb.Point]int{}
	edges := func(mp orb.MultiPolygon, fn func(e [2]orb.Point)) {
		planar.ForEdges(mp, func(a, b orb.Point) {
			if a[0] > b[0] || (a[0] == b[0] && a[1] > b[1]) {
				a, b = b, a
			}
			fn([2]orb.Point{a, b})
		})
	}
	for _, mp := range set.Original {
		edges(mp, func(e [2]orb.Point) { count[e]++ })
	}
	out := map[string]bool{}
	for key := range set.NoisyOnly {
		all := true
		edges(set.Original[key], func(e [2]orb.Point) { all = all && count[e] > 1 })
		out[key] = all
	}
	return out
}

// AreasOf is Areas for the grids named in keys.
func AreasOf(t testing.TB, res *repair.Result, set *rough.Set, keys map[string]bool, minGrids int) {
	t.Helper()
	n, worst := 0, 0.0
	for _, g := range res.Grids {
		if !keys[g.Key] {
			continue
		}
		n++
		orig := set.Original[g.Key]
		lat := orig.Bound().Center()[1]
		a0, a1 := planar.AreaM2(orig, lat), planar.AreaM2(g.Geometry, lat)
		rel := math.Abs(a1-a0) / a0
		worst = max(worst, rel)
		if rel > 0.001 {
			t.Errorf("grid %s: area %.1f m², original %.1f m² (%.3f%%), want within 0.1%%", g.Key, a1, a0, 100*rel)
		}
	}
	t.Logf("%d noisy-only grids, worst area change %.4f%%", n, 100*worst)
	if n < minGrids {
		t.Errorf("only %d noisy-only grids checked, want at least %d", n, minGrids)
	}
}

// Interior wants a point well inside each original grid (at least 5 m
// from its border) inside the repaired grid of the same key, for 90% of
// the grids at least (the others are too thin to have such a point).
func Interior(t testing.TB, res *repair.Result, set *rough.Set) {
	t.Helper()
	checked := 0
	for _, g := range res.Grids {
		p, ok := InteriorPoint(set.Original[g.Key], 5)
		if !ok {
			continue
		}
		checked++
		if !planar.MPContains(g.Geometry, p) {
			t.Errorf("grid %s: point %v, inside the original, is not inside the repaired grid", g.Key, p)
		}
	}
	if checked < len(res.Grids)*9/10 {
		t.Errorf("interior points checked for %d of %d grids, want 90%%", checked, len(res.Grids))
	}
}

// InteriorPoint returns simplefeatures' point on the surface of mp, and
// whether it lies at least minM metres from mp's border.
func InteriorPoint(mp orb.MultiPolygon, minM float64) (orb.Point, bool) {
	xy, ok := planar.ToSF(mp).PointOnSurface().XY()
	if !ok {
		return orb.Point{}, false
	}
	p := orb.Point{xy.X, xy.Y}
	kx, ky := planar.MetersPerDegree(p[1])
	best := math.Inf(1)
	planar.ForEdges(mp, func(a, b orb.Point) {
		best = min(best, planar.SegDist2(orb.Point{p[0] * kx, p[1] * ky}, orb.Point{a[0] * kx, a[1] * ky}, orb.Point{b[0] * kx, b[1] * ky}))
	})
	return p, math.Sqrt(best) >= minM
}

// VertexIdentical wants no vertex of any grid lying on another grid's
// edge (within one lattice step) without being a vertex of it: borders,
// across communities too, share their vertices.
func VertexIdentical(t testing.TB, res *repair.Result) {
	t.Helper()
	var pts []orb.Point
	for _, g := range res.Grids {
		pts = planar.RingPoints(pts, g.Geometry)
	}
	idx := planar.NewPointIndex(pts)
	bad := 0
	for _, g := range res.Grids {
		for _, p := range g.Geometry {
			for _, r := range p {
				if _, changed := planar.InsertPoints(r, idx, planar.Eps); changed {
					bad++
					if bad <= 5 {
						t.Errorf("grid %s: a neighbour's vertex lies on its edge but is not its vertex", g.Key)
					}
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("and %d more grids", bad-5)
	}
}
