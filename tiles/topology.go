package tiles

import (
	"github.com/paulmach/orb"
)

// An arcRef names an arc and the direction a ring walks it: a value r >= 0
// is arc r forwards, r < 0 is arc ^r backwards.
type arcRef int32

// id returns the arc's index.
func (r arcRef) id() int32 {
	if r < 0 {
		return int32(^r)
	}
	return int32(r)
}

// A topoRing is a closed ring as a chain of arcs.
type topoRing []arcRef

// A topoPolygon is an exterior ring followed by its holes.
type topoPolygon []topoRing

// A topoFeature is one polygon feature of one polygon layer.
type topoFeature struct {
	layer int   // index into the renderer's layer table
	index int32 // index of the feature inside its layer
	key   labelKey
	polys []topoPolygon
}

// A topology is the set of arcs shared by every polygon layer. An arc runs
// between two junctions (or is a closed ring without any) and is stored
// once however many rings use it and in whichever direction.
type topology struct {
	arcs     chains
	features []topoFeature
	// users lists, per arc, the features (indices into features) whose
	// rings use it, in ascending order without repeats: only while the
	// polygons are coloured, and, in a topology made by nextTopology, only
	// if they are coloured whole (see patchColours).
	users [][]int32
	// boxes indexes the arcs by their boxes, for patchLevel.
	boxes arcBoxes
	// loose lists, in order, the arcs that are a whole ring with no
	// junction (started at its smallest vertex): the only arcs whose
	// first vertex is no junction.
	loose []int32
	// dead counts the arcs no feature uses any more (see nextTopology).
	dead int
}

// A topoSource is one feature's projected polygons (see projectPolygons)
// handed to buildTopology.
type topoSource struct {
	layer int
	index int32
	key   labelKey // the unit or grid, naming the feature across versions
	polys [][][]wpt
}

// neighbours records, for a vertex, the neighbours seen at its first
// occurrence and whether it is a junction.
type neighbours struct {
	prev, next wpt
	junction   bool
}

// buildTopology splits every ring of every source at its junctions and
// dedupes the arcs. A vertex is a junction when two of its occurrences (in
// any rings) have different neighbours: that is where borders meet or part.
func buildTopology(srcs []topoSource) *topology {
	t := &topology{}
	nb := make(map[wpt]*neighbours)
	for _, src := range srcs {
		for _, poly := range src.polys {
			for _, ring := range poly {
				markJunctions(nb, ring)
			}
		}
	}
	keys := make(map[[2]wpt]arcRef)
	for _, src := range srcs {
		f := topoFeature{layer: src.layer, index: src.index, key: src.key}
		for _, poly := range src.polys {
			tp := make(topoPolygon, 0, len(poly))
			for _, ring := range poly {
				tp = append(tp, t.cutRing(ring, nb, keys))
			}
			f.polys = append(f.polys, tp)
		}
		t.features = append(t.features, f)
	}
	t.arcs.seal()
	t.indexUsers()
	return t
}

// projectPolygons projects a multipolygon to world coordinates, drops
// closing and repeated vertices and rings with fewer than three vertices,
// and winds exterior rings with positive area in y-down coordinates (the
// MVT 2.1 orientation) and holes with negative area. A polygon whose
// exterior ring is dropped is dropped whole.
func projectPolygons(mp orb.MultiPolygon) [][][]wpt {
	var out [][][]wpt
	for _, poly := range mp {
		var rings [][]wpt
		for i, r := range poly {
			w := projectRing(r)
			if len(w) < 3 {
				if i == 0 {
					break
				}
				continue
			}
			a := ringArea(w)
			if a == 0 {
				if i == 0 {
					break
				}
				continue
			}
			if (i == 0) != (a > 0) {
				reverse(w)
			}
			rings = append(rings, w)
		}
		if len(rings) > 0 {
			out = append(out, rings)
		}
	}
	return out
}

// projectRing projects a ring, without its closing vertex or repeats.
func projectRing(r orb.Ring) []wpt {
	w := make([]wpt, 0, len(r))
	for _, p := range r {
		q := project(p)
		if len(w) > 0 && w[len(w)-1] == q {
			continue
		}
		w = append(w, q)
	}
	for len(w) > 1 && w[len(w)-1] == w[0] {
		w = w[:len(w)-1]
	}
	return w
}

// ringArea returns twice the signed area of an open ring by the surveyor's
// formula; in y-down coordinates a clockwise ring is positive.
func ringArea(r []wpt) float64 {
	var a float64
	for i := range r {
		j := (i + 1) % len(r)
		a += r[i][0]*r[j][1] - r[j][0]*r[i][1]
	}
	return a
}

func reverse[T any](s []T) {
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
}

// markJunctions records the neighbours of every vertex of an open ring and
// marks as junctions the vertices whose neighbours differ from an earlier
// occurrence.
func markJunctions(nb map[wpt]*neighbours, ring []wpt) {
	n := len(ring)
	for i, p := range ring {
		prev, next := ring[(i+n-1)%n], ring[(i+1)%n]
		s, ok := nb[p]
		if !ok {
			nb[p] = &neighbours{prev: prev, next: next}
			continue
		}
		if s.junction {
			continue
		}
		same := (prev == s.prev && next == s.next) || (prev == s.next && next == s.prev)
		if !same {
			s.junction = true
		}
	}
}

// cutRing splits an open ring at its junctions and returns it as arcs,
// adding new arcs to t and reusing known ones (in either direction).
func (t *topology) cutRing(ring []wpt, nb map[wpt]*neighbours, keys map[[2]wpt]arcRef) topoRing {
	var out topoRing
	splitRing(ring, func(p wpt) bool { return nb[p].junction }, func(arc []wpt, loose bool) {
		n := t.arcs.len()
		r := t.arcFor(arc, keys)
		if loose && int(r) == n {
			t.loose = append(t.loose, int32(r))
		}
		out = append(out, r)
	})
	return out
}

// splitRing splits an open ring at its junctions and hands each arc to
// emit (the slice is reused: emit copies what it keeps), in ring order
// from the first junction; loose says the ring has no junction and is one
// closed arc, started at its smallest vertex so that every ring walking
// it finds the same one.
func splitRing(ring []wpt, junction func(wpt) bool, emit func(arc []wpt, loose bool)) {
	start := -1
	for i, p := range ring {
		if junction(p) {
			start = i
			break
		}
	}
	n := len(ring)
	if start < 0 {
		start = 0
		for i, p := range ring {
			if p[0] < ring[start][0] || (p[0] == ring[start][0] && p[1] < ring[start][1]) {
				start = i
			}
		}
		arc := make([]wpt, 0, n+1)
		for i := 0; i <= n; i++ {
			arc = append(arc, ring[(start+i)%n])
		}
		emit(arc, true)
		return
	}
	arc := []wpt{ring[start]}
	for i := 1; i <= n; i++ {
		p := ring[(start+i)%n]
		arc = append(arc, p)
		if i == n || junction(p) {
			emit(arc, false)
			arc = append(arc[:0], p)
		}
	}
}

// arcFor returns the reference to arc (a chain from a junction to a
// junction), adding it to t when neither it nor its reverse is known. An
// arc is identified by its first two vertices: between junctions a chain
// cannot fork.
func (t *topology) arcFor(arc []wpt, keys map[[2]wpt]arcRef) arcRef {
	if r, ok := keys[[2]wpt{arc[0], arc[1]}]; ok {
		return r
	}
	id := arcRef(t.arcs.len())
	t.arcs.add(arc)
	last := len(arc) - 1
	keys[[2]wpt{arc[0], arc[1]}] = id
	if _, ok := keys[[2]wpt{arc[last], arc[last-1]}]; !ok {
		keys[[2]wpt{arc[last], arc[last-1]}] = ^id
	}
	return id
}

// indexUsers fills t.users.
func (t *topology) indexUsers() {
	t.users = make([][]int32, t.arcs.len())
	for fi, f := range t.features {
		for _, poly := range f.polys {
			for _, ring := range poly {
				for _, r := range ring {
					u := t.users[r.id()]
					if len(u) == 0 || u[len(u)-1] != int32(fi) {
						t.users[r.id()] = append(u, int32(fi))
					}
				}
			}
		}
	}
}
