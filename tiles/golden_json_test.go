package tiles

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/paulmach/orb/geojson"
)

type goldenFeature struct {
	ID         any               `json:"id"`
	Properties map[string]any    `json:"properties"`
	Geometry   *geojson.Geometry `json:"geometry"`
}

// tileJSONDump decodes a tile with orb and writes it as JSON in tile
// coordinates: layers in tile order, one feature per line, so that a diff
// of two versions shows which features changed.
func tileJSONDump(t testing.TB, k Key, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("[\n")
	layers := decode(t, k, data)
	for i, l := range layers {
		head, err := json.Marshal(map[string]any{"name": l.Name, "version": l.Version, "extent": l.Extent})
		if err != nil {
			t.Fatalf("tile %s: encoding JSON: %v", k, err)
		}
		b.WriteString(" {\"layer\": ")
		b.Write(head)
		b.WriteString(", \"features\": [\n")
		for j, f := range l.Features {
			line, err := json.Marshal(goldenFeature{ID: f.ID, Properties: f.Properties, Geometry: geojson.NewGeometry(f.Geometry)})
			if err != nil {
				t.Fatalf("tile %s: encoding JSON: %v", k, err)
			}
			b.WriteString("  ")
			b.Write(line)
			if j+1 < len(l.Features) {
				b.WriteByte(',')
			}
			b.WriteByte('\n')
		}
		b.WriteString(" ]}")
		if i+1 < len(layers) {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	return b.Bytes()
}
