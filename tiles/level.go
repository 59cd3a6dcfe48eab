package tiles

import "slices"

// chunkSize is the number of ring vertices summarised by one bounding box
// for clipping: runs of vertices whose box lies outside a tile are skipped.
const chunkSize = 32

// maxRefine is how many times a level quarters the tolerance of arcs whose
// simplification made them cross another arc.
const maxRefine = 4

// An ibox is an integer box in level coordinates.
type ibox struct{ minX, minY, maxX, maxY int32 }

// An lvRing is a polygon ring in level coordinates: open (no closing
// vertex), as x, y pairs, with one box per chunk of chunkSize segments.
// The rings a level holds are views into its slabs.
type lvRing struct {
	pts    []int32
	chunks []ibox
}

// A level holds the geometry generalised for one zoom: every needed
// polygon rebuilt from its simplified arcs, and the needed street lines,
// all snapped to the zoom's integer grid (Extent units per tile). Its
// geometry sits in a few flat slabs, every item found by the end offset of
// its previous neighbour: a feature's polygons, a polygon's rings, a
// ring's points and chunk boxes, a street's points.
type level struct {
	z         uint32
	pts       []int32 // the points of every ring, x, y pairs
	chunks    []ibox  // the chunk boxes of every ring
	ringEnds  []ringEnd
	polyEnds  []uint32 // per polygon: the end of its rings in ringEnds
	featEnds  []uint32 // per topology feature up to the last needed: the end of its polygons in polyEnds
	linePts   []int32  // the points of every street line, x, y pairs
	lineEnds  []uint32 // per street: the end of its points; nil when no street is needed
	crossings int      // arcs still crossing another after refinement (for tests and diagnostics)
	// pairs are the arcs in conflict at each round of refinement that
	// was evaluated (see simplifyArcs), for the next version's level to
	// be patched from this one (patchLevel).
	pairs [][]arcPair
	// patched says the level was patched from an earlier version's, and
	// dirty holds the world boxes (earlier and now) of the polygons it
	// drew again rather than copied: elsewhere it draws what that level
	// drew (see Changes); from names the levels it was patched from.
	patched bool
	dirty   []wbound
	from    *levelsID
}

// A ringEnd is where a ring of a level ends in its points and chunks.
type ringEnd struct{ pts, chunks uint32 }

// span returns the range that item i of a table of end offsets covers.
func span(ends []uint32, i uint32) (lo, hi uint32) {
	if i > 0 {
		lo = ends[i-1]
	}
	return lo, ends[i]
}

// polys returns the range of polygon indices of topology feature fi (empty
// when the feature is not needed at this zoom).
func (lv *level) polys(fi int32) (lo, hi uint32) {
	if int(fi) >= len(lv.featEnds) {
		return 0, 0
	}
	return span(lv.featEnds, uint32(fi))
}

// rings returns the range of ring indices of polygon p.
func (lv *level) rings(p uint32) (lo, hi uint32) { return span(lv.polyEnds, p) }

// ring returns ring i.
func (lv *level) ring(i uint32) lvRing {
	var start ringEnd
	if i > 0 {
		start = lv.ringEnds[i-1]
	}
	end := lv.ringEnds[i]
	return lvRing{pts: lv.pts[start.pts:end.pts:end.pts], chunks: lv.chunks[start.chunks:end.chunks:end.chunks]}
}

// line returns the simplified line of street i: nil when the street is not
// needed at this zoom or collapsed to a point.
func (lv *level) line(i int32) []int32 {
	if lv.lineEnds == nil {
		return nil
	}
	lo, hi := span(lv.lineEnds, uint32(i))
	return lv.linePts[lo:hi:hi]
}

// buildLevel generalises the topology at zoom z. needFeature says which
// topology features are wanted, needLine which street lines.
func buildLevel(t *topology, lines *chains, z uint32, tol float64, needFeature func(int) bool, needLine func(int) bool) *level {
	lv := &level{z: z, featEnds: make([]uint32, len(t.features))}
	arcs := lv.simplifyArcs(t, wantedArcs(t, needFeature), worldScale(z), tol)
	simplified := func(a int32) []int32 { return arcs[a] }
	var buf []int32
	needed := 0 // features up to the last needed one
	for fi, f := range t.features {
		if needFeature(fi) {
			buf = lv.rebuild(simplified, f.polys, buf)
			needed = fi + 1
		}
		lv.featEnds[fi] = uint32(len(lv.polyEnds))
	}
	lv.buildLines(lines, worldScale(z), tol, needLine)
	lv.trim(needed)
	return lv
}

// trim keeps featEnds up to the needed features and drops the slabs'
// spare capacity.
func (lv *level) trim(needed int) {
	lv.featEnds = slices.Clone(lv.featEnds[:needed])
	lv.pts, lv.chunks, lv.ringEnds = trimmed(lv.pts), trimmed(lv.chunks), trimmed(lv.ringEnds)
	lv.polyEnds = trimmed(lv.polyEnds)
}

// withRoom returns a copy of s with room for a sixteenth more, for a
// copy that is appended to and then trimmed: one copy, which trimmed
// keeps.
func withRoom[T any](s []T) []T {
	return append(make([]T, 0, len(s)+len(s)/16), s...)
}

// trimmed returns s without its spare capacity, copying it only when
// that is more than a sixteenth of its length.
func trimmed[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/16 {
		return slices.Clone(s)
	}
	return s
}

// wantedArcs marks the arcs of the features needFeature wants.
func wantedArcs(t *topology, needFeature func(int) bool) []bool {
	want := make([]bool, t.arcs.len())
	for fi, f := range t.features {
		if !needFeature(fi) {
			continue
		}
		for _, poly := range f.polys {
			for _, ring := range poly {
				for _, r := range ring {
					want[r.id()] = true
				}
			}
		}
	}
	return want
}

// buildLines simplifies the needed street lines.
func (lv *level) buildLines(lines *chains, scale, tol float64, needLine func(int) bool) {
	var keep []bool
	for i := range lines.len() {
		l := lines.at(i)
		if !needLine(i) || len(l) < 2 {
			if lv.lineEnds != nil {
				lv.lineEnds = append(lv.lineEnds, uint32(len(lv.linePts)))
			}
			continue
		}
		if lv.lineEnds == nil {
			lv.lineEnds = make([]uint32, i, lines.len())
		}
		start := len(lv.linePts)
		lv.linePts, keep = simplifyArc(lv.linePts, l, scale, tol, keep)
		if len(lv.linePts)-start < 4 {
			lv.linePts = lv.linePts[:start]
		}
		lv.lineEnds = append(lv.lineEnds, uint32(len(lv.linePts)))
	}
	lv.linePts = slices.Clone(lv.linePts)
}

// simplifyArcs simplifies every wanted arc, then re-simplifies the arcs that
// cross another arc with a smaller tolerance, up to maxRefine times. Arcs
// that still cross go back to the full tolerance: their crossing comes from
// snapping, which a smaller tolerance does not cure. It returns the
// simplified arcs (nil when not wanted).
func (lv *level) simplifyArcs(t *topology, want []bool, scale, tol float64) [][]int32 {
	var keep []bool
	arcs := make([][]int32, t.arcs.len())
	tols := make([]float64, t.arcs.len())
	for a := range arcs {
		if want[a] {
			tols[a] = tol
			arcs[a], keep = simplifyArc(nil, t.arcs.at(a), scale, tol, keep)
		}
	}
	base, static := conflictsAmong(arcs, want)
	bad := pairArcs(base)
	lv.pairs = append(lv.pairs, base)
	moved, isMoved := []int32(nil), make([]bool, len(arcs))
	for round := 0; round < maxRefine && len(bad) > 0; round++ {
		for _, a := range bad {
			tols[a] /= 4
			if round == maxRefine-1 {
				tols[a] = 0
			}
			arcs[a], keep = simplifyArc(arcs[a][:0], t.arcs.at(int(a)), scale, tols[a], keep)
			if !isMoved[a] {
				moved, isMoved[a] = append(moved, a), true
			}
		}
		pairs := conflictsAfter(arcs, static, base, moved, isMoved)
		lv.pairs = append(lv.pairs, pairs)
		bad = pairArcs(pairs)
	}
	for _, a := range bad {
		if tols[a] != tol {
			arcs[a], keep = simplifyArc(arcs[a][:0], t.arcs.at(int(a)), scale, tol, keep)
		}
	}
	lv.crossings = len(bad)
	return arcs
}

// rebuild assembles a feature's polygons from the simplified arcs and
// appends them to the level, dropping rings that collapse, polygons whose
// exterior collapses, and holes that snapping made touch the exterior or
// an earlier hole. buf is scratch space, returned for reuse.
func (lv *level) rebuild(arcs func(a int32) []int32, polys []topoPolygon, buf []int32) []int32 {
	var kept []lvRing
	for _, poly := range polys {
		first := uint32(len(lv.ringEnds))
		for i, ring := range poly {
			buf = ringPoints(arcs, ring, buf[:0])
			pts := closeRing(buf)
			a := ringArea32(pts)
			if (i == 0 && a <= 0) || (i > 0 && a >= 0) {
				if i == 0 {
					break
				}
				continue
			}
			r := lvRing{pts: pts, chunks: chunkBoxes(pts)}
			if i > 0 {
				kept = kept[:0]
				for k := first; k < uint32(len(lv.ringEnds)); k++ {
					kept = append(kept, lv.ring(k))
				}
				if ringsMeet(kept, r) {
					continue
				}
			}
			lv.pts = append(lv.pts, r.pts...)
			lv.chunks = append(lv.chunks, r.chunks...)
			lv.ringEnds = append(lv.ringEnds, ringEnd{uint32(len(lv.pts)), uint32(len(lv.chunks))})
		}
		if uint32(len(lv.ringEnds)) > first {
			lv.polyEnds = append(lv.polyEnds, uint32(len(lv.ringEnds)))
		}
	}
	return buf
}

// ringPoints concatenates the simplified arcs of a ring into pts, without
// repeated vertices and without spikes (a vertex whose two neighbours are
// the same point); closeRing finishes the ring.
func ringPoints(arcs func(a int32) []int32, ring topoRing, pts []int32) []int32 {
	for _, r := range ring {
		arc := arcs(r.id())
		if r >= 0 {
			for i := 0; i+1 < len(arc); i += 2 {
				pts = pushVertex(pts, arc[i], arc[i+1])
			}
		} else {
			for i := len(arc) - 2; i >= 0; i -= 2 {
				pts = pushVertex(pts, arc[i], arc[i+1])
			}
		}
	}
	return pts
}

// pushVertex appends (x, y) unless it repeats the last vertex, and removes
// the spike when it returns to the vertex before the last.
func pushVertex(pts []int32, x, y int32) []int32 {
	n := len(pts)
	if n >= 2 && pts[n-2] == x && pts[n-1] == y {
		return pts
	}
	if n >= 4 && pts[n-4] == x && pts[n-3] == y {
		return pts[:n-2]
	}
	return append(pts, x, y)
}

// closeRing removes the closing vertex and spikes across the ring's seam.
func closeRing(pts []int32) []int32 {
	for len(pts) >= 6 {
		n := len(pts)
		switch {
		case pts[n-2] == pts[0] && pts[n-1] == pts[1]: // last repeats first
			pts = pts[:n-2]
		case pts[n-4] == pts[0] && pts[n-3] == pts[1]: // spike at the last vertex
			pts = pts[:n-2]
		case pts[n-2] == pts[2] && pts[n-1] == pts[3]: // spike at the first vertex
			pts = pts[2 : n-2]
		default:
			return pts
		}
	}
	if len(pts) < 6 {
		return nil
	}
	return pts
}

// ringArea32 returns twice the signed area of an open integer ring by the
// surveyor's formula (positive for a clockwise ring with y down).
func ringArea32(pts []int32) int64 {
	var a int64
	n := len(pts)
	for i := 0; i < n; i += 2 {
		j := (i + 2) % n
		a += int64(pts[i])*int64(pts[j+1]) - int64(pts[j])*int64(pts[i+1])
	}
	return a
}

// chunkBoxes returns the box of every chunk of an open ring: chunk k holds
// vertices k*chunkSize through (k+1)*chunkSize, wrapping to vertex 0.
func chunkBoxes(pts []int32) []ibox {
	n := len(pts) / 2
	boxes := make([]ibox, 0, (n+chunkSize-1)/chunkSize)
	for s := 0; s < n; s += chunkSize {
		b := ibox{pts[2*s], pts[2*s+1], pts[2*s], pts[2*s+1]}
		for i := s + 1; i <= s+chunkSize && i <= n; i++ {
			j := 2 * (i % n)
			b.minX, b.maxX = min(b.minX, pts[j]), max(b.maxX, pts[j])
			b.minY, b.maxY = min(b.minY, pts[j+1]), max(b.maxY, pts[j+1])
		}
		boxes = append(boxes, b)
	}
	return boxes
}
