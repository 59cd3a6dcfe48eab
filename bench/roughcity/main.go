// Command roughcity writes the embedded city's grids roughened by
// fixtures/rough as GeoJSON (-write), or repairs such a file with
// geo/repair and writes the result (-repair), for bench/repair.sh, which
// times it beside mapshaper's -clean on the same file. The repair derives
// each community from its grids, as mapshaper cleans the layer without
// community boundaries.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/fixtures/rough"
	"github.com/gridmap/gridmap/geo/repair"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

func main() {
	write := flag.String("write", "", "write the roughened grids to this GeoJSON file")
	seed := flag.Uint64("seed", 1, "roughening seed")
	in := flag.String("repair", "", "repair the grids of this GeoJSON file")
	out := flag.String("o", "", "where -repair writes the repaired grids")
	flag.Parse()
	switch {
	case *write != "":
		if err := writeRough(*write, *seed); err != nil {
			log.Fatal(err)
		}
	case *in != "" && *out != "":
		start := time.Now()
		n, took, err := repairFile(*in, *out)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("grids=%d repair_ms=%.1f total_ms=%.1f\n", n, ms(took), ms(time.Since(start)))
	default:
		flag.Usage()
		os.Exit(2)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// writeRough writes the roughened grids, with key and community
// properties.
func writeRough(path string, seed uint64) error {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1})
	if err != nil {
		return err
	}
	grids, comms := rough.CityGrids(c)
	set := rough.Roughen(grids, comms, rough.Options{Seed: seed})
	fc := geojson.NewFeatureCollection()
	for _, g := range set.Grids {
		f := geojson.NewFeature(g.Geometry)
		f.Properties = geojson.Properties{"key": g.Key, "community": g.Community}
		fc.Append(f)
	}
	return writeJSON(path, fc)
}

// repairFile reads grids, repairs them and writes the result; it returns
// the number of grids and the time the repair itself took.
func repairFile(in, out string) (int, time.Duration, error) {
	data, err := os.ReadFile(in)
	if err != nil {
		return 0, 0, err
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", in, err)
	}
	var grids []repair.Grid
	for i, f := range fc.Features {
		mp, ok := f.Geometry.(orb.MultiPolygon)
		if p, isPoly := f.Geometry.(orb.Polygon); isPoly {
			mp, ok = orb.MultiPolygon{p}, true
		}
		if !ok {
			return 0, 0, fmt.Errorf("%s: feature %d: %T, want a polygon", in, i+1, f.Geometry)
		}
		grids = append(grids, repair.Grid{Key: f.Properties.MustString("key", ""), Community: f.Properties.MustString("community", ""), Geometry: mp})
	}
	start := time.Now()
	res, err := repair.Grids(grids, nil, repair.Options{})
	took := time.Since(start)
	if err != nil {
		return 0, 0, err
	}
	outFC := geojson.NewFeatureCollection()
	for _, g := range res.Grids {
		f := geojson.NewFeature(g.Geometry)
		f.Properties = geojson.Properties{"key": g.Key, "community": g.Community}
		outFC.Append(f)
	}
	return len(res.Grids), took, writeJSON(out, outFC)
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
