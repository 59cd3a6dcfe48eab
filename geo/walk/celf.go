package walk

import (
	"container/heap"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func multiPolygonContains(mp orb.MultiPolygon, p orb.Point) bool {
	return planar.MultiPolygonContains(mp, p)
}

// evaluate finds, for every candidate, the uncovered buildings within
// limit of it: one bounded search per candidate, looking only at edges
// that carry uncovered buildings. Candidates are shared out among the
// available cores.
func (n *Network) evaluate(cands []*candidate, d *demand, limit float64) {
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := max(1, min(runtime.GOMAXPROCS(0), len(cands)))
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := n.getScratch()
			defer n.putScratch(s)
			for {
				i := int(next.Add(1)) - 1
				if i >= len(cands) {
					return
				}
				n.evaluateOne(s, cands[i], d, limit)
			}
		}()
	}
	wg.Wait()
}

func (n *Network) evaluateOne(s *scratch, c *candidate, d *demand, limit float64) {
	g := n.g
	s.begin()
	s.addSource(g, c.snap, limit)
	s.run(g, limit)
	visit := func(e int32) {
		if d.uOff[e] == d.uOff[e+1] || s.edgeStamp[e] == s.gen {
			return
		}
		s.edgeStamp[e] = s.gen
		for _, u := range d.uIdx[d.uOff[e]:d.uOff[e+1]] {
			if dist, _ := s.targetDist(g, n.bsnap[d.building[u]]); dist <= limit {
				c.cover = append(c.cover, u)
				c.gain += d.households[u]
			}
		}
	}
	for _, u := range s.order {
		for i := g.off[u]; i < g.off[u+1]; i++ {
			visit(g.adjEdge[i])
		}
	}
	visit(int32(c.snap.Edge))
}

// pick chooses up to k candidates by lazy greedy (CELF): a candidate's
// gain can only fall as others are picked, so a stale gain is an upper
// bound and only the top of the queue needs recomputing.
func (d *demand) pick(cands []*candidate, k int, spacing float64) []Site {
	covered := make([]bool, len(d.building))
	q := &celfQueue{}
	for i, c := range cands {
		if c.gain > 0 {
			q.items = append(q.items, celfItem{gain: c.gain, idx: int32(i)})
		}
	}
	heap.Init(q)
	var sites []Site
	for len(sites) < k && q.Len() > 0 {
		top := heap.Pop(q).(celfItem)
		c := cands[top.idx]
		if spacing > 0 && !spacingOK(c.point, sites, spacing) {
			continue
		}
		if top.round != len(sites) {
			if g := d.gainOf(c, covered); g > 0 {
				heap.Push(q, celfItem{gain: g, idx: top.idx, round: len(sites)})
			}
			continue
		}
		site := Site{Point: c.point, Node: c.node, Snap: c.snap, GainHouseholds: top.gain}
		for _, u := range c.cover {
			if !covered[u] {
				covered[u] = true
				site.GainBuildings++
			}
		}
		sites = append(sites, site)
	}
	return sites
}

type celfItem struct {
	gain  int
	idx   int32
	round int
}

// celfQueue is a max-heap by gain, ties to the lower candidate index.
type celfQueue struct{ items []celfItem }

func (q *celfQueue) Len() int { return len(q.items) }
func (q *celfQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.gain != b.gain {
		return a.gain > b.gain
	}
	return a.idx < b.idx
}
func (q *celfQueue) Swap(i, j int) { q.items[i], q.items[j] = q.items[j], q.items[i] }
func (q *celfQueue) Push(x any)    { q.items = append(q.items, x.(celfItem)) }
func (q *celfQueue) Pop() any {
	it := q.items[len(q.items)-1]
	q.items = q.items[:len(q.items)-1]
	return it
}
