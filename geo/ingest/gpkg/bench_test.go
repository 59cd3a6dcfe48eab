package gpkg

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/gridmap/gridmap/geo/ingest/internal/thirdparty"
	"github.com/paulmach/orb"
)

// BenchmarkReadNC reads the real nc.gpkg (100 county multipolygons) from
// Debian's r-cran-sf.
func BenchmarkReadNC(b *testing.B) {
	b.ReportAllocs()
	path := filepath.Join(thirdparty.RCranSF(b), "gpkg", "nc.gpkg")
	for b.Loop() {
		if _, err := Read(path, ""); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeBlob decodes a 200-vertex multipolygon blob.
func BenchmarkDecodeBlob(b *testing.B) {
	b.ReportAllocs()
	blob := gpBlob(3, 32, squareRings(200))
	b.SetBytes(int64(len(blob)))
	for b.Loop() {
		if _, _, err := decodeBlob(blob); err != nil {
			b.Fatal(err)
		}
	}
}

// squareRings returns a multipolygon of one n-vertex ring.
func squareRings(n int) orb.MultiPolygon {
	r := make(orb.Ring, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		r[i] = orb.Point{104.8 + 0.01*math.Cos(a), 26.5 + 0.01*math.Sin(a)}
	}
	r[n] = r[0]
	return orb.MultiPolygon{{r}}
}
