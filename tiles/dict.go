package tiles

import (
	"fmt"
	"math"

	"github.com/paulmach/orb/encoding/mvt/vectortile"
)

// A valueDict holds every distinct property value of one layer, built once
// per renderer. Tiles refer to its values (never copy or change them) and
// renumber the ones they use.
type valueDict struct {
	values []*vectortile.Tile_Value
	index  map[dictKey]uint32
}

type dictKey struct {
	s     string
	u     uint64
	isNum bool
	// isDouble marks a float64 number whose bits are in u.
	isDouble bool
}

// intern returns the index of a value, adding it when new.
func (d *valueDict) intern(k dictKey) uint32 {
	if i, ok := d.index[k]; ok {
		return i
	}
	if d.index == nil {
		d.index = make(map[dictKey]uint32)
	}
	v := &vectortile.Tile_Value{}
	if k.isDouble {
		f := math.Float64frombits(k.u)
		v.DoubleValue = &f
	} else if k.isNum {
		u := k.u
		v.UintValue = &u
	} else {
		s := k.s
		v.StringValue = &s
	}
	i := uint32(len(d.values))
	d.values = append(d.values, v)
	d.index[k] = i
	return i
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
	if math.IsNaN(v) || math.IsInf(v, 0) {
		b.key(name)
		return b
	}
	v = math.Round(min(max(v, 0), 1)*1000) / 1000
	if k, ok := b.key(name); ok {
		b.tags = append(b.tags, k, b.dict.intern(dictKey{u: math.Float64bits(v), isDouble: true}))
	}
	return b
}

// done returns the tags, or the first error.
func (b *propBuilder) done() ([]uint32, error) { return b.tags, b.err }
