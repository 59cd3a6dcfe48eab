package tiles

import (
	"fmt"
)

// Render returns tile k as MVT 2.1 bytes (not compressed). An empty tile
// gives nil bytes and no error. The only errors are a *KeyError for a key
// that is not Valid and ErrTileTooLarge.
func (r *Renderer) Render(k Key) ([]byte, error) {
	if err := k.Valid(); err != nil {
		return nil, fmt.Errorf("rendering tile: %w", err)
	}
	var skip [numLayers]bool
	for _, drop := range []int{-1, idxBuildings, idxStreets, idxStations, idxLabels} {
		if drop >= 0 {
			skip[drop] = true
		}
		data, err := r.render(k, &skip)
		if err != nil {
			return nil, fmt.Errorf("rendering tile %s: %w", k, err)
		}
		if len(data) <= r.opts.MaxTileBytes {
			return data, nil
		}
	}
	return nil, fmt.Errorf("rendering tile %s: %w (limit %d bytes)", k, ErrTileTooLarge, r.opts.MaxTileBytes)
}

// render encodes tile k without the layers marked in skip.
func (r *Renderer) render(k Key, skip *[numLayers]bool) ([]byte, error) {
	lz := min(k.Z, r.opts.MaxDataZoom)
	var lv *level
	f := newTileFrame(k, lz, r.opts.Buffer)
	// Snapping moves a vertex by up to half a level unit: f.scale tile units.
	query := tileBound(k, float64(int64(r.opts.Buffer)+f.scale))
	e := r.pool.Get().(*encoder)
	defer r.pool.Put(e)
	e.reset()
	for li, l := range r.layers {
		if skip[li] || k.Z < l.info.MinZoom {
			continue
		}
		e.cands = l.sortedHits(query, e.cands)
		if len(e.cands) == 0 {
			continue
		}
		e.beginLayer(&l.dict)
		switch l.info.kind {
		case kindPolygon:
			if lv == nil {
				lv = r.level(lz)
			}
			r.encodePolygons(e, l, lv, &f)
		case kindLine:
			if lv == nil {
				lv = r.level(lz)
			}
			r.encodeLines(e, l, lv, &f, k.Z)
		case kindPoint:
			r.encodePoints(e, l, k)
		}
		e.endLayer(&l.info, &r.version, &r.extent)
	}
	return e.marshal()
}

// encodePolygons clips and encodes the candidate polygon features.
func (r *Renderer) encodePolygons(e *encoder, l *layer, lv *level, f *tileFrame) {
	typ := &r.geomTypes[vectortileType(kindPolygon)]
	for _, i := range e.cands {
		ft := &l.feats[i]
		e.beginFeature()
		for _, poly := range lv.polys[ft.ref] {
			for ri := range poly {
				area := e.clip.clipRing(&poly[ri], f)
				if (ri == 0 && area <= 0) || (ri > 0 && area >= 0) {
					if ri == 0 {
						break // the exterior is gone: so are its holes
					}
					continue
				}
				e.path(e.clip.out, true)
			}
		}
		e.endFeature(ft.id, typ, ft.tags, &l.dict)
	}
}

// encodeLines clips and encodes the candidate line features.
func (r *Renderer) encodeLines(e *encoder, l *layer, lv *level, f *tileFrame, z uint32) {
	typ := &r.geomTypes[vectortileType(kindLine)]
	for _, i := range e.cands {
		ft := &l.feats[i]
		if ft.minZoom > z {
			continue
		}
		e.beginFeature()
		for _, part := range lv.lines[ft.ref] {
			e.clip.out = e.clip.out[:0]
			e.ends = e.clip.clipLine(part, f, e.ends[:0])
			start := 0
			for _, end := range e.ends {
				e.path(e.clip.out[start:end], false)
				start = end
			}
		}
		e.endFeature(ft.id, typ, ft.tags, &l.dict)
	}
}

// encodePoints encodes the candidate point features that fall inside the
// tile. Each point belongs to exactly one tile per zoom: the one holding
// its rounded position.
func (r *Renderer) encodePoints(e *encoder, l *layer, k Key) {
	typ := &r.geomTypes[vectortileType(kindPoint)]
	s := worldScale(k.Z)
	ox, oy := int64(k.X)*Extent, int64(k.Y)*Extent
	for _, i := range e.cands {
		ft := &l.feats[i]
		if ft.minZoom > k.Z {
			continue
		}
		x := int64(round64(ft.pt[0]*s)) - ox
		y := int64(round64(ft.pt[1]*s)) - oy
		if x < 0 || x >= Extent || y < 0 || y >= Extent {
			continue
		}
		e.beginFeature()
		e.point(int32(x), int32(y))
		e.endFeature(ft.id, typ, ft.tags, &l.dict)
	}
}

func vectortileType(k geomKind) int {
	switch k {
	case kindPoint:
		return 1
	case kindLine:
		return 2
	}
	return 3
}
