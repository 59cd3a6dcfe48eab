package repair

import (
	"fmt"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// A job repairs the grids of one community.
type job struct {
	key   string
	given orb.MultiPolygon // the community's boundary, or nil to derive it
	grids []*gridIn

	lat0, kx, ky float64 // reference latitude, metres per degree east and north
	rings        []ring
	partGrid     []int32 // per part: its grid's index, or -1 for the boundary
	boundaryPart int32   // first part id of the boundary (== number of grid parts)

	out        []orb.MultiPolygon          // per grid, the repaired geometry
	boundaries map[string]orb.MultiPolygon // per community key, the union of its grids
	repairs    []Repair
	faults     []Fault
}

// A gridIn is one grid of a job, cleaned.
type gridIn struct {
	key       string
	community string
	order     int
	polys     []orb.Polygon // lattice rings, closed, without repeated points
	areaM2    float64       // area before repair (even-odd, parts summed)
}

// A ring is one closed ring of a grid part or of the boundary.
type ring struct {
	part int32
	pts  orb.Ring
}

// plan groups the grids by community, cleans them and drops repeated
// features, returning one job per community and the faults found.
func plan(grids []Grid, communities []Community) ([]*job, []Fault) {
	byKey := map[string]*job{}
	var jobs []*job
	get := func(key string) *job {
		j := byKey[key]
		if j == nil {
			j = &job{key: key}
			byKey[key] = j
			jobs = append(jobs, j)
		}
		return j
	}
	var faults []Fault
	seen := map[string]*gridIn{}
	for i, g := range grids {
		j := get(g.Community)
		gi, recs, fault := clean(g, i)
		if fault != "" {
			faults = append(faults, Fault{Grid: g.Key, Community: g.Community, Reason: fault})
			continue
		}
		if prev, dup := seen[g.Key]; dup {
			if !sameShape(prev.polys, gi.polys) {
				faults = append(faults, Fault{Grid: g.Key, Community: g.Community, At: anyPoint(gi.polys),
					Reason: "the key is used twice with different shapes"})
				continue
			}
			j.repairs = append(j.repairs, Repair{Kind: KindDuplicate, Grids: []string{g.Key}, Community: g.Community,
				At: anyPointV(gi.polys), Geometry: orb.MultiPolygon(gi.polys), Note: fmt.Sprintf("feature %d repeats an earlier feature with the same key and shape; dropped", i+1)})
			continue
		}
		seen[g.Key] = gi
		gi.community = g.Community
		j.repairs = append(j.repairs, recs...)
		j.grids = append(j.grids, gi)
	}
	for _, c := range communities {
		j := byKey[c.Key]
		if j == nil {
			faults = append(faults, Fault{Community: c.Key, Reason: "the community has a boundary but no grids"})
			continue
		}
		polys, _, fault := cleanPolys(c.Geometry, "")
		if fault != "" {
			faults = append(faults, Fault{Community: c.Key, Reason: "boundary: " + fault})
			continue
		}
		j.given = polys
	}
	jobs = slices.DeleteFunc(jobs, func(j *job) bool { return len(j.grids) == 0 })
	return mergeDerived(jobs), faults
}

// mergeDerived puts the communities that have no boundary into one job:
// their grids are repaired together, so that grids of neighbouring
// communities do not overlap or leave gaps between them either, and each
// community is then the union of its repaired grids.
func mergeDerived(jobs []*job) []*job {
	var out []*job
	var derived *job
	var keys []string
	for _, j := range jobs {
		if len(j.given) > 0 {
			out = append(out, j)
			continue
		}
		keys = append(keys, j.key)
		if derived == nil {
			derived = &job{key: j.key}
			out = append(out, derived)
		}
		derived.grids = append(derived.grids, j.grids...)
		derived.repairs = append(derived.repairs, j.repairs...)
	}
	if len(keys) > 1 {
		derived.key = fmt.Sprintf("%d communities without a boundary (%s, ...)", len(keys), keys[0])
	}
	return out
}

// anyPoint returns a vertex of polys, for locating a fault.
func anyPoint(polys []orb.Polygon) *orb.Point {
	if len(polys) == 0 || len(polys[0]) == 0 || len(polys[0][0]) == 0 {
		return nil
	}
	p := polys[0][0][0]
	return &p
}

func anyPointV(polys []orb.Polygon) orb.Point {
	if p := anyPoint(polys); p != nil {
		return *p
	}
	return orb.Point{}
}

// sameShape reports whether two cleaned geometries have the same vertices
// and the same area: a repeated feature, whatever ring order or start.
func sameShape(a, b []orb.Polygon) bool {
	pa := planar.RingPoints(nil, a)
	pb := planar.RingPoints(nil, b)
	sortPts := func(p []orb.Point) []orb.Point {
		slices.SortFunc(p, cmpPoint)
		return slices.Compact(p)
	}
	if !slices.Equal(sortPts(pa), sortPts(pb)) {
		return false
	}
	aa, ab := planar.AreaM2(a, 0), planar.AreaM2(b, 0)
	return math.Abs(aa-ab) <= 1e-9*max(aa, 1)
}

// cmpPoint orders points by longitude, then latitude.
func cmpPoint(a, b orb.Point) int {
	switch {
	case a[0] < b[0]:
		return -1
	case a[0] > b[0]:
		return 1
	case a[1] < b[1]:
		return -1
	case a[1] > b[1]:
		return 1
	}
	return 0
}

// setup fixes the job's reference latitude and lists its rings: grid
// parts first, then the boundary's parts.
func (j *job) setup() {
	var b orb.Bound
	first := true
	for _, g := range j.grids {
		for _, p := range g.polys {
			if first {
				b, first = p.Bound(), false
			}
			b = b.Union(p.Bound())
		}
	}
	j.lat0 = b.Center()[1]
	j.kx, j.ky = planar.MetersPerDegree(j.lat0)
	for gi, g := range j.grids {
		for _, p := range g.polys {
			part := int32(len(j.partGrid))
			j.partGrid = append(j.partGrid, int32(gi))
			for _, r := range p {
				j.rings = append(j.rings, ring{part: part, pts: r})
			}
		}
	}
	j.boundaryPart = int32(len(j.partGrid))
	for _, p := range j.given {
		part := int32(len(j.partGrid))
		j.partGrid = append(j.partGrid, -1)
		for _, r := range p {
			j.rings = append(j.rings, ring{part: part, pts: r})
		}
	}
}

// commOf returns the community key of grid g.
func (j *job) commOf(g int32) string { return j.grids[g].community }

// isBoundary reports whether ring r belongs to the community's boundary.
func (j *job) isBoundary(r int) bool { return j.rings[r].part >= j.boundaryPart }

// meters returns the distance between two points in metres.
func (j *job) meters(a, b orb.Point) float64 {
	return math.Hypot((b[0]-a[0])*j.kx, (b[1]-a[1])*j.ky)
}
