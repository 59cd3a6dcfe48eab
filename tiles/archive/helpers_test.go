package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
)

var skipNode = flag.Bool("skip-node", false, "skip the tests that read archives with npm pmtiles in Node")

// The fixture city's renderer, built once per test binary.
var fixtureRenderer struct {
	once sync.Once
	r    *tiles.Renderer
	err  error
}

// cityRenderer returns a renderer of fixtures.Generate(Seed 1, Scale 1)
// with default options.
func cityRenderer(t testing.TB) *tiles.Renderer {
	t.Helper()
	fixtureRenderer.once.Do(func() {
		c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
		if err != nil {
			fixtureRenderer.err = err
			return
		}
		snap, err := geo.NewSnapshot(c, 1)
		if err != nil {
			fixtureRenderer.err = err
			return
		}
		fixtureRenderer.r, fixtureRenderer.err = tiles.NewRenderer(snap, tiles.Options{})
	})
	if fixtureRenderer.err != nil {
		t.Fatalf("building the fixture city's renderer: %v", fixtureRenderer.err)
	}
	return fixtureRenderer.r
}

// pmCheck is what pmcheck/check.mjs prints.
type pmCheck struct {
	Header struct {
		SpecVersion         int     `json:"specVersion"`
		NumAddressedTiles   int     `json:"numAddressedTiles"`
		NumTileEntries      int     `json:"numTileEntries"`
		NumTileContents     int     `json:"numTileContents"`
		LeafDirectoryLength int     `json:"leafDirectoryLength"`
		Clustered           bool    `json:"clustered"`
		TileCompression     int     `json:"tileCompression"`
		TileType            int     `json:"tileType"`
		MinZoom             int     `json:"minZoom"`
		MaxZoom             int     `json:"maxZoom"`
		MinLon              float64 `json:"minLon"`
		MaxLat              float64 `json:"maxLat"`
		CenterZoom          int     `json:"centerZoom"`
	} `json:"header"`
	Metadata struct {
		Name         string              `json:"name"`
		Format       string              `json:"format"`
		VectorLayers []tiles.VectorLayer `json:"vector_layers"`
	} `json:"metadata"`
	IDs   map[string]uint64  `json:"ids"`
	Tiles map[string]*string `json:"tiles"`
}

// readPMTiles reads the archive at file with npm pmtiles in Node, asking
// for the tiles at keys.
func readPMTiles(t *testing.T, file string, keys []tiles.Key) pmCheck {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH: install Node.js 20 or later (apt-get install nodejs), or run with -skip-node")
	}
	if _, err := os.Stat(filepath.Join("..", "..", "node_modules", "pmtiles", "package.json")); err != nil {
		t.Fatalf("npm pmtiles is missing: run `npm ci` in the repository root (%v), or run with -skip-node", err)
	}
	list := make([][3]uint32, len(keys))
	for i, k := range keys {
		list[i] = [3]uint32{k.Z, k.X, k.Y}
	}
	keysFile := filepath.Join(t.TempDir(), "keys.json")
	b, _ := json.Marshal(list)
	if err := os.WriteFile(keysFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, filepath.Join("pmcheck", "check.mjs"), file, keysFile).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node pmcheck/check.mjs %s: %v\n%s", file, err, stderr)
	}
	var got pmCheck
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("reading check.mjs output: %v", err)
	}
	return got
}

// sha returns the hex SHA-256 of b.
func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
