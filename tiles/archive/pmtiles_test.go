package archive

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/tiles"
	"github.com/paulmach/orb"
)

// writePM renders r's tiles for o into a PMTiles file and returns its
// path and the set.
func writePM(t *testing.T, r *tiles.Renderer, o Options) (string, *Set) {
	t.Helper()
	set, err := Render(context.Background(), r, o)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	doc, err := r.TileJSON("http://x/{z}/{x}/{y}")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := WritePMTiles(&buf, set, NewMetadata(doc, set)); err != nil {
		t.Fatalf("WritePMTiles: %v", err)
	}
	path := filepath.Join(t.TempDir(), "city.pmtiles")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, set
}

// TestPMTilesReadByNode writes the fixture city's z8-z14 tiles (gzip and
// uncompressed) and reads every tile of the box back with npm pmtiles:
// each is byte-identical (after the reader's decompression) to what the
// renderer serves, empty tiles are absent, tile ids agree with the
// reader's, and the header and metadata say what was written.
func TestPMTilesReadByNode(t *testing.T) {
	if *skipNode {
		t.Skip("-skip-node")
	}
	r := cityRenderer(t)
	for _, comp := range []Compression{Gzip, None} {
		t.Run(fmt.Sprint("compression ", comp), func(t *testing.T) {
			path, set := writePM(t, r, Options{MinZoom: 8, MaxZoom: 14, Compression: comp})
			var keys []tiles.Key
			for k := range tiles.KeysIn(set.Bound, 8, 14) {
				keys = append(keys, k)
			}
			got := readPMTiles(t, path, keys)
			checkPMHeader(t, got, set, comp)
			nonEmpty := 0
			for _, k := range keys {
				want, err := r.RenderTile(k)
				if err != nil {
					t.Fatal(err)
				}
				h := got.Tiles[k.String()]
				switch {
				case want.Empty && h != nil:
					t.Errorf("tile %s: reader found a tile, want none (empty)", k)
				case !want.Empty && h == nil:
					t.Errorf("tile %s: reader found none, want %d bytes", k, len(want.Data))
				case !want.Empty && *h != sha(want.Data):
					t.Errorf("tile %s: reader's bytes differ from the renderer's", k)
				}
				if !want.Empty {
					nonEmpty++
				}
				if id := got.IDs[k.String()]; id != TileID(uint8(k.Z), k.X, k.Y) {
					t.Errorf("TileID(%s) = %d, pmtiles says %d", k, TileID(uint8(k.Z), k.X, k.Y), id)
				}
			}
			if nonEmpty != len(set.Tiles) || nonEmpty == 0 {
				t.Errorf("set holds %d tiles, the box %d non-empty ones", len(set.Tiles), nonEmpty)
			}
		})
	}
}

// checkPMHeader compares the reader's header and metadata with the set.
func checkPMHeader(t *testing.T, got pmCheck, set *Set, comp Compression) {
	t.Helper()
	h := got.Header
	if h.SpecVersion != 3 || h.TileType != 1 || h.TileCompression != int(comp) || !h.Clustered {
		t.Errorf("header: spec %d, type %d, compression %d, clustered %v; want 3, 1 (mvt), %d, true",
			h.SpecVersion, h.TileType, h.TileCompression, h.Clustered, comp)
	}
	if h.MinZoom != int(set.MinZoom) || h.MaxZoom != int(set.MaxZoom) {
		t.Errorf("header zooms %d-%d, want %d-%d", h.MinZoom, h.MaxZoom, set.MinZoom, set.MaxZoom)
	}
	if h.NumAddressedTiles != len(set.Tiles) || h.NumTileContents != len(set.Contents) {
		t.Errorf("header: %d addressed tiles, %d contents; want %d, %d", h.NumAddressedTiles, h.NumTileContents, len(set.Tiles), len(set.Contents))
	}
	if d := h.MinLon - set.Bound.Min[0]; d > 1e-7 || d < -1e-7 {
		t.Errorf("header minLon %v, want %v", h.MinLon, set.Bound.Min[0])
	}
	ids := map[string]bool{}
	for _, l := range got.Metadata.VectorLayers {
		ids[l.ID] = true
	}
	for _, want := range []string{"districts", "subdistricts", "communities", "grids", "buildings", "stations", "streets", "labels"} {
		if !ids[want] {
			t.Errorf("metadata vector_layers lacks %q (has %v)", want, got.Metadata.VectorLayers)
		}
	}
	if got.Metadata.Format != "pbf" || got.Metadata.Name == "" {
		t.Errorf("metadata name %q format %q, want a name and pbf", got.Metadata.Name, got.Metadata.Format)
	}
}

// TestPMTilesLeavesAndRuns writes a synthetic set too big for a root
// directory alone (so leaf directories are used), with runs of identical
// tiles and shared contents, and reads a sample back with npm pmtiles.
func TestPMTilesLeavesAndRuns(t *testing.T) {
	if *skipNode {
		t.Skip("-skip-node")
	}
	set := &Set{Compression: None, MinZoom: 15, MaxZoom: 15, Bound: orb.Bound{Min: orb.Point{104, 26}, Max: orb.Point{105, 27}}}
	rnd := rand.New(rand.NewPCG(1, 2)) // varied lengths, so the directory does not compress away
	var keys []tiles.Key
	want := map[tiles.Key]string{}
	for y := uint32(0); y < 300; y++ {
		for x := uint32(0); x < 300; x++ {
			k := tiles.Key{Z: 15, X: 26000 + x, Y: 13000 + y}
			content := fmt.Sprintf("tile %d %d %s", x, y, strings.Repeat("x", rnd.IntN(300)))
			if x%7 == 0 {
				content = "shared" // identical content: dedup, and runs where ids are consecutive
			}
			set.Tiles = append(set.Tiles, Entry{Key: k, Content: int32(len(set.Contents))})
			set.Contents = append(set.Contents, []byte(content))
			want[k] = sha([]byte(content))
			if (x*31+y*17)%97 == 0 {
				keys = append(keys, k)
			}
		}
	}
	keys = append(keys, tiles.Key{Z: 15, X: 25999, Y: 13000}, tiles.Key{Z: 14, X: 13000, Y: 6500})
	var buf bytes.Buffer
	if _, err := WritePMTiles(&buf, set, Metadata{Name: "synthetic", MinZoom: 15, MaxZoom: 15}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "leaves.pmtiles")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readPMTiles(t, path, keys)
	if got.Header.LeafDirectoryLength == 0 {
		t.Errorf("no leaf directories for %d tiles", len(set.Tiles))
	}
	if got.Header.NumAddressedTiles != len(set.Tiles) {
		t.Errorf("%d addressed tiles, want %d", got.Header.NumAddressedTiles, len(set.Tiles))
	}
	for _, k := range keys {
		h, ok := got.Tiles[k.String()], want[k] != ""
		switch {
		case !ok && h != nil:
			t.Errorf("tile %s: reader found a tile, want none", k)
		case ok && (h == nil || *h != want[k]):
			t.Errorf("tile %s: reader's bytes differ from what was written", k)
		}
	}
}

// TestTileID checks the Hilbert tile ids against the PMTiles spec's
// examples.
func TestTileID(t *testing.T) {
	cases := []struct {
		z    uint8
		x, y uint32
		want uint64
	}{
		{0, 0, 0, 0}, {1, 0, 0, 1}, {1, 0, 1, 2}, {1, 1, 1, 3}, {1, 1, 0, 4}, {2, 0, 0, 5},
		{3, 7, 7, 63}, {12, 3423, 1763, 19078479},
	}
	for _, c := range cases {
		if got := TileID(c.z, c.x, c.y); got != c.want {
			t.Errorf("TileID(%d, %d, %d) = %d, want %d", c.z, c.x, c.y, got, c.want)
		}
	}
}
