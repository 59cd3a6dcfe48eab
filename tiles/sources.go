package tiles

import (
	"github.com/gridmap/gridmap/geo"
)

// labelPrecision is the polylabel precision as a fraction of the larger
// side of the polygon's box.
const labelPrecision = 1.0 / 100

// addPolygons adds the districts, subdistricts, communities and grids,
// builds their topology, colours them and adds their label points.
func (r *Renderer) addPolygons() error {
	srcs := collectPolygons(r.snap)
	tsrcs := make([]topoSource, len(srcs))
	var count [numLayers]int32
	for i, src := range srcs {
		tsrcs[i] = topoSource{layer: src.layer, index: count[src.layer], key: labelKey{unit: src.unit, grid: src.grid}, polys: src.rings}
		count[src.layer]++
	}
	topo := buildTopology(tsrcs)
	var ids [numLayers][]uint64
	for _, src := range srcs {
		ids[src.layer] = append(ids[src.layer], polygonID(src))
	}
	colours := layerColours(topo, &ids, r.prevLabels)
	r.labels.colours = make(map[colourKey]uint8, len(srcs))
	for i, src := range srcs {
		r.labels.colours[colourKey{src.layer, ids[src.layer][tsrcs[i].index]}] = colours[src.layer][tsrcs[i].index]
	}
	topo.users = nil // only the colouring needs them
	r.levels.src.topo = topo
	for i, src := range srcs {
		l := r.layers[src.layer]
		b := polygonBound(src.rings)
		r.bound.extend(b.min)
		r.bound.extend(b.max)
		tags, err := r.polygonProps(l, src, int(colours[src.layer][tsrcs[i].index]))
		if err != nil {
			return err
		}
		id := polygonID(src)
		l.add(feature{id: id, tags: tags, ref: int32(i)}, b)
		if err := r.addLabel(src, id); err != nil {
			return err
		}
	}
	return nil
}

func polygonID(src polySource) uint64 {
	if src.grid != nil {
		return uint64(src.grid.ID)
	}
	return uint64(src.unit.Code)
}

// polygonProps returns the tags of a unit or grid.
func (r *Renderer) polygonProps(l *layer, src polySource, colour int) ([]uint32, error) {
	b := l.props()
	if g := src.grid; g != nil {
		c := g.Community()
		b.str("code", g.Code.String()).str("name", g.Name).str("level", geo.LevelGrid.String()).
			str("community", c.String()).str("subdistrict", c.Parent().String()).
			str("district", c.Parent().Parent().String()).
			num("households", g.Households).num("buildings", g.Buildings).num("color", colour)
		if r.opts.GridCoverage != nil {
			if share, ok := r.opts.GridCoverage(g.Code); ok {
				b.share("coverage", share)
			}
		}
		return b.done()
	}
	u := src.unit
	st := r.snap.Stats(u.Code)
	b.str("code", u.Code.String()).str("level", u.Level().String())
	switch u.Level() {
	case geo.LevelCommunity:
		b.str("name", u.ShortName()).str("full_name", u.Name).
			str("subdistrict", u.Code.Parent().String()).str("district", u.Code.Parent().Parent().String())
	case geo.LevelSubdistrict:
		b.str("name", u.Name).str("district", u.Code.Parent().String())
	default:
		b.str("name", u.Name)
	}
	b.num("households", st.Households).num("buildings", st.Buildings).num("grids", st.Grids).num("color", colour)
	return b.done()
}

// addLabel adds the label point of a polygon feature: the pole of
// inaccessibility of its largest polygon.
func (r *Renderer) addLabel(src polySource, id uint64) error {
	key := labelKey{unit: src.unit, grid: src.grid}
	pt, ok := r.prevLabels.at(key)
	if !ok {
		poly := largestPolygon(src.rings)
		pb := emptyBound()
		for _, p := range poly[0] {
			pb.extend(p)
		}
		prec := max(pb.max[0]-pb.min[0], pb.max[1]-pb.min[1]) * labelPrecision
		pt = polylabel(poly, prec)
	}
	r.labels.m[key] = pt
	l := r.layers[idxLabels]
	b := l.props()
	if g := src.grid; g != nil {
		b.str("code", g.Code.String()).str("name", g.Name).str("level", geo.LevelGrid.String())
	} else {
		b.str("code", src.unit.Code.String()).str("name", src.unit.ShortName()).str("level", src.unit.Level().String())
	}
	tags, err := b.done()
	if err != nil {
		return err
	}
	l.add(feature{id: id, tags: tags, minZoom: labelZoom(src.layer), pt: pt}, wbound{pt, pt})
	return nil
}

// at returns the label point of the polygon k, if ls has it; ls may be nil.
func (ls *Labels) at(k labelKey) (wpt, bool) {
	if ls == nil {
		return wpt{}, false
	}
	pt, ok := ls.m[k]
	return pt, ok
}

// addStreets adds the street lines.
func (r *Renderer) addStreets() error {
	l := r.layers[idxStreets]
	lines := &r.levels.src.lines
	var line []wpt
	for _, st := range r.snap.City.Streets {
		line = line[:0]
		b := emptyBound()
		for _, p := range st.Line {
			w := project(p)
			if len(line) > 0 && line[len(line)-1] == w {
				continue
			}
			line = append(line, w)
			b.extend(w)
		}
		if len(line) < 2 {
			continue
		}
		tags, err := l.props().str("name", st.Name).str("class", st.Class).done()
		if err != nil {
			return err
		}
		r.bound.extend(b.min)
		r.bound.extend(b.max)
		l.add(feature{id: uint64(st.ID), tags: tags, minZoom: streetZoom(st.Class), ref: int32(lines.len())}, b)
		lines.add(line)
	}
	return nil
}

// addBuildings adds the building entrances.
func (r *Renderer) addBuildings() error {
	if r.patchBuildings() {
		return nil
	}
	l := r.layers[idxBuildings]
	bs := r.snap.City.Buildings
	// The addresses are most of the layer's values: keep them in the
	// snapshot, which the renderer holds anyway, rather than twice.
	l.dict.resolve = func(ref int32) string { return bs[ref].Address.String() }
	for i, bd := range bs {
		tags, err := r.buildingTags(l, i, bd)
		if err != nil {
			return err
		}
		pt := project(bd.Point)
		r.bound.extend(pt)
		l.add(feature{id: uint64(bd.ID), tags: tags, minZoom: l.info.MinZoom, pt: pt}, wbound{pt, pt})
	}
	return nil
}

// buildingTags returns the tags of building i.
func (r *Renderer) buildingTags(l *layer, i int, bd *geo.Building) ([]uint32, error) {
	pb := l.props().strRef("address", bd.Address.String(), int32(i)).num("households", bd.Households).
		num("floors", bd.Floors).num("units", bd.Units).str("grid", bd.Grid.String())
	if r.opts.BuildingUncovered != nil {
		pb.num("uncovered", boolNum(r.opts.BuildingUncovered(bd.ID)))
	}
	return pb.done()
}

// boolNum returns 1 for true and 0 for false.
func boolNum(b bool) int {
	if b {
		return 1
	}
	return 0
}

// addStations adds the service stations.
func (r *Renderer) addStations() error {
	l := r.layers[idxStations]
	for _, st := range r.snap.City.Stations {
		tags, err := l.props().str("kind", st.Kind.String()).str("name", st.Name).str("unit", st.Unit.String()).done()
		if err != nil {
			return err
		}
		z := uint32(stationZoomCommunity)
		if st.Kind == geo.StationCentre {
			z = stationZoomCentre
		}
		pt := project(st.Point)
		r.bound.extend(pt)
		l.add(feature{id: uint64(st.ID), tags: tags, minZoom: z, pt: pt}, wbound{pt, pt})
	}
	return nil
}
