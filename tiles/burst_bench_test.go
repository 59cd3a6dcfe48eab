package tiles

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"weak"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// burstLen is the number of versions committed back to back in one burst.
const burstLen = 20

// A burstCity is a prepared renderer of the reference city at some scale
// and the burstLen versions after it, each one grid split.
type burstCity struct {
	once  sync.Once
	first *Renderer
	snaps []*geo.Snapshot
	split []*geo.Grid // the halves of the last split
	err   error
}

// The burst cities, built once per test binary.
var burstCities sync.Map // scale -> *burstCity

// burstVersions returns the burst city of the given scale.
func burstVersions(b *testing.B, scale int) *burstCity {
	b.Helper()
	v, _ := burstCities.LoadOrStore(scale, &burstCity{})
	f := v.(*burstCity)
	f.once.Do(func() { f.err = f.build(scale) })
	if f.err != nil {
		b.Fatal(f.err)
	}
	return f
}

// build generates the city, prepares its renderer and commits the splits.
func (f *burstCity) build(scale int) error {
	c, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		return err
	}
	s, err := geo.NewSnapshot(c, 1)
	if err != nil {
		return err
	}
	if f.first, err = NewRenderer(s, Options{}); err != nil {
		return err
	}
	if err := f.first.Prepare(context.Background()); err != nil {
		return err
	}
	for i := 0; len(f.snaps) < burstLen; i++ {
		next, halves, err := splitGridAt(s, (len(s.City.Grids)/2+i*7919)%len(s.City.Grids))
		if err != nil {
			continue // a grid the line cannot split: try the next
		}
		f.snaps, f.split, s = append(f.snaps, next), halves, next
	}
	return nil
}

// splitGridAt returns the version after s in which grid i is split across
// its middle, and the two halves.
func splitGridAt(s *geo.Snapshot, i int) (*geo.Snapshot, []*geo.Grid, error) {
	g := s.City.Grids[i]
	mid := g.Bound.Center()[1]
	op := edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: orb.LineString{{g.Bound.Min[0] - 0.001, mid}, {g.Bound.Max[0] + 0.001, mid}}}
	res, err := edit.Apply(s, op, edit.Options{})
	if err != nil || !res.Valid {
		return nil, nil, fmt.Errorf("splitting %s: %v", g.Code, err)
	}
	next, err := geo.NextSnapshot(s, res.Next, s.Version+1)
	if err != nil {
		return nil, nil, err
	}
	var halves []*geo.Grid
	for _, ch := range res.Changes {
		if h, ok := next.GridByID(ch.ID); ok {
			halves = append(halves, h)
		}
	}
	return next, halves, nil
}

// benchmarkBurst makes, per op, the renderers of burstLen versions
// committed back to back, each from the previous one without building
// any zoom (every Prepare cancelled by the next commit), then renders for
// the newest version one z14 tile over the last split and one z10 tile
// around it: what the first tile requests after a burst cost (issue 12).
// It reports the live heap the burst leaves behind, the newest renderer
// held, beside the first renderer's, and fails if an early renderer
// stays reachable.
func benchmarkBurst(b *testing.B, scale int) {
	f := burstVersions(b, scale)
	at := f.split[0].Bound.Center()
	keys := []Key{}
	for _, z := range []maptile.Zoom{14, 10} {
		k := maptile.At(at, z)
		keys = append(keys, Key{Z: uint32(z), X: k.X, Y: k.Y})
	}
	burst := func() (*Renderer, []weak.Pointer[Renderer]) {
		prev := f.first
		var ws []weak.Pointer[Renderer]
		for _, s := range f.snaps {
			r, err := NewRendererFrom(s, Options{}, prev)
			if err != nil {
				b.Fatal(err)
			}
			ws, prev = append(ws, weak.Make(r)), r
		}
		for _, k := range keys {
			if _, err := prev.Render(k); err != nil {
				b.Fatal(err)
			}
		}
		return prev, ws
	}
	base := liveHeap()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		burst()
	}
	b.StopTimer()
	last, ws := burst()
	after := liveHeap()
	for i, w := range ws[:len(ws)-1] {
		if w.Value() != nil {
			b.Fatalf("renderer %d of the burst is still reachable from the newest", i)
		}
	}
	b.ReportMetric(float64(sub(after, base))/(1<<20), "MB-kept")
	runtime.KeepAlive(last)
}

// BenchmarkNextVersionBurst10 is benchmarkBurst on the reference city at
// scale 10.
func BenchmarkNextVersionBurst10(b *testing.B) { benchmarkBurst(b, 10) }

// BenchmarkNextVersionBurst50 is benchmarkBurst on the reference city at
// scale 50 (run by hand: generating the city takes minutes).
func BenchmarkNextVersionBurst50(b *testing.B) { benchmarkBurst(b, 50) }
