package tiles

import (
	"encoding/binary"
)

// A tagTable holds the tags of every feature of a layer: key index,
// dictionary value index pairs as unsigned varints, back to back in one
// byte slab. Most pairs take two to four bytes.
type tagTable struct {
	data []byte
	ends []uint32 // the end offset in data of every feature's tags
	// over, when set, holds the packed tags of the features whose tags
	// differ from what data and ends (shared with an earlier version's
	// table) hold for them (see overlay).
	over map[int32][]byte
}

// maxTagOverrides bounds the features a table made by overlay holds
// apart from its shared slab: at most the larger of maxTagOverrides and
// one in 64 of its features; past it the table is made whole again.
const maxTagOverrides = 1024

// overlay returns the table of the next version's layer, whose features
// are prev's with new tags for those changed says (by feature: its tags,
// nil when they are prev's). It shares prev's slab, so that its cost is
// that of the changed features, and reports false when too many
// features would then be held apart.
func (prev *tagTable) overlay(changed map[int32][]uint32) (tagTable, bool) {
	if len(prev.over)+len(changed) > max(maxTagOverrides, len(prev.ends)/64) {
		return tagTable{}, false
	}
	t := tagTable{data: prev.data, ends: prev.ends, over: make(map[int32][]byte, len(prev.over)+len(changed))}
	for i, b := range prev.over {
		t.over[i] = b
	}
	for i, tags := range changed {
		var b []byte
		for _, v := range tags {
			b = binary.AppendUvarint(b, uint64(v))
		}
		t.over[i] = b
	}
	return t, true
}

// add appends the tags of the next feature.
func (t *tagTable) add(tags []uint32) {
	for _, v := range tags {
		t.data = binary.AppendUvarint(t.data, uint64(v))
	}
	t.ends = append(t.ends, uint32(len(t.data)))
}

// addPacked appends the next feature's tags, already packed (see get).
func (t *tagTable) addPacked(b []byte) {
	t.data = append(t.data, b...)
	t.ends = append(t.ends, uint32(len(t.data)))
}

// get returns the packed tags of feature i; read them with nextTag.
func (t *tagTable) get(i int32) []byte {
	if t.over != nil {
		if b, ok := t.over[i]; ok {
			return b
		}
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.data[start:t.ends[i]]
}

// seal drops the slabs' spare capacity (when more than a sixteenth).
func (t *tagTable) seal() {
	t.data, t.ends = trimmed(t.data), trimmed(t.ends)
}

// reserve gives t room for as much as prev holds, and a sixteenth more.
func (t *tagTable) reserve(prev *tagTable) {
	t.data = make([]byte, 0, len(prev.data)+len(prev.data)/16)
	t.ends = make([]uint32, 0, len(prev.ends)+len(prev.ends)/16)
}

// nextTag reads the first number of packed tags and returns the rest.
func nextTag(b []byte) (uint32, []byte) {
	var v uint32
	for shift := 0; ; shift += 7 {
		c := b[0]
		b = b[1:]
		v |= uint32(c&0x7f) << shift
		if c < 0x80 {
			return v, b
		}
	}
}

// unpackTags returns packed tags as numbers (for tests and diagnostics).
func unpackTags(b []byte) []uint32 {
	var out []uint32
	for len(b) > 0 {
		var v uint32
		v, b = nextTag(b)
		out = append(out, v)
	}
	return out
}
