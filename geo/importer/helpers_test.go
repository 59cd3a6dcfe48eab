package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
)

// fixtureDir writes the fixture city in cityio's format and returns the
// directory and the city.
func fixtureDir(t testing.TB) (string, *geo.City) {
	t.Helper()
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := cityio.Write(dir, c); err != nil {
		t.Fatal(err)
	}
	return dir, c
}

// divisions returns the fixture city's known divisions.
func divisions(t testing.TB) (string, []Division) {
	t.Helper()
	prov, us, err := fixtures.Divisions()
	if err != nil {
		t.Fatal(err)
	}
	var out []Division
	for _, u := range us {
		out = append(out, Division{Code: u.Code, Name: u.Name})
	}
	return prov, out
}

// writeLayerFile writes one layer of c into dir, unvalidated.
func writeLayerFile(t testing.TB, dir string, c *geo.City, l cityio.Layer) {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, l.File()))
	if err != nil {
		t.Fatal(err)
	}
	if err := cityio.WriteLayer(f, c, l); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
