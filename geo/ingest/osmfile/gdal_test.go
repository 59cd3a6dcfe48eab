package osmfile

import (
	"bytes"
	"compress/bzip2"
	"context"
	"encoding/csv"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest"
	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/gridmap/gridmap/geo/walk/osmload"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/planar"
)

// extracts returns the real extracts in paulmach/osm's testdata.
func extracts(t *testing.T) (pbf, bz2 string) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/paulmach/osm").Output()
	if err != nil {
		t.Fatalf("go list -m github.com/paulmach/osm (run go mod download): %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "testdata")
	return filepath.Join(dir, "delaware-latest.osm.pbf"), filepath.Join(dir, "andorra-latest.osm.bz2")
}

// readCache keeps each extract's read for the tests that share it (bzip2
// alone takes seconds here).
var readCache sync.Map // path -> *Extract

func readExtract(t *testing.T, path string) *Extract {
	t.Helper()
	if x, ok := readCache.Load(path); ok {
		return x.(*Extract)
	}
	x, err := Read(context.Background(), path)
	if err != nil {
		t.Fatalf("Read(%s): %v", path, err)
	}
	readCache.Store(path, x)
	return x
}

// unbzipped caches unbzip's output across tests, in a directory
// TestMain removes.
var unbzipped struct {
	sync.Mutex
	dir   string
	paths map[string]string
}

// TestMain removes the unbzipped extracts after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if unbzipped.dir != "" {
		os.RemoveAll(unbzipped.dir)
	}
	os.Exit(code)
}

// unbzip writes the XML inside a .osm.bz2 to a temporary .osm file, for
// the tools that do not read bzip2.
func unbzip(t *testing.T, path string) string {
	t.Helper()
	unbzipped.Lock()
	defer unbzipped.Unlock()
	if p, ok := unbzipped.paths[path]; ok {
		return p
	}
	if unbzipped.dir == "" {
		dir, err := os.MkdirTemp("", "osmfile-test")
		if err != nil {
			t.Fatal(err)
		}
		unbzipped.dir, unbzipped.paths = dir, map[string]string{}
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := filepath.Join(unbzipped.dir, strings.TrimSuffix(filepath.Base(path), ".bz2"))
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(w, bzip2.NewReader(f)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	unbzipped.paths[path] = out
	return out
}

// gdalSQL runs an OGR SQL query on an extract with GDAL's OSM driver and
// returns the rows (WKT geometry first) of its CSV output.
func gdalSQL(t *testing.T, path, sql string) [][]string {
	t.Helper()
	bin := thirdparty.Tool(t, "ogr2ogr", "gdal-bin", "gdal")
	cmd := exec.Command(bin, "-f", "CSV", "/vsistdout/", path, "-lco", "GEOMETRY=AS_WKT", "-sql", sql)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ogr2ogr -sql %q %s: %v\n%s", sql, path, err, stderr.String())
	}
	rows, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("reading ogr2ogr's CSV: %v", err)
	}
	return rows[1:]
}

const addrLike = `(other_tags LIKE '%"addr:housenumber"%' OR other_tags LIKE '%"addr:full"%' OR other_tags LIKE '%"addr:street"%' OR other_tags LIKE '%"addr:place"%')`

// gdalBuildings returns GDAL's building polygons by key ("w<id>" for a
// way, "r<id>" for a relation), and the keys of those with an address.
func gdalBuildings(t *testing.T, path string) (map[string]orb.Geometry, map[string]bool) {
	where := "building IS NOT NULL AND building <> 'no'"
	all := map[string]orb.Geometry{}
	for _, r := range gdalSQL(t, path, "SELECT osm_id, osm_way_id FROM multipolygons WHERE "+where) {
		g, err := wkt.Unmarshal(r[0])
		if err != nil {
			t.Fatalf("GDAL WKT %.80s: %v", r[0], err)
		}
		all[osmKey(r[1], r[2])] = g
	}
	addressed := map[string]bool{}
	for _, r := range gdalSQL(t, path, "SELECT osm_id, osm_way_id FROM multipolygons WHERE "+where+" AND "+addrLike) {
		addressed[osmKey(r[1], r[2])] = true
	}
	return all, addressed
}

func osmKey(rel, way string) string {
	if rel != "" {
		return "r" + rel
	}
	return "w" + way
}

// area is the planar area of shells minus holes, in square degrees.
func area(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		a := math.Abs(planar.Area(g[0]))
		for _, h := range g[1:] {
			a -= math.Abs(planar.Area(h))
		}
		return a
	case orb.MultiPolygon:
		var a float64
		for _, p := range g {
			a += area(p)
		}
		return a
	}
	return 0
}

// TestBuildingsAgainstGDAL reads the real extracts' buildings and compares
// them, one by one, with GDAL's OSM driver on the same data: the same
// ways and relations, the same areas, the same addressed subset, and the
// same addressed nodes.
func TestBuildingsAgainstGDAL(t *testing.T) {
	pbf, bz2 := extracts(t)
	osmXML := unbzip(t, bz2)
	for _, tc := range []struct{ name, mine, gdal string }{{"delaware pbf", pbf, pbf}, {"andorra bz2", bz2, osmXML}} {
		t.Run(tc.name, func(t *testing.T) {
			x := readExtract(t, tc.mine)
			want, wantAddr := gdalBuildings(t, tc.gdal)
			got, gotAddr, nodes := buildingsOf(x.Buildings)
			t.Logf("%d buildings, %d addressed, %d address nodes; GDAL %d, %d", len(got), len(gotAddr), len(nodes), len(want), len(wantAddr))
			sameKeys(t, "buildings", got, want)
			sameKeys(t, "addressed buildings", gotAddr, wantAddr)
			for k, g := range got {
				w, ok := want[k]
				if ok && math.Abs(area(g)-area(w)) > 1e-6*area(w)+1e-13 {
					t.Errorf("building %s: area %g, GDAL %g", k, area(g), area(w))
				}
			}
			wantNodes := map[string]bool{}
			for _, r := range gdalSQL(t, tc.gdal, `SELECT osm_id FROM points WHERE other_tags LIKE '%"addr:%'`) {
				wantNodes["n"+r[1]] = true
			}
			sameKeys(t, "address nodes", nodes, wantNodes)
		})
	}
}

// buildingsOf splits a buildings layer into footprints by key, the keys
// of addressed footprints, and the keys of address nodes.
func buildingsOf(l *ingest.Layer) (map[string]orb.Geometry, map[string]bool, map[string]bool) {
	polys, addr, nodes := map[string]orb.Geometry{}, map[string]bool{}, map[string]bool{}
	for i := range l.Features {
		f := &l.Features[i]
		typ, _ := l.Get(f, "osm_type")
		id, _ := l.Get(f, "osm_id")
		key := typ[:1] + id
		if typ == "node" {
			nodes[key] = true
			continue
		}
		polys[key] = f.Geometry
		for _, k := range []string{"addr:housenumber", "addr:full", "addr:street", "addr:place"} {
			if v, _ := l.Get(f, k); v != "" {
				addr[key] = true
			}
		}
	}
	return polys, addr, nodes
}

func sameKeys[V, W any](t *testing.T, what string, got map[string]V, want map[string]W) {
	t.Helper()
	var missing, extra []string
	for k := range want {
		if _, ok := got[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(missing)+len(extra) > 0 {
		t.Errorf("%s: %d read, GDAL %d; missing %.10v, extra %.10v", what, len(got), len(want), missing, extra)
	}
}

// TestStreetsAgainstOsmload reads the extracts' streets and compares them
// with the walking network's loader, which decodes PBF with paulmach/osm's
// own decoder: the same walkable ways with the same coordinates, minus
// those cut at the extract's border.
func TestStreetsAgainstOsmload(t *testing.T) {
	pbf, bz2 := extracts(t)
	osmXML := unbzip(t, bz2)
	for _, tc := range []struct{ name, mine, ref string }{{"delaware pbf", pbf, pbf}, {"andorra bz2", bz2, osmXML}} {
		t.Run(tc.name, func(t *testing.T) {
			x := readExtract(t, tc.mine)
			ways, _, err := osmload.Load(context.Background(), tc.ref)
			if err != nil {
				t.Fatal(err)
			}
			ref := map[string]orb.LineString{}
			for _, w := range ways {
				ref[strconv.FormatInt(w.ID, 10)] = w.Line
			}
			for i := range x.Streets.Features {
				f := &x.Streets.Features[i]
				id, _ := x.Streets.Get(f, "osm_id")
				line, ok := ref[id]
				if !ok || !orb.Equal(line, f.Geometry) {
					t.Fatalf("street way %s: %v, osmload has %v (found %v)", id, f.Geometry, line, ok)
				}
			}
			cut := len(ways) - len(x.Streets.Features)
			if cut < 0 || cut > x.Stats.IncompleteWays {
				t.Errorf("%d streets, osmload %d: %d more than the %d incomplete ways", len(x.Streets.Features), len(ways), cut, x.Stats.IncompleteWays)
			}
			t.Logf("%d streets, osmload %d, %d incomplete ways", len(x.Streets.Features), len(ways), x.Stats.IncompleteWays)
		})
	}
}
