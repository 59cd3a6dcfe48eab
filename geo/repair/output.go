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
	j.out, j.boundaries = s.outlines()
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
			s.j.faults = append(s.j.faults, Fault{Grid: gi.key, Community: gi.community, At: at,
				Reason: fmt.Sprintf("%.0f%% of its %.0f m² lies outside its community (at most %.0f%% may be cut off)",
					100*s.outside[g]/gi.areaM2, gi.areaM2, 100*s.opts.MaxOutside)})
		case !has[g]:
			s.j.faults = append(s.j.faults, Fault{Grid: gi.key, Community: gi.community, At: at,
				Reason: "no area left: every part of it lies outside its community or went to other grids that claim the same area"})
		}
	}
}

// outlines returns each grid's area and each community's (the union of
// its grids), by community key: for each, the half-edges with it on the
// left and not on the right, traced into rings on the arrangement.
func (s *assignment) outlines() ([]orb.MultiPolygon, map[string]orb.MultiPolygon) {
	a := s.a
	byGrid := make([][]int32, len(s.j.grids))
	byComm := map[string][]int32{}
	comm := func(g int32) string {
		if g < 0 {
			return "\x00"
		}
		return s.j.commOf(g)
	}
	for e := range int32(a.g.NumEdges()) {
		if !a.g.Live(e) {
			continue
		}
		l, r := s.ownerOf(a.region(a.faceOf[2*e])), s.ownerOf(a.region(a.faceOf[2*e+1]))
		if l == r {
			continue
		}
		if l >= 0 {
			byGrid[l] = append(byGrid[l], 2*e)
		}
		if r >= 0 {
			byGrid[r] = append(byGrid[r], 2*e+1)
		}
		if cl, cr := comm(l), comm(r); cl != cr {
			if l >= 0 {
				byComm[cl] = append(byComm[cl], 2*e)
			}
			if r >= 0 {
				byComm[cr] = append(byComm[cr], 2*e+1)
			}
		}
	}
	wanted := make([]bool, 2*a.g.NumEdges())
	out := make([]orb.MultiPolygon, len(byGrid))
	for g, hs := range byGrid {
		out[g] = s.trace(hs, wanted)
	}
	comms := make(map[string]orb.MultiPolygon, len(byComm))
	for c, hs := range byComm {
		comms[c] = s.trace(hs, wanted)
	}
	return out, comms
}

// trace follows the half-edges hs, each with the area on its left and
// not on its right, into rings: at each node it takes the first of them
// clockwise from the edge it arrived along. A ring that touches itself is
// split at the touching vertex. Shells come out counter-clockwise with
// their holes clockwise. wanted is scratch space, all false on return.
func (s *assignment) trace(hs []int32, wanted []bool) orb.MultiPolygon {
	g := s.a.g
	for _, h := range hs {
		wanted[h] = true
	}
	var shells, holes []orb.Ring
	for _, h := range hs {
		if !wanted[h] {
			continue
		}
		r := orb.Ring{g.Origin(h)}
		for e := h; ; {
			wanted[e] = false
			r = append(r, g.Dest(e))
			x := g.Clockwise(e ^ 1)
			for !wanted[x] && x != h && x != e^1 {
				x = g.Clockwise(x)
			}
			if !wanted[x] {
				break
			}
			e = x
		}
		if r[0] != r[len(r)-1] {
			r = append(r, r[0])
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
