package edit

import (
	"errors"
	"math"

	"github.com/gridmap/gridmap/geo/planar"
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
	var rings []*planar.SplitSeg
	for _, poly := range area {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				rings = append(rings, &planar.SplitSeg{A: r[i], B: r[i+1]})
			}
		}
	}
	snapEnds(line, rings, snapDeg)
	lineSegs := nodeLine(line, rings)
	var segs [][2]orb.Point
	for _, s := range rings {
		segs = append(segs, s.Pieces()...)
	}
	for _, s := range lineSegs {
		segs = append(segs, s.Pieces()...)
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
			if j == i+1 && k == planar.Touch && x == line[j] {
				continue
			}
			if j == i+1 && k == planar.Touch && dist2(x, line[j]) < stitchEps*stitchEps {
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
func snapEnds(line orb.LineString, rings []*planar.SplitSeg, snapDeg float64) {
	for _, k := range []int{0, len(line) - 1} {
		e := line[k]
		bestV, bestVD := orb.Point{}, math.Inf(1)
		var bestE *planar.SplitSeg
		bestED := math.Inf(1)
		for _, s := range rings {
			if d := dist2(e, s.A); d < bestVD {
				bestV, bestVD = s.A, d
			}
			if d := segDist2(e, s.A, s.B); d < bestED {
				bestE, bestED = s, d
			}
		}
		switch {
		case bestVD <= snapDeg*snapDeg:
			line[k] = bestV
		case bestE != nil && bestED <= snapDeg*snapDeg && bestED > 0:
			t, _ := segParam(e, bestE.A, bestE.B)
			proj := orb.Point{bestE.A[0] + t*(bestE.B[0]-bestE.A[0]), bestE.A[1] + t*(bestE.B[1]-bestE.A[1])}
			line[k] = latticeNear(proj, bestE.A, bestE.B)
		}
	}
}

// nodeLine makes the line and the boundary segments meet only at shared
// vertices: line vertices near a boundary vertex become it, line vertices
// near a boundary edge become vertices of it, boundary vertices near a
// line segment become vertices of it, and proper crossings become
// vertices of both. It returns the line's segments with their cut points
// and records the boundary's cut points in rings.
func nodeLine(line orb.LineString, rings []*planar.SplitSeg) []*planar.SplitSeg {
	e2 := stitchEps * stitchEps
	for k, v := range line {
		for _, s := range rings {
			if dist2(v, s.A) <= e2 {
				line[k] = s.A
				break
			}
		}
		for _, s := range rings {
			if line[k] != s.A && line[k] != s.B && onSegmentInterior(line[k], s.A, s.B, stitchEps) {
				line[k] = latticeNear(line[k], s.A, s.B)
				s.Add(line[k])
				break
			}
		}
	}
	segs := make([]*planar.SplitSeg, 0, len(line)-1)
	for i := 0; i+1 < len(line); i++ {
		if line[i] != line[i+1] {
			segs = append(segs, &planar.SplitSeg{A: line[i], B: line[i+1]})
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
func nodePair(ls, s *planar.SplitSeg) {
	for _, v := range [2]orb.Point{s.A, s.B} {
		if onSegmentInterior(v, ls.A, ls.B, stitchEps) {
			ls.Add(v)
		}
	}
	x, kind := intersect(ls.A, ls.B, s.A, s.B)
	if kind != planar.Proper {
		return
	}
	e2 := stitchEps * stitchEps
	for _, v := range [4]orb.Point{s.A, s.B, ls.A, ls.B} {
		if dist2(x, v) <= e2 {
			return // handled as a vertex on a segment
		}
	}
	p := latticeNear(x, s.A, s.B)
	ls.Add(p)
	s.Add(p)
}
