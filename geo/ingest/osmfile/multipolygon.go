package osmfile

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/osm"
)

// multipolygon builds a multipolygon relation's geometry: the member ways
// of role "inner" and of every other role are each joined end to end into
// closed rings, and each inner ring goes to the smallest outer ring that
// contains it (one no outer contains stands as a polygon of its own). It
// returns nil when a member way is missing from the extract, a node is
// missing, or the ways do not close into rings: GDAL's OSM driver leaves
// such relations out too.
func (b *builder) multipolygon(r *osm.Relation) orb.Geometry {
	var outerWays, innerWays [][]osm.NodeID
	for _, m := range r.Members {
		if m.Type != osm.TypeWay {
			continue
		}
		ids, ok := b.wayNodes[osm.WayID(m.Ref)]
		if !ok {
			return nil
		}
		if m.Role == "inner" {
			innerWays = append(innerWays, ids)
		} else {
			outerWays = append(outerWays, ids)
		}
	}
	outers, ok1 := b.rings(outerWays)
	inners, ok2 := b.rings(innerWays)
	if !ok1 || !ok2 || len(outers) == 0 {
		return nil
	}
	return assemble(outers, inners)
}

// rings joins ways into closed rings with coordinates; false when they do
// not close or a node is missing.
func (b *builder) rings(ways [][]osm.NodeID) ([]orb.Ring, bool) {
	joined, ok := joinRings(ways)
	if !ok {
		return nil, false
	}
	out := make([]orb.Ring, 0, len(joined))
	for _, ids := range joined {
		line, ok := b.line(ids)
		if !ok {
			return nil, false
		}
		out = append(out, orb.Ring(line))
	}
	return out, true
}

// joinRings links ways sharing end nodes into closed node sequences.
func joinRings(ways [][]osm.NodeID) ([][]osm.NodeID, bool) {
	var rings [][]osm.NodeID
	var open [][]osm.NodeID
	for _, w := range ways {
		switch {
		case len(w) < 2:
			return nil, false
		case w[0] == w[len(w)-1]:
			rings = append(rings, w)
		default:
			open = append(open, w)
		}
	}
	for len(open) > 0 {
		cur := append([]osm.NodeID(nil), open[0]...)
		open = open[1:]
		for cur[0] != cur[len(cur)-1] {
			i, rev := nextWay(open, cur[len(cur)-1])
			if i < 0 {
				return nil, false
			}
			w := open[i]
			open = append(open[:i], open[i+1:]...)
			if rev {
				for j := len(w) - 2; j >= 0; j-- {
					cur = append(cur, w[j])
				}
			} else {
				cur = append(cur, w[1:]...)
			}
		}
		rings = append(rings, cur)
	}
	for _, r := range rings {
		if len(r) < 4 {
			return nil, false
		}
	}
	return rings, true
}

// nextWay finds an open way starting (or, reversed, ending) at node end.
func nextWay(open [][]osm.NodeID, end osm.NodeID) (int, bool) {
	for i, w := range open {
		switch end {
		case w[0]:
			return i, false
		case w[len(w)-1]:
			return i, true
		}
	}
	return -1, false
}

// assemble gives each inner ring to the smallest outer ring containing
// its first point.
func assemble(outers, inners []orb.Ring) orb.Geometry {
	polys := make([]orb.Polygon, len(outers))
	order := make([]int, len(outers))
	for i, r := range outers {
		polys[i] = orb.Polygon{r}
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return math.Abs(planar.Area(outers[order[a]])) < math.Abs(planar.Area(outers[order[b]]))
	})
	for _, in := range inners {
		owner := -1
		for _, i := range order {
			if planar.RingContains(outers[i], in[0]) {
				owner = i
				break
			}
		}
		if owner < 0 {
			polys = append(polys, orb.Polygon{in})
			continue
		}
		polys[owner] = append(polys[owner], in)
	}
	if len(polys) == 1 {
		return polys[0]
	}
	return orb.MultiPolygon(polys)
}
