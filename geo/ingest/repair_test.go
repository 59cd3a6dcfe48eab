package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/gridmap/gridmap/geo/repair/repairtest"
	"github.com/paulmach/orb"
)

// readCoverage reads a polygon Shapefile that r-cran-sf ships as grids of
// one community, keyed by feature index.
func readCoverage(t *testing.T, name string) []rough.Grid {
	t.Helper()
	p := filepath.Join(thirdparty.RCranSF(t), "shape", name+".shp")
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

// TestRoughRCranSF repairs real coverages r-cran-sf ships (here, where
// the test data helper lives), first as they are and then roughened, with
// each community derived from its polygons: nc.shp's 100 North Carolina
// counties (NAD27 lon/lat) and olinda1.shp's 470 census tracts of Olinda,
// Brazil (lon/lat); the same invariants as on the embedded city.
func TestRoughRCranSF(t *testing.T) {
	s := uint64(1)
	if v, err := strconv.ParseUint(os.Getenv("SEED"), 10, 64); err == nil {
		s = v
	}
	t.Logf("SEED=%d", s)
	for _, tc := range []struct {
		name       string
		defects    int
		densifyM   float64
		minChecked int
	}{{"nc", 2, 500, 3}, {"olinda1", 10, 50, 20}} {
		t.Run(tc.name, func(t *testing.T) {
			polys := readCoverage(t, tc.name)
			asIs, _ := repairtest.Input(&rough.Set{Grids: polys})
			res, err := repair.Grids(asIs, nil, repair.Options{})
			if err != nil {
				t.Fatalf("Grids(%s as it is): %v", tc.name, err)
			}
			t.Logf("as it is: %v", repair.Summarize(res.Repairs).Counts)
			repairtest.Partition(t, res, nil, 0)
			set := rough.Roughen(polys, nil, rough.Options{Seed: s, Defects: tc.defects, DensifyM: tc.densifyM})
			t.Logf("defects: %v", set.Defects)
			grids, _ := repairtest.Input(set)
			res, err = repair.Grids(grids, nil, repair.Options{})
			if err != nil {
				t.Fatalf("Grids: %v", err)
			}
			if len(res.Grids) != len(polys) {
				t.Fatalf("got %d polygons, want %d", len(res.Grids), len(polys))
			}
			t.Logf("repairs: %v", repair.Summarize(res.Repairs).Counts)
			for _, r := range res.Repairs {
				if r.Kind == repair.KindGapLeft {
					t.Errorf("gap of %.1f m² left at %.6f,%.6f: the roughening makes none above the threshold", r.AreaM2, r.At[0], r.At[1])
				}
			}
			repairtest.Partition(t, res, nil, 0)
			repairtest.VertexIdentical(t, res)
			repairtest.AreasOf(t, res, set, repairtest.Enclosed(set), tc.minChecked)
			repairtest.Interior(t, res, set)
		})
	}
}
