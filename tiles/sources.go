package tiles

import (
	"github.com/gridmap/gridmap/geo"
)

// labelPrecision is the polylabel precision as a fraction of the larger
// side of the polygon's box.
const labelPrecision = 1.0 / 100

// addPolygons adds the districts, subdistricts, communities and grids,
// builds their topology, colours them and adds their label points. Made
// from an earlier renderer, it copies the tags and label points of the
// polygons that version shares (see polygonReuse).
func (r *Renderer) addPolygons() error {
	srcs := collectPolygons(r.snap, r.knownPolygons())
	tsrcs := make([]topoSource, len(srcs))
	var count [numLayers]int32
	for i, src := range srcs {
		tsrcs[i] = topoSource{layer: src.layer, index: count[src.layer], key: labelKey{unit: src.unit, grid: src.grid}, polys: src.rings}
		count[src.layer]++
	}
	reuse := newPolygonReuse(r, tsrcs)
	project := func(i int) [][][]wpt {
		tsrcs[i].polys = srcs[i].project()
		return tsrcs[i].polys
	}
	var topo *topology
	if reuse != nil {
		topo, r.levels.step = nextTopology(reuse.pt, tsrcs, reuse.feats, project, reuse.box)
	}
	if topo == nil {
		for i := range srcs {
			project(i)
		}
		topo = buildTopology(tsrcs)
	}
	var before *[numLayers][]int16
	if reuse != nil {
		before = reuse.before()
	} else {
		var ids [numLayers][]uint64
		for _, f := range topo.features {
			ids[f.layer] = append(ids[f.layer], f.key.id())
		}
		before = labelsBefore(r.prevLabels, &ids)
	}
	r.indexFrom = reuse.indexBases()
	box := func(i int) wbound {
		if srcs[i].rings != nil {
			return polygonBound(srcs[i].rings)
		}
		return reuse.box(i)
	}
	colours := layerColours(topo, &count, before, reuse.colourDirty(topo, r.levels.step), box)
	r.labels = &Labels{feats: topo.features, pts: make([]wpt, len(srcs)), cols: colours}
	topo.users = nil // only the colouring needs them
	r.levels.src.topo = topo
	reuse.extendDicts()
	for i, src := range srcs {
		l := r.layers[src.layer]
		b := box(i)
		r.bound.extend(b.min)
		r.bound.extend(b.max)
		colour := int(colours[src.layer][tsrcs[i].index])
		f := feature{id: topo.features[i].key.id(), ref: int32(i)}
		if packed, ok := reuse.polygonTags(i, colour); ok {
			l.addPacked(f, packed, b)
		} else {
			tags, err := r.polygonProps(l, src, colour)
			if err != nil {
				return err
			}
			f.tags = tags
			l.add(f, b)
		}
		if err := r.addLabel(i, src, f.id, reuse); err != nil {
			return err
		}
	}
	return nil
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

// addLabel adds the label point of polygon feature i: the pole of
// inaccessibility of its largest polygon, or the earlier version's point
// and tags when it shares the polygon.
func (r *Renderer) addLabel(i int, src polySource, id uint64, reuse *polygonReuse) error {
	l := r.layers[idxLabels]
	f := feature{id: id, minZoom: labelZoom(src.layer)}
	if pt, packed, ok := reuse.label(i); ok {
		f.pt = pt
		r.labels.pts[i] = pt
		l.addPacked(f, packed, wbound{pt, pt})
		return nil
	}
	pt, ok := r.prevLabels.at(labelKey{unit: src.unit, grid: src.grid})
	if !ok {
		poly := largestPolygon(src.rings)
		pb := emptyBound()
		for _, p := range poly[0] {
			pb.extend(p)
		}
		prec := max(pb.max[0]-pb.min[0], pb.max[1]-pb.min[1]) * labelPrecision
		pt = polylabel(poly, prec)
	}
	r.labels.pts[i] = pt
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
	f.tags, f.pt = tags, pt
	l.add(f, wbound{pt, pt})
	return nil
}

// addStreets adds the street lines, or shares the earlier renderer's.
func (r *Renderer) addStreets() error {
	if r.reuseStreets() {
		return nil
	}
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

// addStations adds the service stations, or shares the earlier
// renderer's.
func (r *Renderer) addStations() error {
	if r.reuseStations() {
		return nil
	}
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
