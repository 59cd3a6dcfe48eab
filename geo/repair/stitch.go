package repair

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// stitch inserts into every grid's edges the vertices of other grids
// (of any community) that lie within one lattice step of them, so that
// grids of neighbouring communities, repaired apart, share
// vertex-identical borders too. Inside a community the arrangement has
// done this already, so only community borders gain vertices; each grid
// that gains some is recorded as a node repair.
func stitch(res *Result) {
	var pts []orb.Point
	for _, g := range res.Grids {
		pts = planar.RingPoints(pts, g.Geometry)
	}
	idx := planar.NewPointIndex(pts)
	runParallel(len(res.Grids), func(i int) {
		g := &res.Grids[i]
		var out orb.MultiPolygon
		for pi, poly := range g.Geometry {
			for ri, r := range poly {
				nr, changed := planar.InsertPoints(r, idx, planar.Eps)
				if !changed {
					continue
				}
				if out == nil {
					out = clonePolys(g.Geometry)
				}
				out[pi][ri] = nr
			}
		}
		if out != nil {
			g.Geometry = out
		}
	})
}

// stitchRecords records, per grid that gained vertices in stitch, how
// many (before and after are the grids' vertex counts).
func stitchRecords(res *Result, before []int) {
	for i, g := range res.Grids {
		if n := len(planar.RingPoints(nil, g.Geometry)) - before[i]; n > 0 {
			res.Repairs = append(res.Repairs, Repair{Kind: KindNode, Grids: []string{g.Key}, Community: g.Community,
				At: g.Geometry[0][0][0], Count: n,
				Note: fmt.Sprintf("%d vertices inserted where a neighbouring community's grids meet this one", n)})
		}
	}
}

// clonePolys returns a deep copy of mp.
func clonePolys(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, p := range mp {
		out[i] = make(orb.Polygon, len(p))
		for k, r := range p {
			out[i][k] = append(orb.Ring(nil), r...)
		}
	}
	return out
}
