package edit

import (
	"maps"
)

// maxLayers bounds the frozen layers of a layered map; cloning one with
// more merges all but the oldest into one.
const maxLayers = 8

// A layered map is a map shared copy-on-write between the versions of a
// CodeHistory: frozen layers, oldest (the largest) first, that every
// clone shares and nobody writes, and the value's own writes on top. A
// clone costs in proportion to the own writes, not to the whole map.
// Cloning merges the newer layers into one every maxLayers clones (in
// proportion to what was written since the oldest layer was made), and
// all layers into one once the newer ones hold a quarter of the oldest's
// keys, so a lookup reads at most maxLayers+1 maps.
type layered[K comparable, V any] struct {
	frozen []map[K]V
	own    map[K]V
}

// get returns the value of k, the newest layer's.
func (l *layered[K, V]) get(k K) (V, bool) {
	if v, ok := l.own[k]; ok {
		return v, true
	}
	for i := len(l.frozen) - 1; i >= 0; i-- {
		if v, ok := l.frozen[i][k]; ok {
			return v, true
		}
	}
	var zero V
	return zero, false
}

// set gives k the value v in this map only.
func (l *layered[K, V]) set(k K, v V) {
	if l.own == nil {
		l.own = map[K]V{}
	}
	l.own[k] = v
}

// clone returns an independent copy sharing the frozen layers. It only
// reads l, so readers may clone a map shared between them.
func (l *layered[K, V]) clone() layered[K, V] {
	frozen := l.frozen[:len(l.frozen):len(l.frozen)] // appending copies
	if len(l.own) > 0 {
		frozen = append(frozen, maps.Clone(l.own))
	}
	return layered[K, V]{frozen: compact(frozen)}
}

// freeze makes the own writes a frozen layer, for a map just built.
func (l *layered[K, V]) freeze() {
	if len(l.own) > 0 {
		l.frozen = append(l.frozen[:len(l.frozen):len(l.frozen)], l.own)
	}
	l.own = nil
	l.frozen = compact(l.frozen)
}

// compact merges layers as the type's comment says. The layers passed in
// are not modified.
func compact[K comparable, V any](frozen []map[K]V) []map[K]V {
	if len(frozen) <= maxLayers {
		return frozen
	}
	upper := merge(frozen[1:])
	if 4*len(upper) > len(frozen[0]) {
		return []map[K]V{merge(frozen)}
	}
	return []map[K]V{frozen[0], upper}
}

// merge returns one map holding the layers, the newer winning.
func merge[K comparable, V any](layers []map[K]V) map[K]V {
	n := 0
	for _, m := range layers {
		n += len(m)
	}
	out := make(map[K]V, n)
	for _, m := range layers {
		maps.Copy(out, m)
	}
	return out
}

// all returns the map as one plain map (a new one unless there is a
// single layer, which must then not be written).
func (l *layered[K, V]) all() map[K]V {
	switch {
	case len(l.own) == 0 && len(l.frozen) == 1:
		return l.frozen[0]
	case len(l.own) == 0 && len(l.frozen) == 0:
		return nil
	}
	return merge(append(l.frozen[:len(l.frozen):len(l.frozen)], l.own))
}
