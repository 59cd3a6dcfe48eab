package repair

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// maxNodingRounds bounds the noding loop; real data settles in two or
// three rounds, since each round only rounds new crossings to the lattice.
const maxNodingRounds = 12

// A segRef names edge i of ring r.
type segRef struct{ r, i int32 }

// node makes the rings meet only at shared vertices: every vertex lying
// within one lattice step of another edge's interior becomes a vertex of
// that edge, and every proper crossing becomes a vertex of both edges (on
// the lattice point nearest the boundary's edge where one is the
// boundary's, else the nearest lattice point). Rounding a crossing can
// make new near-crossings, so it repeats until nothing changes. It
// records a node repair per grid that got vertices and an invalid_ring
// repair per grid whose ring crossed or touched itself.
func (j *job) node() error {
	inserted := make([]int, len(j.grids))
	self := map[int32]orb.Point{}
	for round := 0; ; round++ {
		if round == maxNodingRounds {
			return fmt.Errorf("noding did not settle after %d rounds", maxNodingRounds)
		}
		splits, n := j.findSplits(self)
		if n == 0 {
			break
		}
		for k := range j.rings {
			var out orb.Ring
			r := j.rings[k].pts
			for i := 0; i+1 < len(r); i++ {
				s := splits[segRef{int32(k), int32(i)}]
				if s == nil {
					out = append(out, r[i])
					continue
				}
				out = append(out, s.Points()...)
				if g := j.partGrid[j.rings[k].part]; g >= 0 {
					inserted[g] += len(s.At)
				}
			}
			j.rings[k].pts = dedupe(append(out, out[0]))
		}
	}
	j.recordNoding(inserted, self)
	return nil
}

// findSplits returns the points to insert into each edge and how many.
// It notes in self a point where a part's rings cross or touch each other.
func (j *job) findSplits(self map[int32]orb.Point) (map[segRef]*planar.SplitSeg, int) {
	var segs []segRef
	var tr rtree.RTreeG[int32]
	for k, r := range j.rings {
		for i := 0; i+1 < len(r.pts); i++ {
			a, b := r.pts[i], r.pts[i+1]
			tr.Insert([2]float64{min(a[0], b[0]) - planar.Eps, min(a[1], b[1]) - planar.Eps},
				[2]float64{max(a[0], b[0]) + planar.Eps, max(a[1], b[1]) + planar.Eps}, int32(len(segs)))
			segs = append(segs, segRef{int32(k), int32(i)})
		}
	}
	splits := map[segRef]*planar.SplitSeg{}
	n := 0
	add := func(s segRef, p orb.Point) {
		sp := splits[s]
		if sp == nil {
			a, b := j.seg(s)
			sp = &planar.SplitSeg{A: a, B: b}
			splits[s] = sp
		}
		before := len(sp.At)
		sp.Add(p)
		n += len(sp.At) - before
	}
	for si, s := range segs {
		a, b := j.seg(s)
		tr.Search([2]float64{min(a[0], b[0]), min(a[1], b[1])}, [2]float64{max(a[0], b[0]), max(a[1], b[1])}, func(_, _ [2]float64, ti int32) bool {
			if int(ti) <= si {
				return true
			}
			t := segs[ti]
			c, d := j.seg(t)
			hit := false
			for _, v := range [2]orb.Point{c, d} {
				if nearInterior(v, a, b) {
					add(s, v)
					hit = true
				}
			}
			for _, v := range [2]orb.Point{a, b} {
				if nearInterior(v, c, d) {
					add(t, v)
					hit = true
				}
			}
			shared := a == c || a == d || b == c || b == d
			if x, kind := planar.Intersect(a, b, c, d); kind == planar.Proper && !hit && !shared {
				x = j.crossingPoint(x, s, t)
				add(s, x)
				add(t, x)
				hit = true
			}
			if hit && j.rings[s.r].part == j.rings[t.r].part && j.partGrid[j.rings[s.r].part] >= 0 {
				if _, ok := self[j.rings[s.r].part]; !ok {
					self[j.rings[s.r].part] = a
				}
			}
			return true
		})
	}
	return splits, n
}

// nearInterior reports whether p, not an end of a-b, lies within one
// lattice step of the segment between its ends.
func nearInterior(p, a, b orb.Point) bool {
	if p == a || p == b {
		return false
	}
	t, d2 := planar.SegParam(p, a, b)
	return t > 0 && t < 1 && d2 <= planar.Eps*planar.Eps
}

// seg returns the ends of edge s.
func (j *job) seg(s segRef) (orb.Point, orb.Point) {
	r := j.rings[s.r].pts
	return r[s.i], r[s.i+1]
}

// crossingPoint puts the crossing x of edges s and t on the lattice: on
// the boundary's edge when one of them is the boundary's, so that the
// community's outline does not move.
func (j *job) crossingPoint(x orb.Point, s, t segRef) orb.Point {
	for _, e := range [2]segRef{s, t} {
		if j.isBoundary(int(e.r)) {
			a, b := j.seg(e)
			return planar.LatticeNear(x, a, b)
		}
	}
	return planar.SnapPoint(x)
}

// recordNoding records the vertices inserted and the self-crossings.
func (j *job) recordNoding(inserted []int, self map[int32]orb.Point) {
	for gi, g := range j.grids {
		if inserted[gi] > 0 {
			j.repairs = append(j.repairs, Repair{Kind: KindNode, Grids: []string{g.key}, Community: g.community,
				At: g.polys[0][0][0], Count: inserted[gi],
				Note: fmt.Sprintf("%d vertices inserted where other borders meet this one", inserted[gi])})
		}
	}
	done := map[int32]bool{}
	for part := range int32(j.boundaryPart) {
		at, ok := self[part]
		g := j.partGrid[part]
		if !ok || done[g] {
			continue
		}
		done[g] = true
		j.repairs = append(j.repairs, Repair{Kind: KindInvalidRing, Grids: []string{j.grids[g].key}, Community: j.commOf(g),
			At: at, Geometry: at, Count: 1,
			Note: "a ring crosses or touches itself or another ring of the same polygon (bow-tie, self-touching ring or hole on the shell); split into valid polygons by the even-odd rule"})
	}
}
