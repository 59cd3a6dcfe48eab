package cityio_test

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/cityio"
)

// fixtureCity generates the reference fixture city once per test binary.
var fixtureCity = sync.OnceValues(func() (*geo.City, error) {
	return fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
})

func loadFixture(tb testing.TB) *geo.City {
	tb.Helper()
	if testing.Short() {
		tb.Skip("generating the fixture city takes seconds; skipped with -short")
	}
	c, err := fixtureCity()
	if err != nil {
		tb.Fatalf("fixtures.Generate: %v", err)
	}
	return c
}

func TestFixtureRoundTrip(t *testing.T) {
	want := loadFixture(t)
	dir := t.TempDir()
	if err := cityio.WriteMeta(dir, want, cityio.Meta{Synthetic: true, Source: "fixtures seed 1"}); err != nil {
		t.Fatalf("WriteMeta: %v", err)
	}
	got, err := cityio.Read(dir)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(got.Grids) != len(want.Grids) || len(got.Buildings) != len(want.Buildings) {
		t.Fatalf("Read: %d grids, %d buildings; want %d, %d", len(got.Grids), len(got.Buildings), len(want.Grids), len(want.Buildings))
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Read(Write(fixture city)) is not deep-equal to the fixture city")
		for i := range want.Grids {
			if !reflect.DeepEqual(got.Grids[i], want.Grids[i]) {
				t.Errorf("first differing grid %s:\ngot  %+v\nwant %+v", want.Grids[i].Code, got.Grids[i].Bound, want.Grids[i].Bound)
				break
			}
		}
	}
	// A second write of what was read gives the same bytes.
	again := t.TempDir()
	if err := cityio.WriteMeta(again, got, cityio.Meta{Synthetic: true, Source: "fixtures seed 1"}); err != nil {
		t.Fatalf("WriteMeta: %v", err)
	}
	for _, name := range []string{"city.json", "units.geojson", "grids.geojson", "buildings.geojson", "stations.geojson", "streets.geojson"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(again, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s: %d bytes, then %d different bytes on a second write", name, len(a), len(b))
		}
	}
}

// BenchmarkReadFixture reads, normalizes and validates the fixture city
// (seed 1) from disk, as `gridmap serve --data` does at start-up.
func BenchmarkReadFixture(b *testing.B) {
	c := loadFixture(b)
	dir := b.TempDir()
	if err := cityio.Write(dir, c); err != nil {
		b.Fatalf("Write: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := cityio.Read(dir); err != nil {
			b.Fatalf("Read: %v", err)
		}
	}
}

// BenchmarkWriteLayerFixture streams the fixture city's grids and
// buildings, as GET /v1/export/{layer}.geojson does.
func BenchmarkWriteLayerFixture(b *testing.B) {
	c := loadFixture(b)
	for _, l := range []cityio.Layer{cityio.LayerGrids, cityio.LayerBuildings} {
		b.Run(string(l), func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := cityio.WriteLayer(&buf, c, l); err != nil {
					b.Fatalf("WriteLayer: %v", err)
				}
			}
			b.SetBytes(int64(buf.Len()))
		})
	}
}
