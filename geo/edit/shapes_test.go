package edit

import (
	"bytes"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
)

// square returns a square of side 2*halfM meters centred on c.
func square(c orb.Point, halfM float64) orb.MultiPolygon {
	kx, ky := metersPerDegree(c[1])
	dx, dy := halfM/kx, halfM/ky
	return orb.MultiPolygon{{{
		{c[0] - dx, c[1] - dy}, {c[0] + dx, c[1] - dy}, {c[0] + dx, c[1] + dy}, {c[0] - dx, c[1] + dy}, {c[0] - dx, c[1] - dy},
	}}}
}

// sharedChain returns the vertices of a that lie on b's boundary, in a's
// ring order starting after a vertex that is not shared: the shared
// boundary as a line when it is one chain.
func sharedChain(t testing.TB, a, b *geo.Grid) orb.LineString {
	t.Helper()
	r := a.Geometry[0][0]
	n := len(r) - 1
	onB := func(p orb.Point) bool {
		on := false
		forEdges(b.Geometry, func(c, d orb.Point) { on = on || segDist2(p, c, d) <= stitchEps*stitchEps })
		return on
	}
	start := -1
	for i := range n {
		if !onB(r[i]) {
			start = i
			break
		}
	}
	if start < 0 {
		t.Fatalf("grid %s lies wholly on %s's boundary", a.Code, b.Code)
	}
	var chain orb.LineString
	for k := 1; k <= n; k++ {
		p := r[(start+k)%n]
		if onB(p) {
			chain = append(chain, p)
		} else if len(chain) > 0 {
			break
		}
	}
	if len(chain) < 2 {
		t.Fatalf("grids %s and %s share fewer than 2 vertices", a.Code, b.Code)
	}
	return chain
}

// midpoint returns the midpoint of the longest segment of a line.
func midpoint(ls orb.LineString) orb.Point {
	bi, bl := 0, -1.0
	for i := 0; i+1 < len(ls); i++ {
		if l := dist2(ls[i], ls[i+1]); l > bl {
			bi, bl = i, l
		}
	}
	return orb.Point{(ls[bi][0] + ls[bi+1][0]) / 2, (ls[bi][1] + ls[bi+1][1]) / 2}
}

// layoutOf returns the community's grids as a layout upload, through the
// GeoJSON encoder and decoder, as a planner's round trip through a GIS.
func layoutOf(t testing.TB, s *geo.Snapshot, comm geo.DivisionCode) []LayoutGrid {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[`)
	for i, g := range s.GridsOf(comm) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(EncodeGridFeature(g))
	}
	b.WriteString("]}")
	layout, err := DecodeLayout(&b)
	if err != nil {
		t.Fatalf("DecodeLayout(own grids) = %v", err)
	}
	return layout
}

// withGeometry returns layout with the grid code's geometry replaced (or
// the feature dropped when mp is nil).
func withGeometry(layout []LayoutGrid, code geo.GridCode, mp orb.MultiPolygon) []LayoutGrid {
	var out []LayoutGrid
	for _, lg := range layout {
		if lg.Code == code {
			if mp == nil {
				continue
			}
			lg.Geometry = mp
		}
		out = append(out, lg)
	}
	return out
}

// mustUnion unions two geometries or fails.
func mustUnion(t testing.TB, a, b orb.MultiPolygon) orb.MultiPolygon {
	t.Helper()
	u, err := union(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// mustDifference subtracts b from a or fails.
func mustDifference(t testing.TB, a, b orb.MultiPolygon) orb.MultiPolygon {
	t.Helper()
	d, err := difference(a, b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
