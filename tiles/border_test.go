package tiles

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"
)

// An edge is a directed ring edge in integer coordinates.
type edge struct{ x1, y1, x2, y2 int64 }

func (e edge) reversed() edge { return edge{e.x2, e.y2, e.x1, e.y1} }

// borderCheck collects the directed edges of grid rings and community
// rings and checks that grids tile their communities exactly: no edge is
// walked twice in one direction by grids (an overlap), every grid edge is
// walked backwards by another grid (a shared border) or forwards by a
// community (the outer border), and every community edge is a grid edge.
type borderCheck struct {
	grid      map[edge][]uint64
	community map[edge]int
	skip      func(edge) bool
}

func newBorderCheck(skip func(edge) bool) *borderCheck {
	return &borderCheck{grid: map[edge][]uint64{}, community: map[edge]int{}, skip: skip}
}

// addRing adds an open or closed ring of x, y points.
func (c *borderCheck) addRing(pts [][2]int64, grid uint64, isGrid bool) {
	n := len(pts)
	if n > 1 && pts[0] == pts[n-1] {
		n--
	}
	for i := 0; i < n; i++ {
		a, b := pts[i], pts[(i+1)%n]
		e := edge{a[0], a[1], b[0], b[1]}
		if c.skip != nil && c.skip(e) {
			continue
		}
		if isGrid {
			c.grid[e] = append(c.grid[e], grid)
		} else {
			c.community[e]++
		}
	}
}

// problems returns up to max descriptions of broken edges.
func (c *borderCheck) problems(max int) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < max {
			out = append(out, fmt.Sprintf(format, args...))
		}
	}
	for e, owners := range c.grid {
		if len(owners) > 1 {
			add("edge %v walked forwards by grids %v (overlap)", e, owners)
			continue
		}
		back, shared := c.grid[e.reversed()]
		if shared && back[0] == owners[0] {
			add("edge %v walked both ways by grid %d (a spike)", e, owners[0])
		}
		if !shared && c.community[e] == 0 {
			add("edge %v of grid %d has no neighbour and is on no community border (gap or sliver)", e, owners[0])
		}
	}
	for e := range c.community {
		if len(c.grid[e]) == 0 {
			add("community edge %v is on no grid (gap or sliver)", e)
		}
	}
	return out
}

// TestSharedBordersLevels checks the generalised geometry itself at z10
// to z16 (with every layer forced in) and z17-z18 (z16 scaled): grids share
// their borders exactly and tile their communities.
func TestSharedBordersLevels(t *testing.T) {
	r := newTestRenderer(t, testSeed(t, 1))
	checkLevels(t, r, 10, 18)
}

func checkLevels(t *testing.T, r *Renderer, minZ, maxZ uint32) {
	t.Helper()
	all := func(int) bool { return true }
	none := func(int) bool { return false }
	for z := minZ; z <= maxZ; z++ {
		lz := min(z, r.opts.MaxDataZoom)
		src := r.levels.src
		if src == nil {
			t.Fatal("the renderer has built every level and dropped its sources: check a fresh one")
		}
		lv := buildLevel(src.topo, &src.lines, lz, r.opts.Tolerance, all, none)
		scale := int64(1) << (z - lz)
		c := newBorderCheck(nil)
		for fi, f := range src.topo.features {
			if f.layer != idxGrids && f.layer != idxCommunities {
				continue
			}
			plo, phi := lv.polys(int32(fi))
			for p := plo; p < phi; p++ {
				rlo, rhi := lv.rings(p)
				for ri := rlo; ri < rhi; ri++ {
					ring := lv.ring(ri)
					pts := make([][2]int64, 0, len(ring.pts)/2)
					for i := 0; i < len(ring.pts); i += 2 {
						pts = append(pts, [2]int64{int64(ring.pts[i]) * scale, int64(ring.pts[i+1]) * scale})
					}
					c.addRing(pts, uint64(fi), f.layer == idxGrids)
				}
			}
		}
		for _, p := range c.problems(5) {
			t.Errorf("z%d: %s", z, p)
		}
		if lv.crossings > 0 {
			t.Errorf("z%d: %d arcs still cross another after simplification", z, lv.crossings)
		}
	}
}

// TestSharedBordersTiles checks decoded tiles at z12 to z18: inside every
// tile, grids share their borders exactly and tile their communities.
func TestSharedBordersTiles(t *testing.T) {
	r := newTestRenderer(t, 1)
	checkTileBorders(t, r, func(yield func(Key) bool) {
		for k := range KeysIn(r.Bound(), 12, 18) {
			if !yield(k) {
				return
			}
		}
	})
}

func checkTileBorders(t *testing.T, r *Renderer, keys func(func(Key) bool)) {
	t.Helper()
	lo, hi := int64(-r.opts.Buffer), int64(Extent+r.opts.Buffer)
	alongClip := func(e edge) bool {
		return (e.x1 == e.x2 && (e.x1 == lo || e.x1 == hi)) || (e.y1 == e.y2 && (e.y1 == lo || e.y1 == hi))
	}
	bad := 0
	for k := range keys {
		data, err := r.Render(k)
		if err != nil {
			t.Fatalf("Render(%v): %v", k, err)
		}
		c := newBorderCheck(alongClip)
		for _, l := range decode(t, k, data) {
			if l.Name != LayerGrids && l.Name != LayerCommunities {
				continue
			}
			for _, f := range l.Features {
				for _, ring := range tileRings(f.Geometry) {
					pts := make([][2]int64, len(ring))
					for i, p := range ring {
						pts[i] = [2]int64{int64(p[0]), int64(p[1])}
					}
					c.addRing(pts, uint64(f.ID.(float64)), l.Name == LayerGrids)
				}
			}
		}
		for _, p := range c.problems(3) {
			t.Errorf("tile %s: %s", k, p)
			if bad++; bad > 20 {
				t.Fatal("too many problems")
			}
		}
	}
}

var _ = orb.Point{}
