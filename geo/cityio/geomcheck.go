package cityio

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// finitePoint reports whether p has finite coordinates within
// lon -180..180 and lat -90..90 (NaN fails every comparison).
func finitePoint(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// point reports a coordinate that is not finite or out of range.
func (v *validator) point(l Layer, who string, p orb.Point) bool {
	if !finitePoint(p) {
		v.probs.addf(l, who, "coordinate %v is not a finite lon/lat within -180..180, -90..90", p)
		return false
	}
	return true
}

// line reports a line with bad coordinates or fewer than 2 distinct points.
func (v *validator) line(l Layer, who string, ls orb.LineString) {
	for _, p := range ls {
		if !v.point(l, who, p) {
			return
		}
	}
	for _, p := range ls {
		if p != ls[0] {
			return
		}
	}
	v.probs.add(l, who, "line has fewer than 2 distinct points")
}

// ringFault returns what is wrong with a ring's shape before any
// topology: too few points, not closed, bad coordinates.
func ringFault(r orb.Ring) string {
	if len(r) < 4 {
		return fmt.Sprintf("ring has %d points, want at least 4", len(r))
	}
	for _, p := range r {
		if !finitePoint(p) {
			return fmt.Sprintf("coordinate %v is not a finite lon/lat within -180..180, -90..90", p)
		}
	}
	if r[0] != r[len(r)-1] {
		return fmt.Sprintf("ring is not closed: %v != %v", r[0], r[len(r)-1])
	}
	return ""
}

// shapeFault checks every ring of mp with ringFault.
func shapeFault(mp orb.MultiPolygon) string {
	for i, poly := range mp {
		if len(poly) == 0 {
			return fmt.Sprintf("polygon %d has no rings", i)
		}
		for j, r := range poly {
			if f := ringFault(r); f != "" {
				return fmt.Sprintf("polygon %d ring %d: %s", i, j, f)
			}
		}
	}
	return ""
}

// A geomJob is one polygon geometry to check.
type geomJob struct {
	layer Layer
	who   string
	mp    orb.MultiPolygon
	unit  *geo.Unit // nil for a grid
	grid  *geo.Grid // nil for a unit
	fault string
}

// checkGeometries checks unit and grid polygons: ring shapes, then
// simplefeatures validity (simple rings, holes inside shells, connected
// interiors, non-overlapping parts), spread over the CPUs.
func (v *validator) checkGeometries() {
	var jobs []geomJob
	for _, u := range v.c.Units {
		if u != nil && v.units[u.Code] == u && len(u.Geometry) > 0 {
			jobs = append(jobs, geomJob{layer: LayerUnits, who: u.Code.Short(), mp: u.Geometry, unit: u})
		}
	}
	for _, g := range v.c.Grids {
		if g == nil || v.grids[g.Code] != g {
			continue
		}
		if len(g.Geometry) == 0 {
			v.probs.add(LayerGrids, g.Code.String(), "empty geometry")
			continue
		}
		jobs = append(jobs, geomJob{layer: LayerGrids, who: g.Code.String(), mp: g.Geometry, grid: g})
	}
	runParallel(len(jobs), func(i int) { jobs[i].fault = geometryFault(jobs[i].mp) })
	for _, j := range jobs {
		if j.fault != "" {
			v.probs.add(j.layer, j.who, j.fault)
			continue
		}
		if j.unit != nil {
			v.goodUnitGeom[j.unit] = true
		}
		if j.grid != nil {
			v.goodGeom[j.grid] = true
			if b := j.mp.Bound(); j.grid.Bound != b {
				v.probs.addf(LayerGrids, j.who, "bound %v is not the geometry's bound %v (see Normalize)", j.grid.Bound, b)
			}
		}
	}
}

// geometryFault returns why mp is not a valid multipolygon, or "". A
// panic inside the geometry library is reported as a fault.
func geometryFault(mp orb.MultiPolygon) (fault string) {
	defer func() {
		if r := recover(); r != nil {
			fault = fmt.Sprintf("invalid polygon: geometry check failed: %v", r)
		}
	}()
	if f := shapeFault(mp); f != "" {
		return f
	}
	if len(mp) == 1 && len(mp[0]) == 1 && ringClearlySimple(mp[0][0]) {
		return "" // a single simple ring is all simplefeatures would check
	}
	if err := planar.ToSFMulti(mp).Validate(); err != nil {
		return "invalid polygon: " + err.Error()
	}
	return ""
}

// runParallel calls fn(i) for i in [0, n) on up to GOMAXPROCS goroutines.
func runParallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}

// gridHolds reports whether p lies in g or on its boundary (within
// onEdgeTol), by the even-odd rule over all rings. It has the semantics of
// planar.MultiPolygonContains, except that a point on a hole's edge also
// counts as inside, at a tenth of the cost: orb recomputes every ring's
// bound on every call, which dominated validation.
func gridHolds(g *geo.Grid, p orb.Point) bool {
	if !g.Bound.Pad(onEdgeTol).Contains(p) {
		return false
	}
	in := false
	for _, poly := range g.Geometry {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				if (a[1] > p[1]) != (b[1] > p[1]) {
					if x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1]); p[0] < x {
						in = !in
					}
				}
				if p[1] >= min(a[1], b[1])-onEdgeTol && p[1] <= max(a[1], b[1])+onEdgeTol &&
					p[0] >= min(a[0], b[0])-onEdgeTol && p[0] <= max(a[0], b[0])+onEdgeTol &&
					segDist2(p, a, b) <= onEdgeTol*onEdgeTol {
					return true
				}
			}
		}
	}
	return in
}

// onEdgeTol is how far (degrees, about 0.1 mm) from an edge a point still
// counts as on it.
const onEdgeTol = 1e-9

// segDist2 returns the squared planar distance from p to segment ab.
func segDist2(p, a, b orb.Point) float64 {
	dx, dy := b[0]-a[0], b[1]-a[1]
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-a[0])*dx+(p[1]-a[1])*dy)/l2))
	}
	ex, ey := a[0]+t*dx-p[0], a[1]+t*dy-p[1]
	return ex*ex + ey*ey
}
