package tiles

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
)

// A valueDict holds every distinct property value of one layer, built once
// per renderer, each already encoded as the body of an MVT Tile.Value
// message. The encodings sit back to back in one byte slab, so a value
// costs its encoded bytes plus four, rather than a message struct, a
// pointer and a string header. Tiles copy the values they use and renumber
// them.
//
// A string that can be made again from the snapshot (a building's
// address) may be kept as a reference instead: resolve turns the
// reference back into the string when a tile needs it.
type valueDict struct {
	data    []byte   // the encoded values (or references), back to back
	ends    []uint32 // the end offset in data of every value
	resolve func(ref int32) string
	// index finds a value of a dictionary with references (see
	// internRef) while the renderer is being built; seal drops it, unless
	// shared is set: then it holds the values added since shared was made,
	// kept for the next version's dictionary (see patchBuildings).
	index map[dictKey]uint32
	// shared, read-only and shared by the dictionaries of several
	// versions, finds the plain values of an earlier version's dictionary
	// that this one extends; index is looked at first.
	shared map[dictKey]uint32
	// slots finds a value of a dictionary without references: an open
	// addressing table of value index + 1 (0 for an empty slot) by the
	// FNV-1a hash of the encoded value. It is kept after seal so that the
	// next version's dictionary starts as a copy of this one (extend).
	slots []uint32
	enc   []byte // scratch for encoding a value to look up
	// id names the dictionary once sealed; base is the id of the
	// dictionary it extends (see extend), whose values it holds first.
	id, base *dictID
}

// A dictID names a dictionary without holding it.
type dictID struct{ _ byte }

type dictKey struct {
	s     string
	u     uint64
	isNum bool
	// isDouble marks a float64 number whose bits are in u.
	isDouble bool
}

// Tile.Value field keys (field number << 3 | wire type).
const (
	valueString = 1<<3 | wireBytes
	valueDouble = 3<<3 | wireFixed64
	valueUint   = 5<<3 | wireVarint
	// valueRef marks a value kept as a reference (an unsigned varint) for
	// resolve; it is no Tile.Value field key.
	valueRef = 0xff
)

// intern returns the index of a value, adding it when new.
func (d *valueDict) intern(k dictKey) uint32 {
	if d.resolve == nil {
		return d.internHashed(k)
	}
	if i, ok := d.lookup(k); ok {
		return i
	}
	if d.index == nil {
		d.index = make(map[dictKey]uint32)
	}
	d.data = appendEncoded(d.data, k)
	i := uint32(len(d.ends))
	d.ends = append(d.ends, uint32(len(d.data)))
	d.index[k] = i
	return i
}

// lookup finds a value of a dictionary with references.
func (d *valueDict) lookup(k dictKey) (uint32, bool) {
	if i, ok := d.index[k]; ok {
		return i, true
	}
	i, ok := d.shared[k]
	return i, ok
}

// appendEncoded appends the Tile.Value body of k.
func appendEncoded(b []byte, k dictKey) []byte {
	switch {
	case k.isDouble:
		b = append(b, valueDouble)
		return binary.LittleEndian.AppendUint64(b, k.u)
	case k.isNum:
		return binary.AppendUvarint(append(b, valueUint), k.u)
	}
	b = binary.AppendUvarint(append(b, valueString), uint64(len(k.s)))
	return append(b, k.s...)
}

// internHashed is intern for a dictionary without references, through
// the slots table.
func (d *valueDict) internHashed(k dictKey) uint32 {
	d.enc = appendEncoded(d.enc[:0], k)
	if 2*(len(d.ends)+1) > len(d.slots) {
		d.rehash(max(64, 4*(len(d.ends)+1)))
	}
	mask := uint32(len(d.slots) - 1)
	for h := fnv32(d.enc) & mask; ; h = (h + 1) & mask {
		v := d.slots[h]
		if v == 0 {
			d.data = append(d.data, d.enc...)
			i := uint32(len(d.ends))
			d.ends = append(d.ends, uint32(len(d.data)))
			d.slots[h] = i + 1
			return i
		}
		if string(d.value(v-1)) == string(d.enc) {
			return v - 1
		}
	}
}

// rehash makes the slots table n (a power of two) slots long.
func (d *valueDict) rehash(n int) {
	n = 1 << bits.Len(uint(n-1))
	d.slots = make([]uint32, n)
	mask := uint32(n - 1)
	for i := range uint32(len(d.ends)) {
		h := fnv32(d.value(i)) & mask
		for d.slots[h] != 0 {
			h = (h + 1) & mask
		}
		d.slots[h] = i + 1
	}
}

// fnv32 returns the 32-bit FNV-1a hash of b.
func fnv32(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// extend returns a dictionary that starts with d's values, for the next
// version's layer: values are only ever added, so d (still serving its
// own version) is left untouched and every value keeps its index.
func (d *valueDict) extend() valueDict {
	return valueDict{data: withRoom(d.data), ends: withRoom(d.ends), slots: slices.Clone(d.slots), base: d.id}
}

// internRef returns the index of string value s, adding it as reference
// ref when new. Equal strings share one index whether they were added by
// intern or internRef, as they would in a dictionary of strings alone.
func (d *valueDict) internRef(s string, ref int32) uint32 {
	k := dictKey{s: s}
	if i, ok := d.lookup(k); ok {
		return i
	}
	if d.index == nil {
		d.index = make(map[dictKey]uint32)
	}
	d.data = binary.AppendUvarint(append(d.data, valueRef), uint64(ref))
	i := uint32(len(d.ends))
	d.ends = append(d.ends, uint32(len(d.data)))
	d.index[k] = i
	return i
}

// len returns the number of values.
func (d *valueDict) len() int { return len(d.ends) }

// value returns the encoded Tile.Value body of value i, which may be a
// reference (see appendValue).
func (d *valueDict) value(i uint32) []byte {
	start := uint32(0)
	if i > 0 {
		start = d.ends[i-1]
	}
	return d.data[start:d.ends[i]]
}

// appendValue appends value i as a length-delimited Tile.Value body,
// resolving a reference.
func (d *valueDict) appendValue(b []byte, i uint32) []byte {
	v := d.value(i)
	if v[0] != valueRef {
		return append(binary.AppendUvarint(b, uint64(len(v))), v...)
	}
	ref, _ := binary.Uvarint(v[1:])
	s := d.resolve(int32(ref))
	n := len(s)
	b = binary.AppendUvarint(b, uint64(1+uvarintLen(uint64(n))+n))
	return append(binary.AppendUvarint(append(b, valueString), uint64(n)), s...)
}

// seal drops the lookup map and the slabs' spare capacity once the
// dictionary is complete.
func (d *valueDict) seal() {
	if d.shared == nil {
		d.index = nil
	}
	d.enc = nil
	if d.id == nil {
		d.id = new(dictID)
	}
	d.data, d.ends = trimmed(d.data), trimmed(d.ends)
}

// A propBuilder collects the tags (key index, value index pairs) of one
// feature. Empty strings are left out; an unknown key is recorded as an
// error, reported by done.
type propBuilder struct {
	info *LayerInfo
	dict *valueDict
	tags []uint32
	err  error
}

func (b *propBuilder) key(name string) (uint32, bool) {
	for i, f := range b.info.Fields {
		if f.Name == name {
			return uint32(i), true
		}
	}
	if b.err == nil {
		b.err = fmt.Errorf("layer %s has no field %q", b.info.ID, name)
	}
	return 0, false
}

// str adds a string property.
func (b *propBuilder) str(name, v string) *propBuilder {
	if k, ok := b.key(name); ok && v != "" {
		b.tags = append(b.tags, k, b.dict.intern(dictKey{s: v}))
	}
	return b
}

// strRef adds a string property that the dictionary keeps as reference
// ref (see valueDict.internRef).
func (b *propBuilder) strRef(name, v string, ref int32) *propBuilder {
	if k, ok := b.key(name); ok && v != "" {
		b.tags = append(b.tags, k, b.dict.internRef(v, ref))
	}
	return b
}

// num adds a non-negative integer property; negative values are left out.
func (b *propBuilder) num(name string, v int) *propBuilder {
	if k, ok := b.key(name); ok && v >= 0 {
		b.tags = append(b.tags, k, b.dict.intern(dictKey{u: uint64(v), isNum: true}))
	}
	return b
}

// share adds a number from 0 to 1, rounded to 3 decimals; values that are
// not finite are left out and others are clamped to 0-1.
func (b *propBuilder) share(name string, v float64) *propBuilder {
	dk, ok := shareKey(v)
	if !ok {
		b.key(name)
		return b
	}
	if k, ok := b.key(name); ok {
		b.tags = append(b.tags, k, b.dict.intern(dk))
	}
	return b
}

// shareKey returns the value of a share as propBuilder.share adds it, or
// false when it is left out.
func shareKey(v float64) (dictKey, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return dictKey{}, false
	}
	v = math.Round(min(max(v, 0), 1)*1000) / 1000
	return dictKey{u: math.Float64bits(v), isDouble: true}, true
}

// done returns the tags, or the first error.
func (b *propBuilder) done() ([]uint32, error) { return b.tags, b.err }
