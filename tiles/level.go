package tiles

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
type lvRing struct {
	pts    []int32
	chunks []ibox
}

// An lvPoly is an exterior ring followed by its holes.
type lvPoly []lvRing

// A level holds the geometry generalised for one zoom: every needed arc
// simplified once, every polygon rebuilt from its arcs, and the street
// lines, all snapped to the zoom's integer grid (Extent units per tile).
type level struct {
	z     uint32
	arcs  [][]int32
	polys [][]lvPoly  // per topology feature; nil when not needed
	lines [][][]int32 // per street: the simplified line (one part)
	// crossings counts the arcs still crossing another arc after
	// refinement (for tests and diagnostics).
	crossings int
}

// buildLevel generalises the topology at zoom z. needFeature says which
// topology features are wanted, needLine which street lines.
func buildLevel(t *topology, lines [][]wpt, z uint32, tol float64, needFeature func(int) bool, needLine func(int) bool) *level {
	lv := &level{z: z, arcs: make([][]int32, len(t.arcs)), polys: make([][]lvPoly, len(t.features))}
	want := make([]bool, len(t.arcs))
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
	lv.simplifyArcs(t, want, worldScale(z), tol)
	for fi, f := range t.features {
		if needFeature(fi) {
			lv.polys[fi] = lv.rebuild(f.polys)
		}
	}
	lv.lines = make([][][]int32, len(lines))
	var keep []bool
	for i, l := range lines {
		if !needLine(i) || len(l) < 2 {
			continue
		}
		var pts []int32
		pts, keep = simplifyArc(nil, l, worldScale(z), tol, keep)
		if len(pts) >= 4 {
			lv.lines[i] = [][]int32{pts}
		}
	}
	return lv
}

// simplifyArcs simplifies every wanted arc, then re-simplifies the arcs that
// cross another arc with a smaller tolerance, up to maxRefine times. Arcs
// that still cross go back to the full tolerance: their crossing comes from
// snapping, which a smaller tolerance does not cure.
func (lv *level) simplifyArcs(t *topology, want []bool, scale, tol float64) {
	var keep []bool
	tols := make([]float64, len(t.arcs))
	for a, arc := range t.arcs {
		if want[a] {
			tols[a] = tol
			lv.arcs[a], keep = simplifyArc(nil, arc, scale, tol, keep)
		}
	}
	bad := badArcs(lv.arcs, want)
	for round := 0; round < maxRefine && len(bad) > 0; round++ {
		for _, a := range bad {
			tols[a] /= 4
			if round == maxRefine-1 {
				tols[a] = 0
			}
			lv.arcs[a], keep = simplifyArc(lv.arcs[a][:0], t.arcs[a], scale, tols[a], keep)
		}
		bad = badArcs(lv.arcs, want)
	}
	for _, a := range bad {
		if tols[a] != tol {
			lv.arcs[a], keep = simplifyArc(lv.arcs[a][:0], t.arcs[a], scale, tol, keep)
		}
	}
	lv.crossings = len(bad)
}

// rebuild assembles a feature's polygons from the level's arcs, dropping
// rings that collapse, polygons whose exterior collapses, and holes that
// snapping made touch the exterior or an earlier hole.
func (lv *level) rebuild(polys []topoPolygon) []lvPoly {
	var out []lvPoly
	for _, poly := range polys {
		var lp lvPoly
		for i, ring := range poly {
			pts := lv.ringPoints(ring)
			a := ringArea32(pts)
			if (i == 0 && a <= 0) || (i > 0 && a >= 0) {
				if i == 0 {
					break
				}
				continue
			}
			r := lvRing{pts: pts, chunks: chunkBoxes(pts)}
			if i > 0 && ringsMeet(lp, r) {
				continue
			}
			lp = append(lp, r)
		}
		if len(lp) > 0 {
			out = append(out, lp)
		}
	}
	return out
}

// ringPoints concatenates the arcs of a ring, without repeated vertices and
// without spikes (a vertex whose two neighbours are the same point).
func (lv *level) ringPoints(ring topoRing) []int32 {
	n := 0
	for _, r := range ring {
		n += len(lv.arcs[r.id()])
	}
	pts := make([]int32, 0, n)
	for _, r := range ring {
		arc := lv.arcs[r.id()]
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
	return closeRing(pts)
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
