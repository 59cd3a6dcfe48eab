package repair

import (
	"errors"
	"slices"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// An arrangement is the planar graph of every noded ring of a job, with
// the faces it cuts the plane into and, for each face, the parts (grid
// polygons and boundary polygons) that cover it by the even-odd rule.
type arrangement struct {
	g      *planar.Graph
	toggle [][]int32  // per edge: the parts whose rings run along it an odd number of times
	rings  []orb.Ring // per face: its boundary cycle
	faceOf []int32    // per half-edge: the face on its left
	halves [][]int32  // per face: its half-edges
	area2  []float64  // per face: twice its cycle's signed area (degrees²)
	outer  []int32    // per component: its outside face (clockwise cycle)
	comp   []int32    // per face: its component
	encl   []int32    // per component: the face that holds it, or -1
	holes  [][]int32  // per bounded face: outside faces of the components directly inside it
	cover  [][]int32  // per face: the parts covering it, sorted
}

var errArrangement = errors.New("inconsistent planar arrangement")

// arrange builds the arrangement of the job's noded rings.
func (j *job) arrange() (*arrangement, error) {
	n := 0
	for _, r := range j.rings {
		n += len(r.pts)
	}
	a := &arrangement{g: planar.NewGraph(n)}
	index := make(map[[2]orb.Point]int, n)
	var keys [][2]orb.Point
	var tog [][]int32
	for _, r := range j.rings {
		for i := 0; i+1 < len(r.pts); i++ {
			p, q := r.pts[i], r.pts[i+1]
			if p == q {
				continue
			}
			if cmpPoint(p, q) > 0 {
				p, q = q, p
			}
			k, ok := index[[2]orb.Point{p, q}]
			if !ok {
				k = len(keys)
				index[[2]orb.Point{p, q}] = k
				keys = append(keys, [2]orb.Point{p, q})
				tog = append(tog, nil)
			}
			tog[k] = xorOne(tog[k], r.part)
		}
	}
	for k, key := range keys {
		if len(tog[k]) > 0 {
			a.g.AddEdge(key[0], key[1])
			a.toggle = append(a.toggle, tog[k])
		}
	}
	a.rings, a.faceOf = a.g.Faces()
	a.halves = make([][]int32, len(a.rings))
	for h, f := range a.faceOf {
		if f >= 0 {
			a.halves[f] = append(a.halves[f], int32(h))
		}
	}
	a.area2 = make([]float64, len(a.rings))
	for f, r := range a.rings {
		a.area2[f] = planar.RingArea2(r)
	}
	if err := a.components(); err != nil {
		return nil, err
	}
	a.enclose()
	a.label()
	return a, nil
}

// xorOne adds part to the sorted set s, or removes it if present.
func xorOne(s []int32, part int32) []int32 {
	i, found := slices.BinarySearch(s, part)
	if found {
		return slices.Delete(s, i, i+1)
	}
	return slices.Insert(s, i, part)
}

// xorSets returns the symmetric difference of two sorted sets.
func xorSets(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, k := 0, 0
	for i < len(a) || k < len(b) {
		switch {
		case k == len(b) || (i < len(a) && a[i] < b[k]):
			out = append(out, a[i])
			i++
		case i == len(a) || b[k] < a[i]:
			out = append(out, b[k])
			k++
		default:
			i++
			k++
		}
	}
	return out
}

// components finds the connected parts of the graph and the outside
// face of each: its one clockwise cycle.
func (a *arrangement) components() error {
	parent := make([]int32, len(a.g.Pts))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for e := range int32(a.g.NumEdges()) {
		if a.g.Live(e) {
			parent[find(a.g.OriginNode(2*e))] = find(a.g.OriginNode(2*e + 1))
		}
	}
	id := map[int32]int32{}
	a.comp = make([]int32, len(a.rings))
	for f := range a.rings {
		root := find(a.g.OriginNode(a.halves[f][0]))
		c, ok := id[root]
		if !ok {
			c = int32(len(a.outer))
			id[root] = c
			a.outer = append(a.outer, -1)
		}
		a.comp[f] = c
		if a.area2[f] < 0 {
			if a.outer[c] >= 0 {
				return errArrangement
			}
			a.outer[c] = int32(f)
		}
	}
	if slices.Contains(a.outer, -1) {
		return errArrangement
	}
	return nil
}

// enclose finds the face that holds each component: the face west of the
// nearest edge of another component that a ray east from one of its
// vertices crosses.
func (a *arrangement) enclose() {
	a.encl = make([]int32, len(a.outer))
	a.holes = make([][]int32, len(a.rings))
	for c := range a.encl {
		a.encl[c] = -1
	}
	if len(a.outer) < 2 {
		return
	}
	for c, o := range a.outer {
		p := a.g.Origin(a.halves[o][0])
		best, bestX, bestS := int32(-1), 0.0, 0.0
		for e := range int32(a.g.NumEdges()) {
			h := 2 * e
			if !a.g.Live(e) || a.comp[a.faceOf[h]] == int32(c) {
				continue
			}
			s, t := a.g.Origin(h), a.g.Dest(h)
			if (s[1] > p[1]) == (t[1] > p[1]) {
				continue
			}
			if s[1] > t[1] {
				s, t, h = t, s, h^1 // upward
			}
			x := s[0] + (p[1]-s[1])*(t[0]-s[0])/(t[1]-s[1])
			if x <= p[0] {
				continue
			}
			slope := (t[0] - s[0]) / (t[1] - s[1])
			if best < 0 || x < bestX || (x == bestX && slope < bestS) {
				best, bestX, bestS = a.faceOf[h], x, slope
			}
		}
		a.encl[c] = best
	}
	for c, o := range a.outer {
		if f := a.region(o); f >= 0 && a.encl[c] >= 0 {
			a.holes[f] = append(a.holes[f], o)
		}
	}
}

// region returns the bounded face whose area face f belongs to: f itself,
// or for a component's outside face the face holding the component; -1
// for the unbounded outside.
func (a *arrangement) region(f int32) int32 {
	for n := 0; f >= 0 && a.area2[f] < 0; n++ {
		if n > len(a.outer) {
			return -1 // a cycle of enclosures: cannot happen in a plane
		}
		f = a.encl[a.comp[f]]
	}
	return f
}

// label sets the parts covering each face: a component's outside face is
// covered as the face holding it; crossing an edge toggles the parts that
// run along it.
func (a *arrangement) label() {
	a.cover = make([][]int32, len(a.rings))
	done := make([]bool, len(a.outer))
	var visit func(c int32, depth int)
	visit = func(c int32, depth int) {
		if done[c] {
			return
		}
		done[c] = true
		o := a.outer[c]
		if e := a.encl[c]; e >= 0 && depth < len(a.outer) {
			visit(a.comp[e], depth+1)
			a.cover[o] = a.cover[e]
		}
		seen := map[int32]bool{o: true}
		queue := []int32{o}
		for len(queue) > 0 {
			f := queue[0]
			queue = queue[1:]
			for _, h := range a.halves[f] {
				n := a.faceOf[h^1]
				if seen[n] {
					continue
				}
				seen[n] = true
				a.cover[n] = xorSets(a.cover[f], a.toggle[h/2])
				queue = append(queue, n)
			}
		}
	}
	for c := range a.outer {
		visit(int32(c), 0)
	}
}
