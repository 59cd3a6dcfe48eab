package tiles

import "bytes"

// Changes says where the tiles of a renderer made from an earlier one
// (NewRendererFrom) may differ from the earlier renderer's: the world
// boxes, earlier and now, of every feature whose properties, point or
// zoom range changed or that came or went, and, per zoom, of the polygons
// whose generalised geometry was drawn again. A tile whose area meets
// none of them holds the same bytes in both versions, so a tile cache may
// carry it over.
type Changes struct {
	r     *Renderer
	since *levelsID // the earlier renderer's levels
	boxes []wbound
}

// Changes compares r with the renderer it was made from. It is nil when r
// was made from none, or has built every zoom, or a newer renderer has
// been made from it: then it has let the earlier renderer's layers go.
func (r *Renderer) Changes() *Changes {
	r.levels.mu.Lock()
	since := r.levels.since
	r.levels.mu.Unlock()
	if since == nil {
		return nil
	}
	c := &Changes{r: r, since: since.id}
	for li, l := range r.layers {
		c.compareLayer(l, since.layers[li])
	}
	return c
}

// compareLayer adds the boxes of the features of l that differ from their
// namesakes (same id) in the earlier layer ol, and of ol's features that
// are gone.
func (c *Changes) compareLayer(l, ol *layer) {
	if l == ol {
		return // shared (reuseStreets)
	}
	// Where l's dictionary extends ol's, equal packed tags are equal
	// values.
	extends := l.dict.base != nil && l.dict.base == ol.dict.id
	nb, ob := l.boxIndex(), ol.boxIndex()
	var byID map[uint64]int32
	seen := make([]bool, ol.len())
	var va, vb []byte
	for i := range l.len() {
		j := int32(i)
		if i >= ol.len() || ol.ids[i] != l.ids[i] {
			if byID == nil {
				byID = make(map[uint64]int32, ol.len())
				for k, id := range ol.ids {
					byID[id] = int32(k)
				}
			}
			k, ok := byID[l.ids[i]]
			if !ok {
				c.boxes = append(c.boxes, nb(int32(i)))
				continue
			}
			j = k
		}
		seen[j] = true
		same := l.minZoom[i] == ol.minZoom[j]
		if l.info.kind == kindPoint {
			same = same && l.pts[i] == ol.pts[j]
		} else {
			same = same && nb(int32(i)) == ob(j) && (l.info.kind == kindPolygon || l.refs[i] == ol.refs[j])
		}
		if same && !(extends && bytes.Equal(l.tags.get(int32(i)), ol.tags.get(j))) {
			va, vb, same = sameTags(l, ol, int32(i), j, va, vb)
		}
		if !same {
			c.boxes = append(c.boxes, nb(int32(i)), ob(j))
		}
	}
	for j, ok := range seen {
		if !ok {
			c.boxes = append(c.boxes, ob(int32(j)))
		}
	}
}

// sameTags reports whether feature i of l and j of ol have the same
// properties (keys and values, references resolved).
func sameTags(l, ol *layer, i, j int32, va, vb []byte) ([]byte, []byte, bool) {
	a, b := l.tags.get(i), ol.tags.get(j)
	va, vb = va[:0], vb[:0]
	for len(a) > 0 && len(b) > 0 {
		var ka, kb, xa, xb uint32
		ka, a = nextTag(a)
		xa, a = nextTag(a)
		kb, b = nextTag(b)
		xb, b = nextTag(b)
		if ka != kb || l.info.Fields[ka].Name != ol.info.Fields[kb].Name {
			return va, vb, false
		}
		va, vb = l.dict.appendValue(va, xa), ol.dict.appendValue(vb, xb)
	}
	return va, vb, len(a) == 0 && len(b) == 0 && bytes.Equal(va, vb)
}

// boxIndex returns a function giving feature i's world box.
func (l *layer) boxIndex() func(i int32) wbound {
	if l.info.kind == kindPoint {
		return func(i int32) wbound { return wbound{l.pts[i], l.pts[i]} }
	}
	if l.boxes != nil {
		return func(i int32) wbound { return l.boxes[i] }
	}
	pos := make([]int32, len(l.index.order))
	for p, i := range l.index.order {
		pos[i] = int32(p)
	}
	return func(i int32) wbound { return l.index.items[pos[i]] }
}

// Unchanged reports whether tile k holds the same bytes as the earlier
// renderer's tile k. It builds (patches) the zoom's geometry if needed;
// a zoom patched from another version than the earlier renderer (which
// had not built it) knows nothing either, and is not built for it. A nil Changes knows nothing:
// every tile may have changed.
func (c *Changes) Unchanged(k Key) bool {
	if c == nil || k.Valid() != nil {
		return false
	}
	lz := min(k.Z, c.r.opts.MaxDataZoom)
	lv := c.r.levelPatchedFrom(lz, c.since)
	if lv == nil || !lv.patched || lv.from != c.since {
		return false
	}
	f := newTileFrame(k, lz, c.r.opts.Buffer)
	q := tileBound(k, float64(int64(c.r.opts.Buffer)+f.scale))
	for _, list := range [][]wbound{c.boxes, lv.dirty} {
		for _, b := range list {
			if b.meets(q) {
				return false
			}
		}
	}
	return true
}
