package tiles

import (
	"github.com/paulmach/orb/encoding/mvt/vectortile"
)

// MVT geometry commands (specification 4.3).
const (
	cmdMoveTo    = 1
	cmdLineTo    = 2
	cmdClosePath = 7
)

func command(id, count uint32) uint32 { return id&7 | count<<3 }

func zigzag(v int32) uint32 { return uint32((v << 1) ^ (v >> 31)) }

// An encoder assembles one tile with orb's vectortile protocol buffer
// types. Its slabs are reused between tiles (through the renderer's pool);
// the tile it marshals shares the renderer's immutable keys and values.
type encoder struct {
	layers   []vectortile.Tile_Layer
	feats    []vectortile.Tile_Feature
	featPtrs []*vectortile.Tile_Feature
	ids      []uint64
	tags     []uint32
	geom     []uint32
	values   []*vectortile.Tile_Value
	remap    []uint32 // dictionary index -> tile value index + 1
	touched  []uint32
	cands    []int32
	ends     []int
	clip     clipper

	// Per layer state.
	layerFeat  int // index in feats of the layer's first feature
	layerValue int // index in values of the layer's first value
	geomStart  int
	cx, cy     int32 // cursor of the current feature's geometry
}

// reset empties the encoder for a new tile, keeping its memory.
func (e *encoder) reset() {
	e.layers, e.feats, e.featPtrs = e.layers[:0], e.feats[:0], e.featPtrs[:0]
	e.ids, e.tags, e.geom, e.values = e.ids[:0], e.tags[:0], e.geom[:0], e.values[:0]
}

// beginLayer starts a layer whose values come from d.
func (e *encoder) beginLayer(d *valueDict) {
	e.layerFeat, e.layerValue = len(e.feats), len(e.values)
	if cap(e.remap) < len(d.values) {
		e.remap = make([]uint32, len(d.values))
	}
	e.remap = e.remap[:len(d.values)]
}

// beginFeature starts the geometry of a feature.
func (e *encoder) beginFeature() {
	e.geomStart = len(e.geom)
	e.cx, e.cy = 0, 0
}

// point adds a MoveTo of one point to the current feature.
func (e *encoder) point(x, y int32) {
	e.geom = append(e.geom, command(cmdMoveTo, 1), zigzag(x-e.cx), zigzag(y-e.cy))
	e.cx, e.cy = x, y
}

// path adds a MoveTo and a LineTo through the x, y pairs of pts, and a
// ClosePath when closed.
func (e *encoder) path(pts []int32, closed bool) {
	e.point(pts[0], pts[1])
	e.geom = append(e.geom, command(cmdLineTo, uint32(len(pts)/2-1)))
	for i := 2; i+1 < len(pts); i += 2 {
		x, y := pts[i], pts[i+1]
		e.geom = append(e.geom, zigzag(x-e.cx), zigzag(y-e.cy))
		e.cx, e.cy = x, y
	}
	if closed {
		e.geom = append(e.geom, command(cmdClosePath, 1))
	}
}

// endFeature finishes the current feature with its id, type and tags (key,
// dictionary value pairs); a feature without geometry is dropped.
func (e *encoder) endFeature(id uint64, typ *vectortile.Tile_GeomType, tags []uint32, d *valueDict) {
	if len(e.geom) == e.geomStart {
		return
	}
	tagStart := len(e.tags)
	for i := 0; i+1 < len(tags); i += 2 {
		v := tags[i+1]
		if e.remap[v] == 0 {
			e.values = append(e.values, d.values[v])
			e.remap[v] = uint32(len(e.values) - e.layerValue)
			e.touched = append(e.touched, v)
		}
		e.tags = append(e.tags, tags[i], e.remap[v]-1)
	}
	e.ids = append(e.ids, id)
	e.feats = append(e.feats, vectortile.Tile_Feature{
		Type:     typ,
		Tags:     e.tags[tagStart:len(e.tags):len(e.tags)],
		Geometry: e.geom[e.geomStart:len(e.geom):len(e.geom)],
	})
}

// endLayer finishes the layer; a layer without features is left out.
func (e *encoder) endLayer(info *LayerInfo, version, extent *uint32) {
	for _, v := range e.touched {
		e.remap[v] = 0
	}
	e.touched = e.touched[:0]
	if len(e.feats) == e.layerFeat {
		return
	}
	start := len(e.featPtrs)
	for i := e.layerFeat; i < len(e.feats); i++ {
		e.feats[i].Id = &e.ids[i]
		e.featPtrs = append(e.featPtrs, &e.feats[i])
	}
	e.layers = append(e.layers, vectortile.Tile_Layer{
		Version:  version,
		Name:     &info.ID,
		Features: e.featPtrs[start:len(e.featPtrs):len(e.featPtrs)],
		Keys:     info.keys,
		Values:   e.values[e.layerValue:len(e.values):len(e.values)],
		Extent:   extent,
	})
}

// marshal encodes the finished layers; it returns nil for a tile without
// any feature.
func (e *encoder) marshal() ([]byte, error) {
	if len(e.layers) == 0 {
		return nil, nil
	}
	ptrs := make([]*vectortile.Tile_Layer, len(e.layers))
	for i := range e.layers {
		ptrs[i] = &e.layers[i]
	}
	t := vectortile.Tile{Layers: ptrs}
	return t.Marshal()
}
