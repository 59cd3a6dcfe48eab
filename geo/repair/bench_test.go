package repair_test

import (
	"testing"

	"github.com/gridmap/gridmap/geo/repair"
)

// BenchmarkRepairNoisyCity repairs the whole roughened embedded city
// (2,176 grids with their 224 community boundaries).
func BenchmarkRepairNoisyCity(b *testing.B) {
	_, grids, comms := roughCity(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := repair.Grids(grids, comms, repair.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepairNoisyCityDerived repairs it with every community derived
// from its grids (as mapshaper -clean sees the layer).
func BenchmarkRepairNoisyCityDerived(b *testing.B) {
	_, grids, _ := roughCity(b, 1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := repair.Grids(grids, nil, repair.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
