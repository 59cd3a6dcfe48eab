package tiles

import (
	"encoding/binary"
	"maps"
)

// patchBuildings makes r's buildings layer from the renderer r is made
// from (r.prev) when the buildings are the same ones at the same points
// with the same addresses, as after a grid edit: the ids, zooms, points
// and spatial index are shared, the tags of every building whose value
// is unchanged (and whose uncovered flag is) are copied, and only the
// others are made again, interning into a copy of the earlier dictionary
// so that equal values keep one index as in a whole build. It reports
// false, having changed nothing, when it cannot.
func (r *Renderer) patchBuildings() bool {
	if r.prev == nil {
		return false
	}
	ol, l := r.prev.layers[idxBuildings], r.layers[idxBuildings]
	ob, nb := r.prev.snap.City.Buildings, r.snap.City.Buildings
	if len(ob) != len(nb) || ol.len() != len(nb) || len(ol.info.Fields) != len(l.info.Fields) ||
		(r.prev.opts.BuildingUncovered == nil) != (r.opts.BuildingUncovered == nil) {
		return false
	}
	unc := -1
	for k, f := range l.info.Fields {
		if f.Name != ol.info.Fields[k].Name {
			return false
		}
		if f.Name == fieldUncovered.Name {
			unc = k
		}
	}
	redo := make([]bool, len(nb))
	for i, b := range nb {
		o := ob[i]
		if o == b {
			if unc >= 0 && tagValue(ol, int32(i), unc) != numValue(boolNum(r.opts.BuildingUncovered(b.ID))) {
				redo[i] = true
			}
			continue
		}
		if o.ID != b.ID || o.Point != b.Point || o.Address.String() != b.Address.String() {
			return false
		}
		redo[i] = true
	}
	// The dictionary's plain values, and the addresses of the buildings
	// made again (references, found by their strings in a whole build).
	shared, index := buildingValues(&ol.dict)
	for i, again := range redo {
		if again {
			if v, ok := tagIndex(ol, int32(i), 0); ok {
				index[dictKey{s: nb[i].Address.String()}] = v
			}
		}
	}
	l.dict = valueDict{data: withRoom(ol.dict.data), ends: withRoom(ol.dict.ends), index: index, shared: shared,
		resolve: func(ref int32) string { return nb[ref].Address.String() }, base: ol.dict.id}
	changed := map[int32][]uint32{}
	for i, again := range redo {
		if again {
			tags, err := r.buildingTags(l, i, nb[i])
			if err != nil {
				return false
			}
			changed[int32(i)] = tags
		}
	}
	l.tags = patchedTags(&ol.tags, changed)
	l.ids, l.minZoom, l.pts, l.index = ol.ids, ol.minZoom, ol.pts, ol.index
	l.dict.seal()
	l.tags.seal()
	l.sealed = true
	if n := len(ol.index.nodes); n > 0 {
		root := ol.index.nodes[n-1]
		r.bound.extend(root.min)
		r.bound.extend(root.max)
	}
	return true
}

// patchedTags returns the tags of a layer whose features are those of
// prev's with new tags for those changed says: prev's slab shared, or,
// when too many features are held apart from it, a table made whole.
func patchedTags(prev *tagTable, changed map[int32][]uint32) tagTable {
	if t, ok := prev.overlay(changed); ok {
		return t
	}
	var t tagTable
	t.reserve(prev)
	for i := range int32(len(prev.ends)) {
		if tags, ok := changed[i]; ok {
			t.add(tags)
		} else {
			t.addPacked(prev.get(i))
		}
	}
	return t
}

// maxRecentValues bounds the values a buildings dictionary made by
// patchBuildings finds outside its shared map; past it the map is made
// again from the whole dictionary.
const maxRecentValues = 1024

// buildingValues returns, for the dictionary of the next version's
// buildings layer, which extends d, the map of d's plain values to share
// (d's own shared map when it has one, else one made from every value),
// and a map of its own starting with the values d added to that map.
func buildingValues(d *valueDict) (shared, own map[dictKey]uint32) {
	if d.shared != nil && len(d.index) <= maxRecentValues {
		return d.shared, maps.Clone(d.index)
	}
	shared = make(map[dictKey]uint32, d.len())
	for v := range d.len() {
		if k, ok := decodeValue(d.value(uint32(v))); ok {
			shared[k] = uint32(v)
		}
	}
	return shared, map[dictKey]uint32{}
}

// tagIndex returns the dictionary index of feature i's value for key, if
// it has one.
func tagIndex(l *layer, i int32, key int) (uint32, bool) {
	b := l.tags.get(i)
	for len(b) > 0 {
		var k, v uint32
		k, b = nextTag(b)
		v, b = nextTag(b)
		if int(k) == key {
			return v, true
		}
	}
	return 0, false
}

// tagValue returns the encoded value of feature i for key, or nil.
func tagValue(l *layer, i int32, key int) string {
	return string(tagBytes(l, i, key))
}

// numValue returns the encoded value of a number as the dictionary holds it.
func numValue(n int) string {
	return string(binary.AppendUvarint([]byte{valueUint}, uint64(n)))
}

// decodeValue returns the key of an encoded value that is not a
// reference.
func decodeValue(v []byte) (dictKey, bool) {
	switch v[0] {
	case valueString:
		n, w := binary.Uvarint(v[1:])
		return dictKey{s: string(v[1+w : 1+w+int(n)])}, true
	case valueUint:
		u, _ := binary.Uvarint(v[1:])
		return dictKey{u: u, isNum: true}, true
	case valueDouble:
		return dictKey{u: binary.LittleEndian.Uint64(v[1:]), isDouble: true}, true
	}
	return dictKey{}, false
}
