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
		e.cands, e.stack = l.sortedHits(query, e.cands, e.stack)
		if len(e.cands) == 0 {
			continue
		}
		e.beginLayer(l.info.ID, &l.dict)
		switch l.info.kind {
		case kindPolygon:
			if lv == nil {
				lv = r.level(lz)
			}
			encodePolygons(e, l, lv, &f)
		case kindLine:
			if lv == nil {
				lv = r.level(lz)
			}
			encodeLines(e, l, lv, &f, k.Z)
		case kindPoint:
			encodePoints(e, l, k)
		}
		e.endLayer(&l.info, &l.dict)
	}
	return e.marshal(), nil
}

// encodePolygons clips and encodes the candidate polygon features.
func encodePolygons(e *encoder, l *layer, lv *level, f *tileFrame) {
	for _, i := range e.cands {
		e.beginFeature()
		plo, phi := lv.polys(l.refs[i])
		for p := plo; p < phi; p++ {
			rlo, rhi := lv.rings(p)
			for ri := rlo; ri < rhi; ri++ {
				ring := lv.ring(ri)
				area := e.clip.clipRing(&ring, f)
				if (ri == rlo && area <= 0) || (ri > rlo && area >= 0) {
					if ri == rlo {
						break // the exterior is gone: so are its holes
					}
					continue
				}
				e.path(e.clip.out, true)
			}
		}
		e.endFeature(l.ids[i], geomTypePolygon, l.tags.get(i))
	}
}

// encodeLines clips and encodes the candidate line features.
func encodeLines(e *encoder, l *layer, lv *level, f *tileFrame, z uint32) {
	for _, i := range e.cands {
		if uint32(l.minZoom[i]) > z {
			continue
		}
		e.beginFeature()
		if part := lv.line(l.refs[i]); len(part) > 0 {
			e.clip.out = e.clip.out[:0]
			e.ends = e.clip.clipLine(part, f, e.ends[:0])
			start := 0
			for _, end := range e.ends {
				e.path(e.clip.out[start:end], false)
				start = end
			}
		}
		e.endFeature(l.ids[i], geomTypeLine, l.tags.get(i))
	}
}

// encodePoints encodes the candidate point features that fall inside the
// tile. Each point belongs to exactly one tile per zoom: the one holding
// its rounded position.
func encodePoints(e *encoder, l *layer, k Key) {
	s := worldScale(k.Z)
	ox, oy := int64(k.X)*Extent, int64(k.Y)*Extent
	for _, i := range e.cands {
		if uint32(l.minZoom[i]) > k.Z {
			continue
		}
		pt := l.pts[i]
		x := int64(round64(pt[0]*s)) - ox
		y := int64(round64(pt[1]*s)) - oy
		if x < 0 || x >= Extent || y < 0 || y >= Extent {
			continue
		}
		e.beginFeature()
		e.point(int32(x), int32(y))
		e.endFeature(l.ids[i], geomTypePoint, l.tags.get(i))
	}
}
