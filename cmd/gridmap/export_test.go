package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportTiles writes both archive formats from a new store and checks
// the files' signatures, and that bad flags fail naming the flag.
func TestExportTiles(t *testing.T) {
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	for _, c := range []struct{ format, magic string }{{"pmtiles", "PMTiles\x03"}, {"mbtiles", "SQLite format 3\x00"}} {
		out := filepath.Join(dir, "city."+c.format)
		msg, err := run(t, context.Background(), "export", "tiles", "--store", store, "--format", c.format, "--out", out,
			"--minzoom", "10", "--maxzoom", "12", "--version", "0")
		if err != nil {
			t.Fatalf("export %s: %v", c.format, err)
		}
		b, err := os.ReadFile(out)
		if err != nil || !bytes.HasPrefix(b, []byte(c.magic)) || !strings.Contains(msg, "version 0, zooms 10-12") {
			t.Errorf("export %s wrote %d bytes (%v), said %q", c.format, len(b), err, msg)
		}
	}
	for _, c := range []struct {
		args []string
		flag string
	}{
		{[]string{"--format", "geojson"}, "--format"},
		{[]string{"--minzoom", "9", "--maxzoom", "3"}, "--minzoom"},
		{[]string{"--maxzoom", "23"}, "--maxzoom"},
		{[]string{"--bbox", "1,2"}, "--bbox"},
		{[]string{"--version", "9"}, "version 9"},
	} {
		args := append([]string{"export", "tiles", "--store", store, "--out", filepath.Join(dir, "x.pmtiles")}, c.args...)
		if _, err := run(t, context.Background(), args...); err == nil || !strings.Contains(err.Error(), c.flag) {
			t.Errorf("export %v: error %v, want one naming %s", c.args, err, c.flag)
		}
	}
}
