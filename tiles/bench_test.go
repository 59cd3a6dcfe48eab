package tiles

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// preparedCityRenderer returns a renderer of the reference city with every
// zoom's geometry built, so benchmarks time tile renders alone.
func preparedCityRenderer(b *testing.B) *Renderer {
	b.Helper()
	r := cityRenderer(b)
	if err := r.Prepare(context.Background()); err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkRenderZ14 renders, uncached, every tile from z10 to z16 that
// covers 钟山区 (520201); one op is the whole set. It reports the median
// and worst single render over the set (target: median <= 1 ms, worst <=
// 20 ms) and the median over its z14 tiles.
func BenchmarkRenderZ14(b *testing.B) {
	r := preparedCityRenderer(b)
	var keys []Key
	for k := range KeysIn(zhongshan(b, r.snap), 10, 16) {
		keys = append(keys, k)
	}
	var all, z14 []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, k := range keys {
			t0 := time.Now()
			if _, err := r.Render(k); err != nil {
				b.Fatal(err)
			}
			d := time.Since(t0)
			all = append(all, d)
			if k.Z == 14 {
				z14 = append(z14, d)
			}
		}
	}
	b.StopTimer()
	slices.Sort(all)
	slices.Sort(z14)
	b.ReportMetric(float64(len(keys)), "tiles/op")
	b.ReportMetric(ms(all[len(all)/2]), "median-ms")
	b.ReportMetric(ms(all[len(all)-1]), "max-ms")
	b.ReportMetric(ms(z14[len(z14)/2]), "z14-median-ms")
	b.ReportMetric(ms(z14[len(z14)-1]), "z14-max-ms")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkRenderCityAll builds a renderer of the reference city and
// renders every tile from z8 to z16 over the city's box with one worker per
// CPU; one op is the whole job (target: under 60 s on 2 cores).
func BenchmarkRenderCityAll(b *testing.B) {
	s := citySnapshot(b)
	b.ReportAllocs()
	tiles := 0
	for i := 0; i < b.N; i++ {
		r, err := NewRenderer(s, Options{})
		if err != nil {
			b.Fatal(err)
		}
		keys := make(chan Key, 1024)
		var n atomic.Int64
		var wg sync.WaitGroup
		for w := 0; w < runtime.GOMAXPROCS(0); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range keys {
					if _, err := r.Render(k); err != nil {
						b.Error(err)
					}
					n.Add(1)
				}
			}()
		}
		for k := range KeysIn(r.Bound(), 8, 16) {
			keys <- k
		}
		close(keys)
		wg.Wait()
		tiles = int(n.Load())
	}
	b.ReportMetric(float64(tiles), "tiles/op")
}

// BenchmarkRenderTile renders and gzips z14 tiles of 钟山区 (what a cache
// miss costs), cycling through them.
func BenchmarkRenderTile(b *testing.B) {
	r := preparedCityRenderer(b)
	var keys []Key
	for k := range KeysIn(zhongshan(b, r.snap), 14, 14) {
		keys = append(keys, k)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.RenderTile(keys[i%len(keys)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCacheHit fetches cached tiles from parallel goroutines.
func BenchmarkCacheHit(b *testing.B) {
	r := preparedCityRenderer(b)
	c := NewCache(64 << 20)
	var keys []Key
	for k := range KeysIn(zhongshan(b, r.snap), 14, 14) {
		keys = append(keys, k)
		if _, _, err := c.Tile(r, k); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	var next atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k := keys[next.Add(1)%uint64(len(keys))]
			if _, hit, err := c.Tile(r, k); !hit || err != nil {
				b.Errorf("Tile(%v) hit %v err %v, want a hit", k, hit, err)
			}
		}
	})
}

// BenchmarkNewRenderer indexes the reference city (topology, colours,
// labels) without building any zoom.
func BenchmarkNewRenderer(b *testing.B) {
	s := citySnapshot(b)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := NewRenderer(s, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// splitVersion returns the reference city's renderer, prepared, and the
// next version's snapshot: one grid split across its middle.
func splitVersion(b *testing.B) (*Renderer, *geo.Snapshot) {
	b.Helper()
	r := preparedCityRenderer(b)
	next, err := splitSnapshot(r.Snapshot())
	if err != nil {
		b.Fatal(err)
	}
	return r, next
}

// splitSnapshot returns the version after s in which the grid in the
// middle of s's list is split across its middle.
func splitSnapshot(s *geo.Snapshot) (*geo.Snapshot, error) {
	g := s.City.Grids[len(s.City.Grids)/2]
	mid := g.Bound.Center()[1]
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, mid}, {g.Bound.Max[0] + 0.001, mid}}}
	res, err := edit.Apply(s, op, edit.Options{})
	if err != nil {
		return nil, fmt.Errorf("splitting %s: %w", g.Code, err)
	}
	if !res.Valid {
		return nil, fmt.Errorf("splitting %s: not valid", g.Code)
	}
	return geo.NextSnapshot(s, res.Next, s.Version+1)
}

// BenchmarkNextVersionPatched makes the renderer of the version after a
// grid split from the previous version's and builds every zoom (patched):
// what a commit costs the tiles (issue 12).
func BenchmarkNextVersionPatched(b *testing.B) {
	prev, next := splitVersion(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := NewRendererFrom(next, Options{}, prev)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Prepare(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextVersionWhole is BenchmarkNextVersionPatched building every
// zoom whole (the same tiles).
func BenchmarkNextVersionWhole(b *testing.B) {
	prev, next := splitVersion(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := NewRendererLabels(next, Options{}, prev.Labels())
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Prepare(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNextVersionZooms times only the zooms of the next version's
// renderer (made outside the timer): patched from the previous version's
// and built whole.
func BenchmarkNextVersionZooms(b *testing.B) {
	prev, next := splitVersion(b)
	for _, patched := range []bool{true, false} {
		name := "whole"
		if patched {
			name = "patched"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				base := prev
				if !patched {
					base = nil
				}
				r, err := NewRendererFrom(next, Options{}, base)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := r.Prepare(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The reference city at scale 10 (about 21,800 grids), built once per
// test binary for the scale-10 benchmarks.
var fixtureCity10 struct {
	once sync.Once
	prev *Renderer
	next *geo.Snapshot
	err  error
}

// splitVersion10 is splitVersion on the reference city at scale 10.
func splitVersion10(b *testing.B) (*Renderer, *geo.Snapshot) {
	b.Helper()
	f := &fixtureCity10
	f.once.Do(func() {
		c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: 10})
		if err != nil {
			f.err = err
			return
		}
		s, err := geo.NewSnapshot(c, 1)
		if err != nil {
			f.err = err
			return
		}
		if f.prev, err = NewRenderer(s, Options{}); err != nil {
			f.err = err
			return
		}
		if f.err = f.prev.Prepare(context.Background()); f.err != nil {
			return
		}
		f.next, f.err = splitSnapshot(s)
	})
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f.prev, f.next
}

// BenchmarkNextVersion10 is BenchmarkNextVersionPatched on the reference
// city at scale 10: the next version's renderer made from the previous
// one's with every zoom built (target well under 200 ms, issue 12).
func BenchmarkNextVersion10(b *testing.B) {
	prev, next := splitVersion10(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := NewRendererFrom(next, Options{}, prev)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Prepare(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
