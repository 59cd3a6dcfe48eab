package server

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/gridmap/gridmap/fixtures"
	"github.com/gridmap/gridmap/geo"
	"github.com/gridmap/gridmap/geo/edit"
)

// BenchmarkCommitSplitScale commits one grid split per iteration through
// POST /v1/edits at scale 10 (21,760 grids, 182,000 buildings) and 50
// (108,800 grids, 910,000 buildings), the store fsyncing each changeset,
// with the background warmers off (unless BENCH_WARM is set): the answer's own cost, the part of
// issue 12's "commit median at most 30 ms" in process. B/op is what each
// commit allocates (and the collector must then reclaim while requests
// are served). Each iteration splits another grid, chosen untimed.
func BenchmarkCommitSplitScale(b *testing.B) {
	for _, scale := range []int{10, 50} {
		b.Run(fmt.Sprint(scale), func(b *testing.B) { benchCommitSplit(b, scale) })
	}
}

func benchCommitSplit(b *testing.B, scale int) {
	city, err := fixtures.Generate(fixtures.Options{Seed: 1, Scale: scale})
	if err != nil {
		b.Fatal(err)
	}
	e := newBenchEditEnvOf(b, city) // warmers off unless BENCH_WARM is set
	units := e.s.Snapshot().City.Units
	next := 0
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		var comm geo.DivisionCode
		for comm == 0 {
			if u := units[next%len(units)]; u.Level() == geo.LevelCommunity {
				comm = u.Code
			}
			next += 7
		}
		g, line := splitTarget(b, e.s.Snapshot(), comm)
		body := opJSON(b, edit.Op{Kind: edit.KindSplit, Grid: g.Code, Line: line, Reason: "bench"})
		b.StartTimer()
		if r := e.request(http.MethodPost, "/v1/edits", "admin", e.version(), body); r.status != http.StatusCreated {
			b.Fatalf("commit = %d %.300s", r.status, r.body)
		}
	}
}
