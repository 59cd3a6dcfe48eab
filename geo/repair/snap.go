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
// rings sharing more with their neighbours, then those of sparser rings:
// a densified copy is the later digitising), each vertex not yet taken
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
		if c := cmp.Compare(j.ringSize(a), j.ringSize(b)); c != 0 {
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

// ringSize returns the most vertices of the rings holding v: a ring
// densified by a later digitising has more than the original border.
func (j *job) ringSize(v *vertex) int {
	n := 0
	for _, k := range v.rings {
		n = max(n, len(j.rings[k].pts))
	}
	return n
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// snapToEdges moves grid vertices that lie within tol metres of an edge
// of a ring not holding them onto the nearest such edge, at the lattice
// point nearest the edge's line, and returns the moves. Vertices go in
// order of trust, least first (then those of rings with more vertices
// first: a densified copy moves onto the sparser border), so a noisy copy
// moves onto the trusted border and not the other way; a vertex that
// moved, and the ends of the edge it moved onto, stay where they are from
// then on, so two borders never chase each other.
func (j *job) snapToEdges(tol float64) map[orb.Point]orb.Point {
	var tr rtree.RTreeG[[2]int32]
	at := map[orb.Point][]segRef{}
	for k, r := range j.rings {
		for i := 0; i+1 < len(r.pts); i++ {
			a, b := r.pts[i], r.pts[i+1]
			tr.Insert([2]float64{min(a[0], b[0]), min(a[1], b[1])}, [2]float64{max(a[0], b[0]), max(a[1], b[1])}, [2]int32{int32(k), int32(i)})
			at[a] = append(at[a], segRef{int32(k), int32(i)})
		}
	}
	frozen := map[orb.Point]bool{}
	var order []*vertex
	for _, v := range j.vertices() {
		if v.boundary {
			frozen[v.p] = true
		} else {
			order = append(order, v)
		}
	}
	slices.SortStableFunc(order, func(a, b *vertex) int {
		if c := cmp.Compare(len(a.rings), len(b.rings)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.trust, b.trust); c != 0 {
			return c
		}
		return cmp.Compare(j.ringSize(b), j.ringSize(a))
	})
	dx, dy := 2*tol/j.kx, 2*tol/j.ky
	moves := map[orb.Point]orb.Point{}
	for _, v := range order {
		t := v.p
		if frozen[t] {
			continue
		}
		ea, eb, ok := j.nearestEdge(&tr, v, tol, dx, dy)
		if !ok {
			continue
		}
		tp, _ := planar.SegParam(t, ea, eb)
		q := planar.LatticeNear(orb.Point{ea[0] + tp*(eb[0]-ea[0]), ea[1] + tp*(eb[1]-ea[1])}, ea, eb)
		for _, o := range at[t] {
			r := j.rings[o.r].pts
			r[o.i] = q
			if o.i == 0 {
				r[len(r)-1] = q
			}
		}
		at[q] = append(at[q], at[t]...)
		delete(at, t)
		moves[t] = q
		frozen[q], frozen[ea], frozen[eb] = true, true, true
	}
	for k := range j.rings {
		j.rings[k].pts = dedupe(j.rings[k].pts)
	}
	return moves
}

// nearestEdge returns the nearest edge, at its current place, of a ring
// not holding vertex v that v lies within tol metres of.
func (j *job) nearestEdge(tr *rtree.RTreeG[[2]int32], v *vertex, tol, dx, dy float64) (orb.Point, orb.Point, bool) {
	t := v.p
	var ea, eb orb.Point
	bestD, found := tol, false
	tr.Search([2]float64{t[0] - dx, t[1] - dy}, [2]float64{t[0] + dx, t[1] + dy}, func(_, _ [2]float64, s [2]int32) bool {
		if slices.Contains(v.rings, s[0]) {
			return true
		}
		r := j.rings[s[0]].pts
		a, b := r[s[1]], r[s[1]+1]
		if a == t || b == t {
			return true
		}
		if d, ok := j.onEdge(t, a, b); ok && d < bestD {
			ea, eb, bestD, found = a, b, d, true
		}
		return true
	})
	return ea, eb, found && bestD > 0
}

// onEdge returns the distance in metres from t to the segment a-b when t
// projects between a and b.
func (j *job) onEdge(t, a, b orb.Point) (float64, bool) {
	tp, _ := planar.SegParam(t, a, b)
	if tp <= 0 || tp >= 1 {
		return 0, false
	}
	return j.meters(t, orb.Point{a[0] + tp*(b[0]-a[0]), a[1] + tp*(b[1]-a[1])}), true
}

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
		j.repairs = append(j.repairs, Repair{Kind: KindSnap, Grids: []string{g.key}, Community: g.community, At: a.at,
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
