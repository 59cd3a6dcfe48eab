package importer

import (
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/crs"
	"github.com/gridmap/gridmap/geo/ingest/shapefile"
	"github.com/gridmap/gridmap/geo/ingest/table"
	"github.com/paulmach/orb/geojson"
)

// noisyShapefileCity writes the embedded city at scale as a grid office
// holds it: its grids roughened (fixtures/rough: noise, slivers, gaps,
// overlaps, bow-ties, repeated features) in a GBK Shapefile in EPSG:4544
// written by GDAL's ogr2ogr, and its buildings as an address CSV in
// GCJ-02. It returns the two paths.
func noisyShapefileCity(b *testing.B, scale int) (shp, addrs string) {
	b.Helper()
	ogr, err := exec.LookPath("ogr2ogr")
	if err != nil {
		b.Fatal("ogr2ogr is needed: apt-get install gdal-bin")
	}
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	g, cm := rough.CityGrids(c)
	set := rough.Roughen(g, cm, rough.Options{Seed: 1})
	fc := geojson.NewFeatureCollection()
	for _, g := range set.Grids {
		f := geojson.NewFeature(g.Geometry)
		f.Properties = geojson.Properties{"WGBM": g.Key, "SQBM": g.Community}
		fc.Append(f)
	}
	dir := b.TempDir()
	data, err := fc.MarshalJSON()
	if err != nil {
		b.Fatal(err)
	}
	src := filepath.Join(dir, "grids.geojson")
	if err := os.WriteFile(src, data, 0o644); err != nil {
		b.Fatal(err)
	}
	shp = filepath.Join(dir, "wg.shp")
	if out, err := exec.Command(ogr, "-f", "ESRI Shapefile", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:4544", "-lco", "ENCODING=GBK", shp, src).CombinedOutput(); err != nil {
		b.Fatalf("ogr2ogr: %v\n%s", err, out)
	}
	os.Remove(filepath.Join(dir, "wg.cpg"))
	addrs = filepath.Join(dir, "dz.csv")
	fh, err := os.Create(addrs)
	if err != nil {
		b.Fatal(err)
	}
	w := csv.NewWriter(fh)
	w.Write([]string{"地址", "户数", "经度", "纬度"})
	for _, bd := range c.Buildings {
		p := crs.WGS84ToGCJ02(bd.Point)
		w.Write([]string{bd.Address.String(), strconv.Itoa(bd.Households), strconv.FormatFloat(p[0], 'f', 8, 64), strconv.FormatFloat(p[1], 'f', 8, 64)})
	}
	w.Flush()
	if err := fh.Close(); err != nil {
		b.Fatal(err)
	}
	return shp, addrs
}

// BenchmarkImportNoisyShapefile reads, repairs and builds the embedded
// city from a noisy Shapefile in EPSG:4544 and a GCJ-02 address CSV,
// community boundaries derived (targets: 3 s at scale 1, 30 s at scale
// 10, resident memory under 1 GB). peak-rss-MB is the process's high-water
// mark (VmHWM), which includes generating the fixture city.
func BenchmarkImportNoisyShapefile(b *testing.B) {
	_, divs := divisions(b)
	for _, scale := range []int{1, 10} {
		b.Run("scale="+strconv.Itoa(scale), func(b *testing.B) {
			shp, addrs := noisyShapefileCity(b, scale)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				grids, err := shapefile.Read(shp, shapefile.Options{})
				if err != nil {
					b.Fatal(err)
				}
				bl, _, err := table.Read(addrs, table.Options{})
				if err != nil {
					b.Fatal(err)
				}
				res, err := Run(context.Background(), Options{Divisions: divs, Province: "贵州省", Inputs: map[Role]Input{
					RoleGrids: {Layer: grids}, RoleBuildings: {Layer: bl, CRS: "gcj02"}}})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(res.Report.Repairs)), "repairs")
			}
			b.StopTimer()
			b.ReportMetric(peakRSSMB(), "peak-rss-MB")
		})
	}
}

// peakRSSMB reads the process's resident high-water mark from /proc.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			return kb / 1024
		}
	}
	return 0
}
