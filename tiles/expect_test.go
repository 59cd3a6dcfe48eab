package tiles

import (
	"github.com/gridmap/gridmap/geo"
)

// expectedProps returns, per layer and feature id, the properties a tile
// must carry, computed straight from the snapshot (not through the
// renderer). Numbers are float64, as JSON and orb's decoder give them. The
// grid and unit colour is checked separately (TestColours).
func expectedProps(s *geo.Snapshot) map[string]map[uint64]map[string]any {
	out := map[string]map[uint64]map[string]any{}
	put := func(layer string, id uint64, p map[string]any) {
		if out[layer] == nil {
			out[layer] = map[uint64]map[string]any{}
		}
		out[layer][id] = p
	}
	layerOf := map[geo.Level]string{geo.LevelDistrict: LayerDistricts, geo.LevelSubdistrict: LayerSubdistricts, geo.LevelCommunity: LayerCommunities}
	for _, u := range s.City.Units {
		if u.Level() == geo.LevelCity || len(u.Geometry) == 0 {
			continue
		}
		st := s.Stats(u.Code)
		p := map[string]any{"code": u.Code.String(), "name": u.Name, "level": u.Level().String(),
			"households": float64(st.Households), "buildings": float64(st.Buildings), "grids": float64(st.Grids)}
		switch u.Level() {
		case geo.LevelSubdistrict:
			p["district"] = u.Code.Parent().String()
		case geo.LevelCommunity:
			p["name"], p["full_name"] = u.ShortName(), u.Name
			p["subdistrict"], p["district"] = u.Code.Parent().String(), u.Code.Parent().Parent().String()
		}
		put(layerOf[u.Level()], uint64(u.Code), p)
		put(LayerLabels, uint64(u.Code), map[string]any{"code": u.Code.String(), "name": u.ShortName(), "level": u.Level().String()})
	}
	for _, g := range s.City.Grids {
		c := g.Community()
		put(LayerGrids, uint64(g.ID), map[string]any{"code": g.Code.String(), "name": g.Name, "level": "grid",
			"community": c.String(), "subdistrict": c.Parent().String(), "district": c.Parent().Parent().String(),
			"households": float64(g.Households), "buildings": float64(g.Buildings)})
		put(LayerLabels, uint64(g.ID), map[string]any{"code": g.Code.String(), "name": g.Name, "level": "grid"})
	}
	for _, b := range s.City.Buildings {
		put(LayerBuildings, uint64(b.ID), map[string]any{"address": b.Address.String(), "households": float64(b.Households),
			"floors": float64(b.Floors), "units": float64(b.Units), "grid": b.Grid.String()})
	}
	for _, st := range s.City.Stations {
		put(LayerStations, uint64(st.ID), map[string]any{"kind": st.Kind.String(), "name": st.Name, "unit": st.Unit.String()})
	}
	for _, st := range s.City.Streets {
		put(LayerStreets, uint64(st.ID), map[string]any{"name": st.Name, "class": st.Class})
	}
	return out
}

// propsMismatch returns a description of how got differs from want (the
// colour property only has to be an index 0-5), or "".
func propsMismatch(got, want map[string]any) string {
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			return "property " + k + " = " + fmtAny(g) + ", want " + fmtAny(w)
		}
	}
	for k, g := range got {
		if _, ok := want[k]; ok {
			continue
		}
		if c, isNum := g.(float64); k == "color" && isNum && c >= 0 && c < numColours && c == float64(int(c)) {
			continue
		}
		return "unexpected property " + k + " = " + fmtAny(g)
	}
	return ""
}
