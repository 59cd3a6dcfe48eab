package server

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/tiles"
)

// mapStyle is the part of a MapLibre style the tests read.
type mapStyle struct {
	Version   int                                   `json:"version"`
	Sources   map[string]struct{ Type, URL string } `json:"sources"`
	FontFaces map[string][]struct{ URL string }     `json:"font-faces"`
	Layers    []struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		Source      string `json:"source"`
		SourceLayer string `json:"source-layer"`
		Layout      map[string]any
	} `json:"layers"`
}

// TestStyleDocument checks GET /styles/gridmap.json: a version 8 style
// whose every layer names a source it defines and a tile layer that
// exists, with absolute URLs on the request's Host (never on
// X-Forwarded-Host), fonts included.
func TestStyleDocument(t *testing.T) {
	s := newTestServer(t)
	r := do(t, s, http.MethodGet, "http://maps.example.org:8080/styles/gridmap.json", "", "", "X-Forwarded-Host", "evil.example")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET style = %d %s", r.status, r.header.Get("Content-Type"))
	}
	if strings.Contains(string(r.body), "evil.example") || strings.Contains(string(r.body), styleOrigin) {
		t.Error("the style names X-Forwarded-Host or the placeholder origin")
	}
	var st mapStyle
	decode(t, r.body, &st)
	src, ok := st.Sources["gridmap"]
	if st.Version != 8 || !ok || src.Type != "vector" || src.URL != "http://maps.example.org:8080/tiles.json" {
		t.Fatalf("style version %d, sources %+v: want 8 and gridmap at http://maps.example.org:8080/tiles.json", st.Version, st.Sources)
	}
	tileLayers := map[string]bool{}
	for _, l := range tiles.Layers() {
		tileLayers[l.ID] = true
	}
	ids := map[string]bool{}
	text := false
	for _, l := range st.Layers {
		if ids[l.ID] {
			t.Errorf("layer id %q twice", l.ID)
		}
		ids[l.ID] = true
		if l.Type == "background" {
			continue
		}
		if _, ok := st.Sources[l.Source]; !ok {
			t.Errorf("layer %s: source %q is not defined", l.ID, l.Source)
		}
		if !tileLayers[l.SourceLayer] {
			t.Errorf("layer %s: source-layer %q is not a tile layer", l.ID, l.SourceLayer)
		}
		text = text || l.Layout["text-field"] != nil
	}
	for _, want := range []string{"grid-fill", "district-line", "building", "label-grid"} {
		if !ids[want] {
			t.Errorf("the style lacks the web map's layer %s", want)
		}
	}
	faces := st.FontFaces["Noto Sans SC"]
	if text && (len(faces) == 0 || !strings.HasPrefix(faces[0].URL, "http://maps.example.org:8080/static/vendor/noto-sans-sc/files/")) {
		t.Errorf("text layers but font faces %v", faces)
	}
	for _, bad := range []string{"", "bad host", "evil.com/x?", strings.Repeat("a", 256)} {
		if o := hostOrigin(bad, false); o != "" {
			t.Errorf("hostOrigin(%q) = %q, want none (the route answers 400 naming Host)", bad, o)
		}
	}
}

// TestStyleMatchesWebMap regenerates the style from the page's own
// style.js with Node and compares it with the one the server embeds, so
// the route never drifts from the web map.
func TestStyleMatchesWebMap(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not on PATH: install Node.js 20 or later")
	}
	out, err := exec.Command(node, filepath.Join("..", "web", "tools", "style-json.mjs")).Output()
	if err != nil {
		t.Fatalf("node web/tools/style-json.mjs (npm ci first): %v %s", err, errStderr(err))
	}
	var fresh, embedded any
	if err := json.Unmarshal(out, &fresh); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(gridmapStyle, &embedded); err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(fresh)
	b, _ := json.Marshal(embedded)
	if string(a) != string(b) {
		t.Error("server/style_gridmap.json differs from web/static/js/style.js: run `node web/tools/style-json.mjs > server/style_gridmap.json`")
	}
}
