package archive

import (
	"context"
	"io"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/tiles"
)

// BenchmarkExportCityPMTiles renders the whole fixture city's tiles from
// zoom 8 to 16 with a fresh renderer (as an export of a version not yet
// served does) and writes them as PMTiles. The figure behind the issue's
// "the whole city z8-z16 written in seconds".
func BenchmarkExportCityPMTiles(b *testing.B) {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 1})
	if err != nil {
		b.Fatal(err)
	}
	snap, err := geo.NewSnapshot(c, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var set *Set
	for b.Loop() {
		r, err := tiles.NewRenderer(snap, tiles.Options{})
		if err != nil {
			b.Fatal(err)
		}
		set, err = Render(context.Background(), r, Options{MinZoom: 8, MaxZoom: 16})
		if err != nil {
			b.Fatal(err)
		}
		doc, _ := r.TileJSON("x/{z}/{x}/{y}")
		if _, err := WritePMTiles(io.Discard, set, NewMetadata(doc, set)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(set.Tiles)), "tiles")
	b.ReportMetric(float64(set.Bytes())/(1<<20), "MiB")
}
