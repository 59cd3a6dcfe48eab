package walk

import "math"

// A scratch holds one query's working arrays. Entries are valid only when
// their stamp equals gen, so starting a query costs nothing: bump gen. A
// Network keeps scratches in a pool.
type scratch struct {
	gen   uint32
	stamp []uint32  // node has a tentative distance
	done  []uint32  // node is settled
	dist  []float64 // tentative or final distance
	label []int32   // index of the source that reaches the node first
	heap  []heapItem
	order []int32 // settled nodes, nearest first

	edgeStamp []uint32 // edge already visited by this query
	srcStamp  []uint32 // edge carries a source of this query
	srcHead   []int32  // first source on the edge
	srcNext   []int32  // next source on the same edge
	srcs      []seedSource
}

type heapItem struct {
	d float64
	n int32
}

// A seedSource is one source of a search: a snapped point.
type seedSource struct {
	snap Snap
}

func newScratch(g *Graph) *scratch {
	n, m := len(g.nodes), len(g.edges)
	return &scratch{
		stamp:     make([]uint32, n),
		done:      make([]uint32, n),
		dist:      make([]float64, n),
		label:     make([]int32, n),
		edgeStamp: make([]uint32, m),
		srcStamp:  make([]uint32, m),
		srcHead:   make([]int32, m),
	}
}

// begin starts a new query.
func (s *scratch) begin() {
	s.gen++
	if s.gen == 0 { // wrapped: clear the stamps once every 4 billion queries
		clear(s.stamp)
		clear(s.done)
		clear(s.edgeStamp)
		clear(s.srcStamp)
		s.gen = 1
	}
	s.heap = s.heap[:0]
	s.order = s.order[:0]
	s.srcNext = s.srcNext[:0]
	s.srcs = s.srcs[:0]
}

// addSource seeds the search with a snapped source: its edge's From node
// at access+offset and its To node at access+(length-offset).
func (s *scratch) addSource(g *Graph, sn Snap, limit float64) {
	id := int32(len(s.srcs))
	s.srcs = append(s.srcs, seedSource{snap: sn})
	e := sn.Edge
	next := int32(-1)
	if s.srcStamp[e] == s.gen {
		next = s.srcHead[e]
	}
	s.srcStamp[e], s.srcHead[e] = s.gen, id
	s.srcNext = append(s.srcNext, next)
	r := g.edges[e]
	s.relax(r.from, sn.AccessMeters+sn.OffsetMeters, id, limit)
	s.relax(r.to, sn.AccessMeters+(r.length-sn.OffsetMeters), id, limit)
}

// relax offers distance d from source lab to node v.
func (s *scratch) relax(v int32, d float64, lab int32, limit float64) {
	if d > limit {
		return
	}
	if s.stamp[v] == s.gen && d >= s.dist[v] {
		return
	}
	s.stamp[v], s.dist[v], s.label[v] = s.gen, d, lab
	s.push(heapItem{d: d, n: v})
}

// run settles every node within limit, nearest first.
func (s *scratch) run(g *Graph, limit float64) {
	for len(s.heap) > 0 {
		it := s.pop()
		u := it.n
		if s.done[u] == s.gen || it.d > s.dist[u] {
			continue
		}
		s.done[u] = s.gen
		s.order = append(s.order, u)
		lab := s.label[u]
		for i := g.off[u]; i < g.off[u+1]; i++ {
			s.relax(g.adjTo[i], it.d+g.adjLen[i], lab, limit)
		}
	}
}

// nodeDist returns the settled distance of node n, +Inf if unreached.
func (s *scratch) nodeDist(n int32) float64 {
	if s.done[n] == s.gen {
		return s.dist[n]
	}
	return math.Inf(1)
}

// targetDist returns the network distance of a target snapped at sn and
// the source that gives it (-1 if unreached): the nearer of the edge's two
// ends, or a source on the same edge, plus the target's access walk.
func (s *scratch) targetDist(g *Graph, sn Snap) (float64, int32) {
	r := g.edges[sn.Edge]
	best, lab := math.Inf(1), int32(-1)
	if du := s.nodeDist(r.from); du+sn.OffsetMeters < best {
		best, lab = du+sn.OffsetMeters, s.label[r.from]
	}
	if dv := s.nodeDist(r.to); dv+(r.length-sn.OffsetMeters) < best {
		best, lab = dv+(r.length-sn.OffsetMeters), s.label[r.to]
	}
	if s.srcStamp[sn.Edge] == s.gen {
		for id := s.srcHead[sn.Edge]; id >= 0; id = s.srcNext[id] {
			src := s.srcs[id].snap
			if d := src.AccessMeters + math.Abs(src.OffsetMeters-sn.OffsetMeters); d < best || (d == best && id < lab) {
				best, lab = d, id
			}
		}
	}
	return best + sn.AccessMeters, lab
}

func (s *scratch) push(it heapItem) {
	s.heap = append(s.heap, it)
	h := s.heap
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].d <= it.d {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = it
}

func (s *scratch) pop() heapItem {
	h := s.heap
	top := h[0]
	last := h[len(h)-1]
	h = h[:len(h)-1]
	s.heap = h
	n := len(h)
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].d < h[c].d {
			c++
		}
		if h[c].d >= last.d {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = last
	return top
}
