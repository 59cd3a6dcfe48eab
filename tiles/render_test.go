package tiles

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/planar"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
)

// layerOrder is the order layers must appear in.
func layerOrder() map[string]int {
	m := map[string]int{}
	for i, l := range Layers() {
		m[l.ID] = i
	}
	return m
}

// checkTile decodes a tile and checks the rules every tile keeps: layers
// in the fixed order, version 2 and extent 4096, positive ids, only known
// properties, polygon winding of the 2.1 specification, coordinates inside
// the clip box and points inside the tile.
func checkTile(t testing.TB, r *Renderer, k Key, data []byte) mvt.Layers {
	t.Helper()
	ls := decode(t, k, data)
	order := layerOrder()
	infos := Layers()
	last := -1
	lim := float64(Extent + r.opts.Buffer)
	for _, l := range ls {
		i, ok := order[l.Name]
		if !ok || i <= last {
			t.Errorf("tile %s: layer %q out of order or unknown", k, l.Name)
			continue
		}
		last = i
		if l.Version != 2 || l.Extent != Extent {
			t.Errorf("tile %s layer %s: version %d extent %d, want 2 and %d", k, l.Name, l.Version, l.Extent, Extent)
		}
		for _, f := range l.Features {
			where := fmt.Sprintf("tile %s layer %s feature %v", k, l.Name, f.ID)
			if id, ok := f.ID.(float64); !ok || id <= 0 {
				t.Errorf("%s: id %v, want a positive integer", where, f.ID)
			}
			for key := range f.Properties {
				if !slices.ContainsFunc(infos[i].Fields, func(fl Field) bool { return fl.Name == key }) {
					t.Errorf("%s: property %q not in the layer's fields", where, key)
				}
			}
			switch infos[i].kind {
			case kindPolygon:
				checkPolygons(t, where, f.Geometry)
			case kindPoint:
				p, ok := f.Geometry.(orb.Point)
				if !ok || p[0] < 0 || p[0] >= Extent || p[1] < 0 || p[1] >= Extent {
					t.Errorf("%s: point %v, want one point inside the tile", where, f.Geometry)
				}
			}
			b := f.Geometry.Bound()
			if b.Min[0] < -float64(r.opts.Buffer) || b.Min[1] < -float64(r.opts.Buffer) || b.Max[0] > lim || b.Max[1] > lim {
				t.Errorf("%s: bound %v outside the clip box", where, b)
			}
		}
	}
	return ls
}

func TestRenderEveryTileOfTestCity(t *testing.T) {
	r := newTestRenderer(t, testSeed(t, 1))
	seen := map[uint32]map[string]map[uint64]int{} // zoom -> layer -> id -> tiles
	for k := range KeysIn(r.Bound(), 0, 18) {
		data, err := r.Render(k)
		if err != nil {
			t.Fatalf("Render(%v): %v", k, err)
		}
		if len(data) > r.opts.MaxTileBytes {
			t.Errorf("tile %s has %d bytes, want at most %d", k, len(data), r.opts.MaxTileBytes)
		}
		if seen[k.Z] == nil {
			seen[k.Z] = map[string]map[uint64]int{}
		}
		for _, l := range checkTile(t, r, k, data) {
			if seen[k.Z][l.Name] == nil {
				seen[k.Z][l.Name] = map[uint64]int{}
			}
			for _, f := range l.Features {
				seen[k.Z][l.Name][uint64(f.ID.(float64))]++
			}
		}
	}
	c := r.snap.City
	for _, z := range []uint32{12, 14, 16, 18} {
		for _, g := range c.Grids {
			if seen[z][LayerGrids][uint64(g.ID)] == 0 {
				t.Errorf("z%d: grid %s (id %d) in no tile", z, g.Code, g.ID)
			}
		}
	}
	for _, z := range []uint32{14, 15, 17} {
		for _, b := range c.Buildings {
			if n := seen[z][LayerBuildings][uint64(b.ID)]; n != 1 {
				t.Errorf("z%d: building %d in %d tiles, want exactly 1", z, b.ID, n)
			}
		}
		if n := len(seen[z][LayerLabels]); n != len(c.Grids)+len(c.Units)-1 {
			t.Errorf("z%d: %d labels, want one per grid and unit with area (%d)", z, n, len(c.Grids)+len(c.Units)-1)
		}
	}
	if n := len(seen[13][LayerBuildings]); n != 0 {
		t.Errorf("z13: %d buildings, want none before z14", n)
	}
}

func TestRenderEmptyAndBadKeys(t *testing.T) {
	r := newTestRenderer(t, 1)
	cases := []struct {
		name    string
		k       Key
		wantErr error
	}{
		{"far away", Key{14, 0, 0}, nil},
		{"ocean at z5", Key{5, 31, 0}, nil},
		{"x out of range", Key{3, 8, 0}, ErrBadKey},
		{"too deep", Key{23, 0, 0}, ErrBadKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, err := r.Render(c.k)
			if !errors.Is(err, c.wantErr) || (c.wantErr == nil && err != nil) {
				t.Fatalf("Render(%v) error %v, want %v", c.k, err, c.wantErr)
			}
			if len(data) != 0 {
				t.Errorf("Render(%v) = %d bytes, want none", c.k, len(data))
			}
		})
	}
	tile, err := r.RenderTile(Key{14, 0, 0})
	if err != nil || !tile.Empty || tile.Data != nil || tile.Gzip != nil || tile.ETag == "" {
		t.Errorf("RenderTile(empty) = %+v, %v; want Empty, no data, an ETag", tile, err)
	}
}

func TestRenderSizeCapDropsLayers(t *testing.T) {
	s := testCity(t, 1)
	full, err := NewRenderer(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var k Key
	var big []byte
	for kk := range KeysIn(full.Bound(), 14, 14) {
		if data, _ := full.Render(kk); len(data) > len(big) {
			k, big = kk, data
		}
	}
	capped, err := NewRenderer(s, Options{MaxTileBytes: len(big) - 1})
	if err != nil {
		t.Fatal(err)
	}
	data, err := capped.Render(k)
	if err != nil {
		t.Fatalf("Render(%v) with a cap of %d: %v", k, len(big)-1, err)
	}
	if len(data) >= len(big) {
		t.Errorf("capped tile has %d bytes, want fewer than %d", len(data), len(big))
	}
	for _, l := range decode(t, k, data) {
		if l.Name == LayerBuildings {
			t.Errorf("capped tile %s still has buildings", k)
		}
	}
	tiny, err := NewRenderer(s, Options{MaxTileBytes: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tiny.Render(k); !errors.Is(err, ErrTileTooLarge) {
		t.Errorf("Render(%v) with a 1 KiB cap: error %v, want ErrTileTooLarge", k, err)
	}
}

func TestRenderLeavesSnapshotAlone(t *testing.T) {
	s := testCity(t, 1)
	before := make([]orb.MultiPolygon, len(s.City.Grids))
	for i, g := range s.City.Grids {
		before[i] = g.Geometry.Clone()
	}
	r, err := NewRenderer(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range KeysIn(r.Bound(), 10, 16) {
		if _, err := r.Render(k); err != nil {
			t.Fatal(err)
		}
	}
	for i, g := range s.City.Grids {
		if !g.Geometry.Equal(before[i]) {
			t.Fatalf("grid %s geometry changed by rendering", g.Code)
		}
	}
}

// TestRenderFollowsSource checks that the grids of z16 tiles stay within
// the tolerance (plus rounding) of their source boundary both ways: every
// tile vertex near the source boundary, every source vertex inside the
// tile near the tile's boundary.
func TestRenderFollowsSource(t *testing.T) {
	r := newTestRenderer(t, 1)
	grids := map[uint64]*geo.Grid{}
	for _, g := range r.snap.City.Grids {
		grids[uint64(g.ID)] = g
	}
	const z = 16
	worst := 0.0
	for k := range KeysIn(r.Bound(), z, z) {
		data, _ := r.Render(k)
		for _, l := range decode(t, k, data) {
			if l.Name != LayerGrids {
				continue
			}
			for _, f := range l.Features {
				src := sourceRingsInTile(grids[uint64(f.ID.(float64))].Geometry, k)
				for _, p := range allPoints(f.Geometry) {
					if onClipEdge(p, r.opts.Buffer) {
						continue
					}
					worst = math.Max(worst, distToRings(p, src))
				}
				got := tileRings(f.Geometry)
				for _, ring := range src {
					for _, p := range ring {
						if p[0] >= 0 && p[0] <= Extent && p[1] >= 0 && p[1] <= Extent {
							worst = math.Max(worst, distToRings(orb.Point(p), got))
						}
					}
				}
			}
		}
	}
	if lim := r.opts.Tolerance + 1; worst > lim {
		t.Errorf("a z%d grid vertex is %.2f tile units from its source boundary, want at most %.2f", z, worst, lim)
	}
	t.Logf("worst z%d vertex distance %.2f tile units", z, worst)
}

func sourceRingsInTile(mp orb.MultiPolygon, k Key) [][]fpt {
	s := worldScale(k.Z)
	var out [][]fpt
	for _, poly := range mp {
		for _, ring := range poly {
			var r []fpt
			for _, p := range ring {
				w := project(p)
				r = append(r, fpt{w[0]*s - float64(k.X)*Extent, w[1]*s - float64(k.Y)*Extent})
			}
			out = append(out, r)
		}
	}
	return out
}

func allPoints(g orb.Geometry) []orb.Point {
	var out []orb.Point
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			out = append(out, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				out = append(out, r...)
			}
		}
	}
	return out
}

func tileRings(g orb.Geometry) [][]fpt {
	var out [][]fpt
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	}
	for _, p := range mp {
		for _, r := range p {
			ring := make([]fpt, len(r))
			for i, q := range r {
				ring[i] = fpt(q)
			}
			out = append(out, ring)
		}
	}
	return out
}

func onClipEdge(p orb.Point, buffer int) bool {
	lo, hi := float64(-buffer), float64(Extent+buffer)
	return p[0] == lo || p[0] == hi || p[1] == lo || p[1] == hi
}

func distToRings(p orb.Point, rings [][]fpt) float64 {
	best := math.Inf(1)
	for _, r := range rings {
		for i := 0; i+1 < len(r); i++ {
			best = math.Min(best, planar.SegDist2XY(p[0], p[1], r[i][0], r[i][1], r[i+1][0], r[i+1][1]))
		}
	}
	return math.Sqrt(best)
}

// TestRenderDeepZooms renders the tiles holding a building from z17 to
// MaxZoom (overzoomed from z16): each is valid and holds the building.
func TestRenderDeepZooms(t *testing.T) {
	r := newTestRenderer(t, 1)
	b := r.snap.City.Buildings[len(r.snap.City.Buildings)/2]
	w := project(b.Point)
	for z := uint32(17); z <= MaxZoom; z++ {
		k := Key{Z: z, X: tileIndex(w[0], z), Y: tileIndex(w[1], z)}
		data, err := r.Render(k)
		if err != nil {
			t.Fatalf("Render(%v): %v", k, err)
		}
		found := false
		for _, l := range checkTile(t, r, k, data) {
			for _, f := range l.Features {
				if l.Name == LayerBuildings && uint64(f.ID.(float64)) == uint64(b.ID) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("tile %s lacks building %d at %v", k, b.ID, b.Point)
		}
	}
}

// TestNewRendererOddInput feeds geometry a renderer must survive: a NaN
// is an error; empty, degenerate and off-the-map geometry renders.
func TestNewRendererOddInput(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(c *geo.City)
		wantErr bool
	}{
		{"NaN vertex", func(c *geo.City) { c.Grids[0].Geometry[0][0][1] = orb.Point{math.NaN(), 26} }, true},
		{"infinite building", func(c *geo.City) { c.Buildings[0].Point = orb.Point{math.Inf(1), 0} }, true},
		{"empty grid geometry", func(c *geo.City) { c.Grids[0].Geometry = nil }, false},
		{"two-point ring", func(c *geo.City) {
			c.Grids[1].Geometry = orb.MultiPolygon{{{{104.8, 26.5}, {104.9, 26.5}, {104.8, 26.5}}}}
		}, false},
		{"off the map", func(c *geo.City) {
			c.Grids[2].Geometry = orb.MultiPolygon{{{{1e9, 100}, {2e9, 100}, {2e9, 200}, {1e9, 100}}}}
		}, false},
		{"street of one point", func(c *geo.City) { c.Streets[0].Line = orb.LineString{{104.8, 26.5}} }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testCity(t, 1)
			c.edit(s.City)
			r, err := NewRenderer(s, Options{})
			if c.wantErr {
				if err == nil {
					t.Fatal("NewRenderer succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatalf("NewRenderer: %v", err)
			}
			for k := range KeysIn(r.Bound(), 0, 14) {
				data, err := r.Render(k)
				if err != nil {
					t.Fatalf("Render(%v): %v", k, err)
				}
				checkTile(t, r, k, data)
			}
		})
	}
	if _, err := NewRenderer(nil, Options{}); err == nil {
		t.Error("NewRenderer(nil) succeeded, want an error")
	}
	if _, err := NewRenderer(testCity(t, 1), Options{Buffer: -1}); !errors.Is(err, ErrBadOptions) {
		t.Errorf("NewRenderer with Buffer -1: %v, want ErrBadOptions", err)
	}
}
