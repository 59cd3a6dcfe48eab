package crs

import (
	"testing"

	"github.com/paulmach/orb"
)

var sinkPoint orb.Point

func BenchmarkWGS84ToGCJ02(b *testing.B) {
	b.ReportAllocs()
	p := orb.Point{104.8304, 26.5925}
	for b.Loop() {
		sinkPoint = WGS84ToGCJ02(p)
	}
}

func BenchmarkGCJ02ToWGS84(b *testing.B) {
	b.ReportAllocs()
	p := WGS84ToGCJ02(orb.Point{104.8304, 26.5925})
	for b.Loop() {
		sinkPoint = GCJ02ToWGS84(p)
	}
}

func BenchmarkBD09ToWGS84(b *testing.B) {
	b.ReportAllocs()
	p := FromWGS84(BD09, orb.Point{104.8304, 26.5925})
	for b.Loop() {
		sinkPoint = ToWGS84(BD09, p)
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("GCJ-02"); err != nil {
			b.Fatal(err)
		}
	}
}
