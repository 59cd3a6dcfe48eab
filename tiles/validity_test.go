package tiles

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
)

// ringSegs returns the edges of the rings of a polygon as segs (the arc
// field holds the ring index), leaving out edges that run along the clip
// box: Sutherland-Hodgman clipping may run a ring along the box edge and
// back, which is invisible (outside the tile) and allowed here.
func ringSegs(p orb.Polygon, buffer int) []seg {
	lo, hi := int32(-buffer), int32(Extent+buffer)
	var out []seg
	for ri, r := range p {
		for i := 0; i+1 < len(r); i++ {
			s := seg{int32(r[i][0]), int32(r[i][1]), int32(r[i+1][0]), int32(r[i+1][1]), int32(ri)}
			if (s.x1 == s.x2 && (s.x1 == lo || s.x1 == hi)) || (s.y1 == s.y2 && (s.y1 == lo || s.y1 == hi)) {
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

// polygonProblem returns a description of the first place where the rings
// of a polygon cross or touch other than at shared vertices, or "".
func polygonProblem(p orb.Polygon, buffer int) string {
	segs := ringSegs(p, buffer)
	for i, a := range segs {
		for _, b := range segs[i+1:] {
			if segsConflict(a, b) {
				return fmt.Sprintf("ring %d edge %v meets ring %d edge %v", a.arc, a, b.arc, b)
			}
		}
	}
	return ""
}

// TestTilePolygonsValid decodes every polygon of the reference city's
// tiles from z0 to z16 (z14 with -short) and checks that no ring crosses itself or
// another ring of its polygon (simple features validity, apart from runs
// along the clip box).
func TestTilePolygonsValid(t *testing.T) {
	r := cityRenderer(t)
	maxZ := uint32(16)
	if testing.Short() {
		maxZ = 14
	}
	bad := 0
	for k := range KeysIn(r.Bound(), 0, maxZ) {
		data, err := r.Render(k)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range decode(t, k, data) {
			for _, f := range l.Features {
				for _, p := range tilePolygons(f.Geometry) {
					if msg := polygonProblem(p, r.opts.Buffer); msg != "" {
						t.Errorf("tile %s %s feature %v: %s", k, l.Name, f.ID, msg)
						if bad++; bad > 10 {
							t.Fatal("too many invalid polygons")
						}
					}
				}
			}
		}
	}
}

func tilePolygons(g orb.Geometry) []orb.Polygon {
	switch g := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}
