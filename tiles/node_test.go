package tiles

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
)

var skipNode = flag.Bool("skip-node", false, "skip TestNodeDecoder (needs node and the repo's node_modules)")

// nodeFeature is one feature as tiles/decodecheck/check.mjs prints it.
type nodeFeature struct {
	ID         uint64         `json:"id"`
	Type       int            `json:"type"`
	Properties map[string]any `json:"properties"`
	Rings      [][][2]float64 `json:"rings"`
	Areas      []float64      `json:"areas"`
	Polygons   int            `json:"polygons"`
}

type nodeLayer struct {
	Name     string        `json:"name"`
	Version  int           `json:"version"`
	Extent   int           `json:"extent"`
	Features []nodeFeature `json:"features"`
}

// runNodeDecoder decodes tile files with @mapbox/vector-tile in Node.
func runNodeDecoder(t *testing.T, files []string) map[string][]nodeLayer {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH: install Node.js 20 or later (apt-get install nodejs), or run with -skip-node")
	}
	if _, err := os.Stat(filepath.Join("..", "node_modules", "@mapbox", "vector-tile", "package.json")); err != nil {
		t.Fatalf("@mapbox/vector-tile is missing: run `npm ci` in the repository root (%v), or run with -skip-node", err)
	}
	cmd := exec.Command(node, append([]string{filepath.Join("decodecheck", "check.mjs")}, files...)...)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("node decodecheck/check.mjs: %v\n%s", err, stderr)
	}
	var got map[string][]nodeLayer
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("reading check.mjs output: %v", err)
	}
	return got
}

// TestNodeDecoder decodes sample tiles with @mapbox/vector-tile in Node and
// checks them against the source data and orb's decoder: the same layers
// in order, the same features with the same ids, properties equal to the
// source data's, geometry identical to orb's, exterior rings positive and
// holes negative, polygons grouped as orb groups them.
func TestNodeDecoder(t *testing.T) {
	if *skipNode {
		t.Skip("-skip-node")
	}
	cases := []struct {
		name string
		r    *Renderer
		keys []Key
	}{
		{"reference city", cityRenderer(t), goldenKeys(t, citySnapshot(t))},
		{"test city with hole and multipolygon", newTestRenderer(t, 1), []Key{{13, 6481, 3467}, {14, 12962, 6936}, {16, 51849, 27745}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var files []string
			tiles := map[string][]byte{}
			for _, k := range c.keys {
				data, err := c.r.Render(k)
				if err != nil || len(data) == 0 {
					t.Fatalf("Render(%v) = %d bytes, %v; want a tile with features", k, len(data), err)
				}
				f := filepath.Join(dir, fmt.Sprintf("%d-%d-%d.mvt", k.Z, k.X, k.Y))
				if err := os.WriteFile(f, data, 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, f)
				tiles[f] = data
			}
			got := runNodeDecoder(t, files)
			want := expectedProps(c.r.snap)
			for _, f := range files {
				compareNode(t, filepath.Base(f), got[f], decode(t, Key{}, tiles[f]), want)
			}
		})
	}
}

// compareNode compares one tile decoded by Node with orb's decoding and
// the source data.
func compareNode(t *testing.T, name string, node []nodeLayer, orbLayers mvt.Layers, want map[string]map[uint64]map[string]any) {
	t.Helper()
	if len(node) != len(orbLayers) {
		t.Fatalf("%s: node decodes %d layers, orb %d", name, len(node), len(orbLayers))
	}
	features := 0
	for i, nl := range node {
		ol := orbLayers[i]
		if nl.Name != ol.Name || nl.Version != 2 || nl.Extent != Extent || len(nl.Features) != len(ol.Features) {
			t.Fatalf("%s layer %d: node %s v%d extent %d with %d features, orb %s with %d",
				name, i, nl.Name, nl.Version, nl.Extent, len(nl.Features), ol.Name, len(ol.Features))
		}
		for j, nf := range nl.Features {
			of := ol.Features[j]
			where := fmt.Sprintf("%s %s feature %d", name, nl.Name, nf.ID)
			if float64(nf.ID) != of.ID {
				t.Errorf("%s: node id %d, orb id %v", where, nf.ID, of.ID)
			}
			src, ok := want[nl.Name][nf.ID]
			if !ok {
				t.Errorf("%s: no such %s in the source data", where, nl.Name)
				continue
			}
			if msg := propsMismatch(nf.Properties, src); msg != "" {
				t.Errorf("%s: %s", where, msg)
			}
			compareGeometry(t, where, nf, of.Geometry)
			features++
		}
	}
	if features == 0 {
		t.Errorf("%s: no features", name)
	}
}

// compareGeometry checks node's parts against orb's decoding and the
// winding of polygon rings.
func compareGeometry(t *testing.T, where string, nf nodeFeature, g orb.Geometry) {
	t.Helper()
	var parts [][]orb.Point
	switch g := g.(type) {
	case orb.Point:
		parts = [][]orb.Point{{g}}
	case orb.LineString:
		parts = [][]orb.Point{g}
	case orb.MultiLineString:
		for _, l := range g {
			parts = append(parts, l)
		}
	case orb.Polygon: // both decoders close rings
		for _, r := range g {
			parts = append(parts, r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				parts = append(parts, r)
			}
		}
		if nf.Polygons != len(g) {
			t.Errorf("%s: node finds %d polygons, orb %d", where, nf.Polygons, len(g))
		}
	}
	if len(parts) != len(nf.Rings) {
		t.Fatalf("%s: node decodes %d parts, orb %d", where, len(nf.Rings), len(parts))
	}
	for i, ring := range nf.Rings {
		if len(ring) != len(parts[i]) {
			t.Fatalf("%s part %d: node has %d points, orb %d", where, i, len(ring), len(parts[i]))
		}
		for j, p := range ring {
			if orb.Point(p) != parts[i][j] {
				t.Fatalf("%s part %d point %d: node %v, orb %v", where, i, j, p, parts[i][j])
			}
		}
	}
	if nf.Type != 3 {
		return
	}
	positive := 0
	for i, a := range nf.Areas {
		if a > 0 {
			positive++
		}
		if (i == 0 && a <= 0) || a == 0 {
			t.Errorf("%s ring %d: area %g, want the first ring positive and none zero (2.1 winding)", where, i, a)
		}
	}
	if positive != nf.Polygons {
		t.Errorf("%s: %d exterior (positive) rings but node groups %d polygons", where, positive, nf.Polygons)
	}
}
