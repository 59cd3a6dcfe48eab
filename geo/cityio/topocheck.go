package cityio

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/planar"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// A communityJob checks the grids of one community against it and each
// other.
type communityJob struct {
	unit  *geo.Unit
	grids []*geo.Grid
	// complete is false when some grids of the community were dropped by
	// the reader or have bad geometry, which makes the gap check moot.
	complete bool
	probs    []Problem
}

// checkTopology checks, per community: each grid inside the community
// (when the community has a valid geometry), sibling grids not
// overlapping, and the grids covering the community without gaps.
// Communities are checked in parallel; problems come out in code order.
func (v *validator) checkTopology() {
	byCommunity := make(map[geo.DivisionCode][]*geo.Grid)
	for _, g := range v.c.Grids {
		if g != nil && v.goodGeom[g] {
			byCommunity[g.Community()] = append(byCommunity[g.Community()], g)
		}
	}
	incomplete := make(map[geo.DivisionCode]bool)
	for _, g := range v.c.Grids {
		if g != nil && !v.goodGeom[g] {
			incomplete[g.Community()] = true
		}
	}
	if v.broken != nil {
		for c := range v.broken.brokenGrids {
			incomplete[c.Community()] = true
		}
	}
	var jobs []*communityJob
	for _, u := range v.c.Units {
		if u == nil || v.units[u.Code] != u || u.Level() != geo.LevelCommunity {
			continue
		}
		j := &communityJob{unit: u, grids: byCommunity[u.Code], complete: !incomplete[u.Code] && !v.lost(LayerGrids)}
		if !v.goodUnitGeom[u] {
			j.unit = &geo.Unit{Code: u.Code} // no usable geometry: check siblings only
		}
		jobs = append(jobs, j)
	}
	runParallel(len(jobs), func(i int) { jobs[i].run() })
	for _, j := range jobs {
		v.probs.merge(j.probs)
	}
}

func (j *communityJob) add(l Layer, who, format string, args ...any) {
	j.probs = append(j.probs, Problem{Layer: l, Feature: who, Fault: fmt.Sprintf(format, args...)})
}

// run checks one community.
func (j *communityJob) run() {
	defer func() {
		if r := recover(); r != nil {
			j.add(LayerUnits, j.unit.Code.Short(), "topology check failed: %v", r)
		}
	}()
	idx := make([]*edgeIndex, len(j.grids))
	for i, g := range j.grids {
		idx[i] = newEdgeIndex(g.Geometry)
	}
	faults := 0
	if len(j.unit.Geometry) > 0 {
		ci := newEdgeIndex(j.unit.Geometry)
		for _, g := range j.grids {
			if f := outsideFault(g.Geometry, ci); f != "" {
				j.add(LayerGrids, g.Code.String(), "outside its community %s: %s", j.unit.Code.Short(), f)
				faults++
			}
		}
	}
	for a := range j.grids {
		for b := a + 1; b < len(j.grids); b++ {
			ga, gb := j.grids[a], j.grids[b]
			if idx[a].bound.Intersects(idx[b].bound) && overlaps(ga.Geometry, gb.Geometry, idx[a], idx[b]) {
				j.add(LayerGrids, ga.Code.String(), "overlaps sibling grid %s", gb.Code)
				faults++
			}
		}
	}
	if len(j.unit.Geometry) > 0 && j.complete && faults == 0 {
		j.checkCover()
	}
}

// checkCover compares the community's area with the sum of its grids'.
func (j *communityJob) checkCover() {
	lat0 := j.unit.Geometry.Bound().Center()[1]
	want := planar.AreaM2(j.unit.Geometry, lat0)
	got := 0.0
	for _, g := range j.grids {
		got += planar.AreaM2(g.Geometry, lat0)
	}
	tol := 1 + 1e-6*want
	switch d := want - got; {
	case len(j.grids) == 0:
		j.add(LayerUnits, j.unit.Code.Short(), "gap: it has no grids to cover its %.1f m²", want)
	case d > tol:
		j.add(LayerUnits, j.unit.Code.Short(), "gap: its %d grids cover %.1f m² of its %.1f m², leaving %.1f m² uncovered",
			len(j.grids), got, want, d)
	case d < -tol:
		j.add(LayerUnits, j.unit.Code.Short(), "its %d grids cover %.1f m², more than its %.1f m² (overlap)",
			len(j.grids), got, want)
	}
}

// outsideFault tells why a grid is not inside the community indexed by
// ci: a vertex or edge midpoint outside it, or an edge crossing its
// boundary. It returns "" for a grid inside.
func outsideFault(g orb.MultiPolygon, ci *edgeIndex) string {
	for _, poly := range g {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				if ci.locate(r[i]) == outside {
					return fmt.Sprintf("vertex %v is outside", r[i])
				}
				if m := mid(r[i], r[i+1]); ci.locate(m) == outside {
					return fmt.Sprintf("edge %v-%v leaves it", r[i], r[i+1])
				}
				if ci.crosses(r[i], r[i+1]) {
					return fmt.Sprintf("edge %v-%v crosses its boundary", r[i], r[i+1])
				}
			}
		}
	}
	return ""
}

func mid(a, b orb.Point) orb.Point { return orb.Point{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2} }

// overlaps reports whether the interiors of two grids intersect: a vertex
// or edge midpoint of one strictly inside the other, an edge crossing, or
// one lying entirely on the other (identical grids).
func overlaps(a, b orb.MultiPolygon, ia, ib *edgeIndex) bool {
	box := intersectBounds(ia.bound, ib.bound)
	aOn, hit := probe(a, ib, box)
	if hit {
		return true
	}
	bOn, hit := probe(b, ia, box)
	if hit {
		return true
	}
	for _, poly := range a {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				if segTouchesBox(r[i], r[i+1], box) && ib.crosses(r[i], r[i+1]) {
					return true
				}
			}
		}
	}
	// Nothing of one is strictly inside the other. If one lies entirely
	// within the other's closure, an interior point of it decides.
	switch {
	case aOn && ia.bound == box:
		return interiorPointInside(a, ib)
	case bOn && ib.bound == box:
		return interiorPointInside(b, ia)
	}
	return false
}

// probe locates the vertices and edge midpoints of g that lie in box
// against the other grid's index. hit is true when one is strictly
// inside; on is true when none is outside.
func probe(g orb.MultiPolygon, other *edgeIndex, box orb.Bound) (on, hit bool) {
	on = true
	pad := box.Pad(topoTol)
	for _, poly := range g {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				for _, p := range [2]orb.Point{r[i], mid(r[i], r[i+1])} {
					if !pad.Contains(p) {
						on = false
						continue
					}
					switch other.locate(p) {
					case inside:
						return false, true
					case outside:
						on = false
					}
				}
			}
		}
	}
	return on, false
}

// intersectBounds returns the overlap of two intersecting bounds.
func intersectBounds(a, b orb.Bound) orb.Bound {
	return orb.Bound{
		Min: orb.Point{max(a.Min[0], b.Min[0]), max(a.Min[1], b.Min[1])},
		Max: orb.Point{min(a.Max[0], b.Max[0]), min(a.Max[1], b.Max[1])},
	}
}

func segTouchesBox(a, b orb.Point, box orb.Bound) bool {
	return max(a[0], b[0]) >= box.Min[0] && min(a[0], b[0]) <= box.Max[0] &&
		max(a[1], b[1]) >= box.Min[1] && min(a[1], b[1]) <= box.Max[1]
}

// interiorPointInside reports whether a point strictly inside g lies
// strictly inside the other grid.
func interiorPointInside(g orb.MultiPolygon, other *edgeIndex) bool {
	for _, poly := range g {
		xy, ok := planar.ToSFPolygon(poly).PointOnSurface().XY()
		if ok && other.locate(orb.Point{xy.X, xy.Y}) == inside {
			return true
		}
	}
	return false
}
