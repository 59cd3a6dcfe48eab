package edit

import (
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// cloneMP returns a deep copy of mp: orb geometry is mutable and shared,
// so nothing reachable from a snapshot is ever handed on or modified.
func cloneMP(mp orb.MultiPolygon) orb.MultiPolygon {
	if mp == nil {
		return nil
	}
	out := make(orb.MultiPolygon, len(mp))
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, r := range poly {
			out[i][j] = slices.Clone(r)
		}
	}
	return out
}

// snapMP returns a copy of mp with every coordinate on the lattice.
func snapMP(mp orb.MultiPolygon) orb.MultiPolygon {
	out := cloneMP(mp)
	for _, poly := range out {
		for _, r := range poly {
			for k, p := range r {
				r[k] = snapPoint(p)
			}
		}
	}
	return out
}

// dedupeRing returns r without consecutive repeated points, closed.
func dedupeRing(r orb.Ring) orb.Ring {
	out := make(orb.Ring, 0, len(r))
	for _, p := range r {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	if len(out) > 1 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// spikeAt returns the vertex of a closed, deduplicated ring where it
// turns back on itself, if any.
func spikeAt(r orb.Ring) (orb.Point, bool) {
	n := len(r) - 1
	for i := range n {
		a, b, c := r[(i+n-1)%n], r[i], r[(i+1)%n]
		if planar.Backtracks(a, b, c) {
			return b, true
		}
	}
	return orb.Point{}, false
}

// checkShape snaps a planner's geometry and checks its rings. It records
// every fault under the grids named and returns the cleaned geometry
// (snapped, deduplicated, oriented) and whether it is usable.
func checkShape(mp orb.MultiPolygon, grids []geo.GridCode, probs *problemList) (orb.MultiPolygon, bool) {
	if len(mp) == 0 {
		probs.add(CodeEmptyRing, nil, grids, "the geometry has no polygons")
		return nil, false
	}
	out := snapMP(mp)
	ok := true
	for i, poly := range out {
		if len(poly) == 0 {
			probs.add(CodeEmptyRing, nil, grids, "polygon %d has no rings", i)
			ok = false
			continue
		}
		for j, r := range poly {
			fixed, good := checkRing(r, i, j, grids, probs)
			poly[j] = fixed
			ok = ok && good
		}
	}
	if !ok {
		return nil, false
	}
	planar.Orient(out)
	if err := validPolygons(out); err != nil {
		loc := crossingPoint(out)
		var g orb.Geometry = out
		if loc != nil {
			g = *loc
		}
		probs.add(CodeSelfIntersection, g, grids, "the geometry is not a valid polygon: %v", err)
		return nil, false
	}
	return out, true
}

// checkRing checks one snapped ring and returns it deduplicated.
func checkRing(r orb.Ring, i, j int, grids []geo.GridCode, probs *problemList) (orb.Ring, bool) {
	switch {
	case len(r) == 0:
		probs.add(CodeEmptyRing, nil, grids, "polygon %d ring %d has no points", i, j)
		return r, false
	case r[0] != r[len(r)-1]:
		probs.add(CodeUnclosedRing, r[len(r)-1], grids, "polygon %d ring %d is not closed: it ends at %v, not at its start %v", i, j, r[len(r)-1], r[0])
		return r, false
	}
	d := dedupeRing(r)
	if len(d) < 4 || ringArea2(d) == 0 {
		probs.add(CodeDegenerateRing, orb.LineString(d), grids, "polygon %d ring %d has %d distinct points and %.3g square degrees: not an area", i, j, max(len(d)-1, 0), math.Abs(ringArea2(d))/2)
		return d, false
	}
	if p, spiky := spikeAt(d); spiky {
		probs.add(CodeSpike, p, grids, "polygon %d ring %d turns back on itself at %v (a spike)", i, j, p)
		return d, false
	}
	return d, true
}

// crossingPoint returns a point where two edges of mp cross or touch
// outside their shared vertex, or nil. It is for locating a fault that
// simplefeatures reported, so it is quadratic but bounded by the vertex cap.
func crossingPoint(mp orb.MultiPolygon) *orb.Point {
	var segs [][2]orb.Point
	for _, poly := range mp {
		for _, r := range poly {
			for k := 0; k+1 < len(r); k++ {
				segs = append(segs, [2]orb.Point{r[k], r[k+1]})
			}
		}
	}
	for i := range segs {
		for j := i + 1; j < len(segs); j++ {
			if p, ok := segCross(segs[i][0], segs[i][1], segs[j][0], segs[j][1]); ok {
				return &p
			}
		}
	}
	return nil
}

// segCross returns the point where segments p-q and a-b cross or touch,
// other than at a shared endpoint.
func segCross(p, q, a, b orb.Point) (orb.Point, bool) {
	if p == a || p == b || q == a || q == b {
		return orb.Point{}, false
	}
	x, kind := intersect(p, q, a, b)
	return x, kind != noCross
}

// tidy cleans a computed geometry: it snaps it, drops repeated points and
// spikes that snapping may create, drops rings that collapsed, and orients
// the rest. It returns a new geometry.
func tidy(mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, poly := range snapMP(mp) {
		var np orb.Polygon
		for j, r := range poly {
			r = dropSpikes(dedupeRing(r))
			if len(r) < 4 || ringArea2(r) == 0 {
				if j == 0 {
					break
				}
				continue
			}
			np = append(np, r)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	planar.Orient(out)
	return out
}

// dropSpikes removes vertices where a closed ring turns straight back.
func dropSpikes(r orb.Ring) orb.Ring {
	for changed := true; changed && len(r) >= 4; {
		changed = false
		n := len(r) - 1
		for i := range n {
			a, b, c := r[(i+n-1)%n], r[i], r[(i+1)%n]
			if a == c || planar.Backtracks(a, b, c) {
				open := slices.Delete(slices.Clone(r[:n]), i, i+1)
				r = dedupeRing(append(open, open[0]))
				changed = true
				break
			}
		}
	}
	return r
}
