package server

import (
	"context"
	"net"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
	"github.com/paulmach/orb"
)

// BenchmarkFeedLatency commits edits (a split, then the merge back) on a
// bbolt store and reads each one's event from a change stream over a
// real connection. It reports the median time from sending the commit to
// the event's arrival (event_ms, the issue's "commit -> event under 50
// ms") beside the commit's own answer time (commit_ms): the event leaves
// as soon as the new version is served.
func BenchmarkFeedLatency(b *testing.B) {
	e := newEditEnv(b, testCity(b))
	stream := openStream(b, serveTB(b, e.s), "", "")
	g1 := mustCode(b, tCommunity1, 1)
	var eventMS, commitMS []float64
	b.ReportAllocs()
	v := 0
	for b.Loop() {
		op := edit.Op{Kind: edit.KindSplit, Grid: g1, Line: orb.LineString{{104.799, 26.595}, {104.811, 26.595}}, Reason: "split"}
		if v%2 == 1 {
			var added geo.GridCode
			for _, h := range e.s.Snapshot().GridsOf(g1.Community()) {
				if h.Code != g1 && h.Code.Seq() > 2 {
					added = h.Code
				}
			}
			op = edit.Op{Kind: edit.KindMerge, Grids: []geo.GridCode{g1, added}, Reason: "merge"}
		}
		start := time.Now()
		r := e.request(http.MethodPost, "/v1/edits", "admin", v, opJSON(b, op))
		answered := time.Since(start)
		if r.status != http.StatusCreated {
			b.Fatalf("commit = %d %s", r.status, r.body)
		}
		v++
		select {
		case ev := <-stream.events:
			if ev.data.Version != uint64(v) {
				b.Fatalf("event %d, want %d", ev.data.Version, v)
			}
			eventMS = append(eventMS, float64(time.Since(start).Microseconds())/1000)
		case <-time.After(10 * time.Second):
			b.Fatal("no event within 10 s")
		}
		commitMS = append(commitMS, float64(answered.Microseconds())/1000)
	}
	b.ReportMetric(median(eventMS), "event_ms")
	b.ReportMetric(median(commitMS), "commit_ms")
}

// median returns the middle of xs (sorted in place).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	return xs[len(xs)/2]
}

// serveTB serves s on 127.0.0.1:0 until the benchmark ends and returns
// its base URL.
func serveTB(tb testing.TB, s *Server) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.RunListener(ctx, ln)
	}()
	tb.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}
