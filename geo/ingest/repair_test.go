package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/ingest/internal/testdata"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/gridmap/gridmap/geo/repair/repairtest"
	"github.com/paulmach/orb"
)

// readCoverage reads a polygon Shapefile that r-cran-sf ships as grids of
// one community, keyed by feature index.
func readCoverage(t *testing.T, name string) []rough.Grid {
	t.Helper()
	p := filepath.Join(testdata.RCranSF(t), "shape", name+".shp")
	l, err := shapefile.Read(p, shapefile.Options{})
	if err != nil {
		t.Fatalf("shapefile.Read(%s): %v", p, err)
	}
	var out []rough.Grid
	for _, f := range l.Features {
		var mp orb.MultiPolygon
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			mp = orb.MultiPolygon{g}
		case orb.MultiPolygon:
			mp = g
		default:
			t.Fatalf("%s feature %d: %T, want polygons", name, f.Index, f.Geometry)
		}
		out = append(out, rough.Grid{Key: fmt.Sprint(f.Index), Community: name, Geometry: mp})
	}
	return out
}

// TestRoughNorthCarolina (here, where the test data helper lives) repairs the 100 North Carolina counties of
// r-cran-sf's nc.shp (a real coverage, in NAD27 lon/lat) after
// roughening, with the community derived from the counties, and checks
// the same invariants as on the embedded city.
func TestRoughNorthCarolina(t *testing.T) {
	counties := readCoverage(t, "nc")
	s := uint64(1)
	if v, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64); err == nil {
		s = v
	}
	t.Logf("SEED=%d", s)
	set := rough.Roughen(counties, nil, rough.Options{Seed: s, Defects: 2, DensifyM: 500})
	t.Logf("defects: %v", set.Defects)
	grids, _ := repairtest.Input(set)
	res, err := repair.Grids(grids, nil, repair.Options{})
	if err != nil {
		t.Fatalf("Grids: %v", err)
	}
	if len(res.Grids) != len(counties) {
		t.Fatalf("got %d counties, want %d", len(res.Grids), len(counties))
	}
	t.Logf("repairs: %v", repair.Summarize(res.Repairs).Counts)
	for _, r := range res.Repairs {
		if r.Kind == repair.KindGapLeft {
			t.Errorf("gap of %.1f m² left at %.6f,%.6f: the roughening makes none above the threshold", r.AreaM2, r.At[0], r.At[1])
		}
	}
	repairtest.Partition(t, res, nil, 0)
	repairtest.Areas(t, res, set, 5)
	repairtest.Interior(t, res, set)
}
