package tiles

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb/encoding/mvt/vectortile"
)

// randomDict returns a dictionary of random values (strings, some kept as
// references, integers and doubles) and the same values as orb's types.
func randomDict(rng *rand.Rand) (*valueDict, []*vectortile.Tile_Value) {
	d := &valueDict{}
	var refs []string
	d.resolve = func(ref int32) string { return refs[ref] }
	var want []*vectortile.Tile_Value
	for i := range 40 + rng.IntN(300) {
		v := &vectortile.Tile_Value{}
		var idx uint32
		switch rng.IntN(4) {
		case 0:
			s := fmt.Sprintf("值%d-%s", i, bytes.Repeat([]byte("x"), rng.IntN(200)))
			v.StringValue, idx = &s, d.intern(dictKey{s: s})
		case 1:
			s := fmt.Sprintf("贵州省六盘水市%d号", i)
			refs = append(refs, s)
			v.StringValue, idx = &s, d.internRef(s, int32(len(refs)-1))
		case 2:
			u := uint64(i) | uint64(rng.Uint32())<<rng.IntN(32)<<16
			v.UintValue, idx = &u, d.intern(dictKey{u: u, isNum: true})
		default:
			f := float64(i) + math.Round(rng.Float64()*999)/1000 // distinct
			v.DoubleValue, idx = &f, d.intern(dictKey{u: math.Float64bits(f), isDouble: true})
		}
		if int(idx) != len(want) {
			panic("test values are not distinct")
		}
		want = append(want, v)
	}
	return d, want
}

// TestEncoderMatchesGogo encodes random tiles with the encoder and with
// orb's gogo/protobuf types: the bytes must be identical.
func TestEncoderMatchesGogo(t *testing.T) {
	rng := rand.New(rand.NewPCG(testSeed(t, 1), 0))
	info := &LayerInfo{ID: "layer", keys: []string{"a", "bb", "名称", "d"}}
	for round := range 200 {
		var e encoder
		e.reset()
		var tile vectortile.Tile
		for li := range rng.IntN(4) {
			d, values := randomDict(rng)
			name := fmt.Sprintf("layer%d", li)
			info.ID = name
			e.beginLayer(name, d)
			layer := &vectortile.Tile_Layer{Name: &info.ID, Keys: info.keys, Version: new(uint32), Extent: new(uint32)}
			*layer.Version, *layer.Extent = layerVersion, Extent
			used := map[uint32]uint32{}
			for range rng.IntN(30) {
				f := randomFeature(t, rng, &e, d.len(), len(info.keys))
				if f == nil {
					continue
				}
				for i := 1; i < len(f.Tags); i += 2 {
					v := f.Tags[i]
					if _, ok := used[v]; !ok {
						used[v] = uint32(len(layer.Values))
						layer.Values = append(layer.Values, values[v])
					}
					f.Tags[i] = used[v]
				}
				layer.Features = append(layer.Features, f)
			}
			e.endLayer(info, d)
			if len(layer.Features) > 0 {
				layer.Name = &name
				tile.Layers = append(tile.Layers, layer)
			}
		}
		want, err := tile.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if got := e.marshal(); !bytes.Equal(got, want) {
			t.Fatalf("round %d: encoder wrote\n% x\nwant\n% x", round, got, want)
		}
	}
}

// randomFeature adds a random feature (sometimes without geometry, which
// the encoder drops) to e and returns it as orb's type with dictionary
// value indices in its tags, or nil when it has no geometry.
func randomFeature(t *testing.T, rng *rand.Rand, e *encoder, nvalues, nkeys int) *vectortile.Tile_Feature {
	t.Helper()
	e.beginFeature()
	typ := uint32(1 + rng.IntN(3))
	for range rng.IntN(4) {
		pts := make([]int32, 2*(1+rng.IntN(100)))
		for i := range pts {
			pts[i] = int32(rng.IntN(1<<20) - 1<<19)
		}
		if typ == geomTypePoint {
			e.point(pts[0], pts[1])
		} else {
			e.path(pts, typ == geomTypePolygon)
		}
	}
	var tags []uint32
	for range rng.IntN(2 * nkeys) {
		tags = append(tags, uint32(rng.IntN(nkeys)), uint32(rng.IntN(nvalues)))
	}
	var packed tagTable
	packed.add(tags)
	if len(e.geom) == 0 {
		e.endFeature(1, typ, packed.get(0))
		return nil
	}
	geom := append([]uint32(nil), e.geom...)
	id := rng.Uint64() >> rng.IntN(64)
	gt := vectortile.Tile_GeomType(typ)
	e.endFeature(id, typ, packed.get(0))
	return &vectortile.Tile_Feature{Id: &id, Tags: tags, Type: &gt, Geometry: geom}
}

func TestTagTableRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		tags []uint32
	}{
		{"none", nil},
		{"small", []uint32{0, 1, 2, 127}},
		{"varint boundaries", []uint32{128, 16383, 16384, 1<<21 - 1, 1 << 21, math.MaxUint32}},
	}
	var tt tagTable
	for _, c := range cases {
		tt.add(c.tags)
	}
	tt.seal()
	for i, c := range cases {
		got := unpackTags(tt.get(int32(i)))
		if len(got) != len(c.tags) {
			t.Errorf("%s: got %v, want %v", c.name, got, c.tags)
			continue
		}
		for j := range got {
			if got[j] != c.tags[j] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.tags)
				break
			}
		}
	}
}

// TestDictRefSharesIndex checks that a string added by reference and the
// same string added by value share one index, and that a reference
// resolves to its string.
func TestDictRefSharesIndex(t *testing.T) {
	d := &valueDict{resolve: func(ref int32) string { return []string{"甲", "乙"}[ref] }}
	a := d.internRef("甲", 0)
	if b := d.intern(dictKey{s: "甲"}); b != a {
		t.Errorf("intern after internRef = %d, want %d", b, a)
	}
	c := d.intern(dictKey{s: "乙"})
	if e := d.internRef("乙", 1); e != c {
		t.Errorf("internRef after intern = %d, want %d", e, c)
	}
	d.seal()
	if got := dictValue(t, d, a).GetStringValue(); got != "甲" {
		t.Errorf("value %d = %q, want 甲", a, got)
	}
}
