package edit

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// A planarGraph is a set of noded segments: they meet only at shared
// endpoints. polygonize turns it into the faces it encloses.
type planarGraph struct {
	ids  map[orb.Point]int
	pts  []orb.Point
	adj  [][]int // neighbours of each node, sorted by angle once built
	seen map[[2]int]bool
}

// polygonize returns the bounded faces formed by noded segments, with
// holes, as counter-clockwise shells and clockwise holes. Dangling
// segments (those on no cycle) are dropped.
func polygonize(segs [][2]orb.Point) []orb.Polygon {
	g := &planarGraph{ids: map[orb.Point]int{}, seen: map[[2]int]bool{}}
	for _, s := range segs {
		g.addEdge(s[0], s[1])
	}
	g.pruneDangles()
	g.sortAngles()
	var shells, holes []orb.Ring
	for u := range g.adj {
		for _, v := range g.adj[u] {
			if g.seen[[2]int{u, v}] {
				continue
			}
			r := g.trace(u, v)
			switch a := ringArea2(r); {
			case a > 0:
				shells = append(shells, r)
			case a < 0:
				holes = append(holes, r)
			}
		}
	}
	return assignHoles(shells, holes)
}

// addEdge adds the undirected edge a-b once.
func (g *planarGraph) addEdge(a, b orb.Point) {
	if a == b {
		return
	}
	u, v := g.node(a), g.node(b)
	if slices.Contains(g.adj[u], v) {
		return
	}
	g.adj[u] = append(g.adj[u], v)
	g.adj[v] = append(g.adj[v], u)
}

// node returns the id of point p, adding it if new.
func (g *planarGraph) node(p orb.Point) int {
	if id, ok := g.ids[p]; ok {
		return id
	}
	id := len(g.pts)
	g.ids[p] = id
	g.pts = append(g.pts, p)
	g.adj = append(g.adj, nil)
	return id
}

// pruneDangles removes edges ending at a node of degree one, repeatedly.
func (g *planarGraph) pruneDangles() {
	var queue []int
	for u, nb := range g.adj {
		if len(nb) == 1 {
			queue = append(queue, u)
		}
	}
	for len(queue) > 0 {
		u := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if len(g.adj[u]) != 1 {
			continue
		}
		v := g.adj[u][0]
		g.adj[u] = nil
		g.adj[v] = slices.DeleteFunc(g.adj[v], func(w int) bool { return w == u })
		if len(g.adj[v]) == 1 {
			queue = append(queue, v)
		}
	}
}

// sortAngles orders each node's neighbours counter-clockwise by direction.
func (g *planarGraph) sortAngles() {
	for u, nb := range g.adj {
		p := g.pts[u]
		slices.SortFunc(nb, func(a, b int) int {
			pa, pb := g.pts[a], g.pts[b]
			return cmp.Compare(math.Atan2(pa[1]-p[1], pa[0]-p[0]), math.Atan2(pb[1]-p[1], pb[0]-p[0]))
		})
	}
}

// trace walks the face to the left of the directed edge u->v and returns
// its closed ring: at each node it takes the edge next clockwise from the
// one it arrived along.
func (g *planarGraph) trace(u, v int) orb.Ring {
	start := [2]int{u, v}
	r := orb.Ring{g.pts[u]}
	for e := start; ; {
		g.seen[e] = true
		from, at := e[0], e[1]
		r = append(r, g.pts[at])
		nb := g.adj[at]
		k := slices.Index(nb, from)
		next := nb[(k-1+len(nb))%len(nb)]
		e = [2]int{at, next}
		if e == start || g.seen[e] || len(r) > 4*len(g.pts)+4 {
			break
		}
	}
	if r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	return r
}

// assignHoles puts each clockwise ring into the smallest shell around it.
// A clockwise ring is the outside of a connected part of the graph; the
// probe point just left of one of its edges lies in the face around it.
func assignHoles(shells, holes []orb.Ring) []orb.Polygon {
	polys := make([]orb.Polygon, len(shells))
	areas := make([]float64, len(shells))
	for i, s := range shells {
		polys[i] = orb.Polygon{s}
		areas[i] = ringArea2(s)
	}
	for _, h := range holes {
		probe := leftProbe(h)
		best := -1
		for i, s := range shells {
			if (best < 0 || areas[i] < areas[best]) && ringContains(s, probe) {
				best = i
			}
		}
		if best >= 0 {
			polys[best] = append(polys[best], h)
		}
	}
	return polys
}

// leftProbe returns a point just left of the midpoint of r's longest edge.
func leftProbe(r orb.Ring) orb.Point {
	bi, bl := 0, -1.0
	for i := 0; i+1 < len(r); i++ {
		if l := dist2(r[i], r[i+1]); l > bl {
			bi, bl = i, l
		}
	}
	a, b := r[bi], r[bi+1]
	l := math.Sqrt(bl)
	off := min(l/1000, 1e-9)
	return orb.Point{(a[0]+b[0])/2 - (b[1]-a[1])/l*off, (a[1]+b[1])/2 + (b[0]-a[0])/l*off}
}

// ringContains reports whether p lies inside the closed ring r by the
// crossing-number rule (points on the boundary may go either way).
func ringContains(r orb.Ring, p orb.Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])/(b[1]-a[1])*(b[0]-a[0])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in
}

// mpContains reports whether p lies inside mp by the crossing-number rule
// over all its rings.
func mpContains(mp orb.MultiPolygon, p orb.Point) bool {
	in := false
	for _, poly := range mp {
		for _, r := range poly {
			if ringContains(r, p) {
				in = !in
			}
		}
	}
	return in
}
