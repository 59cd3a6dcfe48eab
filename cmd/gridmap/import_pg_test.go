package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/store/pg/pgtest"
	"github.com/paulmach/orb/geojson"
)

// TestImportPostgres imports roughened grids into an empty PostgreSQL
// database: the city and its repairs are stored, serve --store answers
// the repairs, and a second import into the same database is refused
// without touching it.
func TestImportPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL")
	}
	cluster := pgtest.New(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn, err := cluster.CreateDatabase(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		t.Fatal(err)
	}
	g, cm := rough.CityGrids(c)
	set := rough.Roughen(g, cm, rough.Options{Seed: 2})
	fc := geojson.NewFeatureCollection()
	for _, g := range set.Grids {
		f := geojson.NewFeature(g.Geometry)
		f.Properties = geojson.Properties{"grid_code": g.Key}
		fc.Append(f)
	}
	data, _ := fc.MarshalJSON()
	grids := filepath.Join(t.TempDir(), "grids.geojson")
	if err := os.WriteFile(grids, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, ctx, "import", "--quiet", "--store", dsn, "--grids", grids, "--crs", "wgs84"); err != nil {
		t.Fatalf("import into PostgreSQL: %v", err)
	}
	_, err = run(t, ctx, "import", "--quiet", "--store", dsn, "--grids", grids, "--crs", "wgs84")
	if err == nil || !strings.Contains(err.Error(), "already holds a city") {
		t.Errorf("second import = %v, want a refusal", err)
	}
	base, stop, _ := startServe(t, noEnv, "--store", dsn)
	defer stop()
	if st, body := get(t, base+"/v1/import/repairs.geojson"); st != 200 || !strings.Contains(body, `"kind":"snap"`) {
		t.Errorf("GET /v1/import/repairs.geojson = %d %.300s, want the stored repairs", st, body)
	}
	if st, body := get(t, base+"/v1/units/520201"); st != 200 || !strings.Contains(body, "钟山区") {
		t.Errorf("GET /v1/units/520201 = %d %.200s", st, body)
	}
}
