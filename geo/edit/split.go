package edit

import (
	"errors"
	"math"

	"github.com/paulmach/orb"
)

// Errors of cutByLine; the planner reports them as problems.
var (
	errLineSelfCross = errors.New("the line crosses itself")
	errLineShort     = errors.New("the line has fewer than 2 distinct points")
)

// cutByLine cuts area by line and returns the pieces of area, each a
// polygon with its holes. The line is snapped to the lattice; an end
// within snapDeg of the area's boundary is moved onto it (onto a vertex
// when one is that close). Crossing points become vertices on the lattice
// point nearest the crossed edge. Parts of the line outside the area and
// loose ends inside it cut nothing. One piece means the line does not cut.
func cutByLine(area orb.MultiPolygon, line orb.LineString, snapDeg float64) ([]orb.Polygon, error) {
	line = cleanLine(line)
	if len(line) < 2 {
		return nil, errLineShort
	}
	if lineSelfCrosses(line) {
		return nil, errLineSelfCross
	}
	var rings []*splitSeg
	for _, poly := range area {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				rings = append(rings, &splitSeg{a: r[i], b: r[i+1]})
			}
		}
	}
	snapEnds(line, rings, snapDeg)
	lineSegs := nodeLine(line, rings)
	var segs [][2]orb.Point
	for _, s := range rings {
		segs = append(segs, s.pieces()...)
	}
	for _, s := range lineSegs {
		segs = append(segs, s.pieces()...)
	}
	var out []orb.Polygon
	for _, face := range polygonize(segs) {
		p, ok := pointOnSurface(orb.MultiPolygon{face})
		if ok && mpContains(area, p) {
			out = append(out, face)
		}
	}
	return out, nil
}

// cleanLine returns the line snapped with repeated points dropped.
func cleanLine(line orb.LineString) orb.LineString {
	out := make(orb.LineString, 0, len(line))
	for _, p := range line {
		p = snapPoint(p)
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}

// lineSelfCrosses reports whether two segments of the line meet other
// than at the vertex joining consecutive ones.
func lineSelfCrosses(line orb.LineString) bool {
	for i := 0; i+1 < len(line); i++ {
		for j := i + 1; j+1 < len(line); j++ {
			x, k := intersect(line[i], line[i+1], line[j], line[j+1])
			if k == noCross {
				continue
			}
			if j == i+1 && k == touch && x == line[j] {
				continue
			}
			if j == i+1 && k == touch && dist2(x, line[j]) < stitchEps*stitchEps {
				continue
			}
			return true
		}
	}
	return false
}

// snapEnds moves each end of the line onto the boundary when it lies
// within snapDeg of it: onto the nearest vertex within snapDeg, else onto
// the lattice point nearest the closest edge.
func snapEnds(line orb.LineString, rings []*splitSeg, snapDeg float64) {
	for _, k := range []int{0, len(line) - 1} {
		e := line[k]
		bestV, bestVD := orb.Point{}, math.Inf(1)
		var bestE *splitSeg
		bestED := math.Inf(1)
		for _, s := range rings {
			if d := dist2(e, s.a); d < bestVD {
				bestV, bestVD = s.a, d
			}
			if d := segDist2(e, s.a, s.b); d < bestED {
				bestE, bestED = s, d
			}
		}
		switch {
		case bestVD <= snapDeg*snapDeg:
			line[k] = bestV
		case bestE != nil && bestED <= snapDeg*snapDeg && bestED > 0:
			t, _ := segParam(e, bestE.a, bestE.b)
			proj := orb.Point{bestE.a[0] + t*(bestE.b[0]-bestE.a[0]), bestE.a[1] + t*(bestE.b[1]-bestE.a[1])}
			line[k] = latticeNear(proj, bestE.a, bestE.b)
		}
	}
}

// nodeLine makes the line and the boundary segments meet only at shared
// vertices: line vertices near a boundary vertex become it, line vertices
// near a boundary edge become vertices of it, boundary vertices near a
// line segment become vertices of it, and proper crossings become
// vertices of both. It returns the line's segments with their cut points
// and records the boundary's cut points in rings.
func nodeLine(line orb.LineString, rings []*splitSeg) []*splitSeg {
	e2 := stitchEps * stitchEps
	for k, v := range line {
		for _, s := range rings {
			if dist2(v, s.a) <= e2 {
				line[k] = s.a
				break
			}
		}
		for _, s := range rings {
			if line[k] != s.a && line[k] != s.b && onSegmentInterior(line[k], s.a, s.b, stitchEps) {
				line[k] = latticeNear(line[k], s.a, s.b)
				s.add(line[k])
				break
			}
		}
	}
	segs := make([]*splitSeg, 0, len(line)-1)
	for i := 0; i+1 < len(line); i++ {
		if line[i] != line[i+1] {
			segs = append(segs, &splitSeg{a: line[i], b: line[i+1]})
		}
	}
	for _, ls := range segs {
		for _, s := range rings {
			nodePair(ls, s)
		}
	}
	return segs
}

// nodePair nodes one line segment against one boundary segment.
func nodePair(ls, s *splitSeg) {
	for _, v := range [2]orb.Point{s.a, s.b} {
		if onSegmentInterior(v, ls.a, ls.b, stitchEps) {
			ls.add(v)
		}
	}
	x, kind := intersect(ls.a, ls.b, s.a, s.b)
	if kind != proper {
		return
	}
	e2 := stitchEps * stitchEps
	for _, v := range [4]orb.Point{s.a, s.b, ls.a, ls.b} {
		if dist2(x, v) <= e2 {
			return // handled as a vertex on a segment
		}
	}
	p := latticeNear(x, s.a, s.b)
	ls.add(p)
	s.add(p)
}
