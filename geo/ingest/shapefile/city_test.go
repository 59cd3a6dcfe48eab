package shapefile

import (
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo/cityio"
	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
)

// cityGrids writes the embedded city's grids (fixture seed 1 at scale)
// as GeoJSON with cityio, then as a GBK Shapefile in CGCS2000
// Gauss-Krüger zone 35 (EPSG:4544) with ogr2ogr, as a grid office would
// hold them. It returns the .shp path.
func cityGrids(tb testing.TB, scale int) string {
	tb.Helper()
	thirdparty.Tool(tb, "ogr2ogr", "gdal-bin", "gdal")
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		tb.Fatalf("fixtures.Generate: %v", err)
	}
	dir := tb.TempDir()
	if err := cityio.Write(dir, city); err != nil {
		tb.Fatalf("cityio.Write: %v", err)
	}
	shp := filepath.Join(tb.TempDir(), "grids.shp")
	thirdparty.Ogr2ogr(tb, "-f", "ESRI Shapefile", shp, filepath.Join(dir, "grids.geojson"),
		"-lco", "ENCODING=GBK", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4544")
	return shp
}

// TestCityGridsAgainstGDAL reads the embedded city's 2,176 grids from the
// GDAL-written Shapefile and compares them with GDAL's reading.
func TestCityGridsAgainstGDAL(t *testing.T) {
	if testing.Short() {
		t.Skip("generating the fixture city takes seconds; skipped with -short")
	}
	shp := cityGrids(t, 1)
	l, err := Read(shp, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Features) != 2176 || l.Encoding != "GBK" {
		t.Errorf("%d grids in %s, want 2176 in GBK", len(l.Features), l.Encoding)
	}
	compareWithGDAL(t, l, gdalRead(t, shp))
}

// BenchmarkReadCityGrids reads the embedded city's grids from a GBK
// Shapefile in EPSG:4544.
func BenchmarkReadCityGrids(b *testing.B) {
	shp := cityGrids(b, 1)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		l, err := Read(shp, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n += len(l.Features)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "features/s")
}
