package walk

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

// Targets (issue 4): one station's 15-minute reach with its covered
// buildings, median <= 0.2 ms; its display polygon <= 2 ms; the whole
// city's coverage < 0.2 s; a what-if circle <= 2 ms; suggesting 5 sites
// < 2 s; the same at scale 10. Medians are reported as median-ms.

// timed runs f b.N times and reports the median time per call.
func timed(b *testing.B, f func(i int)) {
	b.Helper()
	ds := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		f(i)
		ds = append(ds, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds())/1e6, "median-ms")
}

// scales runs bench on the scale-1 city and, unless -short, the scale-10 one.
func scales(b *testing.B, bench func(b *testing.B, net *Network)) {
	for _, scale := range []int{1, 10} {
		b.Run(fmt.Sprintf("scale=%d", scale), func(b *testing.B) {
			if scale > 1 && testing.Short() {
				b.Skip("scale 10 skipped in -short mode")
			}
			bench(b, cityNetwork(b, scale))
		})
	}
}

func BenchmarkStationReach15(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		st := net.Stations()
		timed(b, func(i int) {
			r, err := net.StationReach(st[i%len(st)].ID, Band15)
			if err != nil || len(r.Buildings) == 0 {
				b.Fatalf("StationReach: %v, %d buildings", err, len(r.Buildings))
			}
		})
	})
}

func BenchmarkStationCircle15(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		reaches := stationReaches(b, net)
		timed(b, func(i int) {
			if _, err := net.Circle(reaches[i%len(reaches)], Band15); err != nil {
				b.Fatalf("Circle: %v", err)
			}
		})
	})
}

func BenchmarkStationCircleBands(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		reaches := stationReaches(b, net)
		timed(b, func(i int) {
			if _, err := net.Circle(reaches[i%len(reaches)], Bands()...); err != nil {
				b.Fatalf("Circle: %v", err)
			}
		})
	})
}

func stationReaches(b *testing.B, net *Network) []*Reach {
	b.Helper()
	var out []*Reach
	for _, st := range net.Stations()[:min(64, len(net.Stations()))] {
		r, err := net.StationReach(st.ID, Band15)
		if err != nil {
			b.Fatalf("StationReach: %v", err)
		}
		out = append(out, r)
	}
	return out
}

func BenchmarkCoverage15(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		timed(b, func(int) {
			if _, err := net.Coverage(Band15); err != nil {
				b.Fatalf("Coverage: %v", err)
			}
		})
	})
}

func BenchmarkWhatIfCircle15(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		rng := rand.New(rand.NewPCG(1, 2))
		var pts []orb.Point
		for len(pts) < 256 { // points up to ~200 m off random nodes
			p := net.Graph().Node(rng.IntN(net.Graph().NumNodes()))
			p[0] += (rng.Float64() - 0.5) * 0.004
			p[1] += (rng.Float64() - 0.5) * 0.004
			if _, err := net.PointSource(p); err == nil {
				pts = append(pts, p)
			}
		}
		timed(b, func(i int) {
			r, err := net.PointReach(pts[i%len(pts)], Band15)
			if err != nil {
				b.Fatalf("PointReach: %v", err)
			}
			if _, err := net.Circle(r, Band15); err != nil {
				b.Fatalf("Circle: %v", err)
			}
		})
	})
}

func BenchmarkSuggest5(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		timed(b, func(int) {
			sg, err := net.Suggest(SuggestOptions{K: 5, LimitMeters: Band15})
			if err != nil || len(sg.Sites) == 0 {
				b.Fatalf("Suggest: %v", err)
			}
		})
	})
}

func BenchmarkNetworkBuild(b *testing.B) {
	scales(b, func(b *testing.B, net *Network) {
		streets := net.Snapshot().City.Streets
		timed(b, func(int) {
			g, err := FromStreets(streets)
			if err != nil {
				b.Fatalf("FromStreets: %v", err)
			}
			if _, err := New(net.Snapshot(), g, Options{}); err != nil {
				b.Fatalf("New: %v", err)
			}
		})
	})
}
