package tiles

import (
	"testing"

	"github.com/gridmap/gridmap/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"
)

// BenchmarkRenderTileOrbBaseline is BenchmarkRenderTile's library
// baseline: the same z14 tiles of 钟山区 drawn the way orb's
// encoding/mvt draws them (each unit, grid, street, building and station
// whose box meets the tile cloned, projected, clipped, simplified and
// marshalled). It draws no labels, and its polygons keep neither shared
// borders (each is simplified alone) nor the MVT 2.1 winding, which the
// renderer does. bench/REPORT.md puts the two side by side.
func BenchmarkRenderTileOrbBaseline(b *testing.B) {
	r := preparedCityRenderer(b)
	var keys []Key
	for k := range KeysIn(zhongshan(b, r.snap), 14, 14) {
		keys = append(keys, k)
	}
	// Which features meet each tile is found before the clock starts (the
	// renderer has its index; orb has none): the clock runs on cloning,
	// projecting, clipping, simplifying and marshalling.
	sets := make([]map[string]*geojson.FeatureCollection, len(keys))
	for i, k := range keys {
		sets[i] = orbLayers(r.snap.City, maptile.New(k.X, k.Y, maptile.Zoom(k.Z)).Bound())
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := keys[i%len(keys)]
		set := sets[i%len(keys)]
		cloned := make(map[string]*geojson.FeatureCollection, len(set))
		for name, fc := range set {
			c := geojson.NewFeatureCollection()
			for _, f := range fc.Features {
				g := *f
				g.Geometry = orb.Clone(f.Geometry)
				c.Append(&g)
			}
			cloned[name] = c
		}
		layers := mvt.NewLayers(cloned)
		layers.ProjectToTile(maptile.New(k.X, k.Y, maptile.Zoom(k.Z)))
		layers.Clip(mvt.MapboxGLDefaultExtentBound)
		layers.Simplify(simplify.DouglasPeucker(1.0))
		layers.RemoveEmpty(1.0, 1.0)
		if _, err := mvt.Marshal(layers); err != nil {
			b.Fatal(err)
		}
	}
}

// orbLayers returns the features of c whose boxes meet bound, by layer, as
// orb's encoding/mvt takes them (their geometry is c's: clone it first).
func orbLayers(c *geo.City, bound orb.Bound) map[string]*geojson.FeatureCollection {
	out := map[string]*geojson.FeatureCollection{}
	add := func(layer string, g orb.Geometry, id uint64, code, name string) {
		if !g.Bound().Intersects(bound) {
			return
		}
		if out[layer] == nil {
			out[layer] = geojson.NewFeatureCollection()
		}
		f := geojson.NewFeature(g)
		f.ID = id
		f.Properties["code"], f.Properties["name"] = code, name
		out[layer].Append(f)
	}
	for _, u := range c.Units {
		if name := u.Level().String() + "s"; len(u.Geometry) > 0 && u.Level() != geo.LevelCity {
			add(name, u.Geometry, uint64(u.Code), u.Code.String(), u.Name)
		}
	}
	for _, g := range c.Grids {
		add(LayerGrids, g.Geometry, uint64(g.ID), g.Code.String(), g.Name)
	}
	for _, s := range c.Streets {
		add(LayerStreets, s.Line, uint64(s.ID), s.Class, s.Name)
	}
	for _, bd := range c.Buildings {
		add(LayerBuildings, bd.Point, uint64(bd.ID), bd.Grid.String(), bd.Address.String())
	}
	for _, st := range c.Stations {
		add(LayerStations, st.Point, uint64(st.ID), st.Kind.String(), st.Name)
	}
	return out
}
