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

// benchGK projects or unprojects a fixed set of points across the zone of
// EPSG:4544 and reports points per second.
func benchGK(b *testing.B, inverse bool) {
	b.ReportAllocs()
	sys, err := ByEPSG(4544)
	if err != nil {
		b.Fatal(err)
	}
	pts := zonePoints(105, 3)
	if inverse {
		for i, p := range pts {
			pts[i] = sys.FromWGS84(p)
		}
	}
	n := 0
	for b.Loop() {
		p := pts[n%len(pts)]
		if inverse {
			sinkPoint = sys.ToWGS84(p)
		} else {
			sinkPoint = sys.FromWGS84(p)
		}
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "points/s")
}

func BenchmarkGaussKrugerForward(b *testing.B) { benchGK(b, false) }

func BenchmarkGaussKrugerInverse(b *testing.B) { benchGK(b, true) }

func BenchmarkResolveESRIWKT(b *testing.B) {
	b.ReportAllocs()
	const wkt = `PROJCS["CGCS2000_3_Degree_GK_CM_105E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	for b.Loop() {
		if _, err := Resolve(0, wkt); err != nil {
			b.Fatal(err)
		}
	}
}
