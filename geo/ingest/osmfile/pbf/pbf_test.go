package pbf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/paulmach/osm"
	"google.golang.org/protobuf/encoding/protowire"
)

func field(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func varintField(b []byte, num protowire.Number, x uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, x)
}

func packedOf(xs ...uint64) []byte {
	var b []byte
	for _, x := range xs {
		b = protowire.AppendVarint(b, x)
	}
	return b
}

func zz(xs ...int64) []byte { // delta-coded zigzag
	var b []byte
	var prev int64
	for _, x := range xs {
		b = protowire.AppendVarint(b, protowire.EncodeZigZag(x-prev))
		prev = x
	}
	return b
}

// appendBlock appends a file block of kind holding data, zlib-compressed.
func appendBlock(out []byte, kind string, data []byte) []byte {
	return appendBlockAs(out, kind, data, false)
}

func appendBlockAs(out []byte, kind string, data []byte, raw bool) []byte {
	var blob []byte
	if raw {
		blob = field(nil, 1, data)
	} else {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		blob = varintField(nil, 2, uint64(len(data)))
		blob = field(blob, 3, z.Bytes())
	}
	hdr := field(nil, 1, []byte(kind))
	hdr = varintField(hdr, 3, uint64(len(blob)))
	out = binary.BigEndian.AppendUint32(out, uint32(len(hdr)))
	return append(append(out, hdr...), blob...)
}

// tinyPBF is a small extract: four dense nodes (one with an address), a
// plain node with an address, a footway, a closed building way, and a
// building multipolygon relation made of two open ways. strIndex replaces
// the footway's highway value index (to corrupt it).
func tinyPBF(strIndex uint64) []byte {
	return appendBlock(appendBlock(nil, "OSMHeader", tinyHeader()), "OSMData", tinyBlock(strIndex))
}

func tinyHeader() []byte {
	header := field(nil, 4, []byte("OsmSchema-V0.6"))
	return field(header, 4, []byte("DenseNodes"))
}

// tinyBlock is tinyPBF's PrimitiveBlock.
func tinyBlock(strIndex uint64) []byte {
	strs := []string{"", "highway", "footway", "building", "yes", "addr:housenumber", "12", "type", "multipolygon", "outer", "name", "钟山大道"}
	var st []byte
	for _, s := range strs {
		st = field(st, 1, []byte(s))
	}
	// Coordinates in units of 100 nanodegrees (granularity 100).
	dense := field(nil, 1, zz(1, 2, 3, 4, 5, 6))
	dense = field(dense, 8, zz(266000000, 266000000, 266001000, 266001000, 266002000, 266002000))
	dense = field(dense, 9, zz(1048000000, 1048001000, 1048001000, 1048000000, 1048000000, 1048001000))
	dense = field(dense, 10, packedOf(0, 5, 6, 0, 0, 0, 0, 0))
	plain := varintField(nil, 1, protowire.EncodeZigZag(7))
	plain = field(plain, 2, packedOf(5))
	plain = field(plain, 3, packedOf(6))
	plain = varintField(plain, 8, protowire.EncodeZigZag(266003000))
	plain = varintField(plain, 9, protowire.EncodeZigZag(1048003000))
	way := func(id uint64, keys, vals []uint64, refs ...int64) []byte {
		w := varintField(nil, 1, id)
		w = field(w, 2, packedOf(keys...))
		w = field(w, 3, packedOf(vals...))
		return field(w, 8, zz(refs...))
	}
	group := field(nil, 2, dense)
	group = field(group, 1, plain)
	group = field(group, 3, way(10, []uint64{1, 10}, []uint64{strIndex, 11}, 1, 2))
	group = field(group, 3, way(11, []uint64{3}, []uint64{4}, 1, 2, 3, 4, 1))
	group = field(group, 3, way(12, nil, nil, 3, 4, 5))
	group = field(group, 3, way(13, nil, nil, 5, 6, 3))
	rel := varintField(nil, 1, 20)
	rel = field(rel, 2, packedOf(7, 3))
	rel = field(rel, 3, packedOf(8, 4))
	rel = field(rel, 8, packedOf(9, 9))
	rel = field(rel, 9, zz(12, 13))
	rel = field(rel, 10, packedOf(1, 1))
	group = field(group, 4, rel)
	blk := field(nil, 1, st)
	return field(blk, 2, group)
}

// collect reads a PBF stream into its objects, copying reused nodes.
func collect(b []byte) ([]osm.Object, error) {
	var out []osm.Object
	err := Read(bytes.NewReader(b), func(o osm.Object) error {
		if n, ok := o.(*osm.Node); ok {
			c := *n
			o = &c
		}
		out = append(out, o)
		return nil
	})
	return out, err
}

// TestTiny checks every kind of object the decoder meets, including the
// plain nodes paulmach/osm's decoder panics on.
func TestTiny(t *testing.T) {
	objs, err := collect(tinyPBF(2))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range objs {
		switch o := o.(type) {
		case *osm.Node:
			got = append(got, fmt.Sprintf("n%d(%.4f,%.4f)%v", o.ID, o.Lon, o.Lat, o.Tags.Map()))
		case *osm.Way:
			got = append(got, fmt.Sprintf("w%d%v%v", o.ID, o.Nodes.NodeIDs(), o.Tags.Map()))
		case *osm.Relation:
			got = append(got, fmt.Sprintf("r%d%v%v", o.ID, o.Members, o.Tags.Map()))
		}
	}
	want := []string{
		"n1(104.8000,26.6000)map[]", "n2(104.8001,26.6000)map[addr:housenumber:12]", "n3(104.8001,26.6001)map[]",
		"n4(104.8000,26.6001)map[]", "n5(104.8000,26.6002)map[]", "n6(104.8001,26.6002)map[]",
		"n7(104.8003,26.6003)map[addr:housenumber:12]",
		"w10[1 2]map[highway:footway name:钟山大道]", "w11[1 2 3 4 1]map[building:yes]", "w12[3 4 5]map[]", "w13[5 6 3]map[]",
		"r20[{way 12 outer 0 0 0 0 0 []} {way 13 outer 0 0 0 0 0 []}]map[building:yes type:multipolygon]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("objects:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestErrors checks malformed streams are errors that say where and what.
func TestErrors(t *testing.T) {
	blob := field(nil, 7, []byte{1, 2, 3}) // a zstd blob
	hdr := field(nil, 1, []byte("OSMData"))
	hdr = varintField(hdr, 3, uint64(len(blob)))
	zstd := append(append(binary.BigEndian.AppendUint32(nil, uint32(len(hdr))), hdr...), blob...)
	cases := []struct {
		name  string
		data  []byte
		fault string
	}{
		{"string index out of range", tinyPBF(99), "way 10: string index 99"},
		{"truncated", tinyPBF(2)[:80], "truncated"},
		{"not a pbf", []byte("<osm version='0.6'></osm>"), "64 KiB"},
		{"zstd blob", zstd, "zstd"},
		{"unknown required feature", appendBlock(nil, "OSMHeader", field(nil, 4, []byte("HistoricalInformation"))), `"HistoricalInformation"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := collect(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.fault) || !strings.Contains(err.Error(), "block at byte") {
				t.Errorf("Read = %v, want an error at a block with %q", err, tc.fault)
			}
		})
	}
}

// FuzzRead feeds arbitrary bytes to the decoder: errors are fine,
// panics are not.
func FuzzRead(f *testing.F) {
	f.Add(tinyPBF(2))
	f.Add(tinyPBF(99))
	f.Add(appendBlockAs(appendBlockAs(nil, "OSMHeader", tinyHeader(), true), "OSMData", tinyBlock(2), true))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = collect(b)
	})
}

// FuzzBlock feeds arbitrary bytes to the PrimitiveBlock decoder
// directly, past the compression the whole-file fuzzer rarely gets
// through.
func FuzzBlock(f *testing.F) {
	f.Add(tinyBlock(2))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = decodeBlock(b, func(osm.Object) error { return nil })
	})
}
