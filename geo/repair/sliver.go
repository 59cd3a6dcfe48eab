package repair

import (
	"fmt"
	"slices"

	"github.com/paulmach/orb"
)

// A piece is a connected set of faces owned by one grid.
type piece struct {
	grid      int32
	faces     []int32
	areaM2    float64
	perimeter float64 // metres of border with other owners
}

// slivers hands each detached sliver of a grid to the neighbour grid that
// shares the longest border with it. A sliver is a piece of a grid that
// is not its largest and has less area than SliverM2 or is thinner on
// average (2·area/perimeter) than SliverWidthM.
func (s *assignment) slivers() {
	byGrid := map[int32][]*piece{}
	for _, p := range s.pieces() {
		byGrid[p.grid] = append(byGrid[p.grid], p)
	}
	for g := range int32(len(s.j.grids)) {
		ps := byGrid[g]
		if len(ps) < 2 {
			continue
		}
		slices.SortStableFunc(ps, func(a, b *piece) int {
			switch {
			case a.areaM2 > b.areaM2:
				return -1
			case a.areaM2 < b.areaM2:
				return 1
			}
			return 0
		})
		for _, p := range ps[1:] {
			if p.areaM2 >= s.opts.SliverM2 && 2*p.areaM2/p.perimeter >= s.opts.SliverWidthM {
				continue
			}
			s.giveAway(p)
		}
	}
}

// giveAway moves piece p to the neighbour grid with the longest border.
func (s *assignment) giveAway(p *piece) {
	lengths := map[int32]float64{}
	for _, f := range p.faces {
		s.borders(f, func(n int32, l float64) {
			if g := s.owner[n]; g >= 0 && g != p.grid {
				lengths[g] += l
			}
		})
	}
	best, bestL := int32(-1), 0.0
	for g, l := range lengths {
		if l > bestL || (l == bestL && g < best) {
			best, bestL = g, l
		}
	}
	if best < 0 {
		return
	}
	var geom orb.MultiPolygon
	for _, f := range p.faces {
		s.owner[f] = best
		geom = append(geom, s.polygon(f))
	}
	s.j.repairs = append(s.j.repairs, Repair{Kind: KindSliver, Grids: []string{s.j.grids[best].key, s.j.grids[p.grid].key},
		Community: s.j.commOf(p.grid), At: s.probe(p.faces[0]), Geometry: geom, AreaM2: p.areaM2,
		Note: fmt.Sprintf("a detached sliver of %.1f m² (%.2f m wide on average) of %s given to %s (longest shared border)",
			p.areaM2, 2*p.areaM2/p.perimeter, s.j.grids[p.grid].key, s.j.grids[best].key)})
}

// pieces returns the connected pieces of every grid: faces with the same
// owner joined across the edges between them.
func (s *assignment) pieces() []*piece {
	a := s.a
	parent := make([]int32, len(a.rings))
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
	perim := make([]float64, len(a.rings))
	for e := range int32(a.g.NumEdges()) {
		if !a.g.Live(e) {
			continue
		}
		l, r := a.region(a.faceOf[2*e]), a.region(a.faceOf[2*e+1])
		ol, or := s.ownerOf(l), s.ownerOf(r)
		if ol == or {
			if ol >= 0 && l != r {
				parent[find(l)] = find(r)
			}
			continue
		}
		m := s.j.meters(a.g.Origin(2*e), a.g.Dest(2*e))
		if l >= 0 {
			perim[l] += m
		}
		if r >= 0 {
			perim[r] += m
		}
	}
	byRoot := map[int32]*piece{}
	var out []*piece
	for f := range int32(len(a.rings)) {
		if s.owner[f] < 0 {
			continue
		}
		root := find(f)
		p := byRoot[root]
		if p == nil {
			p = &piece{grid: s.owner[f]}
			byRoot[root] = p
			out = append(out, p)
		}
		p.faces = append(p.faces, f)
		p.areaM2 += s.areaM2[f]
		p.perimeter += perim[f]
	}
	return out
}

// ownerOf returns the owner of a bounded face, or nobody for -1.
func (s *assignment) ownerOf(f int32) int32 {
	if f < 0 {
		return nobody
	}
	return s.owner[f]
}
