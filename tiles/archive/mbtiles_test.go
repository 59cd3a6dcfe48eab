package archive

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/tiles"
	"github.com/klauspost/compress/gzip"
)

// writeMB renders r's tiles for o into an MBTiles file.
func writeMB(t *testing.T, r *tiles.Renderer, o Options) (string, *Set) {
	t.Helper()
	set, err := Render(context.Background(), r, o)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	doc, err := r.TileJSON("http://x/{z}/{x}/{y}")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "city.mbtiles")
	if err := WriteMBTiles(context.Background(), path, set, NewMetadata(doc, set)); err != nil {
		t.Fatalf("WriteMBTiles: %v", err)
	}
	return path, set
}

// TestMBTilesRows reads the MBTiles database back with SQLite: the
// metadata rows MBTiles 1.3 asks for, and every tile's row (TMS y)
// holding the renderer's tile, gzip-compressed.
func TestMBTilesRows(t *testing.T) {
	r := cityRenderer(t)
	path, set := writeMB(t, r, Options{MinZoom: 8, MaxZoom: 13})
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	md := map[string]string{}
	rows, err := db.Query("SELECT name, value FROM metadata")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n, v string
		if err := rows.Scan(&n, &v); err != nil {
			t.Fatal(err)
		}
		md[n] = v
	}
	rows.Close()
	for _, k := range []string{"name", "format", "bounds", "center", "minzoom", "maxzoom", "json"} {
		if md[k] == "" {
			t.Errorf("metadata lacks %q", k)
		}
	}
	if md["format"] != "pbf" || md["minzoom"] != "8" || md["maxzoom"] != "13" || !strings.Contains(md["json"], `"vector_layers":[{"id":"districts"`) {
		t.Errorf("metadata %v: want format pbf, zooms 8-13, json with vector_layers", md)
	}
	n := 0
	for _, e := range set.Tiles {
		k := e.Key
		var blob []byte
		if err := db.QueryRow("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
			k.Z, k.X, (1<<k.Z)-1-k.Y).Scan(&blob); err != nil {
			t.Fatalf("tile %s: %v", k, err)
		}
		want, _ := r.RenderTile(k)
		if got := gunzip(t, blob); !bytes.Equal(got, want.Data) {
			t.Errorf("tile %s: row holds %d bytes after gunzip, renderer %d", k, len(got), len(want.Data))
		}
		n++
	}
	var count int
	if err := db.QueryRow("SELECT count(*) FROM tiles").Scan(&count); err != nil || count != n || n == 0 {
		t.Errorf("tiles table holds %d rows (%v), want %d", count, err, n)
	}
}

// gunzip decompresses b.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("tile is not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("tile is not gzip: %v", err)
	}
	return out
}

// TestMBTilesGDAL opens the database with GDAL's MBTiles driver (ogrinfo,
// Debian gdal-bin): it sees a vector MBTiles with every layer, reads the
// zooms and bounds from the metadata, and decodes the grids of one zoom.
func TestMBTilesGDAL(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Fatalf("ogrinfo is not on PATH: install GDAL (apt-get install gdal-bin)")
	}
	r := cityRenderer(t)
	path, _ := writeMB(t, r, Options{MinZoom: 8, MaxZoom: 12})
	out, err := exec.Command(ogrinfo, "-ro", "-so", "-oo", "ZOOM_LEVEL=12", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo %s: %v\n%s", path, err, out)
	}
	text := string(out)
	if !strings.Contains(text, "using driver `MBTiles'") {
		t.Errorf("ogrinfo did not open it with the MBTiles driver:\n%s", text)
	}
	for _, layer := range []string{"districts", "subdistricts", "communities", "grids", "buildings", "stations", "streets", "labels"} {
		if !regexp.MustCompile(`(?m)^(\d+: |Layer name: )` + layer + `\b`).MatchString(text) {
			t.Errorf("ogrinfo lists no layer %q:\n%s", layer, text)
		}
	}
	out, err = exec.Command(ogrinfo, "-ro", "-so", "-oo", "ZOOM_LEVEL=12", path, "grids").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo grids: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`Feature Count: (\d+)`).FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("ogrinfo grids: no feature count:\n%s", out)
	}
	if n, _ := strconv.Atoi(m[1]); n < len(r.Snapshot().City.Grids) {
		t.Errorf("GDAL reads %d grid features at zoom 12, want at least the city's %d grids", n, len(r.Snapshot().City.Grids))
	}
}
