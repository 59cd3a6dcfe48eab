package address

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures/messy"
)

// benchInputs returns the fixture city's index and 5,000 messy addresses.
func benchInputs(b *testing.B) (*Index, []string) {
	b.Helper()
	c := fixtureCity(b)
	x := NewCityIndex(c)
	cases := messy.Generate(c, 5000, 1)
	in := make([]string, len(cases))
	for i, cs := range cases {
		in[i] = cs.Input
	}
	return x, in
}

// BenchmarkGeocode geocodes messy addresses of the fixture city one at a
// time and reports addresses per second and the p99 latency of one address.
func BenchmarkGeocode(b *testing.B) {
	x, in := benchInputs(b)
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := x.Geocode(in[i%len(in)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "addr/s")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkGeocodeBatch geocodes the 5,000 addresses as one batch on one
// worker: the throughput of one core.
func BenchmarkGeocodeBatch(b *testing.B) {
	x, in := benchInputs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := x.GeocodeBatch(b.Context(), in, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(in))/b.Elapsed().Seconds(), "addr/s")
}

// BenchmarkNormalize normalises the messy addresses.
func BenchmarkNormalize(b *testing.B) {
	_, in := benchInputs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Normalize(in[i%len(in)])
	}
}

// BenchmarkNewIndex builds the fixture city's index and reports the heap
// it holds.
func BenchmarkNewIndex(b *testing.B) {
	c := fixtureCity(b)
	b.ReportAllocs()
	b.ResetTimer()
	var x *Index
	for i := 0; i < b.N; i++ {
		x = NewCityIndex(c)
	}
	b.StopTimer()
	b.ReportMetric(float64(indexHeapBytes(c))/(1<<20), "index-MiB")
	runtime.KeepAlive(x)
}
