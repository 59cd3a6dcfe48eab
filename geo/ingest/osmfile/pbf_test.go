package osmfile

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/paulmach/orb"
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

// TestTinyPBF checks every kind of object the decoder meets, including
// the plain nodes paulmach/osm's decoder panics on.
func TestTinyPBF(t *testing.T) {
	x, err := ReadFrom(context.Background(), bytes.NewReader(tinyPBF(2)), "tiny.osm.pbf")
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Streets.Features) != 1 {
		t.Fatalf("%d streets, want 1", len(x.Streets.Features))
	}
	s := x.Streets.Features[0]
	if name, _ := x.Streets.Get(&s, "name"); name != "钟山大道" || !near(s.Geometry, orb.LineString{{104.8, 26.6}, {104.8001, 26.6}}) {
		t.Errorf("street = %v %q", s.Geometry, name)
	}
	var kinds []string
	for i := range x.Buildings.Features {
		f := &x.Buildings.Features[i]
		typ, _ := x.Buildings.Get(f, "osm_type")
		id, _ := x.Buildings.Get(f, "osm_id")
		kinds = append(kinds, typ+id+":"+string(f.Geometry.GeoJSONType()))
	}
	want := "node2:Point node7:Point way11:Polygon relation20:Polygon"
	if got := strings.Join(kinds, " "); got != want {
		t.Errorf("buildings = %s, want %s", got, want)
	}
}

// TestBadFiles checks malformed extracts fail with an ingest.Error naming
// the file and the fault, never a panic.
func TestBadFiles(t *testing.T) {
	pbf, _ := extracts(t)
	real, err := os.ReadFile(pbf)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, file string
		data       []byte
		fault      string
	}{
		{"string index out of range", "bad.osm.pbf", tinyPBF(99), "string index 99"},
		{"truncated pbf", "cut.osm.pbf", real[:1<<20], "truncated"},
		{"not a pbf", "text.osm.pbf", []byte("<osm version='0.6'></osm>"), "64 KiB"},
		{"empty xml", "empty.osm", []byte("<osm version='0.6'></osm>"), "no OpenStreetMap"},
		{"malformed xml", "bad.osm", []byte("<osm><node id='1' lat='26.6' lon='104.8'><tag k='a'"), "malformed OSM XML"},
		{"not bzip2", "bad.osm.bz2", []byte("<osm/>"), "bzip2"},
		{"unknown extension", "city.geojson", []byte("{}"), "not an OpenStreetMap extract"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadFrom(context.Background(), bytes.NewReader(tc.data), tc.file)
			var ie *ingest.Error
			if !errors.As(err, &ie) || ie.File != tc.file || !strings.Contains(ie.Reason, tc.fault) {
				t.Errorf("ReadFrom(%s) = %v, want an ingest.Error naming %s with %q", tc.file, err, tc.file, tc.fault)
			}
			t.Log(err)
		})
	}
}

// FuzzPBF feeds arbitrary bytes to the PBF decoder: errors are fine,
// panics are not.
func FuzzPBF(f *testing.F) {
	f.Add(tinyPBF(2))
	f.Add(tinyPBF(99))
	f.Add(appendBlockAs(appendBlockAs(nil, "OSMHeader", tinyHeader(), true), "OSMData", tinyBlock(2), true))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadFrom(context.Background(), bytes.NewReader(b), "f.osm.pbf")
	})
}

// FuzzPBFBlock feeds arbitrary bytes to the PrimitiveBlock decoder
// directly, past the compression the whole-file fuzzer rarely gets
// through.
func FuzzPBFBlock(f *testing.F) {
	f.Add(tinyBlock(2))
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = decodeBlock(b, func(osm.Object) error { return nil })
	})
}

// FuzzXML feeds arbitrary bytes to the XML path.
func FuzzXML(f *testing.F) {
	f.Add([]byte(`<osm><node id="1" lat="26.6" lon="104.8"><tag k="addr:housenumber" v="1"/></node>` +
		`<node id="2" lat="26.7" lon="104.8"/><node id="3" lat="26.7" lon="104.9"/>` +
		`<way id="5"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="1"/><tag k="building" v="yes"/></way>` +
		`<relation id="9"><member type="way" ref="5" role="outer"/><tag k="type" v="multipolygon"/></relation></osm>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ReadFrom(context.Background(), bytes.NewReader(b), "f.osm")
	})
}

func near(g orb.Geometry, want orb.LineString) bool {
	l, ok := g.(orb.LineString)
	if !ok || len(l) != len(want) {
		return false
	}
	for i := range l {
		if math.Abs(l[i][0]-want[i][0]) > 1e-12 || math.Abs(l[i][1]-want[i][1]) > 1e-12 {
			return false
		}
	}
	return true
}
