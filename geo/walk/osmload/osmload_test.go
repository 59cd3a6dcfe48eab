package osmload

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/geo/walk"
	"github.com/paulmach/osm"
	"google.golang.org/protobuf/encoding/protowire"
)

func TestLoadTinyXML(t *testing.T) {
	ways, st, err := Load(context.Background(), "testdata/tiny.osm")
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var ids []int64
	for _, w := range ways {
		ids = append(ids, w.ID)
	}
	if want := []int64{100, 101, 102, 103}; !slices.Equal(ids, want) {
		t.Errorf("walkable ways = %v, want %v", ids, want)
	}
	want := Stats{Nodes: 13, Ways: 11, Walkable: 4, MissingNodes: 1, ShortWays: 1}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	if ways[0].Name != "人民中路" || ways[0].Class != "residential" {
		t.Errorf("way 100 = %q %q, want 人民中路 residential", ways[0].Name, ways[0].Class)
	}
	g, err := walk.BuildGraph(ways)
	if err != nil {
		t.Fatalf("BuildGraph: %v", err)
	}
	gs := g.Stats()
	if gs.Nodes != 8 || gs.Edges != 6 || gs.Components != 2 {
		t.Errorf("graph = %d nodes, %d edges, %d components; want 8, 6, 2", gs.Nodes, gs.Edges, gs.Components)
	}
	// The footway 4-2-5-6 is split at the crossing (node 2): 100 m + 200 m.
	var lengths []float64
	for e := 0; e < g.NumEdges(); e++ {
		if id, _, _ := g.EdgeWay(e); id == 101 {
			lengths = append(lengths, math.Round(g.Edge(e).LengthMeters))
		}
	}
	if want := []float64{100, 200}; !slices.Equal(lengths, want) {
		t.Errorf("footway edges = %v m, want %v", lengths, want)
	}
}

func TestWalkable(t *testing.T) {
	cases := []struct {
		name string
		tags map[string]string
		want bool
	}{
		{"footway", map[string]string{"highway": "footway"}, true},
		{"trunk", map[string]string{"highway": "trunk"}, true},
		{"motorway", map[string]string{"highway": "motorway"}, false},
		{"motorway with foot=yes is still a motorway", map[string]string{"highway": "motorway", "foot": "yes"}, false},
		{"foot=no", map[string]string{"highway": "residential", "foot": "no"}, false},
		{"access=private", map[string]string{"highway": "service", "access": "private"}, false},
		{"access=private, foot=yes", map[string]string{"highway": "service", "access": "private", "foot": "yes"}, true},
		{"cycleway", map[string]string{"highway": "cycleway"}, false},
		{"cycleway, foot=designated", map[string]string{"highway": "cycleway", "foot": "designated"}, true},
		{"pedestrian area", map[string]string{"highway": "pedestrian", "area": "yes"}, false},
		{"no highway", map[string]string{"building": "yes"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Walkable(tagsOf(c.tags)); got != c.want {
				t.Errorf("Walkable(%v) = %v, want %v", c.tags, got, c.want)
			}
		})
	}
}

func tagsOf(m map[string]string) osm.Tags {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out osm.Tags
	for _, k := range keys {
		out = append(out, osm.Tag{Key: k, Value: m[k]})
	}
	return out
}

func TestPBFMatchesXML(t *testing.T) {
	f, err := os.Open("testdata/tiny.osm")
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer f.Close()
	ctx := context.Background()
	xmlWays, xmlStats, err := Read(ctx, f, XML)
	if err != nil {
		t.Fatalf("Read XML: %v", err)
	}
	pbf := encodeTinyPBF(t)
	path := filepath.Join(t.TempDir(), "tiny.osm.pbf")
	if err := os.WriteFile(path, pbf, 0o644); err != nil {
		t.Fatalf("write: %v", err)
	}
	pbfWays, pbfStats, err := Load(ctx, path)
	if err != nil {
		t.Fatalf("Load PBF: %v", err)
	}
	if pbfStats != xmlStats || !sameWays(pbfWays, xmlWays) {
		t.Errorf("PBF gives %+v %v,\nXML gives %+v %v", pbfStats, pbfWays, xmlStats, xmlWays)
	}
}

// sameWays compares ways, coordinates to 1e-9 degrees (PBF stores them as
// integers of 1e-9 degrees times the granularity).
func sameWays(a, b []walk.Way) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.ID != y.ID || x.Name != y.Name || x.Class != y.Class || len(x.Line) != len(y.Line) {
			return false
		}
		for k := range x.Line {
			if math.Abs(x.Line[k][0]-y.Line[k][0]) > 1e-9 || math.Abs(x.Line[k][1]-y.Line[k][1]) > 1e-9 {
				return false
			}
		}
	}
	return true
}

func TestLoadErrors(t *testing.T) {
	ctx := context.Background()
	if _, _, err := Load(ctx, "testdata/tiny.geojson"); err == nil {
		t.Errorf("Load(.geojson): no error")
	}
	if _, _, err := Load(ctx, filepath.Join(t.TempDir(), "missing.osm")); err == nil {
		t.Errorf("Load(missing): no error")
	}
	if _, _, err := Read(ctx, strings.NewReader("<osm><way id='1'><nd ref="), XML); err == nil {
		t.Errorf("Read(truncated XML): no error")
	}
	if _, _, err := Read(ctx, strings.NewReader("not a pbf at all"), PBF); err == nil {
		t.Errorf("Read(garbage PBF): no error")
	}
	if _, _, err := LoadGraph(ctx, "testdata/empty.osm"); err == nil {
		t.Errorf("LoadGraph(no walkable way): no error")
	}
}

func FuzzReadXML(f *testing.F) {
	seed, err := os.ReadFile("testdata/tiny.osm")
	if err != nil {
		f.Fatalf("read: %v", err)
	}
	f.Add(seed)
	f.Add([]byte("<osm></osm>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ways, _, err := Read(context.Background(), bytes.NewReader(data), XML)
		if err == nil && len(ways) > 0 {
			_, _ = walk.BuildGraph(ways)
		}
	})
}

// encodeTinyPBF writes testdata/tiny.osm's nodes and ways as an .osm.pbf:
// an OSMHeader blob and one zlib-compressed OSMData blob with dense nodes.
func encodeTinyPBF(t *testing.T) []byte {
	t.Helper()
	o := &osm.OSM{}
	data, err := os.ReadFile("testdata/tiny.osm")
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if err := xmlUnmarshal(data, o); err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	strs := []string{""}
	idx := map[string]uint64{"": 0}
	str := func(s string) uint64 {
		if i, ok := idx[s]; ok {
			return i
		}
		idx[s] = uint64(len(strs))
		strs = append(strs, s)
		return idx[s]
	}
	var dense, ways []byte
	var ids, lats, lons, kv []byte
	var pid, plat, plon int64
	for _, n := range o.Nodes {
		lat, lon := int64(math.Round(n.Lat*1e7)), int64(math.Round(n.Lon*1e7))
		ids = protowire.AppendVarint(ids, protowire.EncodeZigZag(int64(n.ID)-pid))
		lats = protowire.AppendVarint(lats, protowire.EncodeZigZag(lat-plat))
		lons = protowire.AppendVarint(lons, protowire.EncodeZigZag(lon-plon))
		kv = protowire.AppendVarint(kv, 0)
		pid, plat, plon = int64(n.ID), lat, lon
	}
	dense = appendBytes(dense, 1, ids)
	dense = appendBytes(dense, 8, lats)
	dense = appendBytes(dense, 9, lons)
	dense = appendBytes(dense, 10, kv)
	for _, w := range o.Ways {
		var way, keys, vals, refs []byte
		way = protowire.AppendTag(way, 1, protowire.VarintType)
		way = protowire.AppendVarint(way, uint64(w.ID))
		for _, tg := range w.Tags {
			keys = protowire.AppendVarint(keys, str(tg.Key))
			vals = protowire.AppendVarint(vals, str(tg.Value))
		}
		var prev int64
		for _, nd := range w.Nodes {
			refs = protowire.AppendVarint(refs, protowire.EncodeZigZag(int64(nd.ID)-prev))
			prev = int64(nd.ID)
		}
		way = appendBytes(way, 2, keys)
		way = appendBytes(way, 3, vals)
		way = appendBytes(way, 8, refs)
		ways = appendBytes(ways, 3, way)
	}
	var table []byte
	for _, s := range strs {
		table = appendBytes(table, 1, []byte(s))
	}
	var group []byte
	group = appendBytes(group, 2, dense)
	var block []byte
	block = appendBytes(block, 1, table)
	block = appendBytes(block, 2, group)
	block = appendBytes(block, 2, ways)
	var header []byte
	header = appendBytes(header, 4, []byte("OsmSchema-V0.6"))
	header = appendBytes(header, 4, []byte("DenseNodes"))
	var out []byte
	out = appendBlob(t, out, "OSMHeader", header)
	out = appendBlob(t, out, "OSMData", block)
	return out
}

func appendBytes(b []byte, field protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, field, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func appendBlob(t *testing.T, out []byte, kind string, raw []byte) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	if _, err := zw.Write(raw); err != nil {
		t.Fatalf("zlib: %v", err)
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("zlib: %v", err)
	}
	var blob []byte
	blob = protowire.AppendTag(blob, 2, protowire.VarintType)
	blob = protowire.AppendVarint(blob, uint64(len(raw)))
	blob = appendBytes(blob, 3, z.Bytes())
	var hdr []byte
	hdr = appendBytes(hdr, 1, []byte(kind))
	hdr = protowire.AppendTag(hdr, 3, protowire.VarintType)
	hdr = protowire.AppendVarint(hdr, uint64(len(blob)))
	out = binary.BigEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	return append(out, blob...)
}
