package repair

import (
	"fmt"

	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
)

// run repairs one community. A panic inside becomes a fault: bad input
// never takes the caller down.
func (j *job) run(opts Options) {
	defer func() {
		if r := recover(); r != nil {
			j.faults = append(j.faults, Fault{Community: j.key, Reason: fmt.Sprintf("repair failed: %v", r)})
			j.out = nil
		}
	}()
	j.setup()
	j.snap(opts.SnapM + latticeSlackM)
	if err := j.node(); err != nil {
		j.faults = append(j.faults, Fault{Community: j.key, Reason: err.Error()})
		return
	}
	a, err := j.arrange()
	if err != nil {
		j.faults = append(j.faults, Fault{Community: j.key, Reason: err.Error()})
		return
	}
	s := j.assign(a, opts)
	s.checkGrids()
	if len(j.faults) > 0 {
		return
	}
	j.out = make([]orb.MultiPolygon, len(j.grids))
	for g := range j.grids {
		j.out[g] = s.outline(func(o int32) bool { return o == int32(g) })
	}
	j.boundary = s.outline(func(o int32) bool { return o >= 0 })
}

// checkGrids reports grids left with no area and grids too far outside
// their community.
func (s *assignment) checkGrids() {
	has := make([]bool, len(s.j.grids))
	for _, o := range s.owner {
		if o >= 0 {
			has[o] = true
		}
	}
	for g, gi := range s.j.grids {
		at := anyPoint(gi.polys)
		switch {
		case s.outside[g] > s.opts.MaxOutside*gi.areaM2:
			s.j.faults = append(s.j.faults, Fault{Grid: gi.key, Community: s.j.key, At: at,
				Reason: fmt.Sprintf("%.0f%% of its %.0f m² lies outside its community (at most %.0f%% may be cut off)",
					100*s.outside[g]/gi.areaM2, gi.areaM2, 100*s.opts.MaxOutside)})
		case !has[g]:
			s.j.faults = append(s.j.faults, Fault{Grid: gi.key, Community: s.j.key, At: at,
				Reason: "no area left: every part of it lies outside its community or went to other grids that claim the same area"})
		}
	}
}

// outline returns the area of the faces whose owner is in: the edges
// with such a face on the left and none on the right, traced into rings
// (a ring that touches itself split at the touching vertex), shells
// counter-clockwise with their holes clockwise.
func (s *assignment) outline(in func(owner int32) bool) orb.MultiPolygon {
	a := s.a
	g := planar.NewGraph()
	for e := range int32(a.g.NumEdges()) {
		if !a.g.Live(e) {
			continue
		}
		l, r := in(s.ownerOf(a.region(a.faceOf[2*e]))), in(s.ownerOf(a.region(a.faceOf[2*e+1])))
		switch {
		case l && !r:
			g.AddEdge(a.g.Origin(2*e), a.g.Dest(2*e))
		case r && !l:
			g.AddEdge(a.g.Dest(2*e), a.g.Origin(2*e))
		}
	}
	rings, faceOf := g.Faces()
	wanted := make([]bool, len(rings))
	for h := 0; h < len(faceOf); h += 2 {
		if f := faceOf[h]; f >= 0 {
			wanted[f] = true
		}
	}
	var shells, holes []orb.Ring
	for f, r := range rings {
		if !wanted[f] {
			continue
		}
		for _, part := range splitPinches(r) {
			switch a2 := planar.RingArea2(part); {
			case a2 > 0:
				shells = append(shells, part)
			case a2 < 0:
				holes = append(holes, part)
			}
		}
	}
	var out orb.MultiPolygon
	for _, p := range planar.AssignHoles(shells, holes) {
		out = append(out, p)
	}
	return out
}

// splitPinches splits a closed ring that passes through a vertex more
// than once into simple closed rings, one per loop.
func splitPinches(r orb.Ring) []orb.Ring {
	var out []orb.Ring
	at := map[orb.Point]int{}
	stack := make(orb.Ring, 0, len(r))
	for _, p := range r[:len(r)-1] {
		if i, ok := at[p]; ok {
			loop := append(orb.Ring{}, stack[i:]...)
			loop = append(loop, p)
			if len(loop) >= 4 {
				out = append(out, loop)
			}
			for _, q := range stack[i+1:] {
				delete(at, q)
			}
			stack = stack[:i+1]
			continue
		}
		at[p] = len(stack)
		stack = append(stack, p)
	}
	if len(stack) >= 3 {
		out = append(out, append(stack, stack[0]))
	}
	return out
}
