package repair

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// A vertex is one distinct point of the job's rings before snapping.
type vertex struct {
	p        orb.Point
	boundary bool    // a vertex of the community's boundary: never moves
	rings    []int32 // rings holding it
	trust    float64 // how much its rings share with others (see snapVertices)
	to       orb.Point
	done     bool
}

// snap moves the grids' vertices that lie within tol metres of another
// vertex onto one point, then those within tol of another ring's edge
// onto that edge, and records the moves per grid. The boundary's vertices
// never move.
func (j *job) snap(tol float64) {
	vs := j.vertices()
	j.snapVertices(vs, tol)
	j.apply(vs)
	edge := j.snapToEdges(tol)
	for _, v := range vs {
		if q, ok := edge[v.to]; ok && !v.boundary {
			v.to = q
		}
	}
	j.apply(vs)
	j.recordMoves(vs)
}

// apply moves every vertex of the rings to where vs says.
func (j *job) apply(vs []*vertex) {
	moved := map[orb.Point]orb.Point{}
	for _, v := range vs {
		moved[v.p] = v.to
	}
	for k := range j.rings {
		r := j.rings[k].pts
		for i, p := range r {
			if q, ok := moved[p]; ok {
				r[i] = q
			}
		}
		j.rings[k].pts = dedupe(r)
	}
}

// vertices lists the distinct vertices with the rings holding them, in a
// fixed order, and rates how much each ring shares its vertices exactly
// with other rings: a ring digitised together with its neighbours shares
// most, a ring digitised alone (noise) shares few.
func (j *job) vertices() []*vertex {
	byPt := map[orb.Point]*vertex{}
	var vs []*vertex
	for k, r := range j.rings {
		for _, p := range r.pts[:len(r.pts)-1] {
			v := byPt[p]
			if v == nil {
				v = &vertex{p: p, to: p}
				byPt[p] = v
				vs = append(vs, v)
			}
			if len(v.rings) == 0 || v.rings[len(v.rings)-1] != int32(k) {
				v.rings = append(v.rings, int32(k))
			}
			v.boundary = v.boundary || j.isBoundary(k)
		}
	}
	shared := make([]float64, len(j.rings))
	for _, v := range vs {
		if len(v.rings) > 1 {
			for _, k := range v.rings {
				shared[k]++
			}
		}
	}
	for k, r := range j.rings {
		shared[k] /= float64(len(r.pts) - 1)
	}
	for _, v := range vs {
		for _, k := range v.rings {
			v.trust = max(v.trust, shared[k])
		}
	}
	return vs
}

// snapVertices clusters vertices within tol metres: in order of trust
// (boundary vertices, then vertices held by more rings, then those of
// rings sharing more with their neighbours), each vertex not yet taken
// takes every free vertex within tol of it. A vertex moves at most tol.
func (j *job) snapVertices(vs []*vertex, tol float64) {
	order := slices.Clone(vs)
	slices.SortStableFunc(order, func(a, b *vertex) int {
		if a.boundary != b.boundary {
			return boolRank(b.boundary) - boolRank(a.boundary)
		}
		if c := cmp.Compare(len(b.rings), len(a.rings)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.trust, a.trust); c != 0 {
			return c
		}
		return cmpPoint(a.p, b.p)
	})
	dx, dy := tol/j.kx, tol/j.ky
	cell := func(p orb.Point) [2]int64 {
		return [2]int64{int64(math.Floor(p[0] / dx)), int64(math.Floor(p[1] / dy))}
	}
	cells := map[[2]int64][]*vertex{}
	for _, v := range vs {
		c := cell(v.p)
		cells[c] = append(cells[c], v)
	}
	for _, v := range order {
		if v.done {
			continue
		}
		v.done = true
		c := cell(v.p)
		for x := c[0] - 1; x <= c[0]+1; x++ {
			for y := c[1] - 1; y <= c[1]+1; y++ {
				for _, w := range cells[[2]int64{x, y}] {
					if !w.done && !w.boundary && j.meters(v.p, w.p) <= tol {
						w.done, w.to = true, v.p
					}
				}
			}
		}
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// snapToEdges finds, for each grid vertex that lies within tol metres
// of an edge of a ring not holding it, the lattice point nearest the
// line of the nearest such edge, and returns these moves.
func (j *job) snapToEdges(tol float64) map[orb.Point]orb.Point {
	var tr rtree.RTreeG[[2]int32]
	holders := map[orb.Point][]int32{}
	var pts []orb.Point
	for k, r := range j.rings {
		for i := 0; i+1 < len(r.pts); i++ {
			a, b := r.pts[i], r.pts[i+1]
			tr.Insert([2]float64{min(a[0], b[0]), min(a[1], b[1])}, [2]float64{max(a[0], b[0]), max(a[1], b[1])}, [2]int32{int32(k), int32(i)})
			if h := holders[a]; len(h) == 0 || h[len(h)-1] != int32(k) {
				if len(h) == 0 && !j.isBoundary(k) {
					pts = append(pts, a)
				}
				holders[a] = append(h, int32(k))
			}
		}
	}
	dx, dy := tol/j.kx, tol/j.ky
	moves := map[orb.Point]orb.Point{}
	for _, t := range pts {
		if slices.ContainsFunc(holders[t], j.isBoundaryRing) {
			continue
		}
		best, bestD := t, tol
		tr.Search([2]float64{t[0] - dx, t[1] - dy}, [2]float64{t[0] + dx, t[1] + dy}, func(_, _ [2]float64, s [2]int32) bool {
			if slices.Contains(holders[t], s[0]) {
				return true
			}
			r := j.rings[s[0]].pts
			a, b := r[s[1]], r[s[1]+1]
			tp, _ := planar.SegParam(t, a, b)
			if tp <= 0 || tp >= 1 {
				return true
			}
			proj := orb.Point{a[0] + tp*(b[0]-a[0]), a[1] + tp*(b[1]-a[1])}
			if d := j.meters(t, proj); d < bestD {
				best, bestD = planar.LatticeNear(proj, a, b), d
			}
			return true
		})
		if best != t {
			moves[t] = best
		}
	}
	return moves
}

func (j *job) isBoundaryRing(k int32) bool { return j.isBoundary(int(k)) }

// recordMoves adds one snap repair per grid whose vertices moved, with
// the farthest move and every move as a line.
func (j *job) recordMoves(vs []*vertex) {
	type acc struct {
		n     int
		maxM  float64
		at    orb.Point
		lines orb.MultiLineString
	}
	per := map[int32]*acc{}
	for _, v := range vs {
		if v.to == v.p || v.boundary {
			continue
		}
		d := j.meters(v.p, v.to)
		for _, k := range v.rings {
			g := j.partGrid[j.rings[k].part]
			if g < 0 {
				continue
			}
			a := per[g]
			if a == nil {
				a = &acc{}
				per[g] = a
			}
			a.n++
			a.lines = append(a.lines, orb.LineString{v.p, v.to})
			if d > a.maxM {
				a.maxM, a.at = d, v.p
			}
		}
	}
	for gi, g := range j.grids {
		a := per[int32(gi)]
		if a == nil {
			continue
		}
		j.repairs = append(j.repairs, Repair{Kind: KindSnap, Grids: []string{g.key}, Community: j.key, At: a.at,
			Geometry: a.lines, MoveM: a.maxM, Count: a.n,
			Note: fmt.Sprintf("%d vertices moved onto a neighbour's vertex or edge, the farthest %.2f m", a.n, a.maxM)})
	}
}

// dedupe drops consecutive repeated points of a closed ring, keeping it
// closed.
func dedupe(r orb.Ring) orb.Ring {
	out := r[:0]
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

// latticeSlackM is added to the snap tolerance: coordinates are put on
// the 1e-7 degree lattice before they are compared, which can move two
// points up to a lattice diagonal (about 1.6 cm) farther apart.
const latticeSlackM = 0.016
