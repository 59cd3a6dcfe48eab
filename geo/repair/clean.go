package repair

import (
	"fmt"
	"math"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// clean puts a grid's rings on the lattice, closes them, drops repeated
// points and rings with no area, and records each of these fixes. It
// returns a fault instead when nothing with an area is left.
func clean(g Grid, order int) (*gridIn, []Repair, string) {
	polys, recs, fault := cleanPolys(g.Geometry, g.Key)
	if fault != "" {
		return nil, nil, fault
	}
	for i := range recs {
		recs[i].Community = g.Community
	}
	gi := &gridIn{key: g.Key, order: order, polys: polys}
	gi.areaM2 = planar.AreaM2(orb.MultiPolygon(polys), orb.MultiPolygon(polys).Bound().Center()[1])
	return gi, recs, ""
}

// cleanPolys cleans the rings of mp (see clean); key names the grid in
// the repairs ("" for a boundary, whose fixes are not recorded).
func cleanPolys(mp orb.MultiPolygon, key string) ([]orb.Polygon, []Repair, string) {
	if len(mp) == 0 {
		return nil, nil, "no geometry"
	}
	var out []orb.Polygon
	var recs []Repair
	add := func(k Kind, at orb.Point, note string, args ...any) {
		if key != "" {
			recs = append(recs, Repair{Kind: k, Grids: []string{key}, At: at, Count: 1, Note: fmt.Sprintf(note, args...)})
		}
	}
	shellSign, mixed := 0.0, false
	for i, poly := range mp {
		var np orb.Polygon
		for k, r := range poly {
			for _, p := range r {
				if !finite(p) {
					return nil, nil, fmt.Sprintf("polygon %d ring %d: coordinate %v is not a finite lon/lat", i, k, p)
				}
			}
			c, dups, closed := cleanRing(r)
			if len(r) > 0 && dups > 0 {
				add(KindDuplicatePoints, r[0], "polygon %d ring %d: %d repeated point(s) removed", i, k, dups)
			}
			if closed {
				add(KindUnclosed, r[len(r)-1], "polygon %d ring %d was not closed", i, k)
			}
			a := planar.RingArea2(c)
			if len(c) < 4 || flat(c) {
				if len(r) > 0 {
					add(KindDegenerate, r[0], "polygon %d ring %d has no area; dropped", i, k)
				}
				if k == 0 {
					break // no shell: the polygon's holes go with it
				}
				continue
			}
			if k == 0 {
				if shellSign != 0 && math.Signbit(a) != math.Signbit(shellSign) {
					mixed = true
				}
				shellSign = a
			} else if math.Signbit(a) == math.Signbit(shellSign) {
				mixed = true
			}
			np = append(np, c)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	if len(out) == 0 {
		return nil, nil, "no geometry with an area"
	}
	if mixed {
		add(KindWinding, out[0][0][0], "rings ran inconsistently (shells and holes the same way, or shells both ways); reoriented")
	}
	return out, recs, ""
}

// cleanRing snaps r to the lattice, drops consecutive repeated points and
// closes it. It returns how many points were dropped and whether it had
// to close the ring.
func cleanRing(r orb.Ring) (out orb.Ring, dups int, closed bool) {
	out = make(orb.Ring, 0, len(r)+1)
	for _, p := range r {
		q := planar.SnapPoint(p)
		if len(out) > 0 && out[len(out)-1] == q {
			dups++
			continue
		}
		out = append(out, q)
	}
	if len(out) > 1 && out[0] != out[len(out)-1] {
		// A ring whose last point is only near its first (within the
		// lattice) counts as repeated, not open.
		if len(r) > 1 && planar.SnapPoint(r[0]) != planar.SnapPoint(r[len(r)-1]) {
			closed = true
		}
		out = append(out, out[0])
	}
	return out, dups, closed
}

// flat reports whether every point of r lies within one lattice step of
// the line through its first point and the point farthest from it: a
// ring with no area (a bow-tie's signed area may be zero, its area not).
func flat(r orb.Ring) bool {
	far, best := r[0], 0.0
	for _, p := range r {
		if d := planar.Dist2(p, r[0]); d > best {
			far, best = p, d
		}
	}
	if best == 0 {
		return true
	}
	for _, p := range r {
		if _, d2 := planar.SegParam(p, r[0], far); d2 > planar.Eps*planar.Eps {
			return false
		}
	}
	return true
}

// finite reports whether p is a finite lon/lat.
func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && math.Abs(p[0]) <= 180 && math.Abs(p[1]) <= 90
}
