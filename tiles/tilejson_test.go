package tiles

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestTileJSON(t *testing.T) {
	r := cityRenderer(t)
	doc, err := r.TileJSON("http://localhost:8080/tiles/{z}/{x}/{y}.mvt")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"tilejson", "tiles", "bounds", "center", "minzoom", "maxzoom", "vector_layers", "name", "attribution"} {
		if _, ok := got[key]; !ok {
			t.Errorf("TileJSON lacks %q", key)
		}
	}
	if doc.TileJSON != "3.0.0" || doc.MaxZoom != 16 || doc.MinZoom != 0 || doc.Scheme != "xyz" {
		t.Errorf("tilejson %s minzoom %d maxzoom %d scheme %s, want 3.0.0, 0, 16, xyz", doc.TileJSON, doc.MinZoom, doc.MaxZoom, doc.Scheme)
	}
	b := doc.Bounds
	if !(b[0] > 104 && b[2] < 106 && b[1] > 25 && b[3] < 27 && b[0] < b[2] && b[1] < b[3]) {
		t.Errorf("bounds %v, want a box around Liupanshui", b)
	}
	c := doc.Center
	if c[0] < b[0] || c[0] > b[2] || c[1] < b[1] || c[1] > b[3] || c[2] != 11 {
		t.Errorf("center %v, want inside %v at zoom 11", c, b)
	}
	if lg, ok := r.snap.Locate([2]float64{c[0], c[1]}); ok && lg.Code.Community().Parent().Parent() != 520201000000 {
		t.Errorf("center %v lies in grid %s, want 钟山区 (the first district)", c, lg.Code)
	}
	infos := Layers()
	if len(doc.VectorLayers) != len(infos) {
		t.Fatalf("%d vector_layers, want %d", len(doc.VectorLayers), len(infos))
	}
	for i, vl := range doc.VectorLayers {
		if vl.ID != infos[i].ID || vl.MinZoom != infos[i].MinZoom || vl.MaxZoom != 16 || len(vl.Fields) != len(infos[i].Fields) {
			t.Errorf("vector_layers[%d] = %s z%d-%d with %d fields, want %s z%d-16 with %d", i, vl.ID, vl.MinZoom, vl.MaxZoom, len(vl.Fields), infos[i].ID, infos[i].MinZoom, len(infos[i].Fields))
		}
		for name, desc := range vl.Fields {
			if desc == "" {
				t.Errorf("vector_layers[%s].fields[%s] is empty", vl.ID, name)
			}
		}
	}
}

func TestTileJSONBadURL(t *testing.T) {
	r := newTestRenderer(t, 1)
	cases := []struct {
		name string
		urls []string
	}{
		{"none", nil},
		{"no y", []string{"http://x/tiles/{z}/{x}.mvt"}},
		{"second bad", []string{"http://x/{z}/{x}/{y}.mvt", "http://x/{z}/{y}"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := r.TileJSON(c.urls...); !errors.Is(err, ErrBadTilesURL) {
				t.Errorf("TileJSON(%q) error %v, want ErrBadTilesURL", c.urls, err)
			}
		})
	}
}
