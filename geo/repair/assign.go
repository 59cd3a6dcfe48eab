package repair

import (
	"fmt"
	"math"
	"slices"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// Owners of a face besides a grid index.
const (
	nobody  = -1 // outside the community, or a gap left open
	pending = -2 // not decided yet
)

// An assignment decides which grid owns each bounded face.
type assignment struct {
	j       *job
	a       *arrangement
	opts    Options
	owner   []int32   // per face
	grids   [][]int32 // per face: the grids covering it
	areaM2  []float64 // per face: area with its holes taken out
	outside []float64 // per grid: area cut off outside the community
}

// assign gives every bounded face inside the community one grid: the one
// grid covering it, or by the overlap rule, or (a gap) the neighbour with
// the longest shared border; then it hands detached slivers to neighbours.
func (j *job) assign(a *arrangement, opts Options) *assignment {
	s := &assignment{j: j, a: a, opts: opts, owner: make([]int32, len(a.rings)),
		grids: make([][]int32, len(a.rings)), areaM2: make([]float64, len(a.rings)), outside: make([]float64, len(j.grids))}
	for f := range a.rings {
		s.first(int32(f))
	}
	s.settle()
	s.slivers()
	return s
}

// first decides the faces that need no neighbours: single grids, outside
// and large gaps; overlaps and small gaps wait for settle.
func (s *assignment) first(f int32) {
	a, j := s.a, s.j
	if a.area2[f] <= 0 {
		s.owner[f] = nobody
		return
	}
	inB := len(j.given) == 0
	for _, p := range a.cover[f] {
		if g := j.partGrid[p]; g >= 0 {
			if !slices.Contains(s.grids[f], g) {
				s.grids[f] = append(s.grids[f], g)
			}
		} else {
			inB = true
		}
	}
	s.areaM2[f] = s.faceAreaM2(f)
	gs := s.grids[f]
	switch {
	case len(gs) == 0 && len(j.given) == 0 && s.areaM2[f] > s.opts.GapM2:
		s.owner[f] = nobody
		j.repairs = append(j.repairs, Repair{Kind: KindGapLeft, Community: s.nearCommunity(f), At: s.probe(f), Geometry: s.polygon(f),
			AreaM2: s.areaM2[f], Note: fmt.Sprintf("a hole of %.1f m² among the grids, larger than %.0f m²: left open", s.areaM2[f], s.opts.GapM2)})
	case len(gs) == 0 && s.areaM2[f] > s.opts.GapM2:
		s.owner[f] = nobody
		at := s.probe(f)
		j.faults = append(j.faults, Fault{Community: j.key, At: &at,
			Reason: fmt.Sprintf("a gap of %.1f m² inside the community that no grid covers, larger than the %.0f m² that are filled", s.areaM2[f], s.opts.GapM2)})
	case !inB:
		s.owner[f] = nobody
		for _, g := range gs {
			s.outside[g] += s.areaM2[f]
		}
		j.repairs = append(j.repairs, Repair{Kind: KindOutside, Grids: s.keys(gs), Community: j.commOf(gs[0]), At: s.probe(f),
			Geometry: s.polygon(f), AreaM2: s.areaM2[f], Note: fmt.Sprintf("%.1f m² outside the community's boundary cut off", s.areaM2[f])})
	case len(gs) == 1:
		s.owner[f] = gs[0]
	case len(gs) > 1 && s.opts.Overlap == LargestGrid:
		s.owner[f] = s.largest(gs)
		s.record(KindOverlap, f, "largest grid")
	default:
		s.owner[f] = pending
	}
}

// settle decides the pending faces, repeatedly, by the longest border
// they share with faces already decided; faces with no decided
// neighbour wait for the next round. Overlaps left over go to the largest
// claimant; gaps with no grid around are faults.
func (s *assignment) settle() {
	for progress := true; progress; {
		progress = false
		for f := range s.owner {
			if s.owner[f] != pending {
				continue
			}
			if g := s.longestBorder(int32(f), s.grids[f]); g >= 0 {
				s.owner[f] = g
				s.recordSettled(int32(f), "longest shared border")
				progress = true
			}
		}
	}
	for f := range s.owner {
		if s.owner[f] != pending {
			continue
		}
		if len(s.grids[f]) > 0 {
			s.owner[f] = s.largest(s.grids[f])
			s.recordSettled(int32(f), "largest grid (no decided neighbour)")
			continue
		}
		s.owner[f] = nobody
		at := s.probe(int32(f))
		s.j.faults = append(s.j.faults, Fault{Community: s.nearCommunity(int32(f)), At: &at,
			Reason: fmt.Sprintf("a gap of %.1f m² with no grid beside it", s.areaM2[f])})
	}
}

// recordSettled records an overlap or gap decided by rule.
func (s *assignment) recordSettled(f int32, rule string) {
	if len(s.grids[f]) > 1 {
		s.record(KindOverlap, f, rule)
	} else {
		s.record(KindGapFilled, f, rule)
	}
}

// record adds a repair for face f given to its owner by rule.
func (s *assignment) record(k Kind, f int32, rule string) {
	gs := []int32{s.owner[f]}
	for _, g := range s.grids[f] {
		if g != s.owner[f] {
			gs = append(gs, g)
		}
	}
	what := "claimed by several grids"
	if k == KindGapFilled {
		what = "covered by no grid"
	}
	s.j.repairs = append(s.j.repairs, Repair{Kind: k, Grids: s.keys(gs), Community: s.j.commOf(s.owner[f]), At: s.probe(f),
		Geometry: s.polygon(f), AreaM2: s.areaM2[f],
		Note: fmt.Sprintf("%.1f m² %s, given to %s (%s)", s.areaM2[f], what, s.j.grids[s.owner[f]].key, rule)})
}

// longestBorder returns the grid, among allowed (any grid when empty),
// owning the faces that share the longest border with face f, or -1.
func (s *assignment) longestBorder(f int32, allowed []int32) int32 {
	lengths := map[int32]float64{}
	s.borders(f, func(n int32, l float64) {
		if g := s.owner[n]; g >= 0 && (len(allowed) == 0 || slices.Contains(allowed, g)) {
			lengths[g] += l
		}
	})
	best, bestL := int32(-1), 0.0
	for g, l := range lengths {
		if l > bestL || (l == bestL && g < best) {
			best, bestL = g, l
		}
	}
	return best
}

// borders calls fn with each bounded face across an edge of face f (or of
// the components inside it) and the edge's length in metres.
func (s *assignment) borders(f int32, fn func(n int32, m float64)) {
	a := s.a
	visit := func(face int32) {
		for _, h := range a.halves[face] {
			if n := a.region(a.faceOf[h^1]); n >= 0 && n != f {
				fn(n, s.j.meters(a.g.Origin(h), a.g.Dest(h)))
			}
		}
	}
	visit(f)
	for _, o := range a.holes[f] {
		visit(o)
	}
}

// nearCommunity returns the community of a face no grid owns: the job's
// when it has a boundary, else that of the grid sharing the longest
// border with it.
func (s *assignment) nearCommunity(f int32) string {
	if len(s.j.given) > 0 {
		return s.j.key
	}
	if g := s.longestBorder(f, nil); g >= 0 {
		return s.j.commOf(g)
	}
	return s.j.key
}

// largest returns the grid of gs with the largest area before repair.
func (s *assignment) largest(gs []int32) int32 {
	best := gs[0]
	for _, g := range gs[1:] {
		if s.j.grids[g].areaM2 > s.j.grids[best].areaM2 {
			best = g
		}
	}
	return best
}

// faceAreaM2 returns the area of bounded face f without its holes.
func (s *assignment) faceAreaM2(f int32) float64 {
	a2 := s.a.area2[f]
	for _, o := range s.a.holes[f] {
		a2 += s.a.area2[o]
	}
	return math.Abs(a2) / 2 * s.j.kx * s.j.ky
}

// polygon returns face f as a polygon with its holes.
func (s *assignment) polygon(f int32) orb.Polygon {
	p := orb.Polygon{s.a.rings[f]}
	for _, o := range s.a.holes[f] {
		p = append(p, s.a.rings[o])
	}
	return p
}

// probe returns a point inside face f, near its longest edge.
func (s *assignment) probe(f int32) orb.Point { return planar.LeftProbe(s.a.rings[f]) }

// keys returns the keys of grids gs.
func (s *assignment) keys(gs []int32) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = s.j.grids[g].key
	}
	return out
}
