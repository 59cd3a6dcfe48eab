package tiles

import (
	"slices"
	"sort"
)

// An arcPair names two arcs, a <= b, with segments in conflict (see
// segsConflict); a == b when an arc meets itself.
type arcPair struct{ a, b int32 }

// A segIndex finds segments by their boxes: each segment is entered in
// every square cell of side cell its box meets, as one sorted uint64 per
// entry holding the cell (16 bits of column, 16 of row, from the origin)
// and the segment's index. A pair of segments, or a segment and a query
// box, is considered only in the cell holding the lower right corner of
// where their boxes start (the larger minimum x and y), so each is seen
// once.
type segIndex struct {
	segs    []seg
	ox, oy  int64 // the origin: the smallest x and y
	cell    int64
	entries []uint64
}

// maxCells is the number of cells along each side of a segIndex.
const maxCells = 1 << 16

// newSegIndex indexes segs (kept, not copied).
func newSegIndex(segs []seg) *segIndex {
	ix := &segIndex{segs: segs, cell: 1}
	if len(segs) == 0 {
		return ix
	}
	ix.ox, ix.oy = int64(segs[0].x1), int64(segs[0].y1)
	maxX, maxY := ix.ox, ix.oy
	var extent int64
	for _, s := range segs {
		lo, hi := s.box()
		ix.ox, ix.oy = min(ix.ox, int64(lo[0])), min(ix.oy, int64(lo[1]))
		maxX, maxY = max(maxX, int64(hi[0])), max(maxY, int64(hi[1]))
		extent += max(int64(hi[0]-lo[0]), int64(hi[1]-lo[1]))
	}
	ix.cell = max(1, 2*extent/int64(len(segs)))
	for (maxX-ix.ox)/ix.cell >= maxCells || (maxY-ix.oy)/ix.cell >= maxCells || ix.count() > 8*len(segs)+1024 {
		ix.cell *= 2
	}
	ix.entries = make([]uint64, 0, ix.count())
	for i, s := range segs {
		x0, y0, x1, y1 := ix.cells(s.box())
		for cx := x0; cx <= x1; cx++ {
			for cy := y0; cy <= y1; cy++ {
				ix.entries = append(ix.entries, uint64(cx<<16|cy)<<32|uint64(i))
			}
		}
	}
	slices.Sort(ix.entries)
	return ix
}

// count returns the number of entries the segments need at ix.cell.
func (ix *segIndex) count() int {
	n := 0
	for _, s := range ix.segs {
		x0, y0, x1, y1 := ix.cells(s.box())
		n += int((x1 - x0 + 1) * (y1 - y0 + 1))
	}
	return n
}

// cells returns the range of cells a box meets.
func (ix *segIndex) cells(lo, hi [2]int32) (x0, y0, x1, y1 int64) {
	return (int64(lo[0]) - ix.ox) / ix.cell, (int64(lo[1]) - ix.oy) / ix.cell,
		(int64(hi[0]) - ix.ox) / ix.cell, (int64(hi[1]) - ix.oy) / ix.cell
}

// owns reports whether the cell (cx, cy) is where two boxes starting at
// lo1 and lo2 are considered.
func (ix *segIndex) owns(cx, cy int64, lo1, lo2 [2]int32) bool {
	return (int64(max(lo1[0], lo2[0]))-ix.ox)/ix.cell == cx && (int64(max(lo1[1], lo2[1]))-ix.oy)/ix.cell == cy
}

func boxesMeet(lo1, hi1, lo2, hi2 [2]int32) bool {
	return lo1[0] <= hi2[0] && lo2[0] <= hi1[0] && lo1[1] <= hi2[1] && lo2[1] <= hi1[1]
}

// pairs appends the arc pairs of every two segments in conflict.
func (ix *segIndex) pairs(out []arcPair) []arcPair {
	for start := 0; start < len(ix.entries); {
		c := ix.entries[start] >> 32
		end := start + 1
		for end < len(ix.entries) && ix.entries[end]>>32 == c {
			end++
		}
		cx, cy := int64(c>>16), int64(c&0xffff)
		run := ix.entries[start:end]
		for i, ei := range run {
			a := ix.segs[uint32(ei)]
			alo, ahi := a.box()
			for _, ej := range run[i+1:] {
				b := ix.segs[uint32(ej)]
				blo, bhi := b.box()
				if boxesMeet(alo, ahi, blo, bhi) && ix.owns(cx, cy, alo, blo) && segsConflict(a, b) {
					out = append(out, newArcPair(a.arc, b.arc))
				}
			}
		}
		start = end
	}
	return out
}

// query calls f with every segment whose box meets lo-hi, once each.
func (ix *segIndex) query(lo, hi [2]int32, f func(s seg)) {
	if len(ix.entries) == 0 {
		return
	}
	x0, y0, x1, y1 := ix.cells(lo, hi)
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, maxCells-1), min(y1, maxCells-1)
	for cx := x0; cx <= x1; cx++ {
		for cy := y0; cy <= y1; cy++ {
			c := uint64(cx<<16 | cy)
			i := sort.Search(len(ix.entries), func(i int) bool { return ix.entries[i]>>32 >= c })
			for ; i < len(ix.entries) && ix.entries[i]>>32 == c; i++ {
				s := ix.segs[uint32(ix.entries[i])]
				slo, shi := s.box()
				if boxesMeet(lo, hi, slo, shi) && ix.owns(cx, cy, lo, slo) {
					f(s)
				}
			}
		}
	}
}

func newArcPair(a, b int32) arcPair {
	if a > b {
		a, b = b, a
	}
	return arcPair{a, b}
}

// sortPairs sorts pairs and drops repeats.
func sortPairs(ps []arcPair) []arcPair {
	slices.SortFunc(ps, func(x, y arcPair) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	return slices.Compact(ps)
}

// pairArcs returns the arcs of pairs, sorted and without repeats.
func pairArcs(ps []arcPair) []int32 {
	out := make([]int32, 0, 2*len(ps))
	for _, p := range ps {
		out = append(out, p.a, p.b)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// arcSegments appends the segments of simplified arc a.
func arcSegments(out []seg, a int32, pts []int32) []seg {
	for i := 0; i+3 < len(pts); i += 2 {
		out = append(out, seg{pts[i], pts[i+1], pts[i+2], pts[i+3], a})
	}
	return out
}

// conflictsAmong returns the sorted pairs of arcs in conflict among the
// wanted arcs (nil arcs skipped), and an index of their segments.
func conflictsAmong(arcs [][]int32, want []bool) ([]arcPair, *segIndex) {
	var segs []seg
	for a, pts := range arcs {
		if want[a] {
			segs = arcSegments(segs, int32(a), pts)
		}
	}
	ix := newSegIndex(segs)
	return sortPairs(ix.pairs(nil)), ix
}

// conflictsAfter returns the pairs in conflict once the arcs in moved
// (sorted, every one wanted) have new simplified forms in arcs, when
// static indexes every wanted arc's earlier segments and base were the
// pairs among them: base's pairs between arcs not moved stand, and the
// moved arcs are checked again against every arc.
func conflictsAfter(arcs [][]int32, static *segIndex, base []arcPair, moved []int32, isMoved []bool) []arcPair {
	var out []arcPair
	for _, p := range base {
		if !isMoved[p.a] && !isMoved[p.b] {
			out = append(out, p)
		}
	}
	var segs []seg
	for _, a := range moved {
		segs = arcSegments(segs, a, arcs[a])
	}
	for _, s := range segs {
		lo, hi := s.box()
		static.query(lo, hi, func(t seg) {
			if !isMoved[t.arc] && segsConflict(s, t) {
				out = append(out, newArcPair(s.arc, t.arc))
			}
		})
	}
	out = newSegIndex(segs).pairs(out)
	return sortPairs(out)
}
